"""`chatbot serve` option checks, before anything is loaded."""

import pytest

from chatbot.cli import main
from chatbot.web.server import exposure_warning, is_loopback, parse_auth


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
