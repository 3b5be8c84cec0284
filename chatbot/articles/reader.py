"""Walking the articles folder and reading each supported file.

One bad file never stops a run: it becomes a :class:`SkippedFile` with the reason,
and the caller reports it; that includes a file or folder whose name is not valid
UTF-8, since an article's path is stored as text. Symbolic links are never
followed, so nothing outside the articles folder is read.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from chatbot.articles.decoding import UndecodableError
from chatbot.articles.formats import SUPPORTED_SUFFIXES, extract_text

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Larger files are skipped: a news article is kilobytes, a 50 MB file is a mistake."""
MAX_ARTICLE_CHARS = 300_000
"""Text past this is not indexed (with a warning): a long report still gets its first
few hundred pages' worth, and one hostile file cannot occupy the embedder for hours."""


@dataclass(frozen=True)
class FileEntry:
    """An article file found by :func:`scan_articles`, not read yet."""

    path: str
    """Path relative to the articles folder, with forward slashes: the article's id."""
    filename: str
    """Where the file is (a plain string: scanning 10,000 files builds no Path objects)."""
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class ArticleFile:
    path: str
    text: str
    title_hint: str | None = None
    size: int = 0
    mtime_ns: int = 0
    truncated: bool = False
    invalid_bytes: int = 0
    """Bytes of a damaged UTF-8 file that were not UTF-8 (U+FFFD in ``text``)."""


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


def _is_utf8(name: str) -> bool:
    """False for a name whose bytes are not UTF-8 (Python keeps those bytes as lone
    surrogates, which SQLite, the web page and the terminal all refuse)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(path: str) -> str:
    r"""``path`` with the bytes that are not UTF-8 written as ``\xNN``, to report it."""
    return path.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="backslashreplace")


def _scan(root: Path, folder: str, entries: list[FileEntry], skipped: list[SkippedFile]) -> None:
    """Add the files under ``root/folder`` (depth first, in name order) to ``entries``.

    ``os.scandir`` knows each entry's type from the directory listing, so a file costs
    one ``lstat``: a no-change ``chatbot index`` over 10,000 articles is mostly this."""
    try:
        with os.scandir(root / folder) as listing:
            items = sorted(listing, key=lambda item: item.name)
    except OSError as error:
        skipped.append(SkippedFile(folder or ".", f"unreadable folder ({error.strerror})"))
        return
    subfolders = []
    for item in items:
        if item.name.startswith("."):
            continue
        relative = f"{folder}/{item.name}" if folder else item.name
        supported = os.path.splitext(item.name)[1].lower() in SUPPORTED_SUFFIXES
        if not _is_utf8(item.name):
            if item.is_dir(follow_symlinks=False):
                reason = "folder name is not valid UTF-8: rename it to index the files in it"
                skipped.append(SkippedFile(_printable(relative), reason))
            elif supported:
                reason = "file name is not valid UTF-8: rename it to index it"
                skipped.append(SkippedFile(_printable(relative), reason))
            continue
        if item.is_dir(follow_symlinks=False):
            subfolders.append(relative)
        elif item.is_symlink():
            if item.is_dir():
                skipped.append(SkippedFile(relative, "symbolic link to a folder, not followed"))
            elif supported:
                skipped.append(SkippedFile(relative, "symbolic link, not followed"))
        elif supported:
            try:
                stat = item.stat(follow_symlinks=False)
            except OSError as error:
                skipped.append(SkippedFile(relative, f"unreadable ({error.strerror or error})"))
                continue
            entries.append(FileEntry(relative, item.path, stat.st_size, stat.st_mtime_ns))
    for subfolder in subfolders:
        _scan(root, subfolder, entries, skipped)


def scan_articles(root: Path) -> tuple[list[FileEntry], list[SkippedFile]]:
    """Every supported file under ``root`` (recursively), in path order, with its size
    and modification time, without reading it. Symbolic links are reported, never
    followed."""
    if not root.is_dir():
        raise FileNotFoundError(
            f"articles folder {root} does not exist: create it and put .txt, .md, .html "
            "or .pdf files in it, or pass --articles DIR"
        )
    entries: list[FileEntry] = []
    skipped: list[SkippedFile] = []
    _scan(root, "", entries, skipped)
    return entries, skipped


def read_article(entry: FileEntry) -> ArticleFile | SkippedFile:
    """Read and extract one file; any failure becomes a :class:`SkippedFile`."""
    if entry.size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 2**20
        return SkippedFile(entry.path, f"too large ({entry.size / 2**20:.0f} MB > {limit} MB)")
    suffix = os.path.splitext(entry.filename)[1].lower()
    try:
        extracted = extract_text(suffix, Path(entry.filename).read_bytes())
    except UndecodableError as error:
        return SkippedFile(entry.path, str(error))
    except OSError as error:
        return SkippedFile(entry.path, f"unreadable ({error.strerror or error})")
    except Exception as error:  # a broken PDF or HTML parser failure must not stop the run
        return SkippedFile(entry.path, f"could not extract text ({type(error).__name__}: {error})")
    text, truncated = extracted.text, len(extracted.text) > MAX_ARTICLE_CHARS
    if truncated:
        cut = text.rfind(" ", 0, MAX_ARTICLE_CHARS)
        text = text[: cut if cut > MAX_ARTICLE_CHARS // 2 else MAX_ARTICLE_CHARS]
    return ArticleFile(
        entry.path,
        text,
        extracted.title_hint,
        entry.size,
        entry.mtime_ns,
        truncated,
        extracted.invalid_bytes,
    )


def read_articles(root: Path) -> tuple[list[ArticleFile], list[SkippedFile]]:
    """Read every supported file under ``root`` (recursively), in path order."""
    entries, skipped = scan_articles(root)
    articles: list[ArticleFile] = []
    for entry in entries:
        result = read_article(entry)
        (skipped if isinstance(result, SkippedFile) else articles).append(result)
    return articles, skipped
