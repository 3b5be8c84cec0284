import os
from pathlib import Path

from chatbot.articles import read_articles
from tests.conftest import PRS_2025, SEEDS

DARI = "قاچاق انسان یک جنایت هولناک و ویرانگر است."


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` in Helvetica, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_formats_and_encodings(tmp_path: Path):
    (tmp_path / "plain.txt").write_text("A plain article about rivers.", "utf-8")
    (tmp_path / "bom.txt").write_bytes("\ufeffUTF-8 with a byte-order mark.".encode())
    (tmp_path / "utf16.txt").write_bytes(("\ufeff" + DARI).encode("utf-16-le"))
    (tmp_path / "utf16-no-bom.txt").write_bytes(DARI.encode("utf-16-le"))
    (tmp_path / "legacy.txt").write_bytes(DARI.replace("ی", "ي").replace("ک", "ك").encode("cp1256"))
    (tmp_path / "western.txt").write_bytes("Café “naïve” — résumé".encode("cp1252"))
    (tmp_path / "page.html").write_text(
        "<html><head><title>Page title</title><style>p{color:red}</style></head>"
        "<body><script>var hidden = 1;</script><p>Visible paragraph text.</p></body></html>",
        "utf-8",
    )
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    (tmp_path / "nested" / "deeper" / "note.md").write_text("# Heading\n\nMarkdown body.", "utf-8")
    (tmp_path / "report.pdf").write_bytes(minimal_pdf("Text inside a PDF file."))
    (tmp_path / "image.png").write_bytes(b"\x89PNG not an article")

    articles, skipped = read_articles(tmp_path)
    texts = {a.path: a.text for a in articles}
    assert skipped == []
    assert set(texts) == {
        "plain.txt",
        "bom.txt",
        "utf16.txt",
        "utf16-no-bom.txt",
        "legacy.txt",
        "western.txt",
        "page.html",
        "nested/deeper/note.md",
        "report.pdf",
    }
    assert texts["bom.txt"] == "UTF-8 with a byte-order mark."
    assert texts["utf16.txt"] == texts["utf16-no-bom.txt"] == DARI
    assert "قاچاق انسان" in texts["legacy.txt"]
    assert texts["western.txt"] == "Café “naïve” — résumé"
    assert "Visible paragraph text." in texts["page.html"]
    assert "hidden" not in texts["page.html"] and "color" not in texts["page.html"]
    assert next(a for a in articles if a.path == "page.html").title_hint == "Page title"
    assert "Text inside a PDF file." in texts["report.pdf"]


def test_bad_files_are_skipped_with_a_reason(tmp_path: Path):
    (tmp_path / "good.txt").write_text("A good article that must still be read.", "utf-8")
    (tmp_path / "garbage.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # 200 MB, sparse: nothing is written
    outside = tmp_path.parent / "outside-secret.txt"
    outside.write_text("secret outside the articles folder", "utf-8")
    os.symlink(outside, tmp_path / "link.txt")

    articles, skipped = read_articles(tmp_path)
    assert [a.path for a in articles] == ["good.txt"]
    reasons = {s.path: s.reason for s in skipped}
    assert set(reasons) == {"garbage.txt", "broken.pdf", "huge.txt", "link.txt"}
    assert "binary" in reasons["garbage.txt"]
    assert "too large" in reasons["huge.txt"]
    assert "symbolic link" in reasons["link.txt"]


def test_a_few_bad_bytes_do_not_garble_a_utf8_article(tmp_path: Path):
    intact = (SEEDS / PRS_2025).read_text("utf-8")
    head, tail = intact[: len(intact) // 2], intact[len(intact) // 2 :]
    damaged = head.encode() + b"\xff" + tail.encode()
    (tmp_path / "bad-byte.txt").write_bytes(damaged)
    (tmp_path / "bom-bad-byte.txt").write_bytes(b"\xef\xbb\xbf" + damaged)
    end = next(i for i in range(1000, len(intact)) if len(intact[i].encode()) > 1)
    cut = intact[:end]
    (tmp_path / "cut-off.txt").write_bytes(cut.encode() + intact[end].encode()[:1])
    (tmp_path / "intact.txt").write_text(intact, "utf-8")

    articles, skipped = read_articles(tmp_path)
    texts = {a.path: a.text for a in articles}
    assert skipped == []
    assert texts["bad-byte.txt"] == texts["bom-bad-byte.txt"] == head + "\ufffd" + tail
    assert texts["cut-off.txt"] == cut + "\ufffd"
    assert {a.path: a.invalid_bytes for a in articles} == {
        "bad-byte.txt": 1,
        "bom-bad-byte.txt": 1,
        "cut-off.txt": 1,
        "intact.txt": 0,
    }


def test_undecodable_files_say_to_resave_as_utf8(tmp_path: Path):
    (tmp_path / "utf32.txt").write_bytes("An article saved as UTF-32.".encode("utf-32-le"))
    (tmp_path / "unknown.txt").write_bytes(b"Caf\xe9 \xff\xfe\x81 broken bytes \x90\x9d")

    articles, skipped = read_articles(tmp_path)
    assert articles == []
    reasons = {s.path: s.reason for s in skipped}
    assert set(reasons) == {"utf32.txt", "unknown.txt"}
    assert all(reason.endswith("re-save the file as UTF-8") for reason in reasons.values())


def test_names_that_are_not_utf8_are_skipped_not_fatal(tmp_path: Path):
    (tmp_path / "good.txt").write_text("A good article that must still be read.", "utf-8")
    root = os.fsencode(tmp_path)
    with open(os.path.join(root, "گزارش.txt".encode("cp1256")), "wb") as handle:
        handle.write("گزارش".encode())
    os.mkdir(os.path.join(root, "پوشه".encode("cp1256")))
    with open(os.path.join(root, "پوشه".encode("cp1256"), b"inside.txt"), "wb") as handle:
        handle.write(b"An article in a folder whose name is not UTF-8.")
    with open(os.path.join(root, b"\xff-image.png"), "wb") as handle:
        handle.write(b"\x89PNG not an article")

    articles, skipped = read_articles(tmp_path)
    assert [a.path for a in articles] == ["good.txt"]
    assert {s.path: s.reason for s in skipped} == {
        r"\x90\xd2\xc7\xd1\xd4.txt": "file name is not valid UTF-8: rename it to index it",
        r"\x81\xe6\xd4\xe5": "folder name is not valid UTF-8: rename it to index the files in it",
    }


def test_missing_folder_says_what_to_do(tmp_path: Path):
    try:
        read_articles(tmp_path / "nope")
    except FileNotFoundError as error:
        assert "--articles" in str(error)
    else:
        raise AssertionError("expected FileNotFoundError")
