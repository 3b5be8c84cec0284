"""Articles to passages (step 3 of the pipeline)."""

from chatbot.chunks.chunking import Chunk, ChunkingSettings, chunk_article
from chatbot.chunks.sentences import sentence_spans

__all__ = ["Chunk", "ChunkingSettings", "chunk_article", "sentence_spans"]
