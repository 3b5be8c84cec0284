"""The abstention rule: a passage answers when its cosine clears the question's own
baseline, weighted, and it stands out from the other passages of its language."""

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from chatbot.evaluation import QARow, evaluate_row, load_rows
from chatbot.index.background import Background
from chatbot.retrieval import RetrievalSettings, Retriever
from chatbot.retrieval.abstention import AbstentionRule, QuestionEvidence, best_passages
from chatbot.retrieval.scoring import Candidate
from tests.conftest import QA_FILE

QUESTION = np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32)


def candidate(language: str, dense: float, margin: float = 0.0, lexical: float = 0.0) -> Candidate:
    return Candidate(1, language, dense, lexical, dense, margin, None, own=dense)


def asked_with_background_at(cosine: float, **evidence: Any) -> QuestionEvidence:
    """:data:`QUESTION`, asked in English, with background texts in both languages at
    ``cosine`` with it."""
    vector = np.array([cosine, np.sqrt(1 - cosine**2), 0.0, 0.0], dtype=np.float32)
    background = Background(np.stack([vector, vector]), np.array(["en", "prs"]))
    return QuestionEvidence(QUESTION, "en", background, **evidence)


def test_relevance_weighs_baseline_lead_and_lifts():
    rule = AbstentionRule()
    asked = asked_with_background_at(0.8)
    plain = rule.relevance(candidate("en", 0.9), asked)
    assert plain == pytest.approx(0.9 - rule.baseline_weight * 0.8)
    leading = rule.relevance(candidate("en", 0.9, margin=0.02), asked)
    assert leading - plain == pytest.approx(rule.margin_weight * 0.02)
    other_language = rule.relevance(candidate("prs", 0.9), asked)
    assert other_language - plain == pytest.approx(rule.cross_lingual_lift)
    shared_words = rule.relevance(candidate("en", 0.9, lexical=0.6), asked)
    assert shared_words - plain == pytest.approx(rule.lexical_lift)
    translated = rule.relevance(candidate("prs", 0.9), asked, translated=True)
    assert translated - other_language == pytest.approx(rule.lexical_lift)
    # across languages, only translated words count: BM25 finds numbers and names there
    numbers_alike = rule.relevance(candidate("prs", 0.9, lexical=0.6), asked)
    assert numbers_alike == pytest.approx(other_language)
    # candidate() is chunk 1: its best sentence gives the number asked for, or not
    number = rule.relevance(candidate("en", 0.9), replace(asked, giving_asked_number={1}))
    assert number - plain == pytest.approx(rule.answer_type_lift)
    no_number = rule.relevance(candidate("en", 0.9), replace(asked, asks_outright=True))
    assert no_number - plain == pytest.approx(-rule.answer_type_lift)
    given = replace(asked, giving_asked_number={1}, asks_outright=True)
    assert rule.relevance(candidate("en", 0.9), given) == pytest.approx(number)
    absent = rule.relevance(candidate("en", 0.9), replace(asked, names_absent_country=True))
    assert absent - plain == pytest.approx(-rule.absent_country_penalty)


def test_translated_words_count_for_a_passage_in_the_other_language_when_they_decide():
    rule = AbstentionRule()
    assert rule.holds_translated(2, 5) and rule.holds_translated(3, 7)
    assert not rule.holds_translated(1, 2) and not rule.holds_translated(2, 6)
    asked_for: list[str] = []

    def translated(best: Candidate) -> tuple[int, int]:
        asked_for.append(best.language)
        return 3, 5

    without = asked_with_background_at(0.8)
    asked = replace(without, translated=translated)
    # short of the threshold by less than the shared-words lift: the translation decides
    near = rule.threshold + 0.8 - rule.cross_lingual_lift - rule.lexical_lift / 2
    judged = {"prs": [candidate("prs", near)]}
    assert not rule.answered(judged, without)
    assert rule.answered(judged, asked)
    # far short, or in the question's own language: not even asked
    far = {"prs": [candidate("prs", near - rule.lexical_lift)]}
    assert not rule.answered(far, asked)
    own = {"en": [candidate("en", near + rule.cross_lingual_lift)]}
    assert not rule.answered(own, asked)
    assert asked_for == ["prs"]


