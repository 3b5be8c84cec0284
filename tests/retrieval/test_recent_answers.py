"""The memory of the last answers' first passages."""

from chatbot.retrieval.recent_answers import RecentAnswers


def test_an_answer_is_recalled_as_remembered_and_an_unseen_one_is_not():
    recent = RecentAnswers()
    recent.remember((1, "Who is exploited in Xinjiang?", "Who is exploited in Xinjiang?"), 7)
    recent.remember((1, "How do I bake a cake?", "How do I bake a cake?"), None)
    assert recent.recall((1, "Who is exploited in Xinjiang?", "Who is exploited in Xinjiang?")) == (
        True,
        7,
    )
    assert recent.recall((1, "How do I bake a cake?", "How do I bake a cake?")) == (True, None)
    # another snapshot is another answer
    assert recent.recall((2, "Who is exploited in Xinjiang?", "Who is exploited in Xinjiang?")) == (
        False,
        None,
    )


def test_the_least_recently_used_answer_goes_first():
    recent = RecentAnswers(size=2)
    recent.remember((1, "a", "a"), 1)
    recent.remember((1, "b", "b"), 2)
    recent.recall((1, "a", "a"))
    recent.remember((1, "c", "c"), 3)
    assert recent.recall((1, "b", "b")) == (False, None)
    assert recent.recall((1, "a", "a")) == (True, 1)
    assert recent.recall((1, "c", "c")) == (True, 3)
