import pytest

from chatbot.text.language import detect_language
from chatbot.text.normalize import normalize_for_matching as normalize


def test_arabic_letters_become_persian():
    assert normalize("كشور يك") == normalize("کشور یک")


def test_digits_in_every_script_match_ascii():
    assert normalize("۱۳ کشور") == normalize("13 کشور") == normalize("١٣ کشور")


def test_zero_width_non_joiner_is_ignored():
    assert normalize("می\u200cشوند") == normalize("میشوند")


def test_tatweel_and_diacritics_are_removed():
    assert normalize("قـــاچاق") == normalize("قاچاق")
    assert normalize("کِتاب") == normalize("کتاب")


def test_case_and_whitespace_fold():
    assert normalize("  Forced\n LABOR ") == "forced labor"


def test_language_by_script():
    assert detect_language("How many countries?") == "en"
    assert detect_language("چند کشور در این گزارش؟") == "prs"
    assert detect_language("گزارش TIP سال ۲۰۲۵") == "prs"
    assert detect_language("2025") == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Marco Rubio چه گفت؟", "prs"),  # more Latin letters than Arabic ones
        ("UNODC چیست؟", "prs"),
        ("UN Security Council چه گفت؟", "prs"),
        ("What does افغانستان mean in this report?", "en"),
        ("؟؟؟", "en"),
    ],
)
def test_a_dari_question_with_latin_names_is_dari(text, language):
    assert detect_language(text) == language
