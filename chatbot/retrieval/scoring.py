"""Scoring one language's candidate chunks on their stored vectors.

A chunk is matched unit by unit: its whole text and each of its sentences have a
stored vector, and each query vector counts the unit it matches best, so that both a
one-sentence question and a paragraph-level one find their chunk
(:func:`match_units`). The matches then become :class:`Candidate` objects, ranked
best first, with the lexical lifts and the cross-language offset added
(:meth:`CandidatePool.candidates`).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from chatbot.index.store import ScoringVectors


@dataclass(frozen=True)
class Candidate:
    """A chunk under consideration, with the evidence for it."""

    chunk_id: int
    language: str
    dense: float
    """Cosine of the question with the chunk's best unit (whole chunk or sentence)."""
    lexical: float
    """BM25 score for the question's words scaled by their best BM25 score (0..1)."""
    fused: float
    """The ranking score: ``dense`` plus the lexical weight times how far ``lexical``
    stands above its language's other candidates (:func:`distinctive`) for a passage in
    the question's language; for a passage in another language, the cosine with the
    question shifted toward that language (:func:`shifted_toward`) plus the
    cross-language offset and the lifts of shared numbers and names."""
    margin: float
    """The passage's lead: ``dense`` over the mean of the best *other* passages of its
    language (0 when it has none)."""
    best_sentence: tuple[int, int] | None
    """Where the best-matching sentence is in the article; None: the whole chunk."""
    own: float
    """A follow-up's own words (its last query vector): their cosine with the unit that
    the question with its context (the first vector) matched best. The same as
    ``dense`` for a question searched alone."""
    copies: frozenset[int] = frozenset()
    """The chunks among the candidates that are copies of this one
    (:func:`copies_among`)."""


@dataclass(frozen=True)
class UnitMatches:
    """How the query vectors match the units of some chunks."""

    best: dict[int, list[float]]
    """Per chunk, each vector's cosine with its best unit in the chunk."""
    own: dict[int, float]
    """Per chunk, the last vector's cosine with the unit the first vector matched best."""
    highlight: dict[int, tuple[int, int]]
    """Per chunk, where the sentence the last vector matched best is in the article;
    missing when the chunk has no sentence vectors or sentence units are off."""


def match_units(
    stored: ScoringVectors,
    vectors: Sequence[np.ndarray],
    sentence_units: bool,
    for_sentences: Sequence[np.ndarray] | None = None,
    question_form: float = 0.0,
) -> UnitMatches:
    """Match ``vectors`` against the stored units (against sentences, their
    ``for_sentences`` forms where given: :mod:`chatbot.retrieval.statement`); with
    ``sentence_units`` off, against the whole chunks only (and no sentence is
    highlighted). ``question_form``: the share of a sentence's score that is the
    cosine of ``vectors`` with its question-form vector, where ``stored`` has them."""
    matrix = np.stack(vectors, axis=1)
    best = dict(zip(stored.chunk_ids, (stored.chunk @ matrix).tolist(), strict=True))
    own = {chunk_id: scores[-1] for chunk_id, scores in best.items()}
    highlight: dict[int, tuple[float, int, int]] = {}
    if sentence_units and stored.sentence_chunk:
        sentence_matrix = matrix if for_sentences is None else np.stack(for_sentences, axis=1)
        scores = stored.sentences @ sentence_matrix
        if question_form and stored.sentence_questions is not None:
            asked = stored.sentence_questions @ matrix
            scores = (1 - question_form) * scores + question_form * asked
        similarities = scores.tolist()
        for chunk_id, (start, end), sentence in zip(
            stored.sentence_chunk, stored.sentence_spans, similarities, strict=True
        ):
            if chunk_id not in best:
                continue
            if sentence[0] > best[chunk_id][0]:
                own[chunk_id] = sentence[-1]
            best[chunk_id] = [max(a, b) for a, b in zip(best[chunk_id], sentence, strict=True)]
            if sentence[-1] > highlight.get(chunk_id, (-2.0, 0, 0))[0]:
                highlight[chunk_id] = (sentence[-1], start, end)
    spans = {chunk_id: (start, end) for chunk_id, (_, start, end) in highlight.items()}
    return UnitMatches(best, own, spans)


