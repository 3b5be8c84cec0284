"""Finding article files and turning them into raw text (step 1 of the pipeline)."""

from chatbot.articles.reader import (
    ArticleFile,
    FileEntry,
    SkippedFile,
    read_article,
    read_articles,
    scan_articles,
)

__all__ = [
    "ArticleFile",
    "FileEntry",
    "SkippedFile",
    "read_article",
    "read_articles",
    "scan_articles",
]
