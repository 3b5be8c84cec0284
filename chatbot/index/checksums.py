"""SHA-256 of every file of a snapshot, written last and checked when it loads.

A truncated or garbage file usually fails to parse, but a few flipped bytes in the
middle of a vector or BM25 file parse fine and give silently wrong answers. A
snapshot is written once and never changed, so a checksum catches both, and names
the damaged file. The metadata store is shared by snapshots and changes with each
build: SQLite checks itself (``PRAGMA quick_check``).

Cost: reading the snapshot once more at load; SHA-256 runs at roughly 1 GB/s here
(a one-off timing, not part of the benchmarks), e.g. about 0.15 s for a 100k-chunk
snapshot.
"""

import hashlib
import json
from pathlib import Path

from chatbot.index.errors import REBUILD_HINT, IndexCorruptError, reading, unreadable

CHECKSUMS_FILE = "checksums.json"


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != CHECKSUMS_FILE)


def write_checksums(folder: Path) -> None:
    """Record the digest of every file in snapshot ``folder`` (call it last)."""
    digests = {p.relative_to(folder).as_posix(): _digest(p) for p in _files(folder)}
    (folder / CHECKSUMS_FILE).write_text(json.dumps(digests, indent=0), "utf-8")


def verify_checksums(folder: Path) -> None:
    """Raise :class:`IndexCorruptError` naming the first file of ``folder`` that is
    missing, added or not as written."""
    path = folder / CHECKSUMS_FILE
    try:
        expected = json.loads(path.read_text("utf-8"))
        if not isinstance(expected, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as error:
        raise unreadable(path, error) from None
    present = {p.relative_to(folder).as_posix() for p in _files(folder)}
    for name in sorted(present | set(expected)):
        file = folder / name
        if name not in expected:
            problem = "is not part of the index as it was written"
        elif name not in present:
            problem = "is missing"
        else:
            with reading(file):
                digest = _digest(file)
            if digest == expected[name]:
                continue
            problem = "is damaged: its content differs from what was written"
        raise IndexCorruptError(f"index file {file} {problem}: {REBUILD_HINT}")
