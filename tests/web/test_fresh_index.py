"""A running server answers from articles added after it started: by its watcher (on
by default), by a `chatbot index` run elsewhere, and by an upload in the Articles tab."""

import time

import pytest
from gradio_client import Client

from chatbot.index.builder import update_index
from tests.web.browser import ask
from tests.web.conftest import PASSWORD, USER

LAPIS = """Lapis lazuli from Badakhshan

The Sar-e Sang mines in Badakhshan have produced lapis lazuli for more than six \
thousand years. Miners there cut about 9 tonnes of the blue stone last season and sold \
most of it to traders in Kabul.
"""
POMEGRANATE = """Kandahar pomegranate exports

Farmers in Kandahar sent 37 refrigerated lorries of pomegranates to Pakistan in October, \
the provincial agriculture office said, after a cold store opened near the city.
"""
WOOL = """گزارش پشم پامیر

چوپانان واخان امسال ۴۸۰ کیلوگرام پشم یاک را به بازار فیض‌آباد فرستادند و هر کیلوگرام را \
به بهای خوب فروختند.
"""


@pytest.fixture(scope="module")
def client(server) -> Client:
    return Client(server.url, auth=(USER, PASSWORD), verbose=False)


def _top_article(client: Client, question: str) -> str:
    return client.predict(question, [], api_name="/ask")["passages"][0]["article"]


def test_watch_indexes_a_new_article_without_a_restart(server, client):
    question = "How much lapis lazuli did the Sar-e Sang miners cut last season?"
    (server.articles / "lapis.txt").write_text(LAPIS, encoding="utf-8")
    deadline = time.monotonic() + 60
    top = _top_article(client, question)  # every question meanwhile is answered
    while top != "lapis.txt" and time.monotonic() < deadline:
        time.sleep(0.5)
        top = _top_article(client, question)
    assert top == "lapis.txt"


def test_an_index_run_elsewhere_is_used_by_the_next_question(server, client, embedder):
    (server.articles / "pomegranates.md").write_text(POMEGRANATE, encoding="utf-8")
    report = update_index(server.articles, server.index, embedder)  # as `chatbot index` does
    assert report.snapshot is not None
    question = "How many lorries of pomegranates did Kandahar farmers send to Pakistan?"
    assert _top_article(client, question) == "pomegranates.md"


@pytest.mark.browser
def test_upload_an_article_in_the_page_then_ask_about_it(page, server, tmp_path):
    upload = tmp_path / "Pamir wool?.txt"
    upload.write_text(WOOL, encoding="utf-8")
    page.get_by_role("tab", name="Articles").click()
    page.locator("#qa-upload input[type=file]").set_input_files(str(upload))
    page.locator("#qa-upload", has_text="Pamir").wait_for()
    page.locator("#qa-add").click()
    status = page.locator("#qa-index-status")
    status.filter(has_text="Saved as Pamir_wool.txt").wait_for()
    status.filter(has_text="Index up to date: 1 added").wait_for(timeout=60_000)
    page.locator("#qa-articles", has_text="Pamir_wool.txt").wait_for()
    assert (server.articles / "Pamir_wool.txt").read_text(encoding="utf-8") == WOOL

    page.get_by_role("tab", name="Chat").click()
    answer = ask(page, "چوپانان واخان امسال چند کیلوگرام پشم یاک فرستادند؟")
    assert "Pamir_wool.txt" in answer.locator(".qa-file").first.inner_text()
