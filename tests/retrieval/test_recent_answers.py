"""The memory of the last answers' passages."""

from chatbot.retrieval.recent_answers import RecentAnswers, ShownAnswer

XINJIANG = (1, "Who is exploited in Xinjiang?", "Who is exploited in Xinjiang?", 5)
CAKE = (1, "How do I bake a cake?", "How do I bake a cake?", 5)


def test_an_answer_is_recalled_as_remembered_and_an_unseen_one_is_not():
    recent = RecentAnswers()
    recent.remember(XINJIANG, ShownAnswer(7, (7, 3, 9)))
    recent.remember(CAKE, ShownAnswer(None, (2, 4)))
    assert recent.recall(XINJIANG) == ShownAnswer(7, (7, 3, 9))
    assert recent.recall(CAKE) == ShownAnswer(None, (2, 4))
    # another snapshot is another answer, and so are fewer passages asked for
    assert recent.recall((2, *XINJIANG[1:])) is None
    assert recent.recall((*XINJIANG[:3], 3)) is None


def test_the_least_recently_used_answer_goes_first():
    recent = RecentAnswers(size=2)
    a, b, c = ((1, text, text, 5) for text in "abc")
    recent.remember(a, ShownAnswer(1, (1,)))
    recent.remember(b, ShownAnswer(2, (2,)))
    recent.recall(a)
    recent.remember(c, ShownAnswer(3, (3,)))
    assert recent.recall(b) is None
    assert recent.recall(a) == ShownAnswer(1, (1,))
    assert recent.recall(c) == ShownAnswer(3, (3,))
