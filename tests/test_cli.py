"""The ``chatbot`` command as a user runs it: a real process, real index, real output."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chatbot.cli import build_parser
from tests.conftest import EN_2021, PRS_2025, QA_FILE, SEEDS


def chatbot(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "chatbot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    shutil.copytree(SEEDS, folder / "articles")
    done = chatbot("index", "--articles", str(folder / "articles"), "--index", str(folder / "ix"))
    assert done.returncode == 0, done.stderr
    assert "3 added" in done.stderr
    return folder


def test_index_then_ask_json(cli_index: Path):
    question = "In how many countries was the government itself the trafficker?"
    done = chatbot("ask", question, "--json", "--index", str(cli_index / "ix"))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"question", "language", "answered", "passages", "not_mentioned", "more"}
    assert result["answered"] is True and result["language"] == "en"
    assert result["not_mentioned"] == []
    first = result["passages"][0]
    assert set(first) == {
        "rank",
        "score",
        "article",
        "title",
        "language",
        "start",
        "end",
        "text",
        "also_in",
    }
    assert first["article"] == EN_2021 and "11 countries" in first["text"]


def test_ask_in_dari_with_env_configuration(cli_index: Path):
    done = chatbot(
        "ask",
        "این گزارش چند کشور را با سیاست قاچاق انسان برجسته کرده است؟",
        "--json",
        env_extra={"CHATBOT_INDEX": str(cli_index / "ix")},
    )
    result = json.loads(done.stdout)
    assert result["language"] == "prs"
    assert result["passages"][0]["article"] == PRS_2025
    assert "۱۳ کشور" in result["passages"][0]["text"]


def test_ask_text_output_cites_passages(cli_index: Path):
    done = chatbot("ask", "How much did Cuba earn?", "--index", str(cli_index / "ix"))
    assert done.returncode == 0
    assert "[1] " in done.stdout and ".txt, characters " in done.stdout


def test_unchanged_index_run_reports_nothing_to_do(cli_index: Path):
    done = chatbot(
        "index", "--articles", str(cli_index / "articles"), "--index", str(cli_index / "ix")
    )
    assert "0 added, 0 changed, 0 removed, 3 unchanged" in done.stderr


def test_errors_say_what_to_do(tmp_path: Path, cli_index: Path):
    missing = chatbot("ask", "anything", "--index", str(tmp_path / "none"))
    assert missing.returncode == 1 and "chatbot index" in missing.stderr
    empty = chatbot("ask", "   ", "--index", str(cli_index / "ix"))
    assert empty.returncode == 1 and "empty" in empty.stderr
    unknown = chatbot("ask", "x", "--embedder", "word2vec", "--index", str(cli_index / "ix"))
    assert unknown.returncode == 1 and "sentence-transformers:" in unknown.stderr


def test_eval_on_the_shipped_qa_file(cli_index: Path):
    done = chatbot("eval", str(QA_FILE), "--json", "--index", str(cli_index / "ix"))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["n"] == sum(1 for line in QA_FILE.read_text().splitlines() if line.strip())
    assert {"recall@1", "recall@3", "recall@5", "recall@10", "mrr@10"} <= set(summary)
    # the targets of the retrieval issue: every question in the top 3, 90% at rank 1
    assert summary["recall@3"] == 1.0
    assert summary["recall@1"] >= 0.9
    assert summary["by_kind"]["off-topic"]["abstain_accuracy"] >= 0.8
    for kind in ("en", "prs", "en-prs", "prs-en", "follow-up"):
        assert summary["by_kind"][kind]["recall@5"] >= 0.8, kind


def test_serve_watches_the_articles_folder_unless_told_not_to():
    """`make run` keeps the index in step with seeds/ (tests/web/test_fresh_index.py
    checks the watching itself); --no-watch leaves it to `chatbot index`."""
    parser = build_parser()
    assert parser.parse_args(["serve"]).watch is True
    assert parser.parse_args(["serve", "--no-watch"]).watch is False
