"""The chat as a person uses it: real server, real index, Chromium."""

import pytest

from chatbot.answer.messages import message
from chatbot.retrieval import QuestionError
from chatbot.retrieval.question import tidy_question
from tests.conftest import EN_2021, EN_2025, PRS_2025
from tests.web.browser import ask, direction, screenshot_conversation
from tests.web.conftest import HOSTILE_FILE, SCREENSHOTS

pytestmark = pytest.mark.browser

EN_QUESTION = "In how many countries was the government itself the trafficker?"
PRS_QUESTION = "چند کشور در این گزارش با سیاست قاچاق انسان برجسته شده اند؟"


def test_english_question_cites_its_passages(page):
    answer = ask(page, EN_QUESTION)
    assert answer.locator(".qa-lead").inner_text() == message("lead", "en")
    assert direction(answer) == "ltr"
    passages = answer.locator(".qa-passage")
    assert 1 <= passages.count() <= 5
    first = passages.first
    citation = first.locator(".qa-cite").inner_text()
    assert citation.startswith("[1]") and EN_2021 in citation and "English" in citation
    assert "11 countries" in first.locator(".qa-text").inner_text()
    assert first.locator(".qa-text mark.qa-best").count() == 1
    screenshot_conversation(page, SCREENSHOTS / "chat-en.png")

    # The whole article opens with the passage highlighted in place.
    first.locator(".qa-source summary").click()
    article = first.locator(".qa-article")
    article.wait_for()
    in_place = article.locator("mark.qa-in-article")
    assert "11 countries" in in_place.inner_text()
    assert len(article.inner_text()) > len(in_place.inner_text())
    # The article box has scrolled down to the passage.
    page.wait_for_function("box => box.scrollTop > 0", arg=article.element_handle(), timeout=5000)


def test_dari_page_and_question_read_right_to_left(page):
    page.locator("#qa-page-language label", has_text="دری").click()
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    page.get_by_role("tab", name=message("tab_chat", "prs")).wait_for()
    assert page.get_attribute("#qa-question textarea", "dir") == "auto"

    answer = ask(page, PRS_QUESTION)
    question = page.locator("#qa-chat .qa-question").last
    assert direction(question) == "rtl" and question.get_attribute("lang") == "fa-AF"
    assert direction(answer) == "rtl"
    assert answer.locator(".qa-lead").inner_text() == message("lead", "prs")
    first = answer.locator(".qa-passage").first
    citation = first.locator(".qa-cite").inner_text()
    assert citation.startswith("[۱]") and PRS_2025 in citation  # Persian digits for Dari
    assert message("citation_file", "prs") in citation
    assert "۱۳ کشور" in first.locator(".qa-text").inner_text()
    assert direction(first.locator(".qa-text")) == "rtl"
    # An English passage in a Dari answer keeps its own direction.
    english = answer.locator(".qa-text[lang=en]")
    if english.count():
        assert direction(english.first) == "ltr"
    screenshot_conversation(page, SCREENSHOTS / "chat-prs.png")


def test_follow_up_uses_the_earlier_question(page):
    ask(page, "How much revenue did the Cuban regime generate from exporting medical services?")
    answer = ask(page, "And in which year was that?")
    first = answer.locator(".qa-passage").first
    assert EN_2025 in first.locator(".qa-file").inner_text()
    assert "2022" in first.locator(".qa-text").inner_text()

    page.locator("#qa-new").click()
    page.locator("#qa-chat .qa-question").first.wait_for(state="detached")
    assert page.locator("#qa-chat button.example").count() == 4


def test_tell_me_more_shows_passages_not_shown_yet(page):
    def texts(answer):
        return {text.text_content() for text in answer.locator(".qa-text").all()}

    answer = ask(page, "What do Russian-led forces force Ukrainians to do?")
    assert "clear rubble" in answer.locator(".qa-text").first.inner_text()
    shown = texts(answer)  # `answer` is the last answer: read it before the next one
    more = ask(page, "Tell me more.")
    assert more.locator(".qa-lead").inner_text() in (
        message("lead_more", "en"),
        message("no_more", "en"),
    )
    assert texts(more) and not texts(more) & shown


def test_example_then_unanswerable_and_empty_questions(page):
    page.locator("#qa-chat button.example").first.click()
    answer = page.locator("#qa-chat .qa-answer:not(.qa-pending)").first
    answer.wait_for(timeout=30_000)
    assert EN_2021 in answer.locator(".qa-file").first.inner_text()

    unrelated = ask(page, "بهترین دستور پخت قابلی پلو چیست؟")  # a recipe: not in the news
    assert unrelated.locator(".qa-lead").inner_text() == message("no_answer", "prs")
    assert not unrelated.locator(".qa-passage").first.is_visible()  # folded away

    refused = ask(page, "  ?  ")
    assert "qa-error" in refused.get_attribute("class")
    assert message("question_error", "en") in refused.inner_text()
    with pytest.raises(QuestionError) as reason:  # the retriever's own words
        tidy_question("  ?  ")
    assert str(reason.value) in refused.inner_text()


def test_hostile_article_is_shown_as_plain_text(page):
    answer = ask(page, "How many tonnes of saffron did the cooperative in Herat export?")
    first = answer.locator(".qa-passage").first
    assert HOSTILE_FILE in first.locator(".qa-file").inner_text()
    shown = first.locator(".qa-text").inner_text()
    assert '<img src=x onerror="window.__pwned=1">' in shown
    assert "[full saffron report](javascript:window.__pwned=1)" in shown
    first.locator(".qa-source summary").click()
    assert "<script>window.__pwned=1</script>" in first.locator(".qa-article").inner_text()
    assert answer.locator("img, a, script, b, iframe").count() == 0

    page.get_by_role("tab", name="Articles").click()
    row = page.locator("#qa-articles tr", has_text=HOSTILE_FILE)
    assert "<script>" in row.inner_text()
    assert page.locator("#qa-articles script").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_no_button_copies_a_message_as_html(page):
    """Gradio's copy buttons put a message's HTML source on the clipboard, the whole
    article included; the chat leaves them out (select the text to copy it)."""
    answer = ask(page, EN_QUESTION)
    answer.hover()
    chat = page.locator("#qa-chat")
    chat.get_by_role("button", name="Clear").wait_for()  # the chat's toolbar is shown
    assert chat.get_by_role("button", name="Copy", exact=False).count() == 0


def test_a_question_without_letters_is_answered_in_the_page_language(page):
    page.locator("#qa-page-language label", has_text="دری").click()
    page.get_by_role("tab", name=message("tab_chat", "prs")).wait_for()

    refused = ask(page, "؟؟؟")
    assert "qa-error" in refused.get_attribute("class") and direction(refused) == "rtl"
    assert message("question_error", "prs") in refused.inner_text()
    assert QuestionError("no_words").in_language("prs") in refused.inner_text()
    assert direction(page.locator("#qa-chat .qa-question").last) == "rtl"
