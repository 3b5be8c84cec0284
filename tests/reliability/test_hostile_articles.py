"""Indexing completes on hostile article folders; each problem is reported once."""

import os
from pathlib import Path

from chatbot.articles import scan_articles
from chatbot.articles.reader import MAX_ARTICLE_CHARS, read_article
from chatbot.index.builder import update_index
from chatbot.retrieval import Retriever
from tests.conftest import PRS_2025, SEEDS


def test_hostile_folder_is_indexed_and_problems_reported_once(tmp_path: Path, embedder):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "binary.txt").write_bytes(os.urandom(4096) + b"\x00" * 64)
    (articles / "empty.txt").write_bytes(b"")
    (articles / "bad-utf8.txt").write_bytes(b"Caf\xe9 \xff\xfe\x81 broken bytes \x90\x9d")
    dari = (SEEDS / PRS_2025).read_bytes()
    (articles / "dari-one-bad-byte.txt").write_bytes(dari[:2000] + b"\xff" + dari[2000:])
    with open(os.path.join(os.fsencode(articles), "گزارش.txt".encode("cp1256")), "wb") as handle:
        handle.write("گزارش".encode())
    (articles / "mixed scripts & odd ü name (1).txt").write_text(
        "Mixed report on trafficking in persons\n\nKabul کابل and Herat هرات reported cases "
        "of forced labor in brick kilns, officials said.",
        "utf-8",
    )
    (articles / "payload.html").write_text(
        "<html><title>Payload page</title><body><script>alert(1)</script>"
        "<p>Bridges over the river were closed after the spring floods.</p>"
        "<img src=x onerror=alert(2)></body></html>",
        "utf-8",
    )
    deep = articles.joinpath(*[f"level{i}" for i in range(30)])
    deep.mkdir(parents=True)
    (deep / "deep.md").write_text("# Deep\n\nA story stored thirty folders down, about ferries.")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("A secret file outside the articles folder.", "utf-8")
    os.symlink(outside, articles / "linked-folder")
    os.symlink(outside / "secret.txt", articles / "linked-file.txt")

    report = update_index(articles, tmp_path / "index", embedder)
    assert sorted(report.added) == [
        "dari-one-bad-byte.txt",
        "level0/" + "/".join(f"level{i}" for i in range(1, 30)) + "/deep.md",
        "mixed scripts & odd ü name (1).txt",
        "payload.html",
    ]
    assert report.damaged == [("dari-one-bad-byte.txt", 1)]
    reported = [s.path for s in report.skipped]
    assert sorted(reported) == sorted(set(reported))  # once each
    assert set(reported) == {
        "binary.txt",
        "empty.txt",
        "bad-utf8.txt",
        "linked-folder",
        "linked-file.txt",
        r"\x90\xd2\xc7\xd1\xd4.txt",
    }
    retriever = Retriever(tmp_path / "index", embedder)
    assert "alert" not in retriever.article_text("payload.html")
    assert "وزارت خارجۀ ایالات متحده" in retriever.article_text("dari-one-bad-byte.txt")
    secret = retriever.search("secret file outside the articles folder")
    assert all("secret" not in p.text for p in secret.passages)


def test_a_huge_single_line_is_truncated_not_fatal(tmp_path: Path):
    line = "word " * (5 * 1024 * 1024 // 5)  # 5 MB, one line
    (tmp_path / "one-line.txt").write_text(line, "utf-8")
    (entry,), skipped = scan_articles(tmp_path)
    article = read_article(entry)
    assert not skipped
    assert article.truncated and len(article.text) <= MAX_ARTICLE_CHARS
