"""`chatbot serve`: option checks before anything is loaded, and what a running server
leaves open."""

import httpx
import pytest
from gradio_client import Client

from chatbot.cli import main
from chatbot.web.server import exposure_warning, is_loopback, parse_auth
from tests.web.conftest import PASSWORD, USER


def test_parse_auth():
    assert parse_auth(None) is None and parse_auth("") is None
    assert parse_auth("ana:s3cret:with:colons") == ("ana", "s3cret:with:colons")
    for bad in ("ana", "ana:", ":pw"):
        with pytest.raises(ValueError, match="USER:PASSWORD"):
            parse_auth(bad)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("chat.example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool):
    assert is_loopback(host) is loopback


def test_upload_on_an_open_host_without_password_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CHATBOT_AUTH", raising=False)
    code = main(["serve", "--host", "0.0.0.0", "--allow-upload", "--index", str(tmp_path)])
    assert code == 1
    assert "--allow-upload on 0.0.0.0 needs a password" in capsys.readouterr().err


def test_exposure_warning_says_how_to_fix_it():
    warning = exposure_warning("0.0.0.0", 7860)
    assert "WITHOUT A PASSWORD" in warning and "--auth USER:PASSWORD" in warning


def test_gradios_upload_route_is_closed_without_allow_upload(plain_server):
    """Gradio would keep any file posted here in its temporary folder."""
    posted = httpx.post(
        f"{plain_server.url}/gradio_api/upload",
        files={"files": ("note.txt", b"Uploaded through the raw route.")},
    )
    assert posted.status_code == 403 and "--allow-upload" in posted.text
    # The chat itself still works.
    asked = Client(plain_server.url, verbose=False).predict(
        "How much revenue did the Cuban regime generate from exporting medical services?",
        [],
        api_name="/ask",
    )
    assert asked["answered"] and "4.9" in asked["passages"][0]["text"]


def test_the_upload_route_stays_open_with_allow_upload(server):
    """The Articles tab's upload goes through it (behind the password)."""
    login = httpx.post(f"{server.url}/login", data={"username": USER, "password": PASSWORD})
    posted = httpx.post(
        f"{server.url}/gradio_api/upload",
        files={"files": ("note.txt", b"An article.")},
        cookies=login.cookies,
    )
    assert posted.status_code == 200, posted.text