@dataclass(frozen=True)
class CandidatePool:
    """One language's candidate chunks for a question and the evidence for them."""

    language: str
    chunk_ids: list[int]
    word_share: np.ndarray
    """Per chunk of ``chunk_ids``, the BM25 of the question's words scaled to 0..1."""
    lifts: np.ndarray
    """Per chunk of ``chunk_ids``, what the lexical evidence adds to its ranking score."""
    units: UnitMatches
    background_top: int
    """Over how many of the best other chunks a chunk's margin is taken."""
    copies: Mapping[int, frozenset[int]]
    """Per chunk, its copies among ``chunk_ids`` (:func:`copies_among`): left out of
    the others its margin is taken over."""
    left_out: frozenset[int] = frozenset()
    """Chunks the reader has been shown already, with their copies (:func:`with_copies`;
    a request for more, :func:`chatbot.retrieval.conversation.asks_for_more`): not
    candidates, nor among the others a margin is taken over, so that what is left is
    judged on its own."""

    def candidates(
        self,
        dense: Mapping[int, float],
        offset: float,
        ranking: Mapping[int, float] | None = None,
    ) -> list[Candidate]:
        """The chunks scored ``dense`` as candidates, best first. Their ranking score
        starts from ``ranking`` (default: ``dense``), with ``offset`` added."""
        ranking = dense if ranking is None else ranking
        best_first = sorted(dense.items(), key=lambda item: -item[1])
        found = []
        for row, chunk_id in enumerate(self.chunk_ids):
            score = dense.get(chunk_id)
            if score is None or chunk_id in self.left_out:  # None: gone with a snapshot
                continue
            found.append(
                Candidate(
                    chunk_id=chunk_id,
                    language=self.language,
                    dense=score,
                    lexical=float(self.word_share[row]),
                    fused=ranking[chunk_id] + float(self.lifts[row]) + offset,
                    margin=lead(score, self._others(chunk_id, best_first)),
                    best_sentence=self.units.highlight.get(chunk_id),
                    own=self.units.own[chunk_id],
                    copies=self.copies.get(chunk_id, frozenset()),
                )
            )
        found.sort(key=lambda c: -c.fused)
        return found

    def _others(self, chunk_id: int, best_first: list[tuple[int, float]]) -> list[float]:
        """The best scores of chunks other than ``chunk_id``, each text once: copies of
        the chunk or of an other already taken are passed over."""
        seen = {chunk_id} | self.copies.get(chunk_id, frozenset()) | self.left_out
        others: list[float] = []
        for other, score in best_first:
            if len(others) == self.background_top:
                break
            if other not in seen:
                others.append(score)
                seen |= {other} | self.copies.get(other, frozenset())
        return others


def shifted_toward(
    vector: np.ndarray, asked_in: str, language: str, means: Mapping[str, np.ndarray], weight: float
) -> np.ndarray:
    """A question's ``vector`` for scoring passages in ``language`` when it was asked in
    ``asked_in``: moved by ``weight`` times the difference of the two languages' mean
    chunk vectors (``means``), so that a unit scores its cosine with the question plus
    ``weight`` times how far it lies toward its own language. Unchanged (the same
    array) for the question's own language, a weight of 0, or an index that lacks one
    of the two.

    e5 scores a passage in the question's own language higher whatever it says. A fixed
    offset makes up for that on average, but passages differ in how much of their
    language they carry; the direction between the two languages' means measures it
    per passage (``docs/retrieval.md``, "Earlier: country names from CLDR, the question
    shifted toward the other language")."""
    if not weight or asked_in == language or asked_in not in means or language not in means:
        return vector
    return vector + weight * (means[language] - means[asked_in])


def distinctive(shares: np.ndarray) -> np.ndarray:
    """``shares`` (one language's candidates: how much of the question's words each
    holds, BM25 scaled to 0..1) less their mean, and 0 where below it: how far a
    passage shares more of the question's words than the others found for it.

    Scaled BM25 gives its best passage a 1 even when that passage shares only the words
    every passage on the subject has ("report", "trafficking", "گزارش"). As a lift,
    that put a passage in the question's language that merely speaks of the subject
    ahead of the answer in the other language, which cannot share the words. Words all
    the candidates share tell none of them apart; the share a passage holds beyond the
    others does."""
    if not shares.size:
        return shares
    return np.maximum(shares - shares.mean(), 0.0)


def with_copies(chunks: frozenset[int], copies: Mapping[int, frozenset[int]]) -> frozenset[int]:
    """``chunks`` and their ``copies`` (:func:`copies_among`)."""
    return chunks.union(*(copies.get(chunk_id, frozenset()) for chunk_id in chunks))


def without_copies(ranked: Iterable[Candidate]) -> list[Candidate]:
    """``ranked`` without the copies of a candidate ranked before them: the reader
    gets each passage once, cited from its best-ranked place."""
    kept: list[Candidate] = []
    passed_over: set[int] = set()
    for candidate in ranked:
        if candidate.chunk_id not in passed_over:
            kept.append(candidate)
            passed_over |= candidate.copies
    return kept


def lead(score: float, others: Iterable[float]) -> float:
    """``score`` over the mean of ``others``, the best scores besides its own (0 when
    there are none). A mean that took the passage in would shrink its lead by a factor
    (n - 1) / n over n passages: 4/5 with five, but 2/3 in a language of three, so the
    answers of a small corpus would stand out less than those of a large one."""
    rest = list(others)
    return score - sum(rest) / len(rest) if rest else 0.0


def copies_among(stored: ScoringVectors, cosine: float) -> dict[int, frozenset[int]]:
    """Per chunk of ``stored``, the others whose whole-chunk vectors are at least
    ``cosine`` close to its own: the same text indexed twice (an article saved under
    two names, a wire story in two papers, an update beside the first version). A
    passage stands out from its competitors, not from its copies: with a copy among
    the others, an answer's lead would shrink and a question the corpus answers could
    go unanswered. With e5, different passages on one story stay below about 0.93
    (the chunks of the two English seed articles, on the same report: at most 0.92
    across the articles, 0.93 within one); a copy comes out at 1.0."""
    close = stored.chunk @ stored.chunk.T >= cosine
    np.fill_diagonal(close, False)
    copies: defaultdict[int, set[int]] = defaultdict(set)
    for row, column in zip(*np.nonzero(close), strict=True):
        copies[stored.chunk_ids[row]].add(stored.chunk_ids[column])
    return {chunk_id: frozenset(found) for chunk_id, found in copies.items()}
