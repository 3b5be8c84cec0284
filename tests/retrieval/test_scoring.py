"""Scoring candidates on their stored units, on small hand-made vectors whose cosines
can be read off."""

import numpy as np
import pytest

from chatbot.index.store import ScoringVectors
from chatbot.retrieval.scoring import (
    Candidate,
    CandidatePool,
    copies_among,
    distinctive,
    lead,
    match_units,
    shifted_toward,
    with_copies,
    without_copies,
)


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


TOPIC, DETAIL = unit(1, 0, 0), unit(0, 1, 0)
"""Two query vectors: a follow-up's joined text (the topic) and its own words."""


@pytest.fixture
def stored() -> ScoringVectors:
    """Chunk 1 is about the topic as a whole, with one sentence on the detail; chunk 2
    has a sentence on the topic and one leaning to the detail."""
    return ScoringVectors(
        chunk_ids=[1, 2],
        chunk=np.stack([unit(0.9, 0.3, 0.3), unit(0.2, 0.2, 1)]),
        sentence_chunk=[1, 1, 2, 2],
        sentence_spans=[(0, 10), (11, 20), (100, 110), (111, 130)],
        sentences=np.stack(
            [unit(0.8, 0.1, 0.6), unit(0.1, 1, 0.1), unit(1, 0.05, 0.1), unit(0.3, 0.9, 0.3)]
        ),
    )


def test_each_vector_counts_its_best_unit(stored: ScoringVectors) -> None:
    matches = match_units(stored, [TOPIC, DETAIL], sentence_units=True)
    sentences, chunks = stored.sentences, stored.chunk
    # chunk 1: the topic is best matched by the whole chunk, the detail by a sentence
    assert matches.best[1] == pytest.approx([chunks[0] @ TOPIC, sentences[1] @ DETAIL])
    # chunk 2: both are best matched by one sentence each
    assert matches.best[2] == pytest.approx([sentences[2] @ TOPIC, sentences[3] @ DETAIL])


def test_own_is_the_last_vector_at_the_first_vectors_best_unit(stored: ScoringVectors) -> None:
    matches = match_units(stored, [TOPIC, DETAIL], sentence_units=True)
    assert matches.own[1] == pytest.approx(stored.chunk[0] @ DETAIL)
    assert matches.own[2] == pytest.approx(stored.sentences[2] @ DETAIL)


def test_the_highlight_is_the_sentence_the_last_vector_matches_best(
    stored: ScoringVectors,
) -> None:
    matches = match_units(stored, [TOPIC, DETAIL], sentence_units=True)
    assert matches.highlight == {1: (11, 20), 2: (111, 130)}
    alone = match_units(stored, [TOPIC], sentence_units=True)
    assert alone.highlight == {1: (0, 10), 2: (100, 110)}


def test_without_sentence_units_only_whole_chunks_count(stored: ScoringVectors) -> None:
    matches = match_units(stored, [TOPIC, DETAIL], sentence_units=False)
    assert matches.best[2] == pytest.approx([stored.chunk[1] @ TOPIC, stored.chunk[1] @ DETAIL])
    assert matches.highlight == {}


def test_candidates_rank_on_the_fused_score_and_keep_their_margin(
    stored: ScoringVectors,
) -> None:
    matches = match_units(stored, [TOPIC], sentence_units=True)
    pool = CandidatePool(
        language="en",
        chunk_ids=[1, 2, 3],  # chunk 3 has no stored row (gone since it was found)
        word_share=np.array([0.0, 1.0, 1.0]),
        lifts=np.array([0.0, 0.5, 0.5]),
        units=matches,
        background_top=5,
        copies={},
    )
    dense = {1: 0.9, 2: 0.6}
    found = pool.candidates(dense, offset=0.1)
    assert [c.chunk_id for c in found] == [2, 1]  # 0.6 + 0.5 lift + 0.1 beats 0.9 + 0.1
    assert [c.fused for c in found] == pytest.approx([1.2, 1.0])
    assert [c.margin for c in found] == pytest.approx([0.6 - 0.9, 0.9 - 0.6])
    assert [c.best_sentence for c in found] == [(100, 110), (0, 10)]
    assert found[1].lexical == 0.0 and found[0].lexical == 1.0


def test_the_ranking_may_start_from_other_scores_than_the_cosine(
    stored: ScoringVectors,
) -> None:
    """The language-shifted scores rank; the cosine and the lead stay the question's."""
    pool = CandidatePool(
        language="prs",
        chunk_ids=[1, 2],
        word_share=np.zeros(2),
        lifts=np.zeros(2),
        units=match_units(stored, [TOPIC], sentence_units=True),
        background_top=5,
        copies={},
    )
    found = pool.candidates({1: 0.9, 2: 0.8}, offset=0.05, ranking={1: 0.92, 2: 0.95})
    assert [c.chunk_id for c in found] == [2, 1]
    assert [c.fused for c in found] == pytest.approx([1.0, 0.97])
    assert [c.dense for c in found] == pytest.approx([0.8, 0.9])
    assert [c.margin for c in found] == pytest.approx([-0.1, 0.1])


