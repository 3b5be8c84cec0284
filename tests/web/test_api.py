"""The chat's API through gradio_client, and the password in front of page and API."""

import httpx
import pytest
from gradio_client import Client

from tests.conftest import EN_2021, EN_2025
from tests.web.conftest import PASSWORD, USER

PASSAGE_KEYS = {"rank", "score", "article", "title", "language", "start", "end", "text", "also_in"}


@pytest.fixture(scope="module")
def client(server) -> Client:
    return Client(server.url, auth=(USER, PASSWORD), verbose=False)


def test_ask_returns_the_json_of_chatbot_ask(client):
    result = client.predict(
        "In how many countries was the government itself the trafficker?", [], api_name="/ask"
    )
    assert set(result) == {"question", "language", "answered", "passages", "not_mentioned", "more"}
    assert result["answered"] is True and result["language"] == "en"
    assert result["not_mentioned"] == []
    first = result["passages"][0]
    assert set(first) == PASSAGE_KEYS
    assert first["rank"] == 1 and first["article"] == EN_2021 and "11 countries" in first["text"]


def test_ask_names_what_no_article_mentions(client):
    result = client.predict("What does the report say about Brazil?", [], api_name="/ask")
    assert result["answered"] is False and result["not_mentioned"] == ["Brazil"]


def test_ask_with_history_answers_a_follow_up(client):
    earlier = "How much revenue did the Cuban regime generate from exporting medical services?"
    result = client.predict("And in which year was that?", [earlier], api_name="/ask")
    assert result["passages"][0]["article"] == EN_2025
    assert "2022" in result["passages"][0]["text"]
    assert result["more"] is False
    first = client.predict(earlier, [], api_name="/ask")["passages"]
    more = client.predict("Tell me more.", [earlier], api_name="/ask")
    assert more["more"] is True
    assert not {p["text"] for p in more["passages"]} & {p["text"] for p in first}


def test_an_empty_question_is_an_error_with_the_reason(client):
    with pytest.raises(Exception, match="empty"):
        client.predict("   ", [], api_name="/ask")


def test_without_the_password_page_config_and_api_are_refused(server):
    call = httpx.post(f"{server.url}/gradio_api/call/ask", json={"data": ["hello", []]})
    assert call.status_code == 401
    assert httpx.get(f"{server.url}/config").status_code == 401
    wrong = httpx.post(f"{server.url}/login", data={"username": USER, "password": "guess"})
    assert wrong.status_code >= 400
    with pytest.raises(Exception):  # noqa: B017 - whatever the client raises, it must refuse
        Client(server.url, verbose=False)


@pytest.mark.parametrize(
    "question",
    [
        "<script>alert(1)</script> what is trafficking?",
        "[click](javascript:alert(1)) **trafficking** report",
        "\u202e\u200fگزارش قاچاق انسان\u202c",
        "trafficking\x00\x07 report\x1b[31m",
    ],
)
def test_hostile_questions_get_a_plain_answer(client, question):
    result = client.predict(question, [], api_name="/ask")
    assert result["question"] and "\x00" not in result["question"]
    assert result["language"] in {"en", "prs"} and isinstance(result["answered"], bool)


def test_emoji_only_and_enormous_questions_are_refused_with_the_reason(client):
    with pytest.raises(Exception, match="no words"):
        client.predict("😀🔥🙏", [], api_name="/ask")
    with pytest.raises(Exception, match="long"):
        client.predict("trafficking " * 10_000, [], api_name="/ask")
    assert client.predict("trafficking report", [], api_name="/ask")["passages"]
