"""Checking and tidying a user's question before it is searched."""

import re
import unicodedata
from collections.abc import Sequence
from itertools import groupby

from chatbot.text.normalize import normalize_for_matching

MAX_QUESTION_CHARS = 2000
"""Longer input is refused: a question is a sentence or two, not a document."""
_INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
QUESTION_MARKS = ("?", "؟")
"""The English and the Dari question mark."""
_WORD = re.compile(r"\w+")


_REASONS = {
    "too_long": {
        "en": "the question is {length:,} characters long; the limit is {limit:,}. "
        "Ask a shorter question.",
        "prs": "پرسش {length:,} نویسه دارد و حد آن {limit:,} نویسه است. پرسش کوتاه‌تری بنویسید.",
    },
    "empty": {
        "en": "the question is empty: type a question in English or Dari.",
        "prs": "پرسش خالی است: پرسش خود را به انگلیسی یا دری بنویسید.",
    },
    "no_words": {
        "en": "the question has no words, only symbols: type a question in English or Dari.",
        "prs": "پرسش هیچ واژه‌ای ندارد و تنها نشانه است: پرسش خود را به انگلیسی یا دری بنویسید.",
    },
}


class QuestionError(ValueError):
    """The question cannot be searched; the message says why and what to do, in English
    by default and in Dari with :meth:`in_language`."""

    def __init__(self, reason: str, **values: int) -> None:
        self.reason = reason
        self.values = values
        super().__init__(self.in_language("en"))

    def in_language(self, language: str) -> str:
        return _REASONS[self.reason][language].format(**self.values)


def tidy_question(question: str) -> str:
    """Drop control characters, stray direction marks and lone surrogates (bytes that
    were not UTF-8), fold whitespace; raise
    :class:`QuestionError` for empty or oversized input."""
    length = len(question.strip())
    if length > MAX_QUESTION_CHARS:
        raise QuestionError("too_long", length=length, limit=MAX_QUESTION_CHARS)
    cleaned = _INVISIBLE.sub("", question)
    cleaned = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Cs") and c != "\u200c" else c
        for c in cleaned
    )
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise QuestionError("empty")
    if not any(c.isalnum() for c in cleaned):
        raise QuestionError("no_words")
    return cleaned


def ends_with_question_mark(text: str) -> bool:
    """Whether ``text`` ends with an English or Dari question mark ("?", "؟"): written
    as a question, not as a statement that merely opens like one."""
    return text.rstrip().endswith(QUESTION_MARKS)


EARLIER_TURNS = 10
"""Only the last this many earlier questions (the ones that can be searched) give a
follow-up its context. A follow-up leans on the last question that stood on its own and
at most two follow-ups since, and each earlier answer it recalls may be searched again
(:mod:`chatbot.retrieval.recent_answers`), each recalling the one before it, so a
longer history only costs time: 400 earlier "And?" took 13 s, and 400 earlier "Tell
me more." failed, the searches nested 400 deep."""


def earlier_questions(history: Sequence[str]) -> list[str]:
    """The last :data:`EARLIER_TURNS` earlier user turns that can give a follow-up its
    context, tidied, oldest first. A turn that was refused (empty, symbols only,
    oversized) gives none and is left out: it must not make the new question fail too."""
    turns: list[str] = []
    for turn in reversed(history):
        if len(turns) == EARLIER_TURNS:
            break
        try:
            turns.append(tidy_question(turn))
        except QuestionError:
            continue
    return turns[::-1]


def as_written(question: str, words: set[str]) -> tuple[str, ...]:
    """The runs of ``question``'s words whose matching forms are ``words``, as written:
    "Lionel Messi" for {"lionel", "messi"}."""
    written = [found.group() for found in _WORD.finditer(question)]
    runs = groupby(written, key=lambda word: normalize_for_matching(word) in words)
    return tuple(dict.fromkeys(" ".join(run) for missing, run in runs if missing))
