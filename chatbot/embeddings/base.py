"""The interface every embedding backend implements."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

import numpy as np

ProgressCallback = Callable[[int], None]
"""Called with the number of texts just embedded, for progress bars."""


class Embedder(ABC):
    """Turns passages and questions into L2-normalised float32 vectors.

    Retrieval models such as e5 embed questions and passages differently (with
    ``query: `` / ``passage: `` prefixes), so the two are separate methods.
    """

    name: str
    """Identifies the model and backend; recorded in the index manifest so an index
    is never searched with vectors from another model."""
    dimension: int
    max_tokens: int
    """The model's input limit; chunking stays well under it."""
    questions_apart: bool = False
    """Whether questions are embedded apart from passages (e5's ``query: `` and
    ``passage: `` prefixes). Then the index keeps each sentence's vector in both
    forms: a sentence pasted as a question is matched to the sentences that say the
    same through their question form (:mod:`chatbot.retrieval.statement`), at the cost
    of embedding every sentence twice."""

    @abstractmethod
    def embed_passages(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> np.ndarray:
        """Vectors of shape ``(len(texts), dimension)`` for texts to be searched."""

    @abstractmethod
    def embed_queries(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> np.ndarray:
        """Vectors of shape ``(len(texts), dimension)`` for questions."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text`` as a passage, special tokens included."""


def batches_by_length(texts: Sequence[str], batch_size: int) -> list[list[int]]:
    """Index batches of texts of similar length, so padding wastes little work."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