def test_combine_works_element_wise_as_benchmarks_replay_it():
    """benchmarks/abstention.py replays recorded evidence through ``combine`` on arrays;
    each element must be the relevance of the same parts given one by one."""
    rule = AbstentionRule()
    parts = {
        "dense": np.array([0.9, 0.85, 0.8]),
        "baseline": np.array([0.8, 0.7, 0.75]),
        "margin": np.array([0.0, 0.03, 0.01]),
        "other_language": np.array([False, True, True]),
        "shares_words": np.array([True, False, True]),
        "gives_asked_number": np.array([False, True, False]),
        "lacks_asked_number": np.array([True, False, False]),
        "names_absent_country": np.array([False, False, True]),
    }
    together = rule.combine(**parts)
    one_by_one = [rule.combine(**{k: v[i].item() for k, v in parts.items()}) for i in range(3)]
    assert together == pytest.approx(one_by_one)
    assert len(set(one_by_one)) == 3


@pytest.mark.parametrize(("margin", "answered"), [(0.06, True), (0.0, False)])
def test_a_passage_that_does_not_stand_out_is_no_answer(margin, answered):
    """The same cosine over the same baseline: answered only when the passage leads
    the other passages of its language (an off-topic question on the corpus's own
    subject finds many passages about equally close)."""
    rule = AbstentionRule()
    asked = asked_with_background_at(0.75)
    dense = rule.threshold + rule.baseline_weight * 0.75 - 0.1  # 0.1 short without a lead
    by_language = {"en": [candidate("en", dense, margin=margin)]}
    assert rule.answered(by_language, asked) is answered


def test_a_generic_question_needs_more_than_its_baseline_lead():
    """A passage 0.25 above the question's baseline answers a question far from the
    generic texts; a cosine of 1.0, 0.15 above, does not answer one as close to them
    as 0.85."""
    rule = AbstentionRule()
    near_generic = asked_with_background_at(0.85)
    far_from_generic = asked_with_background_at(0.6)
    assert not rule.answered({"en": [candidate("en", 1.0)]}, near_generic)
    assert rule.answered({"en": [candidate("en", 0.85)]}, far_from_generic)


def test_any_language_can_answer():
    rule = AbstentionRule()
    asked = asked_with_background_at(0.8)
    weak, strong = candidate("en", 0.8), candidate("prs", 1.0, margin=0.05)
    assert rule.answered({"en": [weak], "prs": [strong]}, asked)
    assert not rule.answered({"en": [weak], "prs": []}, asked)


def test_the_passage_ranked_first_is_judged_as_well_as_the_closest():
    rule = AbstentionRule()
    asked = asked_with_background_at(0.8)
    closest = Candidate(1, "prs", 0.9, 0.0, 0.9, 0.0, None, own=0.9)
    first = Candidate(2, "prs", 0.88, 0.0, 0.95, 0.03, None, own=0.88)  # ranked above it
    assert best_passages({"prs": [first, closest], "en": []}) == [closest, first]
    assert best_passages({"prs": [closest, first]}) == [closest]
    # the closest passage falls short; the one ranked first stands out enough
    assert not rule.answered({"prs": [closest]}, asked)
    assert rule.answered({"prs": [first, closest]}, asked)
    assert not rule.answered({"prs": [closest, first]}, asked)


