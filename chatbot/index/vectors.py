"""The FAISS vector indexes: one per article language, exact while small and
approximate past a measured size.

Vectors are L2-normalised, so inner product is cosine. FAISS only finds
candidates: their final scores come from the vectors kept in the metadata store,
so an approximate index costs recall of candidates, never wrong scores.

Kinds (``$CHATBOT_VECTOR_INDEX`` = ``auto`` (default), ``flat`` or ``ivf``):

* ``flat``: exact search, 4 bytes a dimension; fastest to update.
* ``ivf``: inverted lists over k-means cells with 8-bit scalar-quantised vectors
  (a quarter of the memory) searching :data:`IVF_NPROBE` cells; chosen from
  :data:`FLAT_LIMIT` vectors on (see ``benchmarks/perf.py`` for the measurements),
  and trained again by the builder once it has grown fourfold
  (:attr:`VectorIndex.outgrown`).
"""

import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np

from chatbot.index.errors import reading

FLAT_LIMIT = 30_000
"""Past this many vectors (chunks) in one language, ``auto`` picks ``ivf``. Flat search
costs about 0.08 ms per thousand vectors: at the benchmark's 100k-chunk index (47,000
and 52,000 a language) 3.6 and 4.2 ms a question against 1.2 ms each for IVF, which
keeps 99.3% of the exact top 10; with the question's embedding alone at p95 40-48 ms
there, that difference decides the 50 ms budget (benchmarks/perf.py). Past 30,000 flat
search costs over 2 ms a language.
"""
IVF_NPROBE = 512
"""Cells searched per question (FAISS caps it at the number of cells). On the
benchmark's 100k and 1M-chunk indexes (870 and 2,760 cells per language) 512 cells
keep 98.75-99.75% of the exact top 10 among the 48 candidates that retrieval rescores
exactly, for 1.2-3 ms a language; the earlier 24 kept 68-80% (benchmarks/perf.py)."""
PQ_BYTES = 48
"""Bytes a vector in a compact IVF index (:meth:`VectorIndex.build`): 48 sub-vectors of
8 dimensions, each coded in one byte, against 384 bytes for 8-bit scalar quantisation.
The sentence index only finds candidates, rescored exactly from the store."""
IVF_TRAINING_PER_CELL = 40
IVF_MIN_VECTORS = 1000
"""Too few to train cells on: a smaller language stays flat even when IVF is asked for."""


def pq_bytes(dimension: int) -> int:
    """Sub-vectors (bytes) of a compact code: :data:`PQ_BYTES`, or the largest number
    below it that divides ``dimension`` (32 for 1,024 dimensions)."""
    return max(m for m in range(1, PQ_BYTES + 1) if dimension % m == 0)


# Questions are searched one at a time, where FAISS's thread pool brings nothing
# (benchmarks/perf.py, 100k flat vectors: 9.3 ms with 2 threads, 9.1 ms with one on an
# idle machine) and competes with the embedder's threads on a busy one (p95 16 ms with
# 2 threads, 9.4 ms with one). Building an IVF index takes every core (_all_cores).
faiss.omp_set_num_threads(1)


@contextmanager
def _all_cores() -> Iterator[None]:
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(1)


def ivf_cells(count: int) -> int:
    """k-means cells for an IVF index of ``count`` vectors: the usual 4·√n."""
    return int(min(65536, max(16, 4 * math.sqrt(count))))


def chosen_kind(count: int) -> str:
    """The kind of index for ``count`` vectors of one language."""
    policy = os.environ.get("CHATBOT_VECTOR_INDEX", "auto").strip().lower()
    if policy not in ("auto", "flat", "ivf"):
        raise ValueError(f"CHATBOT_VECTOR_INDEX={policy!r}: use auto, flat or ivf")
    if policy == "flat" or count < IVF_MIN_VECTORS:
        return "flat"
    return "ivf" if policy == "ivf" or count > FLAT_LIMIT else "flat"


