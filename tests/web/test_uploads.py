"""Saving uploaded article files: safe names, inside the articles folder, no overwrite."""

import pytest

from chatbot.web.uploads import UploadError, safe_filename, save_upload


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("report.txt", "report.txt"),
        ("../../etc/cron.d/job.md", "job.md"),
        ("C:\\Users\\me\\news.HTML", "news.html"),
        (".hidden.pdf", "hidden.pdf"),
        ("گزارش تازه.txt", "گزارش_تازه.txt"),
        ("<script>.txt", "script.txt"),
        ("...txt", "article.txt"),
    ],
)
def test_safe_filename(name: str, safe: str):
    assert safe_filename(name) == safe


@pytest.mark.parametrize("name", ["notes.exe", "..", "README", "page.txt.sh"])
def test_other_files_are_refused(name: str):
    with pytest.raises(UploadError):
        safe_filename(name)


def test_save_upload_stays_inside_and_never_overwrites(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "news.txt").write_text("old", encoding="utf-8")
    source = tmp_path / "upload"
    source.write_text("new", encoding="utf-8")

    saved = save_upload(source, "../news.txt", articles)
    assert saved == articles / "news-2.txt" and saved.read_text(encoding="utf-8") == "new"
    assert (articles / "news.txt").read_text(encoding="utf-8") == "old"
    assert save_upload(source, "news.txt", articles).name == "news-3.txt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles", "upload"]
