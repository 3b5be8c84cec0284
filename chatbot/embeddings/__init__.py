"""Text to vectors (step 4 of the pipeline): one small interface, two backends."""

from chatbot.embeddings.base import Embedder
from chatbot.embeddings.factory import DEFAULT_EMBEDDER, create_embedder

__all__ = ["DEFAULT_EMBEDDER", "Embedder", "create_embedder"]
