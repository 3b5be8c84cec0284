"""Consonant skeletons: the same name in Latin and Arabic script has the same one."""

import pytest

from chatbot.text.normalize import normalize_for_matching
from chatbot.text.skeleton import skeleton, skeletons


def consonants(word: str) -> str | None:
    key = skeleton(normalize_for_matching(word))
    return key.consonants if key else None


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("Cambodia", "کمبودیا"),
        ("Afghanistan", "افغانستان"),
        ("Germany", "جرمنی"),  # g before e sounds j
        ("Argentina", "ارجنتاین"),
        ("Blinken", "بلینکن"),
        ("Washington", "واشنگتن"),  # sh
        ("Manchester", "منچستر"),  # ch is چ, not k
        ("Taliban", "طالبان"),
        ("Myanmar", "میانمار"),
        ("Belarus", "بلاروس"),
        ("Mississippi", "میسیسیپی"),  # doubled letters count once
    ],
)
def test_a_name_has_one_skeleton_in_both_scripts(latin: str, arabic: str) -> None:
    assert consonants(latin) is not None
    assert consonants(latin) == consonants(arabic)
    assert skeleton(normalize_for_matching(latin)).script == "latin"
    assert skeleton(normalize_for_matching(arabic)).script == "arabic"


def test_different_names_have_different_skeletons() -> None:
    assert consonants("Cambodia") != consonants("کوریا")
    assert consonants("Cambodia") != consonants("Colombia")


@pytest.mark.parametrize("word", ["Rubio", "روبیو", "Cuba", "کیوبا", "Iran", "chad"])
def test_short_skeletons_are_too_ambiguous_to_have_one(word: str) -> None:
    assert consonants(word) is None


@pytest.mark.parametrize("word", ["covid19", "2025", "cambodiaکمبودیا", "café-bar"])
def test_digits_and_mixed_scripts_have_none(word: str) -> None:
    assert skeleton(word) is None


def test_words_skeletonised_together_do_not_run_into_each_other() -> None:
    # a doubled letter, a "ch" or a "c" before a vowel across two neighbouring words
    words = ["tomorrow", "washington", "blinken", "nicolas", "hamburg", "eisenhower", "کمبودیا"]
    words += ["mississippi", "pacific", "bach", "hanna", "afghanistan", "taliban", "بلینکن"]
    together = skeletons(words)
    assert together == {w: k for w in words for k in skeletons([w]).values()}
    assert together["washington"].consonants == "sngtn"
    assert together["کمبودیا"] == ("kmbd", "arabic")
