"""Tidying a question, and telling a question from a statement."""

import pytest

from chatbot.retrieval.question import (
    EARLIER_TURNS,
    QuestionError,
    earlier_questions,
    ends_with_question_mark,
    tidy_question,
)


def test_a_question_is_tidied_and_bad_input_refused():
    assert tidy_question("  What\u200f about\n\tCuba?\x00 ") == "What about Cuba?"
    assert tidy_question("و در\u200cباره کیوبا؟") == "و در\u200cباره کیوبا؟"  # ZWNJ kept
    for bad, reason in [("   ", "empty"), ("?!…", "no_words"), ("x" * 2001, "too_long")]:
        with pytest.raises(QuestionError) as refused:
            tidy_question(bad)
        assert refused.value.reason == reason


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("How many countries made progress?", True),
        ("چند کشور پیشرفت کردند؟ ", True),
        ("When asked for comment, Miller said nothing.", False),
        ("how many countries made progress", False),
    ],
)
def test_a_question_ends_with_its_question_mark(text, question):
    assert ends_with_question_mark(text) is question


def test_only_the_last_earlier_questions_that_can_be_searched_count():
    history = [f"Question {i}?" for i in range(3 * EARLIER_TURNS)] + ["  ?  ", "", "x" * 5000]
    earlier = earlier_questions(history)
    assert earlier == [f"Question {i}?" for i in range(2 * EARLIER_TURNS, 3 * EARLIER_TURNS)]
    assert earlier_questions(["\u200fAnd?", "   "]) == ["And?"]
