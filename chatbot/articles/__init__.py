"""Finding article files and turning them into raw text (step 1 of the pipeline)."""

from chatbot.articles.reader import ArticleFile, SkippedFile, read_articles

__all__ = ["ArticleFile", "SkippedFile", "read_articles"]
