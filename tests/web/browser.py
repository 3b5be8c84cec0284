"""Driving the chat page in the tests: ask a question, read the newest answer."""

from pathlib import Path

from playwright.sync_api import Locator, Page

ANSWERS = "#qa-chat .qa-answer:not(.qa-pending)"


def ask(page: Page, question: str) -> Locator:
    """Type ``question``, press Enter, and return the answer once it is shown."""
    before = page.locator(ANSWERS).count()
    page.fill("#qa-question textarea", question)
    page.press("#qa-question textarea", "Enter")
    page.wait_for_function(
        f"document.querySelectorAll({ANSWERS!r}).length > {before}", timeout=30_000
    )
    return page.locator(ANSWERS).last


def direction(locator: Locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).direction")


def screenshot_conversation(page: Page, path: Path) -> None:
    """Save the page with the conversation scrolled back to its top. The chat scrolls
    itself to the bottom while an answer settles, so scroll until it stays put."""
    messages = page.locator("#qa-chat .bubble-wrap")  # Gradio's scrolling message list
    for _ in range(20):
        messages.evaluate("box => { box.scrollTop = 0; }")
        page.wait_for_timeout(500)
        if messages.evaluate("box => box.scrollTop") == 0:
            break
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), animations="disabled")