class VectorIndex:
    def __init__(self, index: faiss.Index) -> None:
        self._index = index
        if self.kind == "ivf":
            faiss.extract_index_ivf(index).nprobe = IVF_NPROBE

    @classmethod
    def build(
        cls, dimension: int, ids: list[int], vectors: np.ndarray, kind: str, compact: bool = False
    ) -> "VectorIndex":
        """A new index of ``kind`` holding ``vectors`` under ``ids``; ``compact``: an IVF
        index codes each vector in :data:`PQ_BYTES` bytes (product quantisation) rather
        than one byte a dimension, for the sentence vectors, several per chunk."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if kind == "ivf" and len(ids) >= IVF_MIN_VECTORS:
            cells = ivf_cells(len(ids))
            quantizer = faiss.IndexFlatIP(dimension)
            if compact:
                index = faiss.IndexIVFPQ(
                    quantizer, dimension, cells, pq_bytes(dimension), 8, faiss.METRIC_INNER_PRODUCT
                )
            else:
                index = faiss.IndexIVFScalarQuantizer(
                    quantizer,
                    dimension,
                    cells,
                    faiss.ScalarQuantizer.QT_8bit,
                    faiss.METRIC_INNER_PRODUCT,
                )
            sample = np.random.default_rng(0).permutation(len(ids))[: cells * IVF_TRAINING_PER_CELL]
            with _all_cores():
                index.train(vectors[sample])
        else:
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        built = cls(index)
        with _all_cores():
            built.add(ids, vectors)
        return built

    @classmethod
    def load(cls, path: Path) -> "VectorIndex":
        # faiss.read_index reads FAISS's own binary format: no pickle involved.
        with reading(path):
            return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        """Write the index to ``path``; a failed write (a full disk) raises ``OSError``.
        Written through a Python file: FAISS's own file writer only prints an error it
        meets when closing the file, so a truncated index could be published."""
        with path.open("wb") as file:
            faiss.write_index(self._index, faiss.PyCallbackIOWriter(file.write))

    @property
    def kind(self) -> str:
        return "ivf" if isinstance(self._index, faiss.IndexIVF) else "flat"

    @property
    def outgrown(self) -> bool:
        """True for an IVF index that has grown fourfold since its cells were trained.

        Cells are trained once; vectors added later join the nearest cell, so each
        cell, and each question's scan of :data:`IVF_NPROBE` cells, grows with the
        index. Past twice the cells its size calls for, it is worth training again.
        """
        if not isinstance(self._index, faiss.IndexIVF):
            return False
        return ivf_cells(len(self)) >= 2 * faiss.extract_index_ivf(self._index).nlist

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

    def search(self, query: np.ndarray, k: int) -> list[int]:
        """Ids of the ``k`` nearest vectors to one query vector."""
        if not len(self):
            return []
        k = max(1, min(k, len(self)))
        _, ids = self._index.search(np.ascontiguousarray(query[None, :], dtype=np.float32), k)
        return [int(i) for i in ids[0] if i >= 0]


CHUNKS = "chunks"
"""The chunk vectors' indexes (files ``vectors-LANG.faiss``), ids the chunk ids."""
SENTENCES = "sentences"
"""The sentence vectors' indexes (files ``sentences-LANG.faiss``), ids the sentence
ids."""
_FILE_PREFIX = {CHUNKS: "vectors", SENTENCES: "sentences"}


class LanguageVectors:
    """One :class:`VectorIndex` per article language, of the chunk vectors or of the
    sentence vectors (``units``: :data:`CHUNKS` or :data:`SENTENCES`).

    Multilingual models score passages in the question's own language higher, so
    retrieval takes candidates from each language separately (else the other
    language's would rarely reach the top k) and offsets their scores
    (:mod:`chatbot.retrieval.retriever`); separate indexes make that a plain search.
    """

    def __init__(
        self, dimension: int, indexes: dict[str, VectorIndex] | None = None, units: str = CHUNKS
    ) -> None:
        self.dimension = dimension
        self.units = units
        self._indexes = indexes or {}

    @classmethod
    def load(cls, folder: Path, dimension: int, units: str = CHUNKS) -> "LanguageVectors":
        indexes = {}
        prefix = _FILE_PREFIX[units]
        for path in sorted(folder.glob(f"{prefix}-*.faiss")):
            language = path.name.removeprefix(f"{prefix}-").removesuffix(".faiss")
            indexes[language] = VectorIndex.load(path)
        return cls(dimension, indexes, units)

    @staticmethod
    def kept_in(folder: Path, units: str) -> bool:
        """Whether the snapshot ``folder`` has indexes of ``units``, without reading them
        (a snapshot written before sentence indexes were kept has none)."""
        return any(folder.glob(f"{_FILE_PREFIX[units]}-*.faiss"))

    def path(self, folder: Path, language: str) -> Path:
        """Where ``language``'s index is kept in the snapshot ``folder``."""
        return folder / f"{_FILE_PREFIX[self.units]}-{language}.faiss"

    def save(self, folder: Path) -> None:
        for language, index in self._indexes.items():
            index.save(self.path(folder, language))

    def count(self, language: str) -> int:
        """Vectors of ``language`` (0 when it has no index)."""
        index = self._indexes.get(language)
        return len(index) if index is not None else 0

    def languages(self) -> list[str]:
        return sorted(language for language, index in self._indexes.items() if len(index))

    def __len__(self) -> int:
        return sum(len(index) for index in self._indexes.values())

    def __getitem__(self, language: str) -> VectorIndex:
        return self._indexes[language]

    def __setitem__(self, language: str, index: VectorIndex) -> None:
        self._indexes[language] = index

    def add(self, language: str, ids: list[int], vectors: np.ndarray) -> None:
        if language not in self._indexes:
            self._indexes[language] = VectorIndex.build(self.dimension, [], vectors[:0], "flat")
        self._indexes[language].add(ids, vectors)

    def remove(self, ids: list[int]) -> None:
        """Remove ``ids`` from whichever language holds them."""
        for index in self._indexes.values():
            index.remove(ids)
