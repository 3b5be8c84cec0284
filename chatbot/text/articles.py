"""Raw article files to cleaned articles, ready for chunking (step 2 of the pipeline)."""

import hashlib
from dataclasses import dataclass

from chatbot.articles import ArticleFile, SkippedFile
from chatbot.text.cleaning import clean_text, repeated_lines, short_lines
from chatbot.text.language import Language, detect_language


@dataclass(frozen=True)
class Article:
    path: str
    title: str
    language: Language
    text: str
    """The cleaned text; citations are character offsets into it."""
    content_hash: str
    """Hash of the cleaned text and title: what decides whether to re-embed."""
    short_lines: frozenset[str]
    """The raw file's short lines, kept to recognise site chrome across articles."""
    size: int
    mtime_ns: int


def prepare_article(file: ArticleFile, repeated: frozenset[str]) -> Article | SkippedFile:
    """Clean one article, given the corpus's repeated lines (site chrome)."""
    cleaned = clean_text(file.text, repeated, file.title_hint)
    if not cleaned.text.strip():
        return SkippedFile(file.path, "no text left after cleaning (empty article)")
    digest = hashlib.sha256(f"{cleaned.title}\x00{cleaned.text}".encode()).hexdigest()
    return Article(
        path=file.path,
        title=cleaned.title,
        language=detect_language(cleaned.text),
        text=cleaned.text,
        content_hash=digest,
        short_lines=short_lines(file.text),
        size=file.size,
        mtime_ns=file.mtime_ns,
    )


def prepare_articles(files: list[ArticleFile]) -> tuple[list[Article], list[SkippedFile]]:
    """Clean a whole corpus at once (site chrome judged across these files)."""
    repeated = repeated_lines((file.size, short_lines(file.text)) for file in files)
    articles: list[Article] = []
    skipped: list[SkippedFile] = []
    for file in files:
        result = prepare_article(file, repeated)
        (skipped if isinstance(result, SkippedFile) else articles).append(result)
    return articles, skipped
