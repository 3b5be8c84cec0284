"""`chatbot index`: bring the index in step with the articles folder.

Incremental: a file whose size and modification time are unchanged is not even
read; a file that was read is re-embedded only when its cleaned text changed;
deleted files are removed. Site chrome is judged across articles, so when a new
article makes a line "repeated", the articles holding that line are cleaned
again too. The result is published as a new snapshot
(:mod:`chatbot.index.snapshot`): a run killed at any point leaves the previous
index loadable.
"""

import contextlib
import logging
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from chatbot.articles import FileEntry, SkippedFile, read_article, scan_articles
from chatbot.chunks import ChunkingSettings, chunk_article, sentence_spans
from chatbot.embeddings import Embedder
from chatbot.index.background import write_background
from chatbot.index.checksums import write_checksums
from chatbot.index.errors import (
    AGAIN_HINT,
    IndexCorruptError,
    IndexError_,
    IndexStorageError,
    store_failure,
)
from chatbot.index.language_sums import LanguageSums
from chatbot.index.lexical import LexicalIndex
from chatbot.index.manifest import Manifest
from chatbot.index.snapshot import (
    CURRENT_FILE,
    KEEP_PREVIOUS,
    LOCK_FILE,
    SNAPSHOTS_DIR,
    check_snapshot_name,
    current_snapshot_name,
    latest_snapshot_number,
    new_snapshot_folder,
    open_store,
    publish_snapshot,
    remove_stale_snapshots,
    snapshot_number,
)
from chatbot.index.store import (
    STORE_FILE,
    AppliedUpdate,
    ArticleRecord,
    MetadataStore,
    NewArticle,
    NewChunk,
    NewSentence,
)
from chatbot.index.vectors import CHUNKS, SENTENCES, LanguageVectors, VectorIndex, chosen_kind
from chatbot.index.words import publish_word_vectors
from chatbot.text.articles import Article, prepare_article
from chatbot.text.cleaning import repeated_lines, short_lines
from chatbot.text.tokens import tokenize

LOCK_TIMEOUT_SECONDS = 600.0
log = logging.getLogger(__name__)

ProgressFactory = Callable[[int], Callable[[int], None]]
"""Given the number of texts to embed, returns a callback fed with increments."""


class IndexBusyError(IndexError_):
    """Another `chatbot index` holds the lock for this index folder."""


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)
    """Articles indexed only up to :data:`chatbot.articles.reader.MAX_ARTICLE_CHARS`."""
    damaged: list[tuple[str, int]] = field(default_factory=list)
    """Articles indexed with some bytes that were not UTF-8, and how many."""
    chunks: int = 0
    """Chunks embedded in this run."""
    vectors: int = 0
    """Texts embedded in this run (chunks and their sentences, the sentences in both
    forms where the embedder embeds questions apart)."""
    completed_sentences: int = 0
    """Sentences of an index written before question-form vectors were kept that got
    theirs in this run (:meth:`_Run._complete_question_vectors`)."""
    seconds: float = 0.0
    snapshot: str | None = None
    chunking_change: tuple[ChunkingSettings, ChunkingSettings] | None = None
    """The previous index's chunking and this run's, when they differ: then every
    article was indexed again."""

    @property
    def modified(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def update_index(
    articles_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    rebuild: bool = False,
    chunking: ChunkingSettings | None = None,
    progress: ProgressFactory | None = None,
    lock_timeout: float = LOCK_TIMEOUT_SECONDS,
) -> IndexReport:
    """Index ``articles_dir`` into ``index_dir``; see the module docstring.

    Waits up to ``lock_timeout`` seconds for another run on the same index folder,
    then raises :class:`IndexBusyError`. A failure of the metadata store (disk full,
    damage, ...) is raised as the :class:`IndexError_` that says what to do.
    """
    started = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_dir / LOCK_FILE))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            log.warning(
                "another `chatbot index` is updating %s; waiting up to %.0f s for it",
                index_dir,
                lock_timeout,
            )
            lock.acquire(timeout=lock_timeout)
    except Timeout:
        raise IndexBusyError(
            f"another `chatbot index` is updating {index_dir}; wait for it to finish and "
            "run this again"
        ) from None
    try:
        run = _Run(articles_dir, index_dir, embedder, chunking or ChunkingSettings(), progress)
        report = run.execute(rebuild)
    except sqlite3.Error as error:
        raise store_failure(index_dir / STORE_FILE, error) from error
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class _Plan:
    """What an update does, before anything is written."""

    report: IndexReport
    new_articles: list[Article]
    stale_paths: list[str]
    """Indexed articles to drop: removed, changed, or now unreadable."""
    touched: list[Article]
    """Re-read but unchanged: only their size and time are updated."""


