"""Term evidence for the abstention rule (:mod:`chatbot.retrieval.abstention`).

How strongly a passage's best sentence shares latent terms with the question, over
the share the question has with generic background texts anyway. The question's
term vector is embedded on first use and each passage's when asked for, so a
question the dense evidence settles costs nothing more.
"""

from typing import TYPE_CHECKING

import numpy as np

from chatbot.embeddings import Embedder
from chatbot.index import IndexSnapshot

if TYPE_CHECKING:
    from chatbot.retrieval.retriever import Candidate


class QuestionTerms:
    """The term evidence of passages for one question, on one index snapshot."""

    def __init__(self, embedder: Embedder, snapshot: IndexSnapshot, question: str, top: int):
        self._embedder = embedder
        self._snapshot = snapshot
        self._question = question
        self._top = top
        self._vector: np.ndarray | None = None
        self._baseline = 0.0

    def __call__(self, candidate: "Candidate") -> float:
        if self._vector is None:
            self._vector = self._embed(self._question)
            self._baseline = self._snapshot.background.term_baseline(self._vector, self._top)
        chunk = self._snapshot.store.chunks([candidate.chunk_id]).get(candidate.chunk_id)
        if chunk is None:  # gone with a snapshot since collected: no evidence either way
            return 0.0
        start, end = candidate.best_sentence or (chunk.start, chunk.end)
        sentence = chunk.text[start - chunk.start : end - chunk.start]
        return float(self._embed(sentence) @ self._vector) - self._baseline

    def _embed(self, text: str) -> np.ndarray:
        terms = self._embedder.embed_terms([text])
        if terms is None:
            raise RuntimeError(f"{self._embedder.name} has no term vectors")
        return terms[0]


def question_terms(
    embedder: Embedder, snapshot: IndexSnapshot, question: str, top: int
) -> QuestionTerms | None:
    """Term evidence for ``question``, or None when the snapshot has no background
    term vectors (its embedder has no term head, or it predates them)."""
    if snapshot.background.terms is None:
        return None
    return QuestionTerms(embedder, snapshot, question, top)
