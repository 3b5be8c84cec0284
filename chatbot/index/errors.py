"""Errors about the index, each saying what to do next."""

REBUILD_HINT = "run `chatbot index --rebuild` to build it anew"


class IndexError_(RuntimeError):
    """Base class: the index cannot be used as it is."""


class IndexMissingError(IndexError_):
    """No index has been built in this folder yet."""


class IndexMismatchError(IndexError_):
    """The index was built by another embedder, chunking or format version."""


class IndexCorruptError(IndexError_):
    """A file of the index is truncated or unreadable."""
