"""The polling watcher behind `chatbot serve` (on unless --no-watch)."""

import threading

from chatbot.web.watch import ArticleWatcher, folder_signature


def test_signature_follows_article_files_only(tmp_path):
    empty = folder_signature(tmp_path)
    (tmp_path / "notes.log").write_text("not an article")
    (tmp_path / ".draft.txt").write_text("hidden")
    assert folder_signature(tmp_path) == empty
    (tmp_path / "a.txt").write_text("one")
    added = folder_signature(tmp_path)
    assert {entry[0] for entry in added} == {"a.txt"}
    (tmp_path / "a.txt").write_text("one, longer")
    assert folder_signature(tmp_path) != added


def test_watcher_calls_once_per_settled_change(tmp_path):
    calls = threading.Semaphore(0)
    watcher = ArticleWatcher(tmp_path, calls.release, interval=0.02)
    watcher.start()
    try:
        assert calls.acquire(timeout=5)  # the first look at the folder
        assert not calls.acquire(timeout=0.2)  # nothing changed since
        (tmp_path / "new.md").write_text("# News")
        assert calls.acquire(timeout=5)
        assert not calls.acquire(timeout=0.2)
    finally:
        watcher.stop()
