"""The manifest: what built an index, so that it is never mixed with another."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from chatbot.chunks import ChunkingSettings
from chatbot.index.errors import REBUILD_HINT, IndexMismatchError, unreadable

FORMAT_VERSION = 4
MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True)
class Manifest:
    embedder: str
    dimension: int
    chunk_max_tokens: int
    chunk_overlap_tokens: int
    format_version: int = FORMAT_VERSION

    @classmethod
    def create(cls, embedder: str, dimension: int, chunking: ChunkingSettings) -> "Manifest":
        return cls(embedder, dimension, chunking.max_tokens, chunking.overlap_tokens)

    def write(self, folder: Path) -> None:
        (folder / MANIFEST_FILE).write_text(json.dumps(asdict(self), indent=2), "utf-8")

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        path = folder / MANIFEST_FILE
        try:
            return cls(**json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, TypeError) as error:
            raise unreadable(path, error) from None

    def check_embedder(self, embedder: str, dimension: int) -> None:
        """Raise :class:`IndexMismatchError` unless vectors from ``embedder`` fit this index."""
        if self.format_version != FORMAT_VERSION:
            raise IndexMismatchError(
                f"the index has format version {self.format_version}, this program uses "
                f"{FORMAT_VERSION}: {REBUILD_HINT}"
            )
        if self.embedder != embedder or self.dimension != dimension:
            raise IndexMismatchError(
                f"the index was built with embedder {self.embedder!r} but {embedder!r} "
                f"is selected; select the same embedder (--embedder / CHATBOT_EMBEDDER) or "
                f"{REBUILD_HINT}"
            )
