"""Snapshots: how an index is stored, published atomically and loaded.

Layout of the index folder::

    index/
      CURRENT              name of the live snapshot (replaced atomically)
      metadata.sqlite      articles, chunks, sentences and their vectors, versioned
                           by snapshot number (see chatbot.index.store)
      snapshots/NAME/      manifest.json, vectors-LANG.faiss (chunk vectors, one per
                           language), sentences-LANG.faiss (sentence vectors),
                           lexical/ (BM25), background.npy/.json (abstention baseline),
                           checksums.json (SHA-256 of every other file, checked on load)
      .lock                held while `chatbot index` runs

A build commits its metadata rows under the next snapshot number, writes a
complete new snapshot folder, flushes both to disk, and only then points
``CURRENT`` at the folder with an atomic rename. A run killed at any moment
leaves ``CURRENT`` naming the previous, complete snapshot, whose rows are still
in the database; readers load whatever ``CURRENT`` names and never see a
half-written index. The next run undoes the unpublished rows.
"""

import contextlib
import os
import re
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from chatbot.index.background import Background, read_background
from chatbot.index.checksums import verify_checksums
from chatbot.index.errors import (
    REBUILD_HINT,
    IndexCorruptError,
    IndexMissingError,
    IndexStorageError,
    store_failure,
    unreadable,
)
from chatbot.index.language_sums import LanguageSums
from chatbot.index.lexical import LEXICAL_DIR, LexicalIndex
from chatbot.index.manifest import Manifest
from chatbot.index.names import NameIndex
from chatbot.index.store import STORE_FILE, MetadataStore
from chatbot.index.vectors import CHUNKS, SENTENCES, LanguageVectors
from chatbot.index.words import WordVectors, read_word_vectors

CURRENT_FILE = "CURRENT"
SNAPSHOTS_DIR = "snapshots"
LOCK_FILE = ".lock"
KEEP_PREVIOUS = 1
"""Older snapshots kept besides the live one, for readers still loading it."""
_SNAPSHOT_NAME = re.compile(r"[0-9]+-[0-9a-z]+")


@dataclass
class IndexSnapshot:
    """A loaded, read-only snapshot."""

    name: str
    folder: Path
    manifest: Manifest
    store: MetadataStore
    vectors: LanguageVectors
    """The chunk vectors' FAISS indexes."""
    sentences: LanguageVectors
    """The sentence vectors' FAISS indexes; empty in a snapshot written before they
    were kept (retrieval then finds candidates by chunk vectors alone)."""
    lexical: LexicalIndex
    background: Background
    names: NameIndex
    language_means: dict[str, np.ndarray]
    """Per article language, the mean whole-chunk vector (:mod:`chatbot.index.language_sums`)."""
    words: WordVectors | None = None
    """The indexed words' vectors (:mod:`chatbot.index.words`); None in a snapshot
    written before they were kept."""

    @property
    def number(self) -> int:
        return snapshot_number(self.name)

    def close(self) -> None:
        self.store.close()


def snapshot_number(name: str) -> int:
    return int(name.split("-", 1)[0])


def latest_snapshot_number(index_dir: Path) -> int:
    """The highest number among the snapshot folders, published or not; 0 when none."""
    folder = index_dir / SNAPSHOTS_DIR
    if not folder.is_dir():
        return 0
    names = (path.name for path in folder.iterdir())
    return max((snapshot_number(n) for n in names if _SNAPSHOT_NAME.fullmatch(n)), default=0)


def current_snapshot_name(index_dir: Path) -> str | None:
    """What ``CURRENT`` says, or None when no index was built; cheap enough to call
    before every question. A damaged file gives a name that :func:`check_snapshot_name`
    refuses."""
    try:
        data = (index_dir / CURRENT_FILE).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise unreadable(index_dir / CURRENT_FILE, error) from None
    return data.decode("utf-8", errors="replace").strip() or None


def check_snapshot_name(index_dir: Path, name: str) -> None:
    """Raise :class:`IndexCorruptError` unless ``name`` is one :func:`new_snapshot_folder`
    makes (a damaged ``CURRENT`` file holds something else)."""
    if not _SNAPSHOT_NAME.fullmatch(name):
        raise IndexCorruptError(
            f"index file {index_dir / CURRENT_FILE} is damaged (it holds {name[:40]!r}, not "
            f"the name of a snapshot): {REBUILD_HINT}"
        )


def open_store(index_dir: Path, read_only: bool) -> MetadataStore:
    """The metadata store, checked. Real damage is an :class:`IndexCorruptError`; a disk,
    lock or permission problem an :class:`IndexStorageError` (see :func:`store_failure`)."""
    path = index_dir / STORE_FILE
    if read_only and not path.exists():
        raise IndexCorruptError(f"metadata store {path} is missing: {REBUILD_HINT}")
    if path.exists() and not path.is_file():
        raise IndexStorageError(
            f"the metadata store {path} is not a file: move it out of the way, then {REBUILD_HINT}"
        )
    store = None
    try:
        store = MetadataStore(path, read_only=read_only)
        store.check()
    except sqlite3.Error as error:
        if store is not None:
            store.close()
        raise store_failure(path, error) from error
    return store


