"""Errors about the index, each saying what to do next."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zipfile import BadZipFile  # np.load reads a file that starts like a zip as .npz

REBUILD_HINT = "run `chatbot index --rebuild` to build it anew"


class IndexError_(RuntimeError):
    """Base class: the index cannot be used as it is."""


class IndexMissingError(IndexError_):
    """No index has been built in this folder yet."""


class IndexMismatchError(IndexError_):
    """The index was built by another embedder, chunking or format version."""


class IndexCorruptError(IndexError_):
    """A file of the index is truncated or unreadable."""


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn any failure while reading ``path`` (missing, truncated, garbage) into an
    :class:`IndexCorruptError` that names the file and the fix."""
    try:
        yield
    except (OSError, ValueError, EOFError, KeyError, RuntimeError, BadZipFile) as error:
        reason = (str(error).splitlines() or [type(error).__name__])[0][:200]
        raise IndexCorruptError(
            f"index file {path} is unreadable ({reason}): {REBUILD_HINT}"
        ) from None
