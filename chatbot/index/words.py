"""The indexed words' vectors: a question's words found, translated, in the other language.

e5 embeds a single word close to its translation: over the seeds' English words,
"مجازات" is nearest to "punishing", "کارخانه" to "factories", "اقلیت" to "minority"
(18 of 23 Dari words tried, ``docs/retrieval.md``). So each snapshot keeps a vector for
every indexed word (the BM25 vocabulary, in the matching form, of :data:`MIN_LETTERS`
letters or more, numbers left out) and, per word, its cosine with the closest indexed
word of the other script. A question word *translates into* an indexed word of the other
script when that word is its nearest there, and the question word is about as close to
it as any word of the question's script is (:meth:`WordVectors.translation`): mutual
nearest neighbours, so that a word merely close to many ("dire", "out") is seldom
anyone's translation. Chance pairs remain ("سفر", travel, → "through"); the abstention
rule only counts a passage holding several of the question's words
(:mod:`chatbot.retrieval.translation`).

Each snapshot takes the previous one's vectors and closest-word cosines (same
embedder) and embeds only the new words, in batches: about 160 words a second on 2
cores, so the seeds' first build (556 words) takes 3.5 s more, FLORES-200's English
articles (4,916 words) about 40 s, and an article adds its new words only (with
none, the previous snapshot's file is linked). A
snapshot written before this file was kept has none: translation evidence is off
until the next ``chatbot index`` that changes something (or ``--rebuild``).
"""

import os
import shutil
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zipfile import BadZipFile

import numpy as np

from chatbot.embeddings import Embedder
from chatbot.index.errors import IndexError_, reading
from chatbot.text.language import is_arabic_script

WORDS_FILE = "words.npz"
MIN_LETTERS = 3
"""Shorter words are left out: Dari and English two-letter words are mostly function
words, and a short word's vector says little about its meaning."""
TRANSLATION_MARGIN = 0.02
"""How far below the indexed word's closest match in the question's script the question
word may be and still count as its translation. The question word itself is often not
indexed (a Dari question over English articles), and the indexed word's closest match
is then another form of it: "گروههایی" is 0.908 from "groups", whose closest Dari word,
"گروههای", is 0.919 from it. "قربانیان" → "victims" (0.881 against 0.902) stays out."""
_BATCH = 256
_BLOCK = 2048


def in_arabic_script(word: str) -> bool:
    """Whether ``word`` is written in Arabic script (Dari), else taken as Latin."""
    return any(is_arabic_script(letter) for letter in word)


def indexable(word: str) -> bool:
    """Whether a word (matching form) gets a vector: letters enough, not a number."""
    return len(word) >= MIN_LETTERS and not word.isdigit()


@dataclass(frozen=True)
class WordVectors:
    """The indexed words, their vectors (unit length) and closest-word cosines, the
    Latin-script words first (put so when given otherwise), so that each script's
    vectors are one block of rows."""

    words: tuple[str, ...]
    vectors: np.ndarray
    closest_other: np.ndarray
    """Per word, its cosine with the closest word in the other script (-1: none)."""
    arabic: np.ndarray = field(init=False, repr=False)
    rows: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.vectors) != len(self.words) or len(self.closest_other) != len(self.words):
            raise ValueError(
                f"{len(self.words)} words, {len(self.vectors)} vectors, "
                f"{len(self.closest_other)} closest-word cosines"
            )
        arabic = np.array([in_arabic_script(word) for word in self.words], dtype=bool)
        order = np.argsort(arabic, kind="stable")
        if np.any(order != np.arange(len(order))):
            object.__setattr__(self, "words", tuple(self.words[i] for i in order))
            object.__setattr__(self, "vectors", self.vectors[order])
            object.__setattr__(self, "closest_other", self.closest_other[order])
            arabic = arabic[order]
        object.__setattr__(self, "arabic", arabic)
        object.__setattr__(self, "rows", {word: row for row, word in enumerate(self.words)})

    def vector(self, word: str) -> np.ndarray | None:
        """The stored vector of an indexed ``word``; None for any other word."""
        row = self.rows.get(word)
        return None if row is None else self.vectors[row]

    def translations(self, words: Sequence[str], vectors: np.ndarray) -> list[str | None]:
        """For each of ``words`` (their ``vectors``, one row each), the indexed word of
        the other script it translates into, or None: its nearest word there, when it
        is within :data:`TRANSLATION_MARGIN` of that word's closest match in its own
        script. One matrix product per script over the other script's block of rows."""
        found: list[str | None] = [None] * len(words)
        latin = int(np.count_nonzero(~self.arabic))
        asked_arabic = np.array([in_arabic_script(word) for word in words], dtype=bool)
        blocks = {False: (latin, len(self.words)), True: (0, latin)}  # the other script's
        for arabic, (start, stop) in blocks.items():
            asked = np.flatnonzero(asked_arabic == arabic)
            if not len(asked) or start == stop:
                continue
            similarities = self.vectors[start:stop] @ vectors[asked].T
            best = similarities.argmax(axis=0)
            for column, position in enumerate(asked):
                row = start + int(best[column])
                floor = self.closest_other[row] - TRANSLATION_MARGIN
                if similarities[best[column], column] >= floor:
                    found[position] = self.words[row]
        return found


