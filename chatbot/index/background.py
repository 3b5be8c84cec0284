"""Background vectors: generic questions and sentences on everyday topics, in English
and Dari, embedded with the index's own model and stored in every snapshot.

A question's similarity to these texts, on every topic but none in particular, is
its baseline. Cosines vary with the question's style (a question scores lower than
a statement), its language and its length; a passage is evidence of an answer only
when it beats that baseline clearly (:mod:`chatbot.retrieval.abstention`).
"""

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from chatbot.embeddings import Embedder
from chatbot.index.errors import IndexCorruptError, reading
from chatbot.text.language import detect_language

VECTORS_FILE = "background.npy"
LANGUAGES_FILE = "background.json"


@dataclass(frozen=True)
class Background:
    vectors: np.ndarray
    languages: np.ndarray

    def baseline(self, question: np.ndarray, language: str, top: int) -> float:
        """Mean cosine of ``question`` with its ``top`` nearest background texts in
        ``language`` (0 when there are none)."""
        similarities = self.vectors[self.languages == language] @ question
        if not similarities.size:
            return 0.0
        return float(np.mean(np.sort(similarities)[::-1][:top]))


def background_texts() -> list[str]:
    text = resources.files("chatbot.index").joinpath("data/background.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def write_background(folder: Path, embedder: Embedder, previous: Path | None) -> None:
    """Store the background in snapshot ``folder``: taken from the ``previous``
    snapshot (same embedder) when it holds a readable one, else embedded now (60
    texts, a few seconds)."""
    if previous is not None:
        try:
            background = read_background(previous)
        except IndexCorruptError:
            pass  # missing or damaged: embed it again
        else:
            _save(folder, background.vectors, background.languages.tolist())
            return
    texts = background_texts()
    _save(folder, embedder.embed_passages(texts), [detect_language(t) for t in texts])


def _save(folder: Path, vectors: np.ndarray, languages: list[str]) -> None:
    np.save(folder / VECTORS_FILE, vectors, allow_pickle=False)
    (folder / LANGUAGES_FILE).write_text(json.dumps(languages), "utf-8")


def read_background(folder: Path) -> Background:
    """The background of snapshot ``folder``; :class:`IndexCorruptError` names a bad file."""
    with reading(folder / VECTORS_FILE):
        vectors = np.load(folder / VECTORS_FILE, allow_pickle=False)
    with reading(folder / LANGUAGES_FILE):
        texts = json.loads((folder / LANGUAGES_FILE).read_text("utf-8"))
        languages = np.array(texts, dtype="U8")
        if vectors.ndim != 2 or len(vectors) != len(languages):
            raise ValueError(f"{len(languages)} languages for {len(vectors)} background vectors")
    return Background(vectors, languages)
