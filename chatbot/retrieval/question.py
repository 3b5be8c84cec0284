"""Checking and tidying a user's question before it is searched."""

import re
import unicodedata

MAX_QUESTION_CHARS = 2000
"""Longer input is refused: a question is a sentence or two, not a document."""
_INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class QuestionError(ValueError):
    """The question cannot be searched; the message says why and what to do."""


def tidy_question(question: str) -> str:
    """Drop control characters and stray direction marks, fold whitespace; raise
    :class:`QuestionError` for empty or oversized input."""
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(question):,} characters long; the limit is "
            f"{MAX_QUESTION_CHARS:,}. Ask a shorter question."
        )
    cleaned = _INVISIBLE.sub("", question)
    cleaned = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf") and c != "\u200c" else c for c in cleaned
    )
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise QuestionError("the question is empty: type a question in English or Dari.")
    if not any(c.isalnum() for c in cleaned):
        raise QuestionError(
            "the question has no words, only symbols: type a question in English or Dari."
        )
    return cleaned
