"""The searchable index (step 5 of the pipeline): FAISS vectors, SQLite metadata,
a manifest, published atomically as snapshots."""

from chatbot.index.errors import IndexError_, IndexMismatchError, IndexMissingError
from chatbot.index.snapshot import IndexSnapshot, load_snapshot

__all__ = [
    "IndexError_",
    "IndexMismatchError",
    "IndexMissingError",
    "IndexSnapshot",
    "load_snapshot",
]
