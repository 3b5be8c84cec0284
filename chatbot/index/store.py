"""Metadata of the index in one SQLite database shared by all snapshots.

Rows are versioned instead of copied: an article row carries the snapshot that
added it (``added_in``) and the one that removed it (``removed_in``), and snapshot
N sees the rows with ``added_in <= N < removed_in``. An update inserts and marks
rows in one transaction and only then publishes snapshot N+1, so the live
snapshot never sees a half-done change; rows no kept snapshot can see are
deleted later. This keeps an incremental update proportional to the change, not
to the corpus.

Each chunk keeps its BM25 tokens and its vector, and each of its sentences its
vector (float16): retrieval rescoring reads them here, so the FAISS index only
has to find candidates. A sentence also keeps its question-form vector where the
embedder embeds questions apart (e5's ``query: ``): a pasted sentence is matched to
the sentences that say the same through it (:mod:`chatbot.retrieval.statement`).
"""

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from chatbot.index.errors import StoreDamagedError
from chatbot.index.language_sums import LanguageSums

STORE_FILE = "metadata.sqlite"

_SCHEMA = """
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    indexed_at REAL NOT NULL,
    added_in INTEGER NOT NULL,
    removed_in INTEGER
);
CREATE INDEX IF NOT EXISTS articles_by_path ON articles(path);
CREATE INDEX IF NOT EXISTS articles_by_removal ON articles(removed_in);
CREATE TABLE IF NOT EXISTS short_lines (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    line TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS short_lines_by_article ON short_lines(article_id);
CREATE INDEX IF NOT EXISTS short_lines_by_line ON short_lines(line);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    tokens TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_article ON chunks(article_id);
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    vector BLOB NOT NULL,
    question_vector BLOB
);
CREATE INDEX IF NOT EXISTS sentences_by_chunk ON sentences(chunk_id);
"""
_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"
_QUESTION_COLUMN = "question_vector"
"""The sentences' question-form vectors: NULL where the embedder has no question form,
and in a database written before they were kept (added by the next ``chatbot index``,
:meth:`MetadataStore.set_question_vectors`)."""
_WITHOUT_QUESTION_INDEX = (
    "CREATE INDEX IF NOT EXISTS sentences_without_question ON sentences(id) "
    f"WHERE {_QUESTION_COLUMN} IS NULL"
)
"""Only the sentences still lacking their question form: with none, every ``chatbot
index`` finds so at once instead of reading every sentence."""
_FILL_BATCH = 1024
"""Sentences read at a time by :meth:`MetadataStore.sentences_without_question_vectors`."""
_MEAN_BATCH = 4096
"""Chunk vectors read at a time by :meth:`MetadataStore.language_sums`."""
_LIVE = "a.added_in <= :n AND (a.removed_in IS NULL OR a.removed_in > :n)"


@dataclass
class AppliedUpdate:
    """The ids one :meth:`MetadataStore.apply` removed and added: the vector indexes
    follow them."""

    removed_chunks: list[int] = field(default_factory=list)
    added_chunks: list[tuple[str, list[int]]] = field(default_factory=list)
    """Per added article, in order: its language and new chunk ids."""
    removed_sentences: list[int] = field(default_factory=list)
    added_sentences: list[tuple[str, list[int]]] = field(default_factory=list)
    """Per added article, in order: its language and new sentence ids."""


@dataclass(frozen=True)
class ArticleRecord:
    id: int
    path: str
    title: str
    language: str
    content_hash: str
    size: int
    mtime_ns: int
    indexed_at: float
    chunks: int


@dataclass(frozen=True)
class ChunkRecord:
    id: int
    path: str
    title: str
    language: str
    ordinal: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class NewSentence:
    start: int
    end: int
    """Offsets into the article."""


@dataclass(frozen=True)
class NewChunk:
    ordinal: int
    start: int
    end: int
    text: str
    tokens: list[str]
    sentences: Sequence[NewSentence]


@dataclass(frozen=True)
class NewArticle:
    path: str
    title: str
    language: str
    content_hash: str
    text: str
    size: int
    mtime_ns: int
    short_lines: frozenset[str]
    chunks: Sequence[NewChunk]


