"""Raw article files to cleaned articles, ready for chunking (step 2 of the pipeline)."""

import hashlib
from dataclasses import dataclass

from chatbot.articles import ArticleFile, SkippedFile
from chatbot.text.cleaning import clean_text, find_repeated_lines
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


def prepare_articles(files: list[ArticleFile]) -> tuple[list[Article], list[SkippedFile]]:
    """Clean every article against the whole corpus (for repeated site chrome)."""
    repeated = find_repeated_lines(file.text for file in files)
    articles: list[Article] = []
    skipped: list[SkippedFile] = []
    for file in files:
        cleaned = clean_text(file.text, repeated, file.title_hint)
        if not cleaned.text.strip():
            skipped.append(SkippedFile(file.path, "no text left after cleaning (empty article)"))
            continue
        digest = hashlib.sha256(f"{cleaned.title}\x00{cleaned.text}".encode()).hexdigest()
        articles.append(
            Article(
                path=file.path,
                title=cleaned.title,
                language=detect_language(cleaned.text),
                text=cleaned.text,
                content_hash=digest,
            )
        )
    return articles, skipped
