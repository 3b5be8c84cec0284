"""Lexical (BM25) search over the chunks of one snapshot, with ``bm25s``.

Dense vectors miss exact names and numbers ("$4.9 billion", "۱۳ کشور"); BM25 over
normalised tokens (:mod:`chatbot.text.tokens`) catches them. The index is built
at indexing time from the tokens stored with each chunk and saved in the
snapshot (NumPy arrays and JSON, no pickle); loading memory-maps it.

``bm25s`` has no incremental update, and rebuilding it is the slowest part of adding
one article to a large index (1.9 s of 3.4 s at 44,600 chunks). So a large index is
kept in two segments: a *base* built in full, and a small *delta* of the chunks added
since, rebuilt on each update and scored with the base's word statistics (IDF), so a
new chunk scores as it would after a full rebuild (up to the slightly different
average length). Chunks removed from the base are masked. When the delta and the
masked chunks pass :data:`DELTA_SHARE` of the base, the next update rebuilds it all.
"""

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from chatbot.index.errors import reading

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG

LEXICAL_DIR = "lexical"
DELTA_SHARE = 0.1
"""Past this share of the base in added plus removed chunks, rebuild in full."""
SEGMENT_FROM = 5000
"""Smaller indexes are always rebuilt in full (it takes well under a second)."""
_IDS_FILE = "chunk_ids.npy"
_LANGUAGES_FILE = "languages.json"
_CODES_FILE = "language_codes.npy"
_MASKED_FILE = "masked.npy"
_BM25_DIR = "bm25"
_DELTA_DIR = "delta"
_EMPTY_DOCUMENT = ["\u2205"]  # bm25s rejects empty documents


def _bm25(tokens: Sequence[list[str]]) -> bm25s.BM25 | None:
    if not tokens:
        return None
    bm25 = bm25s.BM25()
    bm25.index([t or _EMPTY_DOCUMENT for t in tokens], show_progress=False)
    return bm25


def _document_frequency(bm25: bm25s.BM25, column: int) -> int:
    """Documents holding the word of ``column`` (0 for bm25s's empty-token column)."""
    indptr = bm25.scores["indptr"]
    return int(indptr[column + 1] - indptr[column]) if column + 1 < len(indptr) else 0


def _idf(documents: int, frequency: int) -> float:
    """bm25s's default (Lucene) IDF."""
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def _with_base_statistics(delta: bm25s.BM25, base: bm25s.BM25) -> None:
    """Rescale each word's scores in ``delta`` from its own IDF to the base's."""
    delta_documents, base_documents = delta.scores["num_docs"], base.scores["num_docs"]
    data, indptr = delta.scores["data"], delta.scores["indptr"]
    for token, column in delta.vocab_dict.items():
        base_column = base.vocab_dict.get(token)
        base_frequency = 0 if base_column is None else _document_frequency(base, base_column)
        frequency = _document_frequency(delta, column)
        own = _idf(delta_documents, frequency)
        if frequency and own > 0:
            data[indptr[column] : indptr[column + 1]] *= _idf(base_documents, base_frequency) / own


def _language_codes(languages: Sequence[str], names: list[str]) -> np.ndarray:
    """``languages`` as indexes into ``names``, which gains any language it lacks."""
    for language in dict.fromkeys(languages):
        if language not in names:
            names.append(language)
    position = {name: code for code, name in enumerate(names)}
    return np.fromiter((position[x] for x in languages), dtype=np.int8, count=len(languages))


