"""The chat's choice of the language to answer in."""

import pytest

from chatbot.web.app import reply_language


@pytest.mark.parametrize(
    ("question", "page", "language"),
    [
        ("؟؟؟", "prs", "prs"),  # symbols alone: either language's
        ("2024", "prs", "prs"),
        ("!?", "en", "en"),
        ("How many countries?", "prs", "en"),  # letters decide, whatever the page
        ("چند کشور؟", "en", "prs"),
    ],
)
def test_a_question_without_letters_takes_the_page_language(question, page, language):
    assert reply_language(question, page) == language
