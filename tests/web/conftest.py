"""A real `chatbot serve` on a private copy of the seed articles, and a real browser.

The server is the command a user runs (a subprocess, watching the articles folder
as by default, with --allow-upload and a password), started once per session on a
free port; it builds its own index on start. The articles folder holds the seeds
plus a hostile article whose text is full of HTML, script and Markdown.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, SEEDS

USER, PASSWORD = "reader", "correct horse battery"
HOSTILE_FILE = "hostile_saffron.txt"
HOSTILE_ARTICLE = """Saffron cooperative report <script>window.__pwned=1</script>

The saffron cooperative in Herat exported 12 tonnes of saffron in 2024, twice as much as \
the year before. <img src=x onerror="window.__pwned=1"> Read the \
[full saffron report](javascript:window.__pwned=1) for the details of the harvest.

Women make up most of the cooperative's pickers <b onmouseover="window.__pwned=1">bold</b>, \
and the cooperative pays them by the gram of saffron threads.
"""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "docs" / "screenshots"


@dataclass(frozen=True)
class Server:
    url: str
    articles: Path
    index: Path
    log: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chatbot serve exited:\n{log.read_text()}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"chatbot serve did not start in {timeout} s:\n{log.read_text()}")


@contextmanager
def _serving(folder: Path, articles: Path, index: Path, *options: str) -> Iterator[Server]:
    """`chatbot serve` as a user runs it, in a subprocess on a free port."""
    port = _free_port()
    log = folder / "serve.log"
    command = [
        sys.executable,
        "-m",
        "chatbot.cli",
        "serve",
        "--articles",
        str(articles),
        "--index",
        str(index),
        "--port",
        str(port),
        *options,
    ]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    with open(log, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log, timeout=180)
        yield Server(url, articles, index, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Watching the articles folder (the default), with --allow-upload and a password."""
    folder = tmp_path_factory.mktemp("web")
    articles = folder / "articles"
    shutil.copytree(SEEDS, articles)
    (articles / HOSTILE_FILE).write_text(HOSTILE_ARTICLE, encoding="utf-8")
    options = ["--allow-upload", "--auth", f"{USER}:{PASSWORD}"]
    with _serving(folder, articles, folder / "index", *options) as running:
        yield running


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory: pytest.TempPathFactory, seeds_index: Path) -> Iterator[Server]:
    """The plain `chatbot serve`: no password, no uploads, on a copy of the seeds index."""
    folder = tmp_path_factory.mktemp("plain")
    shutil.copytree(seeds_index, folder / "index")
    with _serving(folder, SEEDS, folder / "index") as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server: Server):
    """A fresh, logged-in browser tab on the chat."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    login = context.request.post(
        f"{server.url}/login", form={"username": USER, "password": PASSWORD}
    )
    assert login.ok, login.text()
    tab = context.new_page()
    tab.goto(server.url)
    tab.wait_for_selector("#qa-question textarea")
    yield tab
    context.close()