class LexicalIndex:
    """BM25 over chunks; ``chunk_ids[i]`` is document i's chunk and
    ``language_names[language_codes[i]]`` its language (the base's documents, then the
    delta's, ids ascending). :meth:`match` leaves masked documents out; ``len()``
    counts the others."""

    def __init__(
        self,
        base: bm25s.BM25 | None,
        delta: bm25s.BM25 | None,
        chunk_ids: np.ndarray,
        language_codes: np.ndarray,
        language_names: list[str],
        masked: np.ndarray,
    ):
        self._base, self._delta = base, delta
        self.chunk_ids = chunk_ids
        self.language_codes = language_codes
        """One small integer per document: comparing them is far cheaper than comparing
        language names over a million documents at every question."""
        self.language_names = language_names
        self._masked = masked
        """Row numbers of base documents whose chunks were removed."""

    @classmethod
    def build(
        cls, tokens: Sequence[list[str]], chunk_ids: Sequence[int], languages: Sequence[str]
    ) -> "LexicalIndex":
        """One full segment of these documents."""
        names: list[str] = []
        codes = _language_codes(languages, names)
        return cls(
            _bm25(tokens),
            None,
            np.asarray(chunk_ids, dtype=np.int64),
            codes,
            names,
            np.empty(0, dtype=np.int64),
        )

    @property
    def base_size(self) -> int:
        return int(self._base.scores["num_docs"]) if self._base is not None else 0

    @property
    def base_last_id(self) -> int:
        """The base's highest chunk id: chunk ids only grow, so every chunk added since
        the base was built has a higher one."""
        return int(self.chunk_ids[self.base_size - 1]) if self.base_size else 0

    def with_delta(
        self,
        live_ids: np.ndarray,
        delta_tokens: Sequence[list[str]],
        delta_ids: Sequence[int],
        delta_languages: Sequence[str],
    ) -> "LexicalIndex | None":
        """This index after an update that leaves ``live_ids`` in the snapshot: the base
        kept (its removed chunks masked) and the delta rebuilt from the given documents,
        the live chunks after :attr:`base_last_id`; None when a full rebuild is due."""
        base_rows = self.base_size
        base_ids = self.chunk_ids[:base_rows]
        masked = np.flatnonzero(~np.isin(base_ids, live_ids)).astype(np.int64)
        if base_rows < SEGMENT_FROM or len(masked) + len(delta_ids) > DELTA_SHARE * base_rows:
            return None
        delta = _bm25(delta_tokens)
        if delta is not None:
            _with_base_statistics(delta, self._base)
        names = list(self.language_names)
        return LexicalIndex(
            self._base,
            delta,
            np.concatenate([base_ids, np.asarray(delta_ids, dtype=np.int64)]),
            np.concatenate(
                [self.language_codes[:base_rows], _language_codes(delta_languages, names)]
            ),
            names,
            masked,
        )

    def save(self, folder: Path) -> None:
        target = folder / LEXICAL_DIR
        target.mkdir()
        np.save(target / _IDS_FILE, self.chunk_ids, allow_pickle=False)
        np.save(target / _CODES_FILE, self.language_codes, allow_pickle=False)
        (target / _LANGUAGES_FILE).write_text(json.dumps(self.language_names), "utf-8")
        np.save(target / _MASKED_FILE, self._masked, allow_pickle=False)
        if self._base is not None:
            self._base.save(str(target / _BM25_DIR), show_progress=False)
        if self._delta is not None:
            self._delta.save(str(target / _DELTA_DIR), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        source = folder / LEXICAL_DIR
        with reading(source / _IDS_FILE):
            chunk_ids = np.load(source / _IDS_FILE, allow_pickle=False)
        with reading(source / _LANGUAGES_FILE):
            names = json.loads((source / _LANGUAGES_FILE).read_text("utf-8"))
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ValueError("the language list is not a list of names")
        with reading(source / _CODES_FILE):
            codes = np.load(source / _CODES_FILE, allow_pickle=False).astype(np.int8, copy=False)
            if len(codes) != len(chunk_ids):
                raise ValueError(f"{len(codes)} languages for {len(chunk_ids)} chunks")
            if len(codes) and not 0 <= int(codes.min()) <= int(codes.max()) < len(names):
                raise ValueError("a language code outside the language list")
        with reading(source / _MASKED_FILE):
            masked = np.load(source / _MASKED_FILE, allow_pickle=False)
        segments = []
        for name in (_BM25_DIR, _DELTA_DIR):
            segment = None
            if (source / name).is_dir():
                with reading(source / name):
                    segment = bm25s.BM25.load(str(source / name), mmap=True, allow_pickle=False)
            segments.append(segment)
        index = cls(segments[0], segments[1], chunk_ids, codes, names, masked)
        with reading(source / _IDS_FILE):
            delta_size = int(index._delta.scores["num_docs"]) if index._delta is not None else 0
            if index.base_size + delta_size != len(chunk_ids):
                raise ValueError(f"{len(chunk_ids)} chunk ids for the BM25 documents")
        return index

    def __len__(self) -> int:
        return len(self.chunk_ids) - len(self._masked)

    def match(self, tokens: Sequence[str]) -> "Matches":
        """The documents sharing a word with the query ``tokens`` (see
        :func:`chatbot.text.tokens.tokenize`) and their BM25 scores."""
        if not tokens or not len(self.chunk_ids):
            return Matches(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))
        scores = np.zeros(len(self.chunk_ids), dtype=np.float32)
        row = 0
        for segment in (self._base, self._delta):
            if segment is not None:
                size = int(segment.scores["num_docs"])
                scores[row : row + size] = segment.get_scores(list(tokens))
                row += size
        scores[self._masked] = 0.0
        rows = np.flatnonzero(scores)
        return Matches(rows, scores[rows])

    def vocabulary(self) -> set[str]:
        """Every indexed word (matching form), in the base and the delta."""
        words: set[str] = set()
        for segment in (self._base, self._delta):
            if segment is not None:
                words.update(segment.vocab_dict)
        return words

    def holds(self, word: str) -> bool:
        """Whether ``word`` (matching form) is indexed, in the base or the delta."""
        return any(
            segment is not None and word in segment.vocab_dict
            for segment in (self._base, self._delta)
        )

    def best_chunks(self, matches: "Matches", language: str, count: int) -> list[int]:
        """Chunk ids of the (at most) ``count`` best-scoring ``matches`` in ``language``."""
        if language not in self.language_names or count < 1:
            return []
        in_language = self.language_codes[matches.rows] == self.language_names.index(language)
        rows, scores = matches.rows[in_language], matches.scores[in_language]
        if len(rows) > count:
            rows = rows[np.argpartition(-scores, count - 1)[:count]]
        return self.chunk_ids[rows].tolist()

    def shares(self, matches: "Matches", chunk_ids: Sequence[int]) -> np.ndarray:
        """The scores of ``chunk_ids`` divided by the best score of all documents:
        0..1, zeros when nothing matched."""
        shares = np.zeros(len(chunk_ids), dtype=np.float32)
        if not len(matches.rows) or not len(chunk_ids):
            return shares
        wanted = np.asarray(chunk_ids, dtype=np.int64)
        rows = np.minimum(np.searchsorted(self.chunk_ids, wanted), len(self.chunk_ids) - 1)
        indexed = self.chunk_ids[rows] == wanted  # chunk ids are sorted
        at = np.minimum(np.searchsorted(matches.rows, rows), len(matches.rows) - 1)
        matched = indexed & (matches.rows[at] == rows)
        shares[matched] = matches.scores[at[matched]] / matches.scores.max()
        return shares


@dataclass(frozen=True)
class Matches:
    """The BM25 scores of one query: ``scores[i]`` for document row ``rows[i]`` (rows
    ascending); every other document scores 0. Kept sparse because most of a large
    index shares no word with a question."""

    rows: np.ndarray
    scores: np.ndarray