def build_word_vectors(
    vocabulary: Collection[str],
    embedder: Embedder,
    previous: WordVectors | None,
    progress: Callable[[int], Callable[[int], None]] | None = None,
) -> WordVectors:
    """Vectors for the indexable words of ``vocabulary``: taken from ``previous`` (same
    embedder) where it has them, with their closest-word cosines, the others embedded
    (``progress`` is told how many there are, then each batch done). When no word
    was removed, only the new words are compared with the other script's, so adding
    an article costs in proportion to what it adds (a matrix product over every pair
    takes seconds at 10,000 articles); a removal counts every pair again."""
    words = tuple(sorted((w for w in vocabulary if indexable(w)), key=_script_then_word))
    arabic = np.array([in_arabic_script(word) for word in words], dtype=bool)
    known = previous.rows if previous is not None else {}
    reused = np.array([known.get(word, -1) for word in words], dtype=np.int64)
    old = reused >= 0
    new = [word for word, row in zip(words, reused, strict=True) if row < 0]
    vectors = np.zeros((len(words), embedder.dimension), dtype=np.float32)
    closest = np.full(len(words), -1.0, dtype=np.float32)
    if previous is not None:
        vectors[old] = previous.vectors[reused[old]]
        closest[old] = previous.closest_other[reused[old]]
    if new:
        step = progress(len(new)) if progress else None
        embedded = []
        for start in range(0, len(new), _BATCH):
            batch = new[start : start + _BATCH]
            embedded.append(embedder.embed_queries(batch))
            if step:
                step(len(batch))
        vectors[~old] = np.concatenate(embedded)
    if previous is None or int(np.count_nonzero(old)) < len(previous.words):
        # a word gone may have been some word's closest: count every pair again
        closest[:] = -1.0
        _raise_closest(closest, vectors, arabic, np.flatnonzero(arabic))
    else:
        _raise_closest(closest, vectors, arabic, np.flatnonzero(~old))
    return WordVectors(words, vectors, closest)


def _script_then_word(word: str) -> tuple[bool, str]:
    """Sort key: Latin-script words first, each script in code-point order."""
    return in_arabic_script(word), word


def _raise_closest(
    closest: np.ndarray, vectors: np.ndarray, arabic: np.ndarray, rows: np.ndarray
) -> None:
    """Raise ``closest`` with the cosines of each of ``rows`` (indices, or a mask) with
    every word of the other script, on both sides of each pair. Over every word of one
    script, that is every pair; over a snapshot's new words, the pairs the previous
    snapshot's cosines lack."""
    chosen = np.zeros(len(closest), dtype=bool)
    chosen[rows] = True
    for side in (arabic, ~arabic):
        new, others = np.flatnonzero(chosen & side), np.flatnonzero(~side)
        if not len(new) or not len(others):
            continue
        other_vectors = vectors[others]
        for start in range(0, len(new), _BLOCK):
            block = new[start : start + _BLOCK]
            similarities = vectors[block] @ other_vectors.T
            closest[block] = np.maximum(closest[block], similarities.max(axis=1))
            closest[others] = np.maximum(closest[others], similarities.max(axis=0))


def publish_word_vectors(
    folder: Path,
    vocabulary: Collection[str],
    embedder: Embedder,
    previous: Path | None,
    progress: Callable[[int], Callable[[int], None]] | None = None,
) -> None:
    """Write snapshot ``folder``'s word vectors for ``vocabulary``, from those of the
    ``previous`` snapshot (same embedder; None: there is none). When the words are the
    same (an article whose words are all indexed already) its file is linked, not read
    and written again: at 18,000 words that is 0.3 s of an update. A missing or
    damaged previous file means every word is embedded again."""
    wanted = {word for word in vocabulary if indexable(word)}
    source = previous / WORDS_FILE if previous is not None else None
    try:
        if source is not None and source.exists():
            with np.load(source, allow_pickle=False) as stored:
                if set(stored["words"].tolist()) == wanted:
                    _link_or_copy(source, folder / WORDS_FILE)
                    return
        words = read_word_vectors(previous) if previous is not None else None
    except (OSError, ValueError, KeyError, BadZipFile, IndexError_):
        words = None
    write_word_vectors(folder, build_word_vectors(wanted, embedder, words, progress))


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system allows one (snapshot files are never
    changed in place), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_word_vectors(folder: Path, words: WordVectors) -> None:
    """Store ``words`` in snapshot ``folder`` (vectors as float16: half the disk, and
    cosines still within 0.001)."""
    np.savez(
        folder / WORDS_FILE,
        words=np.array(words.words, dtype=str),
        vectors=words.vectors.astype(np.float16),
        closest_other=words.closest_other,
    )


def read_word_vectors(folder: Path) -> WordVectors | None:
    """The word vectors of snapshot ``folder``; None for a snapshot written before they
    were kept. :class:`~chatbot.index.errors.IndexCorruptError` names a damaged file."""
    path = folder / WORDS_FILE
    if not path.exists():
        return None
    with reading(path), np.load(path, allow_pickle=False) as stored:
        return WordVectors(
            tuple(stored["words"].tolist()),
            stored["vectors"].astype(np.float32),
            stored["closest_other"].astype(np.float32),
        )
