"""The FAISS vector index: inner product on L2-normalised vectors (cosine), with
explicit ids so the units of a changed or deleted article can be removed."""

from pathlib import Path

import faiss
import numpy as np


class VectorIndex:
    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def empty(cls, dimension: int) -> "VectorIndex":
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dimension)))

    @classmethod
    def load(cls, path: Path) -> "VectorIndex":
        # faiss.read_index reads its own binary format: no pickle involved.
        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    def copy(self) -> "VectorIndex":
        return VectorIndex(faiss.clone_index(self._index))

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        if ids:
            self._index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64)
            )

    def remove(self, ids: list[int]) -> None:
        if ids:
            self._index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and ids, each ``(len(queries), k)``; missing hits have id -1."""
        k = max(1, min(k, len(self)))
        return self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def vectors(self, ids: list[int]) -> np.ndarray:
        """Stored vectors for ``ids`` (for scoring a chunk's sentences)."""
        if not ids:
            return np.empty((0, self.dimension), dtype=np.float32)
        return np.vstack([self._index.reconstruct(int(i)) for i in ids])


class LanguageVectors:
    """One :class:`VectorIndex` per article language.

    Multilingual models score passages in the question's own language higher, so
    retrieval searches each language separately and balances the lists
    (:mod:`chatbot.retrieval.retriever`); separate indexes make that a plain search.
    """

    FILE_PATTERN = "vectors-{language}.faiss"

    def __init__(self, dimension: int, indexes: dict[str, VectorIndex] | None = None) -> None:
        self.dimension = dimension
        self._indexes = indexes or {}

    @classmethod
    def load(cls, folder: Path, dimension: int) -> "LanguageVectors":
        indexes = {}
        for path in sorted(folder.glob(cls.FILE_PATTERN.format(language="*"))):
            language = path.name.removeprefix("vectors-").removesuffix(".faiss")
            indexes[language] = VectorIndex.load(path)
        return cls(dimension, indexes)

    def save(self, folder: Path) -> None:
        for language, index in self._indexes.items():
            index.save(folder / self.FILE_PATTERN.format(language=language))

    def copy(self) -> "LanguageVectors":
        return LanguageVectors(self.dimension, {k: v.copy() for k, v in self._indexes.items()})

    def languages(self) -> list[str]:
        return [language for language, index in self._indexes.items() if len(index)]

    def __len__(self) -> int:
        return sum(len(index) for index in self._indexes.values())

    def __getitem__(self, language: str) -> VectorIndex:
        return self._indexes[language]

    def add(self, language: str, ids: list[int], vectors: np.ndarray) -> None:
        if language not in self._indexes:
            self._indexes[language] = VectorIndex.empty(self.dimension)
        self._indexes[language].add(ids, vectors)

    def remove(self, language: str, ids: list[int]) -> None:
        if language in self._indexes:
            self._indexes[language].remove(ids)
