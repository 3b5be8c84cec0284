"""The FAISS vector index: inner product on L2-normalised vectors (cosine), with
explicit ids so the units of a changed or deleted article can be removed."""

from pathlib import Path

import faiss
import numpy as np

VECTORS_FILE = "vectors.faiss"


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