@dataclass(frozen=True)
class ScoringVectors:
    """Stored vectors of some chunks: ``chunk[i]`` is the vector of ``chunk_ids[i]``;
    ``sentences[j]`` belongs to ``sentence_chunk[j]`` and spans ``sentence_spans[j]``."""

    chunk_ids: list[int]
    chunk: np.ndarray
    sentence_chunk: list[int]
    sentence_spans: list[tuple[int, int]]
    sentences: np.ndarray
    sentence_questions: np.ndarray | None = None
    """The sentences' question-form vectors, row for row; None unless asked for, or
    when some of these sentences have none."""


def _blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def _matrix(blobs: list[bytes], dimension: int) -> np.ndarray:
    if not blobs:
        return np.empty((0, dimension), dtype=np.float32)
    return (
        np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(-1, dimension).astype(np.float32)
    )


class MetadataStore:
    """The database; readers may share one instance across threads."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
        self._lock = threading.Lock()
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            if not read_only:
                self._db.executescript(_SCHEMA)
                if not self._has_question_column():  # a database from before them
                    self._db.execute(f"ALTER TABLE sentences ADD COLUMN {_QUESTION_COLUMN} BLOB")
                self._db.execute(_WITHOUT_QUESTION_INDEX)
            self._question_column = self._has_question_column()
        except sqlite3.Error:
            self._db.close()
            raise

    def _has_question_column(self) -> bool:
        columns = self._db.execute("PRAGMA table_info(sentences)").fetchall()
        return any(column[1] == _QUESTION_COLUMN for column in columns)

    def close(self) -> None:
        self._db.close()

    def check(self) -> None:
        """Raise :class:`StoreDamagedError` if the file is not a sound database of ours
        (or the ``sqlite3.Error`` that stopped the check)."""
        with self._lock:
            (result,) = self._db.execute("PRAGMA quick_check").fetchone()
            tables = {name for (name,) in self._db.execute(_TABLES)}
        if result != "ok":
            raise StoreDamagedError(result)
        if missing := {"articles", "chunks", "sentences"} - tables:
            raise StoreDamagedError(f"no table {', '.join(sorted(missing))}")

    def _query(self, sql: str, parameters: Sequence | dict = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, parameters).fetchall()

    # --- what a snapshot sees -------------------------------------------------
    def live_chunk_counts(self, snapshot: int) -> dict[str, int]:
        """Chunks per article language in the snapshot."""
        rows = self._query(
            "SELECT a.language, COUNT(*) FROM chunks c JOIN articles a ON "
            f"c.article_id = a.id WHERE {_LIVE} GROUP BY a.language",
            {"n": snapshot},
        )
        return dict(rows)

    def live_sentence_counts(self, snapshot: int) -> dict[str, int]:
        """Sentence vectors per article language in the snapshot."""
        rows = self._query(
            "SELECT a.language, COUNT(*) FROM sentences s JOIN chunks c ON s.chunk_id = c.id "
            f"JOIN articles a ON c.article_id = a.id WHERE {_LIVE} GROUP BY a.language",
            {"n": snapshot},
        )
        return dict(rows)

    def articles(self, snapshot: int) -> list[ArticleRecord]:
        rows = self._query(
            "SELECT a.id, a.path, a.title, a.language, a.content_hash, a.size, a.mtime_ns, "
            "a.indexed_at, (SELECT COUNT(*) FROM chunks c WHERE c.article_id = a.id) "
            f"FROM articles a WHERE {_LIVE} ORDER BY a.path",
            {"n": snapshot},
        )
        return [ArticleRecord(*row) for row in rows]

    def article_text(self, snapshot: int, path: str) -> str | None:
        rows = self._query(
            f"SELECT a.text FROM articles a WHERE a.path = :path AND {_LIVE}",
            {"n": snapshot, "path": path},
        )
        return rows[0][0] if rows else None

    def live_short_lines(self, snapshot: int) -> list[tuple[str, str]]:
        """``(article path, line)`` for every short line of the snapshot's articles."""
        return self._query(
            f"SELECT a.path, s.line FROM short_lines s JOIN articles a ON s.article_id = a.id "
            f"WHERE {_LIVE}",
            {"n": snapshot},
        )

    def live_tokens(self, snapshot: int, after: int = 0) -> list[tuple[int, str, str]]:
        """``(chunk id, language, space-separated tokens)`` of the snapshot's chunks with
        ids above ``after``, by chunk id."""
        return self._query(
            "SELECT c.id, a.language, c.tokens FROM chunks c JOIN articles a ON "
            f"c.article_id = a.id WHERE {_LIVE} AND c.id > :after ORDER BY c.id",
            {"n": snapshot, "after": after},
        )

    def live_chunk_ids(self, snapshot: int) -> np.ndarray:
        """Ids of the snapshot's chunks, ascending."""
        rows = self._query(
            "SELECT c.id FROM chunks c JOIN articles a ON c.article_id = a.id "
            f"WHERE {_LIVE} ORDER BY c.id",
            {"n": snapshot},
        )
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    def language_sums(
        self, dimension: int, snapshot: int | None = None, chunk_ids: Sequence[int] = ()
    ) -> LanguageSums:
        """Per article language, the sum and count of the whole-chunk vectors of
        ``snapshot``, or of the chunks ``chunk_ids`` when no snapshot is given. Read in
        batches (and the ids asked for in batches: an update may remove more chunks than
        SQLite takes parameters), so memory stays small whatever the size of the index."""
        sums = LanguageSums()
        if snapshot is not None:
            self._add_sums(sums, dimension, _LIVE, {"n": snapshot})
            return sums
        ids = [int(i) for i in chunk_ids]
        for start in range(0, len(ids), _MEAN_BATCH):
            batch = ids[start : start + _MEAN_BATCH]
            self._add_sums(sums, dimension, f"c.id IN ({_marks(batch)})", batch)
        return sums

    def _add_sums(
        self,
        sums: LanguageSums,
        dimension: int,
        where: str,
        parameters: dict[str, int] | list[int],
    ) -> None:
        with self._lock:
            cursor = self._db.execute(
                "SELECT a.language, c.vector FROM chunks c JOIN articles a ON "
                f"c.article_id = a.id WHERE {where}",
                parameters,
            )
            while rows := cursor.fetchmany(_MEAN_BATCH):
                languages = np.array([row[0] for row in rows])
                matrix = _matrix([row[1] for row in rows], dimension)
                for language in np.unique(languages).tolist():
                    sums.add(language, matrix[languages == language])

    def all_chunk_vectors(self, snapshot: int, language: str, dimension: int):
        """Ids and vectors of a language's chunks in the snapshot (for retraining)."""
        rows = self._query(
            "SELECT c.id, c.vector FROM chunks c JOIN articles a ON c.article_id = a.id "
            f"WHERE {_LIVE} AND a.language = :language ORDER BY c.id",
            {"n": snapshot, "language": language},
        )
        return [r[0] for r in rows], _matrix([r[1] for r in rows], dimension)

    def all_sentence_vectors(self, snapshot: int, language: str, dimension: int):
        """Ids and vectors of a language's sentences in the snapshot."""
        rows = self._query(
            "SELECT s.id, s.vector FROM sentences s JOIN chunks c ON s.chunk_id = c.id "
            f"JOIN articles a ON c.article_id = a.id WHERE {_LIVE} AND a.language = :language "
            "ORDER BY s.id",
            {"n": snapshot, "language": language},
        )
        return [r[0] for r in rows], _matrix([r[1] for r in rows], dimension)

    # --- lookups by id (no snapshot filter: ids come from the snapshot's own files) ---
    def sentence_chunks(self, sentence_ids: Sequence[int]) -> set[int]:
        """The chunks the sentences ``sentence_ids`` are in."""
        ids = [int(i) for i in sentence_ids]
        if not ids:
            return set()
        rows = self._query(
            f"SELECT DISTINCT chunk_id FROM sentences WHERE id IN ({_marks(ids)})", ids
        )
        return {row[0] for row in rows}

    def chunks(self, chunk_ids: Sequence[int]) -> dict[int, ChunkRecord]:
        if not chunk_ids:
            return {}
        rows = self._query(
            "SELECT c.id, a.path, a.title, a.language, c.ordinal, c.start, c.end, c.text "
            f"FROM chunks c JOIN articles a ON c.article_id = a.id WHERE c.id IN "
            f"({_marks(chunk_ids)})",
            [int(i) for i in chunk_ids],
        )
        return {row[0]: ChunkRecord(*row) for row in rows}

    def same_article_chunk_ids(self, chunk_id: int) -> frozenset[int]:
        """The ids of the chunks of the article ``chunk_id`` belongs to, itself included;
        empty when there is no such chunk."""
        rows = self._query(
            "SELECT id FROM chunks WHERE article_id = (SELECT article_id FROM chunks WHERE id = ?)",
            [int(chunk_id)],
        )
        return frozenset(row[0] for row in rows)

    def scoring_vectors(
        self, chunk_ids: Sequence[int], dimension: int, questions: bool = False
    ) -> ScoringVectors:
        """The vectors of ``chunk_ids`` and their sentences; with ``questions``, the
        sentences' question-form vectors too, if every one of them has one."""
        ids = [int(i) for i in chunk_ids]
        if not ids:
            empty = np.empty((0, dimension), dtype=np.float32)
            return ScoringVectors([], empty, [], [], empty)
        chunk_rows = self._query(
            f"SELECT id, vector FROM chunks WHERE id IN ({_marks(ids)}) ORDER BY id", ids
        )
        question = _QUESTION_COLUMN if questions and self._question_column else "NULL"
        sentence_rows = self._query(
            f"SELECT chunk_id, start, end, vector, {question} FROM sentences "
            f"WHERE chunk_id IN ({_marks(ids)})",
            ids,
        )
        question_blobs = [r[4] for r in sentence_rows]
        return ScoringVectors(
            chunk_ids=[r[0] for r in chunk_rows],
            chunk=_matrix([r[1] for r in chunk_rows], dimension),
            sentence_chunk=[r[0] for r in sentence_rows],
            sentence_spans=[(r[1], r[2]) for r in sentence_rows],
            sentences=_matrix([r[3] for r in sentence_rows], dimension),
            sentence_questions=(
                _matrix(question_blobs, dimension)
                if questions and None not in question_blobs
                else None
            ),
        )

    def count_without_question_vectors(self, snapshot: int) -> int:
        """How many of the snapshot's sentences have no question-form vector."""
        rows = self._query(
            "SELECT COUNT(*) FROM sentences s JOIN chunks c ON s.chunk_id = c.id "
            f"JOIN articles a ON c.article_id = a.id WHERE {_LIVE} "
            f"AND s.{_QUESTION_COLUMN} IS NULL",
            {"n": snapshot},
        )
        return rows[0][0]

    def sentences_without_question_vectors(
        self, snapshot: int
    ) -> Iterator[tuple[list[int], list[str]]]:
        """Batches of ids and texts of the snapshot's sentences that have no
        question-form vector (an index written before they were kept)."""
        after = 0
        while True:
            rows = self._query(
                "SELECT s.id, substr(a.text, s.start + 1, s.end - s.start) FROM sentences s "
                "JOIN chunks c ON s.chunk_id = c.id JOIN articles a ON c.article_id = a.id "
                f"WHERE {_LIVE} AND s.{_QUESTION_COLUMN} IS NULL AND s.id > :after "
                f"ORDER BY s.id LIMIT {_FILL_BATCH}",
                {"n": snapshot, "after": after},
            )
            if not rows:
                return
            yield [r[0] for r in rows], [r[1] for r in rows]
            after = rows[-1][0]

    def set_question_vectors(self, sentence_ids: Sequence[int], vectors: np.ndarray) -> None:
        """Store the question-form vectors of sentences already indexed (one
        transaction: a run stopped midway leaves the rest without, as before)."""
        with self._lock, self._db:
            self._db.executemany(
                f"UPDATE sentences SET {_QUESTION_COLUMN} = ? WHERE id = ?",
                [(_blob(v), int(i)) for i, v in zip(sentence_ids, vectors, strict=True)],
            )

    # --- writing (the builder only) ---------------------------------------------
    def discard_unpublished(self, live: int) -> None:
        """Undo the writes of a run that died before publishing snapshot ``live + 1``."""
        with self._db:
            self._db.execute("DELETE FROM articles WHERE added_in > ?", (live,))
            self._db.execute("UPDATE articles SET removed_in = NULL WHERE removed_in > ?", (live,))

    def collect_garbage(self, oldest_kept: int) -> None:
        """Delete the rows no kept snapshot can see."""
        with self._db:
            self._db.execute("DELETE FROM articles WHERE removed_in <= ?", (oldest_kept,))

    def update_stat(self, snapshot: int, path: str, size: int, mtime_ns: int) -> None:
        with self._db:
            self._db.execute(
                f"UPDATE articles AS a SET size = :size, mtime_ns = :mtime WHERE a.path = :path "
                f"AND {_LIVE}",
                {"n": snapshot, "path": path, "size": size, "mtime": mtime_ns},
            )

    def apply(
        self,
        new_snapshot: int,
        removed_paths: Iterable[str],
        added: Sequence[NewArticle],
        chunk_vectors: np.ndarray,
        sentence_vectors: np.ndarray,
        sentence_questions: np.ndarray | None = None,
    ) -> "AppliedUpdate":
        """Write one update as snapshot ``new_snapshot`` in a single transaction.

        ``chunk_vectors`` has one row per chunk of ``added`` in order, and
        ``sentence_vectors`` one per sentence, as ``sentence_questions`` (their
        question-form vectors; None: the embedder has none). Returns the ids removed
        and added.
        """
        live = {"n": new_snapshot - 1}
        update = AppliedUpdate()
        now = time.time()
        with self._db:
            for path in removed_paths:
                rows = self._db.execute(
                    f"SELECT a.id FROM articles a WHERE a.path = :path AND {_LIVE}",
                    {**live, "path": path},
                ).fetchall()
                for (article_id,) in rows:
                    update.removed_chunks.extend(
                        r[0]
                        for r in self._db.execute(
                            "SELECT id FROM chunks WHERE article_id = ?", (article_id,)
                        )
                    )
                    update.removed_sentences.extend(self._sentence_ids(article_id))
                    self._db.execute(
                        "UPDATE articles SET removed_in = ? WHERE id = ?",
                        (new_snapshot, article_id),
                    )
            chunk_row = sentence_row = 0
            for article in added:
                article_id = self._db.execute(
                    "INSERT INTO articles (path, title, language, content_hash, text, size, "
                    "mtime_ns, indexed_at, added_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.path,
                        article.title,
                        article.language,
                        article.content_hash,
                        article.text,
                        article.size,
                        article.mtime_ns,
                        now,
                        new_snapshot,
                    ),
                ).lastrowid
                self._db.executemany(
                    "INSERT INTO short_lines (article_id, line) VALUES (?, ?)",
                    [(article_id, line) for line in sorted(article.short_lines)],
                )
                ids = []
                for chunk in article.chunks:
                    chunk_id = self._db.execute(
                        "INSERT INTO chunks (article_id, ordinal, start, end, text, tokens, "
                        "vector) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (
                            article_id,
                            chunk.ordinal,
                            chunk.start,
                            chunk.end,
                            chunk.text,
                            " ".join(chunk.tokens),
                            _blob(chunk_vectors[chunk_row]),
                        ),
                    ).lastrowid
                    chunk_row += 1
                    ids.append(chunk_id)
                    rows = []
                    for sentence in chunk.sentences:
                        rows.append(
                            (
                                chunk_id,
                                sentence.start,
                                sentence.end,
                                _blob(sentence_vectors[sentence_row]),
                                None
                                if sentence_questions is None
                                else _blob(sentence_questions[sentence_row]),
                            )
                        )
                        sentence_row += 1
                    self._db.executemany(
                        "INSERT INTO sentences (chunk_id, start, end, vector, "
                        f"{_QUESTION_COLUMN}) VALUES (?, ?, ?, ?, ?)",
                        rows,
                    )
                update.added_chunks.append((article.language, ids))
                update.added_sentences.append((article.language, self._sentence_ids(article_id)))
        return update

    def _sentence_ids(self, article_id: int) -> list[int]:
        """An article's sentence ids, in the order they were written."""
        return [
            r[0]
            for r in self._db.execute(
                "SELECT s.id FROM sentences s JOIN chunks c ON s.chunk_id = c.id "
                "WHERE c.article_id = ? ORDER BY s.id",
                (article_id,),
            )
        ]


def _marks(values: Sequence) -> str:
    return ",".join("?" * len(values))