class _Run:
    def __init__(
        self,
        articles_dir: Path,
        index_dir: Path,
        embedder: Embedder,
        chunking: ChunkingSettings,
        progress: ProgressFactory | None,
    ) -> None:
        self.articles_dir = articles_dir
        self.index_dir = index_dir
        self.embedder = embedder
        self.chunking = chunking
        self.progress = progress
        self.manifest = Manifest.create(embedder.name, embedder.dimension, chunking)

    def execute(self, rebuild: bool) -> IndexReport:
        live_name = self._live_name(rebuild)
        if live_name:
            live = snapshot_number(live_name)
        else:  # numbers go on after a damaged CURRENT, for a chat still on an old one
            live = latest_snapshot_number(self.index_dir) if rebuild else 0
        store = self._open_store(rebuild)
        try:
            store.discard_unpublished(live)
            remove_stale_snapshots(self.index_dir)
            # Every article is indexed anew on --rebuild (whatever built the index before,
            # even another embedder) and when the chunking changed.
            fresh = rebuild or not live_name
            previous = self.chunking if fresh else self._previous_chunking(live_name)
            rechunk = previous != self.chunking
            anew = rebuild or rechunk
            indexed = {} if anew or not live else {a.path: a for a in store.articles(live)}
            plan = self._plan(store, live, indexed)
            if rechunk:
                plan.report.chunking_change = (previous, self.chunking)
            for article in plan.touched:
                store.update_stat(live, article.path, article.size, article.mtime_ns)
            if (
                not live_name
                or anew
                or plan.report.modified
                or self._lacks_sentence_indexes(store, live, live_name)
            ):
                stale = sorted(a.path for a in store.articles(live)) if anew else plan.stale_paths
                self._write(store, live, None if anew else live_name, plan, stale)
            else:
                plan.report.snapshot = live_name
            # After publishing: sentences of articles just removed or changed are not
            # embedded for nothing.
            self._complete_question_vectors(store, plan.report)
            return plan.report
        finally:
            store.close()

    def _complete_question_vectors(self, store: MetadataStore, report: IndexReport) -> None:
        """Give the sentences of the snapshot this run leaves live
        (``report.snapshot``) that have none their question-form vectors, in place: an
        index written before they were kept gets them on its next run, without a new
        snapshot (the FAISS indexes do not change). A chat that opened the snapshot
        before the column existed uses them once it opens a newer one; until then, and
        for any sentences a stopped run left without, statements are matched through
        the statement map alone, as before."""
        if not self.embedder.questions_apart or report.snapshot is None:
            return
        live = snapshot_number(report.snapshot)
        missing = store.count_without_question_vectors(live)
        if not missing:
            return
        log.info("embedding %d sentences indexed before as questions too", missing)
        callback = self.progress(missing) if self.progress else None
        for ids, texts in store.sentences_without_question_vectors(live):
            store.set_question_vectors(ids, self.embedder.embed_queries(texts, callback))
            report.completed_sentences += len(ids)
            report.vectors += len(ids)

    def _lacks_sentence_indexes(self, store: MetadataStore, live: int, live_name: str) -> bool:
        """Whether the live snapshot was written before sentence vectors had FAISS
        indexes of their own: the next run then writes a snapshot with them, even with
        no article changed."""
        folder = self.index_dir / SNAPSHOTS_DIR / live_name
        return not LanguageVectors.kept_in(folder, SENTENCES) and bool(
            store.live_sentence_counts(live)
        )

    def _live_name(self, rebuild: bool) -> str | None:
        """The live snapshot's name; with ``rebuild``, None when ``CURRENT`` is damaged:
        it is set aside (as ``CURRENT.corrupt``), and the rebuild starts from an empty
        index and replaces it."""
        try:
            name = current_snapshot_name(self.index_dir)
            if name is not None:
                check_snapshot_name(self.index_dir, name)
            return name
        except IndexCorruptError:
            if not rebuild:
                raise
        current = self.index_dir / CURRENT_FILE
        aside = current.with_name(current.name + ".corrupt")
        log.warning("%s is damaged: set aside as %s; rebuilding", current, aside.name)
        if aside.is_dir() and not aside.is_symlink():
            shutil.rmtree(aside)
        else:
            aside.unlink(missing_ok=True)
        current.replace(aside)
        return None

    def _open_store(self, rebuild: bool) -> MetadataStore:
        """The metadata store; with ``rebuild``, a damaged one is set aside (kept as
        ``metadata.sqlite.corrupt`` for inspection) and a new one started. A store that
        cannot be opened for another reason (disk full, permissions) is never touched."""
        try:
            return open_store(self.index_dir, read_only=False)
        except IndexCorruptError:
            if not rebuild:
                raise
        path = self.index_dir / STORE_FILE
        log.warning("%s is damaged: set aside as %s.corrupt; rebuilding", path, path.name)
        path.replace(path.with_name(path.name + ".corrupt"))
        for suffix in ("-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        return open_store(self.index_dir, read_only=False)

    def _previous_chunking(self, live_name: str) -> ChunkingSettings:
        """The live snapshot's chunking. An index from another embedder or format is
        refused (:meth:`Manifest.check_embedder`); other chunking only means every
        article is chunked and embedded again, as after an upgrade that changed the
        defaults."""
        existing = Manifest.read(self.index_dir / SNAPSHOTS_DIR / live_name)
        existing.check_embedder(self.manifest.embedder, self.manifest.dimension)
        return ChunkingSettings(existing.chunk_max_tokens, existing.chunk_overlap_tokens)

    # --- deciding what to do ------------------------------------------------------
    def _plan(self, store: MetadataStore, live: int, indexed: dict[str, ArticleRecord]) -> _Plan:
        entries, skipped = scan_articles(self.articles_dir)
        present = {e.path: e for e in entries}
        unchanged_stat = {
            path
            for path, entry in present.items()
            if path in indexed
            and (indexed[path].size, indexed[path].mtime_ns) == (entry.size, entry.mtime_ns)
        }
        files, unreadable = self._read([e for e in entries if e.path not in unchanged_stat])
        skipped += unreadable

        old_lines: dict[str, frozenset[str]] = {}
        if indexed:
            collected: dict[str, set[str]] = {}
            for path, line in store.live_short_lines(live):
                collected.setdefault(path, set()).add(line)
            old_lines = {path: frozenset(lines) for path, lines in collected.items()}
        new_lines = {p: old_lines.get(p, frozenset()) for p in unchanged_stat}
        new_lines.update({f.path: short_lines(f.text) for f in files})
        sizes = {p: indexed[p].size for p in unchanged_stat} | {f.path: f.size for f in files}
        repeated = repeated_lines((sizes[p], lines) for p, lines in new_lines.items())
        flipped = repeated_lines((indexed[p].size, lines) for p, lines in old_lines.items())
        flipped ^= repeated
        if flipped:  # site chrome changed: re-clean the unread articles holding such lines
            affected = [p for p in unchanged_stat if new_lines[p] & flipped]
            extra, unreadable = self._read([present[p] for p in affected])
            files += extra
            skipped += unreadable

        report = IndexReport(skipped=skipped)
        new_articles: list[Article] = []
        touched: list[Article] = []
        kept = set(unchanged_stat)
        for file in files:
            result = prepare_article(file, repeated)
            if isinstance(result, SkippedFile):
                report.skipped.append(result)
                kept.discard(file.path)
                continue
            kept.add(file.path)
            if file.truncated:
                report.truncated.append(file.path)
            if file.invalid_bytes:
                report.damaged.append((file.path, file.invalid_bytes))
            previous = indexed.get(file.path)
            if previous is None:
                report.added.append(file.path)
                new_articles.append(result)
            elif previous.content_hash != result.content_hash:
                report.changed.append(file.path)
                new_articles.append(result)
            elif (previous.size, previous.mtime_ns) != (result.size, result.mtime_ns):
                touched.append(result)
        report.removed = sorted(set(indexed) - kept)
        report.added.sort()
        report.changed.sort()
        report.unchanged = len(kept) - len(report.added) - len(report.changed)
        stale = sorted(set(report.removed) | set(report.changed))
        return _Plan(report, new_articles, stale, touched)

    @staticmethod
    def _read(entries: list[FileEntry]):
        files, skipped = [], []
        for entry in entries:
            result = read_article(entry)
            (skipped if isinstance(result, SkippedFile) else files).append(result)
        return files, skipped

    # --- writing the new snapshot --------------------------------------------------
    def _write(
        self,
        store: MetadataStore,
        live: int,
        base_name: str | None,
        plan: _Plan,
        stale: list[str],
    ) -> None:
        new_articles = [self._chunked(a) for a in plan.new_articles]
        chunk_texts = [c.text for a in new_articles for c in a.chunks]
        sentence_texts = [
            a.text[s.start : s.end] for a in new_articles for c in a.chunks for s in c.sentences
        ]
        as_questions = sentence_texts if self.embedder.questions_apart else []
        total = len(chunk_texts) + len(sentence_texts) + len(as_questions)
        callback = self.progress(total) if self.progress else None
        embedded = self.embedder.embed_passages(chunk_texts + sentence_texts, progress=callback)
        questions = self.embedder.embed_queries(as_questions, callback) if as_questions else None
        plan.report.chunks = len(chunk_texts)
        plan.report.vectors += total

        number = live + 1
        update = store.apply(
            number,
            stale,
            new_articles,
            embedded[: len(chunk_texts)],
            embedded[len(chunk_texts) :],
            questions,
        )
        base = self.index_dir / SNAPSHOTS_DIR / base_name if base_name else None
        vectors = self._vectors(store, number, base, CHUNKS, embedded[: len(chunk_texts)], update)
        sentences = self._vectors(
            store, number, base, SENTENCES, embedded[len(chunk_texts) :], update
        )
        lexical = self._lexical(store, number, base_name)
        sums = self._language_sums(store, number, base_name, update, embedded[: len(chunk_texts)])
        plan.report.snapshot = self._publish(number, [vectors, sentences], lexical, sums)
        remove_stale_snapshots(self.index_dir)
        store.collect_garbage(number - KEEP_PREVIOUS)

    def _vectors(
        self,
        store: MetadataStore,
        number: int,
        base: Path | None,
        units: str,
        embedded: np.ndarray,
        update: AppliedUpdate,
    ) -> LanguageVectors:
        """Snapshot ``number``'s FAISS indexes of ``units`` (:data:`CHUNKS` or
        :data:`SENTENCES`): the ``base`` snapshot's with the ``update`` applied,
        ``embedded`` holding the added units' vectors in order. A language's index is
        built from the store instead when it should change kind or has outgrown its
        cells, and every one when the base snapshot was written before sentence
        indexes were kept."""
        dimension = self.embedder.dimension
        chunks = units == CHUNKS
        vectors = (
            LanguageVectors.load(base, dimension, units)
            if base
            else LanguageVectors(dimension, units=units)
        )
        if base and not chunks and not LanguageVectors.kept_in(base, units):
            languages = store.live_sentence_counts(number)
            for language in languages:
                vectors[language] = self._built(store, number, units, language)
            return vectors
        vectors.remove(update.removed_chunks if chunks else update.removed_sentences)
        row = 0
        for language, ids in update.added_chunks if chunks else update.added_sentences:
            vectors.add(language, ids, embedded[row : row + len(ids)])
            row += len(ids)
        for language in vectors.languages():
            index = vectors[language]
            if chosen_kind(len(index)) != index.kind or index.outgrown:
                vectors[language] = self._built(store, number, units, language)
        return vectors

    def _built(self, store: MetadataStore, number: int, units: str, language: str) -> VectorIndex:
        """A new index of one language's ``units`` in snapshot ``number``, of the kind
        its size calls for."""
        dimension = self.embedder.dimension
        ids, matrix = (
            store.all_chunk_vectors(number, language, dimension)
            if units == CHUNKS
            else store.all_sentence_vectors(number, language, dimension)
        )
        kind = chosen_kind(len(ids))
        return VectorIndex.build(dimension, ids, matrix, kind, compact=units == SENTENCES)

    def _publish(
        self,
        number: int,
        vectors: list[LanguageVectors],
        lexical: LexicalIndex,
        sums: LanguageSums,
    ) -> str:
        """Write snapshot ``number``'s files and make it live; returns its name. A write
        that fails (disk full, no permission) leaves the live snapshot as it was, and
        removes what it wrote unless it was published already."""
        folder: Path | None = None
        try:
            name, folder = new_snapshot_folder(self.index_dir, number)
            for units in vectors:
                units.save(folder)
            lexical.save(folder)
            sums.save(folder)
            previous = self._same_embedder_snapshot()
            write_background(folder, self.embedder, previous)
            publish_word_vectors(
                folder, lexical.vocabulary(), self.embedder, previous, self.progress
            )
            self.manifest.write(folder)
            write_checksums(folder)
            publish_snapshot(self.index_dir, name)
        except OSError as error:
            with contextlib.suppress(IndexError_):
                if folder is not None and current_snapshot_name(self.index_dir) != folder.name:
                    shutil.rmtree(folder, ignore_errors=True)
            raise IndexStorageError(
                f"writing a new snapshot in {self.index_dir / SNAPSHOTS_DIR} failed ({error}): "
                f"free some space on that disk and make sure the folder is writable, {AGAIN_HINT}"
            ) from error
        return name

    def _language_sums(
        self,
        store: MetadataStore,
        number: int,
        base_name: str | None,
        update: AppliedUpdate,
        added: np.ndarray,
    ) -> LanguageSums:
        """Snapshot ``number``'s vector sums: the previous snapshot's, less the chunks
        the ``update`` removed, plus those it ``added`` (their vectors, in order).
        Counted from the store instead for a first build, a rebuild, or a previous
        snapshot that kept none."""
        dimension = self.embedder.dimension
        sums = LanguageSums.read(self.index_dir / SNAPSHOTS_DIR / base_name) if base_name else None
        if sums is None:
            return store.language_sums(dimension, number)
        sums.subtract(store.language_sums(dimension, chunk_ids=update.removed_chunks))
        row = 0
        for language, ids in update.added_chunks:
            sums.add(language, added[row : row + len(ids)])
            row += len(ids)
        return sums

    def _lexical(self, store: MetadataStore, number: int, base_name: str | None) -> LexicalIndex:
        """The BM25 index of snapshot ``number``: the previous one's base with a new
        delta when that is allowed (see :mod:`chatbot.index.lexical`), else built anew."""
        if base_name:
            previous = LexicalIndex.load(self.index_dir / SNAPSHOTS_DIR / base_name)
            added = _documents(store.live_tokens(number, after=previous.base_last_id))
            lexical = previous.with_delta(store.live_chunk_ids(number), *added)
            if lexical is not None:
                return lexical
        return LexicalIndex.build(*_documents(store.live_tokens(number)))

    def _same_embedder_snapshot(self) -> Path | None:
        """The live snapshot's folder when the same embedder made it (even on
        ``--rebuild``), so its background vectors can be reused, else None."""
        live_name = current_snapshot_name(self.index_dir)
        if not live_name:
            return None
        folder = self.index_dir / SNAPSHOTS_DIR / live_name
        try:
            check_snapshot_name(self.index_dir, live_name)
            existing = Manifest.read(folder)
        except IndexError_:
            return None
        same = (existing.embedder, existing.format_version) == (
            self.manifest.embedder,
            self.manifest.format_version,
        )
        return folder if same else None

    def _chunked(self, article: Article) -> NewArticle:
        chunks = []
        for chunk in chunk_article(article.text, self.embedder.count_tokens, self.chunking):
            spans = sentence_spans(chunk.text)
            sentences = (
                [NewSentence(chunk.start + s, chunk.start + e) for s, e in spans]
                if len(spans) > 1  # a one-sentence chunk's sentence vector equals the chunk's
                else []
            )
            chunks.append(
                NewChunk(
                    chunk.ordinal,
                    chunk.start,
                    chunk.end,
                    chunk.text,
                    tokenize(chunk.text),
                    sentences,
                )
            )
        return NewArticle(
            path=article.path,
            title=article.title,
            language=article.language,
            content_hash=article.content_hash,
            text=article.text,
            size=article.size,
            mtime_ns=article.mtime_ns,
            short_lines=article.short_lines,
            chunks=chunks,
        )


def _documents(rows: list[tuple[int, str, str]]) -> tuple[list[list[str]], list[int], list[str]]:
    """Store rows ``(chunk id, language, tokens)`` as the BM25 index takes them: token
    lists, chunk ids, languages."""
    return [t.split() for _, _, t in rows], [i for i, _, _ in rows], [x for _, x, _ in rows]
