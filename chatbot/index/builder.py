"""`chatbot index`: bring the index in step with the articles folder.

Incremental by content hash: new articles are added, changed ones re-embedded,
deleted ones removed, unchanged ones untouched. The result is published as a new
snapshot (see :mod:`chatbot.index.snapshot`), so a run killed at any point leaves
the previous index loadable.
"""

import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from chatbot.articles import SkippedFile, read_articles
from chatbot.chunks import ChunkingSettings, chunk_article, sentence_spans
from chatbot.embeddings import Embedder
from chatbot.index.errors import REBUILD_HINT, IndexError_, IndexMismatchError
from chatbot.index.manifest import Manifest
from chatbot.index.snapshot import (
    LOCK_FILE,
    current_snapshot_name,
    load_snapshot,
    new_snapshot_folder,
    publish_snapshot,
    remove_stale_snapshots,
)
from chatbot.index.store import (
    STORE_FILE,
    UNIT_CHUNK,
    UNIT_SENTENCE,
    MetadataStore,
    NewChunk,
    NewUnit,
)
from chatbot.index.vectors import LanguageVectors
from chatbot.text.articles import Article, prepare_articles

LOCK_TIMEOUT_SECONDS = 600.0


class IndexBusyError(IndexError_):
    """Another `chatbot index` holds the lock for this index folder."""


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    chunks: int = 0
    """Chunks embedded in this run."""
    vectors: int = 0
    """Vectors (chunks and sentences) embedded in this run."""
    seconds: float = 0.0
    snapshot: str | None = None

    @property
    def modified(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(frozen=True)
class _PlannedArticle:
    article: Article
    chunks: list[NewChunk]
    texts: list[str]
    """One text per unit, in the order of the chunks' units."""


def _plan(article: Article, embedder: Embedder, chunking: ChunkingSettings) -> _PlannedArticle:
    chunks: list[NewChunk] = []
    texts: list[str] = []
    for chunk in chunk_article(article.text, embedder.count_tokens, chunking):
        units = [NewUnit(UNIT_CHUNK, chunk.start, chunk.end)]
        texts.append(chunk.text)
        spans = sentence_spans(chunk.text)
        if len(spans) > 1:  # a one-sentence chunk's sentence vector would equal the chunk's
            for start, end in spans:
                units.append(NewUnit(UNIT_SENTENCE, chunk.start + start, chunk.start + end))
                texts.append(chunk.text[start:end])
        chunks.append(NewChunk(chunk.ordinal, chunk.start, chunk.end, chunk.text, units))
    return _PlannedArticle(article, chunks, texts)


ProgressFactory = Callable[[int], Callable[[int], None]]
"""Given the number of vectors to embed, returns a callback fed with increments."""


def update_index(
    articles_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    rebuild: bool = False,
    chunking: ChunkingSettings | None = None,
    progress: ProgressFactory | None = None,
    lock_timeout: float = LOCK_TIMEOUT_SECONDS,
) -> IndexReport:
    """Index ``articles_dir`` into ``index_dir``; see the module docstring."""
    started = time.perf_counter()
    chunking = chunking or ChunkingSettings()
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_dir / LOCK_FILE))
    try:
        lock.acquire(timeout=lock_timeout)
    except Timeout:
        raise IndexBusyError(
            f"another `chatbot index` is updating {index_dir}; wait for it to finish and "
            "run this again"
        ) from None
    try:
        report = _update_locked(articles_dir, index_dir, embedder, rebuild, chunking, progress)
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def _update_locked(
    articles_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    rebuild: bool,
    chunking: ChunkingSettings,
    progress: ProgressFactory | None,
) -> IndexReport:
    remove_stale_snapshots(index_dir)
    files, skipped = read_articles(articles_dir)
    articles, empty = prepare_articles(files)
    report = IndexReport(skipped=skipped + empty)
    expected = Manifest.create(embedder.name, embedder.dimension, chunking)

    previous = None
    if not rebuild and current_snapshot_name(index_dir) is not None:
        previous = load_snapshot(index_dir)
        previous.manifest.check_compatible(expected)
        if previous.manifest != expected:
            previous.close()
            raise IndexMismatchError(
                f"the index was built with other chunking settings: {REBUILD_HINT}"
            )
    try:
        indexed = {a.path: a.content_hash for a in previous.store.articles()} if previous else {}
        wanted = {a.path: a for a in articles}
        report.removed = sorted(set(indexed) - set(wanted))
        report.added = sorted(set(wanted) - set(indexed))
        report.changed = sorted(
            p for p in set(wanted) & set(indexed) if wanted[p].content_hash != indexed[p]
        )
        report.unchanged = len(wanted) - len(report.added) - len(report.changed)
        if previous is not None and not report.modified:
            report.snapshot = previous.name
            return report

        planned = [_plan(wanted[p], embedder, chunking) for p in report.added + report.changed]
        texts = [text for plan in planned for text in plan.texts]
        callback = progress(len(texts)) if progress else None
        vectors = embedder.embed_passages(texts, progress=callback)
        report.chunks = sum(len(plan.chunks) for plan in planned)
        report.vectors = len(texts)

        name, folder = new_snapshot_folder(index_dir)
        if previous is not None:
            _copy_store(previous.store.path, folder / STORE_FILE)
            vector_index = previous.vectors.copy()
        else:
            vector_index = LanguageVectors(embedder.dimension)
    finally:
        if previous is not None:
            previous.close()

    store = MetadataStore(folder / STORE_FILE)
    try:
        for path in report.removed + report.changed:
            vector_index.remove(*store.remove_article(path))
        offset = 0
        for plan in planned:
            article = plan.article
            ids = store.add_article(
                article.path,
                article.title,
                article.language,
                article.content_hash,
                article.text,
                plan.chunks,
            )
            vector_index.add(article.language, ids, vectors[offset : offset + len(ids)])
            offset += len(ids)
        store.commit()
    finally:
        store.close()
    vector_index.save(folder)
    expected.write(folder)
    publish_snapshot(index_dir, name)
    report.snapshot = name
    return report


def _copy_store(source: Path, target: Path) -> None:
    """A consistent copy of the previous snapshot's database (SQLite's backup API)."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    if not target.is_file():  # pragma: no cover - backup always creates it
        shutil.copyfile(source, target)
