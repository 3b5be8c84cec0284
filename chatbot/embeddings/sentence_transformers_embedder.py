"""Any sentence-transformers model, by Hugging Face id or local folder.

For bigger models and GPUs (the model goes to a GPU by itself when there is one).
Needs the optional extra: ``pip install 'chatbot[sentence-transformers]'``, which
brings torch. Prompts come from the model's own configuration (``prompts`` with
``query`` and ``passage``/``document`` keys), else from the arguments, else none;
e5 models without a configuration get their ``query: `` / ``passage: `` prefixes.
"""

from collections.abc import Sequence

import numpy as np

from chatbot.embeddings.base import Embedder, ProgressCallback, batches_by_length
from chatbot.embeddings.blas_threads import single_threaded_numpy_blas

BATCH_SIZE = 32
INSTALL_HINT = (
    "the sentence-transformers backend needs its extra: "
    "pip install 'chatbot[sentence-transformers]' (on a CPU-only machine install a CPU "
    "build of torch first)"
)


class SentenceTransformersEmbedder(Embedder):
    def __init__(
        self,
        model: str,
        query_prompt: str | None = None,
        passage_prompt: str | None = None,
    ) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise ImportError(INSTALL_HINT) from error
        self._model = SentenceTransformer(model)
        prompts = self._model.prompts or {}
        is_e5 = "e5" in model.lower()
        self._query_prompt = query_prompt or prompts.get("query") or ("query: " if is_e5 else "")
        self._passage_prompt = (
            passage_prompt
            or prompts.get("passage")
            or prompts.get("document")
            or ("passage: " if is_e5 else "")
        )
        self.questions_apart = self._query_prompt != self._passage_prompt
        self.name = f"sentence-transformers:{model}"
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension  # sentence-transformers < 6
        )
        self.dimension = int(dimension())
        self.max_tokens = int(self._model.max_seq_length)
        single_threaded_numpy_blas()  # torch computes with threads of its own

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        vectors = self._model.encode(
            [prompt + text for text in texts],
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)

    def embed_passages(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> np.ndarray:
        return self._embed(texts, self._passage_prompt, progress)

    def embed_queries(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> np.ndarray:
        return self._embed(texts, self._query_prompt, progress)

    def _embed(
        self, texts: Sequence[str], prompt: str, progress: ProgressCallback | None
    ) -> np.ndarray:
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        for batch in batches_by_length(texts, BATCH_SIZE):
            vectors[batch] = self._encode([texts[i] for i in batch], prompt)
            if progress:
                progress(len(batch))
        return vectors

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(self._passage_prompt + text)["input_ids"])
