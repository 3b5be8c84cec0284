"""Lexical (BM25) search over the chunks of one snapshot, with ``bm25s``.

Dense vectors miss exact names and numbers ("$4.9 billion", "۱۳ کشور"); BM25 over
normalised tokens (:mod:`chatbot.text.tokens`) catches them. The index is built
at indexing time from the tokens stored with each chunk and saved in the
snapshot (NumPy arrays and JSON, no pickle); loading memory-maps it.
"""

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from chatbot.index.errors import reading
from chatbot.text.tokens import tokenize

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG

LEXICAL_DIR = "lexical"
_IDS_FILE = "chunk_ids.npy"
_LANGUAGES_FILE = "languages.json"
_CODES_FILE = "language_codes.npy"
_BM25_DIR = "bm25"
_EMPTY_DOCUMENT = ["\u2205"]  # bm25s rejects empty documents


class LexicalIndex:
    """BM25 over chunks; ``chunk_ids[i]`` and ``languages[i]`` describe document i."""

    def __init__(self, bm25: bm25s.BM25 | None, chunk_ids: np.ndarray, languages: np.ndarray):
        self._bm25 = bm25
        self.chunk_ids = chunk_ids
        self.languages = languages

    @classmethod
    def build(
        cls, tokens: Sequence[list[str]], chunk_ids: Sequence[int], languages: Sequence[str]
    ) -> "LexicalIndex":
        bm25 = None
        if tokens:
            bm25 = bm25s.BM25()
            bm25.index([t or _EMPTY_DOCUMENT for t in tokens], show_progress=False)
        return cls(bm25, np.asarray(chunk_ids, dtype=np.int64), np.asarray(languages, dtype="U8"))

    def save(self, folder: Path) -> None:
        target = folder / LEXICAL_DIR
        target.mkdir()
        np.save(target / _IDS_FILE, self.chunk_ids, allow_pickle=False)
        language_names = sorted(set(self.languages.tolist()))
        codes = np.array([language_names.index(x) for x in self.languages.tolist()], np.int8)
        np.save(target / _CODES_FILE, codes, allow_pickle=False)
        (target / _LANGUAGES_FILE).write_text(json.dumps(language_names), "utf-8")
        if self._bm25 is not None:
            self._bm25.save(str(target / _BM25_DIR), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        source = folder / LEXICAL_DIR
        with reading(source / _IDS_FILE):
            chunk_ids = np.load(source / _IDS_FILE, allow_pickle=False)
        with reading(source / _LANGUAGES_FILE):
            names = json.loads((source / _LANGUAGES_FILE).read_text("utf-8"))
        with reading(source / _CODES_FILE):
            codes = np.load(source / _CODES_FILE, allow_pickle=False)
            languages = np.array(names, dtype="U8")[codes] if len(codes) else np.array([], "U8")
            if len(languages) != len(chunk_ids):
                raise ValueError(f"{len(languages)} languages for {len(chunk_ids)} chunks")
        bm25 = None
        if (source / _BM25_DIR).is_dir():
            with reading(source / _BM25_DIR):
                bm25 = bm25s.BM25.load(str(source / _BM25_DIR), mmap=True, allow_pickle=False)
        return cls(bm25, chunk_ids, languages)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (zeros when no word matches)."""
        tokens = tokenize(query)
        if not tokens or self._bm25 is None:
            return np.zeros(len(self), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
