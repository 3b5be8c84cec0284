"""Errors about the index, each saying what to do next."""

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zipfile import BadZipFile  # np.load reads a file that starts like a zip as .npz

REBUILD_HINT = "run `chatbot index --rebuild` to build it anew"
AGAIN_HINT = "then run the command again (a rebuild would not help)"


class IndexError_(RuntimeError):
    """Base class: the index cannot be used as it is."""


class IndexMissingError(IndexError_):
    """No index has been built in this folder yet."""


class IndexMismatchError(IndexError_):
    """The index was built by another embedder, chunking or format version."""


class IndexCorruptError(IndexError_):
    """A file of the index is truncated or unreadable."""


class IndexStorageError(IndexError_):
    """The index's files could not be read or written (disk full or failing, locked,
    no permission) although they may well be sound: nothing is set aside or rebuilt."""


class StoreDamagedError(sqlite3.DatabaseError):
    """The metadata store is a database, but not a sound one of ours."""


_REFUSED = (errno.EACCES, errno.EPERM, errno.EIO, errno.EMFILE, errno.ENFILE, errno.ENOMEM)
"""Errors of the system, not of the file: it may be sound, and a rebuild would not help."""


def unreadable(path: Path, error: BaseException) -> IndexError_:
    """What a failure to read index file ``path`` means, with the next step: damage
    (missing, truncated, garbage) is an :class:`IndexCorruptError`; the system refusing
    to read a file that may well be sound (no permission, a failing disk, too many open
    files) an :class:`IndexStorageError`."""
    reason = (str(error).splitlines() or [type(error).__name__])[0][:200]
    if isinstance(error, OSError) and error.errno in _REFUSED:
        if error.errno in (errno.EACCES, errno.EPERM):
            step = f"make sure this user can read the folder {path.parent} and its files"
        else:
            step = "check that the disk works and the system has resources to spare"
        return IndexStorageError(f"cannot read index file {path} ({reason}): {step}, {AGAIN_HINT}")
    return IndexCorruptError(f"index file {path} is unreadable ({reason}): {REBUILD_HINT}")


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn any failure while reading ``path`` into the :class:`IndexError_` that
    names the file and the fix (see :func:`unreadable`)."""
    try:
        yield
    except (OSError, ValueError, EOFError, KeyError, RuntimeError, BadZipFile) as error:
        raise unreadable(path, error) from None


def store_failure(path: Path, error: sqlite3.Error) -> IndexError_:
    """What a SQLite error on the metadata store ``path`` means, with the next step.

    Only real damage is an :class:`IndexCorruptError`, which `--rebuild` mends by
    setting the file aside; a full or failing disk, a lock or missing permissions
    leave a sound database that must be kept, so they are :class:`IndexStorageError`.
    """
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF  # the primary result code
    damaged = code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    if damaged or isinstance(error, StoreDamagedError):
        return IndexCorruptError(f"metadata store {path} is damaged ({error}): {REBUILD_HINT}")
    if code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR):
        return IndexStorageError(
            f"reading or writing the metadata store {path} failed ({error}): free some space "
            f"on the disk holding {path.parent} and check that the disk works, {AGAIN_HINT}"
        )
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return IndexStorageError(
            f"the metadata store {path} is locked by another program ({error}): close that "
            f"program or wait for it, {AGAIN_HINT}"
        )
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        return IndexStorageError(
            f"cannot open the metadata store {path} ({error}): make sure it is a file this "
            f"user can read and write and that the folder {path.parent} is writable (SQLite "
            f"keeps its -wal and -shm files there), {AGAIN_HINT}"
        )
    return IndexStorageError(
        f"the metadata store {path} failed ({error}): run the command again; if it keeps "
        "failing, check the disk and the folder's permissions"
    )