def load_snapshot(index_dir: Path, name: str | None = None) -> IndexSnapshot:
    """Load the live snapshot (or the one named). Errors name the bad file and the fix."""
    name = name or current_snapshot_name(index_dir)
    if name is None:
        raise IndexMissingError(
            f"no index in {index_dir}: run `chatbot index` to build it from the articles"
        )
    check_snapshot_name(index_dir, name)
    folder = index_dir / SNAPSHOTS_DIR / name
    manifest = Manifest.read(folder)
    verify_checksums(folder)
    vectors = LanguageVectors.load(folder, manifest.dimension, CHUNKS)
    sentences = LanguageVectors.load(folder, manifest.dimension, SENTENCES)
    for units in (vectors, sentences):
        for language in units.languages():
            if units[language].dimension != manifest.dimension:
                raise IndexCorruptError(
                    f"{units.path(folder, language)} has vectors of dimension "
                    f"{units[language].dimension}, the manifest says {manifest.dimension}: "
                    f"{REBUILD_HINT}"
                )
    lexical = LexicalIndex.load(folder)
    background = read_background(folder)
    words = read_word_vectors(folder)
    store = open_store(index_dir, read_only=True)
    number = snapshot_number(name)
    try:
        _check_counts(folder, store.live_chunk_counts(number), vectors, lexical)
        if LanguageVectors.kept_in(folder, SENTENCES):  # else one from before they were
            _check_vector_counts(folder, store.live_sentence_counts(number), sentences)
        # a snapshot written before the sums were kept has them counted now
        sums = LanguageSums.read(folder) or store.language_sums(manifest.dimension, number)
    except BaseException:
        store.close()
        raise
    names = NameIndex(lexical, store)
    means = sums.means()
    return IndexSnapshot(
        name, folder, manifest, store, vectors, sentences, lexical, background, names, means, words
    )


def _check_counts(
    folder: Path, chunks: dict[str, int], vectors: LanguageVectors, lexical: LexicalIndex
) -> None:
    """Every chunk of the metadata store has its vector and its BM25 document: a file
    deleted or swapped by hand is refused rather than half-searched."""
    _check_vector_counts(folder, chunks, vectors)
    if len(lexical) != sum(chunks.values()):
        raise IndexCorruptError(
            f"the lexical index in {folder / LEXICAL_DIR} holds {len(lexical)} chunks where "
            f"the metadata store has {sum(chunks.values())}: {REBUILD_HINT}"
        )


def _check_vector_counts(folder: Path, counts: dict[str, int], vectors: LanguageVectors) -> None:
    """Each language's index holds as many vectors as the metadata store has units
    (``counts``, chunks or sentences) of that language."""
    for language, count in counts.items():
        if vectors.count(language) != count:
            raise IndexCorruptError(
                f"index file {vectors.path(folder, language)} holds {vectors.count(language)} "
                f"vectors where the metadata store has {count} {language} {vectors.units} "
                f"(missing or from another build): {REBUILD_HINT}"
            )


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_snapshot_folder(index_dir: Path, number: int) -> tuple[str, Path]:
    """A fresh, empty folder for snapshot ``number`` being built (not yet live)."""
    name = f"{number:010d}-{uuid.uuid4().hex[:8]}"
    folder = index_dir / SNAPSHOTS_DIR / name
    folder.mkdir(parents=True)
    return name, folder


def publish_snapshot(index_dir: Path, name: str) -> None:
    """Flush the snapshot's files, then make it live with one atomic rename."""
    folder = index_dir / SNAPSHOTS_DIR / name
    for path in sorted(folder.rglob("*"), reverse=True):
        _fsync_path(path)
    _fsync_path(folder)
    pending = index_dir / f"{CURRENT_FILE}.{uuid.uuid4().hex[:8]}.tmp"
    with open(pending, "w", encoding="utf-8") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pending, index_dir / CURRENT_FILE)
    _fsync_path(index_dir)


def remove_stale_snapshots(index_dir: Path) -> None:
    """Delete unpublished leftovers of killed runs and snapshots older than the previous."""
    live = current_snapshot_name(index_dir)
    for pending in index_dir.glob(f"{CURRENT_FILE}.*.tmp"):
        pending.unlink(missing_ok=True)
    snapshots_dir = index_dir / SNAPSHOTS_DIR
    if not snapshots_dir.is_dir() or (live is not None and not _SNAPSHOT_NAME.fullmatch(live)):
        return  # nothing to delete, or CURRENT is damaged: no telling which one is live
    names = sorted(p.name for p in snapshots_dir.iterdir() if p.is_dir())
    keep = set()
    if live in names:
        position = names.index(live)
        keep = set(names[max(0, position - KEEP_PREVIOUS) : position + 1])
    for name in names:
        if name not in keep:
            with contextlib.suppress(OSError):
                shutil.rmtree(snapshots_dir / name)
