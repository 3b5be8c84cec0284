"""Token-aware chunking with ``langchain-text-splitters``.

Chunk lengths are counted with the embedder's own tokenizer, so no chunk is
silently truncated by the model. Separators prefer paragraph, then line, then
sentence boundaries in both scripts (Persian ``؟ ۔ ؛ ،`` included), then words.
Every chunk keeps character offsets into the cleaned article, so a citation
points at the exact span.
"""

from collections.abc import Callable
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "؟ ", "۔ ", "؛ ", "; ", "، ", ", ", " ", ""]


@dataclass(frozen=True)
class ChunkingSettings:
    """Defaults: 160-token chunks with 32 tokens of overlap. Smaller chunks match
    single-sentence questions more precisely; bigger ones carry more context. The
    sentence vectors stored beside each chunk cover the precise case, so chunks can
    stay paragraph-sized."""

    max_tokens: int = 160
    overlap_tokens: int = 32


@dataclass(frozen=True)
class Chunk:
    ordinal: int
    start: int
    end: int
    text: str


def chunk_article(
    text: str, count_tokens: Callable[[str], int], settings: ChunkingSettings
) -> list[Chunk]:
    """Split cleaned article ``text``; ``text[chunk.start:chunk.end] == chunk.text``."""
    splitter = RecursiveCharacterTextSplitter(
        separators=SEPARATORS,
        keep_separator="end",
        chunk_size=settings.max_tokens,
        chunk_overlap=settings.overlap_tokens,
        length_function=count_tokens,
        strip_whitespace=True,
    )
    chunks: list[Chunk] = []
    search_from = 0
    for piece in splitter.split_text(text):
        start = text.find(piece, search_from)
        if start < 0:  # cannot happen for stripped pieces of ``text``; be safe anyway
            start = text.find(piece)
        chunks.append(Chunk(len(chunks), start, start + len(piece), piece))
        search_from = start + 1
    return chunks