def test_a_question_is_shifted_toward_the_other_language_only() -> None:
    means = {"en": unit(1, 0, 0), "prs": unit(0, 1, 0)}
    question = unit(1, 1, 1)
    assert shifted_toward(question, "en", "en", means, 0.5) is question
    assert shifted_toward(question, "de", "prs", means, 0.5) is question  # no German mean
    assert shifted_toward(question, "en", "prs", means, 0.0) is question
    shifted = shifted_toward(question, "en", "prs", means, 0.5)
    # a Dari unit gains half of how far it leans toward Dari rather than English
    leaning, neutral = unit(0, 1, 1), unit(0, 0, 1)
    assert leaning @ shifted == pytest.approx(leaning @ question + 0.5 * (leaning[1] - leaning[0]))
    assert neutral @ shifted == pytest.approx(neutral @ question)


def test_a_lead_is_taken_over_the_other_scores() -> None:
    assert lead(0.9, [0.8, 0.7, 0.6, 0.5]) == pytest.approx(0.9 - 0.65)
    assert lead(0.4, [0.9, 0.8]) == pytest.approx(0.4 - 0.85)
    assert lead(0.9, []) == 0.0


def test_copies_are_chunks_with_nearly_the_same_vector() -> None:
    vectors = ScoringVectors(
        chunk_ids=[1, 2, 3, 4],
        chunk=np.stack([unit(1, 0, 0), unit(1, 0.1, 0), unit(1, 0.5, 0), unit(1, 0, 0)]),
        sentence_chunk=[],
        sentence_spans=[],
        sentences=np.empty((0, 3), dtype=np.float32),
    )
    # cosines with chunk 1: chunk 2 0.995, chunk 3 0.894, chunk 4 1.0
    assert copies_among(vectors, 0.98) == {
        1: frozenset({2, 4}),
        2: frozenset({1, 4}),
        4: frozenset({1, 2}),
    }


def margins_in_pool(
    stored: ScoringVectors,
    dense: dict[int, float],
    copies: dict[int, frozenset[int]],
    left_out: frozenset[int] = frozenset(),
) -> dict[int, float]:
    """The margin of each candidate, best first, of chunks 1 and 2 of ``stored`` and
    more chunks matched as chunk 2 was, scored ``dense``, each lead over the best two
    others."""
    matches = match_units(stored, [TOPIC], sentence_units=True)
    for chunk_id in set(dense) - {1, 2}:
        matches.own[chunk_id] = 0.0
    pool = CandidatePool(
        language="en",
        chunk_ids=list(dense),
        word_share=np.zeros(len(dense)),
        lifts=np.zeros(len(dense)),
        units=matches,
        background_top=2,
        copies=copies,
        left_out=left_out,
    )
    return {c.chunk_id: c.margin for c in pool.candidates(dense, offset=0.0)}


def test_a_lead_is_taken_over_the_best_others_each_text_once(stored: ScoringVectors) -> None:
    dense = {1: 0.9, 2: 0.6, 5: 0.9, 6: 0.5, 7: 0.5, 8: 0.4}
    copies = {1: frozenset({5}), 5: frozenset({1}), 6: frozenset({7}), 7: frozenset({6})}
    margins = margins_in_pool(stored, dense, copies)
    # chunk 1 over chunks 2 and 6, not over its copy 5, nor over 6's copy 7
    assert margins[1] == pytest.approx(0.9 - 0.55)
    assert margins[5] == pytest.approx(0.9 - 0.55)
    assert margins[2] == pytest.approx(0.6 - 0.7)  # over chunk 1 and chunk 6
    assert margins[8] == pytest.approx(0.4 - 0.75)


def test_chunks_left_out_are_neither_candidates_nor_others(stored: ScoringVectors) -> None:
    """A request for more leaves out what was shown, and its copies: the rest is judged
    on its own, each lead taken over the others left."""
    dense = {1: 0.9, 2: 0.6, 5: 0.9, 6: 0.5, 7: 0.4}
    copies = {1: frozenset({5}), 5: frozenset({1})}
    assert with_copies(frozenset({1}), copies) == {1, 5}
    margins = margins_in_pool(stored, dense, copies, with_copies(frozenset({1}), copies))
    assert list(margins) == [2, 6, 7]
    assert margins[2] == pytest.approx(0.6 - 0.45)  # over 6 and 7, not over 1 or 5


def test_a_results_list_keeps_each_passage_once_at_its_best_place() -> None:
    def ranked(chunk_id: int, copies: set[int]) -> Candidate:
        return Candidate(chunk_id, "en", 0.9, 0.0, 0.9, 0.0, None, 0.9, frozenset(copies))

    kept = without_copies([ranked(3, {7}), ranked(1, set()), ranked(7, {3}), ranked(2, set())])
    assert [c.chunk_id for c in kept] == [3, 1, 2]


def test_only_words_beyond_the_other_candidates_lift_a_passage() -> None:
    # the subject's common words in every passage: no passage stands out
    assert distinctive(np.array([1.0, 0.9, 0.95])).max() == pytest.approx(0.05)
    # a rare word of the question in one passage: it stands out
    lifted = distinctive(np.array([1.0, 0.2, 0.0]))
    assert lifted[0] == pytest.approx(0.6)
    assert lifted[1:].tolist() == [0.0, 0.0]
    assert distinctive(np.zeros(0)).size == 0
