"""Metadata of the index in SQLite: articles, their chunks, and the vector units.

A *unit* is one vector in the FAISS index: either a whole chunk or one sentence of
a chunk. Its id is the FAISS id. Chunks are what gets cited; sentences make
matching precise and give the highlight.
"""

import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

STORE_FILE = "metadata.sqlite"
UNIT_CHUNK = 0
UNIT_SENTENCE = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    indexed_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_article ON chunks(article_id);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    kind INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS units_by_chunk ON units(chunk_id);
"""


@dataclass(frozen=True)
class ArticleRecord:
    id: int
    path: str
    title: str
    language: str
    content_hash: str
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
class UnitRecord:
    id: int
    chunk_id: int
    kind: int
    start: int
    end: int


@dataclass(frozen=True)
class NewUnit:
    kind: int
    start: int
    end: int


@dataclass(frozen=True)
class NewChunk:
    ordinal: int
    start: int
    end: int
    text: str
    units: Sequence[NewUnit]


class MetadataStore:
    """One SQLite database. Readers may share an instance across threads."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def commit(self) -> None:
        self._db.commit()

    def check(self) -> None:
        """Raise ``sqlite3.DatabaseError`` if the file is not a sound database."""
        with self._lock:
            (result,) = self._db.execute("PRAGMA quick_check").fetchone()
        if result != "ok":
            raise sqlite3.DatabaseError(result)

    # --- articles -----------------------------------------------------------
    def articles(self) -> list[ArticleRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT a.id, a.path, a.title, a.language, a.content_hash, a.indexed_at, "
                "(SELECT COUNT(*) FROM chunks c WHERE c.article_id = a.id) "
                "FROM articles a ORDER BY a.path"
            ).fetchall()
        return [ArticleRecord(*row) for row in rows]

    def article_text(self, path: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT text FROM articles WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def add_article(
        self,
        path: str,
        title: str,
        language: str,
        content_hash: str,
        text: str,
        chunks: Iterable[NewChunk],
    ) -> list[int]:
        """Insert an article with its chunks and units; return the new unit ids in the
        order the units were given."""
        cursor = self._db.execute(
            "INSERT INTO articles (path, title, language, content_hash, text, indexed_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (path, title, language, content_hash, text, time.time()),
        )
        article_id = cursor.lastrowid
        unit_ids: list[int] = []
        for chunk in chunks:
            chunk_id = self._db.execute(
                "INSERT INTO chunks (article_id, ordinal, start, end, text) VALUES (?, ?, ?, ?, ?)",
                (article_id, chunk.ordinal, chunk.start, chunk.end, chunk.text),
            ).lastrowid
            for unit in chunk.units:
                unit_ids.append(
                    self._db.execute(
                        "INSERT INTO units (chunk_id, kind, start, end) VALUES (?, ?, ?, ?)",
                        (chunk_id, unit.kind, unit.start, unit.end),
                    ).lastrowid
                )
        return unit_ids

    def remove_article(self, path: str) -> tuple[str, list[int]]:
        """Delete an article with its chunks and units; return its language and the
        removed unit ids."""
        (language,) = self._db.execute(
            "SELECT language FROM articles WHERE path = ?", (path,)
        ).fetchone()
        unit_ids = [
            row[0]
            for row in self._db.execute(
                "SELECT u.id FROM units u JOIN chunks c ON u.chunk_id = c.id "
                "JOIN articles a ON c.article_id = a.id WHERE a.path = ?",
                (path,),
            )
        ]
        self._db.execute("DELETE FROM articles WHERE path = ?", (path,))
        return language, unit_ids

    # --- retrieval ----------------------------------------------------------
    def units(self, unit_ids: Sequence[int]) -> dict[int, UnitRecord]:
        if not unit_ids:
            return {}
        marks = ",".join("?" * len(unit_ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, chunk_id, kind, start, end FROM units WHERE id IN ({marks})",
                [int(i) for i in unit_ids],
            ).fetchall()
        return {row[0]: UnitRecord(*row) for row in rows}

    def units_of_chunks(self, chunk_ids: Sequence[int]) -> list[UnitRecord]:
        if not chunk_ids:
            return []
        marks = ",".join("?" * len(chunk_ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, chunk_id, kind, start, end FROM units WHERE chunk_id IN ({marks}) "
                "ORDER BY id",
                [int(i) for i in chunk_ids],
            ).fetchall()
        return [UnitRecord(*row) for row in rows]

    def chunks(self, chunk_ids: Sequence[int]) -> dict[int, ChunkRecord]:
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        with self._lock:
            rows = self._db.execute(
                "SELECT c.id, a.path, a.title, a.language, c.ordinal, c.start, c.end, c.text "
                f"FROM chunks c JOIN articles a ON c.article_id = a.id WHERE c.id IN ({marks})",
                [int(i) for i in chunk_ids],
            ).fetchall()
        return {row[0]: ChunkRecord(*row) for row in rows}

    def all_chunks(self) -> list[ChunkRecord]:
        """Every chunk, in id order (for the lexical index)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT c.id, a.path, a.title, a.language, c.ordinal, c.start, c.end, c.text "
                "FROM chunks c JOIN articles a ON c.article_id = a.id ORDER BY c.id"
            ).fetchall()
        return [ChunkRecord(*row) for row in rows]