def test_a_passage_without_the_personal_fact_asked_for_is_no_answer():
    rule = AbstentionRule()
    strong = candidate("en", 1.0, margin=0.05)  # chunk 1
    assert rule.answered({"en": [strong]}, asked_with_background_at(0.6))
    lacking = asked_with_background_at(0.6, lacking_asked_fact={1})
    assert not rule.answered({"en": [strong]}, lacking)
    # the other language's passage, which speaks of it, may still answer
    other = Candidate(2, "prs", 1.0, 0.0, 1.0, 0.05, None, own=1.0)
    assert rule.answered({"en": [strong], "prs": [other]}, lacking)


def test_a_topic_questions_names_decide():
    rule = AbstentionRule()
    passage = {"en": [candidate("en", 1.0, margin=0.05)]}
    assert rule.answered(passage, asked_with_background_at(0.6))
    assert not rule.answered(passage, asked_with_background_at(0.6, named=False))
    assert rule.answered({"en": []}, asked_with_background_at(0.6, named=True))


def test_the_seeds_questions_are_answered_and_the_off_topic_ones_not(seeds_index, embedder):
    """The shipped QA set on the real index: 89 of its 94 answerable questions are
    answered (docs/retrieval.md); of those that are not, four are cross-language
    questions over a corpus on one subject, whose answer stands out little from the
    passages around it, and one a generic follow-up the follow-up check refuses ("Which
    edition was it?"). At most five may miss here. Of the off-topic questions asked on
    their own, one passes since a passage's translated words count: "بهترین زمان برای
    سفر به هرات چه وقت است؟" (when to travel to Herat) holds two chance translations
    ("hours", "through") of its five words in a passage close enough. None may pass
    after an on-topic question ("What about the weather there?" passed until the
    follow-up check compared it with the part of the passage the conversation found
    rather than with the passage's best sentence). Without the lead's weight, or
    without the lift for a figure where the question asks for a number, fewer are
    answered at the same threshold."""
    rows = load_rows(QA_FILE)
    answerable = [row for row in rows if row.source is not None]
    off_topic = [row for row in rows if row.source is None]

    def answered(rule: AbstentionRule, chosen: list[QARow]) -> int:
        retriever = Retriever(seeds_index, embedder, RetrievalSettings(abstention=rule))
        return sum(evaluate_row(retriever, row, 3).answered for row in chosen)

    rule = AbstentionRule()
    found = answered(rule, answerable)
    assert found >= len(answerable) - 5
    assert answered(rule, [row for row in off_topic if not row.history]) <= 1
    assert answered(rule, [row for row in off_topic if row.history]) == 0
    assert answered(replace(rule, margin_weight=0.0), answerable) < found
    assert answered(replace(rule, answer_type_lift=0.0), answerable) < found


def test_a_question_for_a_figure_the_passage_lacks_needs_more(retriever):
    """ "How many people visited Kabul last year?" is off-topic: no article gives the
    figure. The passage it is judged on has none in its best sentence, and without the
    deduction for the figure the question asks for it would be answered (stop 28's
    example, "کابل چند نفر جمعیت دارد؟", is now refused for not speaking of a
    population at all: chatbot.retrieval.asked_facts)."""
    question = "How many people visited Kabul last year?"
    rule = retriever.settings.abstention
    assert not retriever.search(question).answered
    without = Retriever(
        retriever.index_dir,
        retriever.embedder,
        RetrievalSettings(abstention=replace(rule, answer_type_lift=0.0)),
    )
    assert without.search(question).answered


def test_an_article_saved_twice_answers_what_it_answered_once(retriever, retriever_of_copies):
    """An answer's passage must stand out from the others, but not from its own copy:
    with the English and the Dari 2025 articles each saved a second time, the seeds
    questions get the verdicts they get without the copies (before copies were told
    apart, 10 of the 59 answerable ones it had then went unanswered instead of 5)."""
    changed = [
        row.id
        for row in load_rows(QA_FILE)
        if evaluate_row(retriever_of_copies, row, 3).answered
        != evaluate_row(retriever, row, 3).answered
    ]
    assert changed == []
