"""Which words are names, for matching them across scripts
(:mod:`chatbot.index.names`).

English writes a name with a capital letter, so a Latin word counts as a name where
it is capitalised inside a sentence; a capital after a full stop, at the start of a
line or of the text says nothing. Dari has no capitals: every Arabic-script word may
be one.
"""

import re
from collections.abc import Iterable

from chatbot.text.normalize import normalize_for_matching

_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_START = re.compile(r"(?:^\s*|[.!?:;\"“”«»\n]\s*)$")
"""Matches the few characters before a word that starts a sentence."""
_LOOK_BACK = 3


def _starts_sentence(text: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, start - _LOOK_BACK) : start]))


def capitalised_words(text: str) -> set[str]:
    """The Latin words that ``text`` capitalises inside a sentence, in the matching
    form: "Is Afghanistan on the list?" gives "afghanistan", not "is"."""
    return {
        normalize_for_matching(found.group())
        for found in _WORD.finditer(text)
        if found.group().isascii()
        and found.group()[0].isupper()
        and not _starts_sentence(text, found.start())
    }


def written_as_name(word: str, texts: Iterable[str]) -> bool:
    """Whether the Latin ``word`` (matching form) is capitalised inside sentences of
    ``texts`` more often than it is written in lower case: "Cambodia" is, but not
    "coronavirus", even where a heading capitalises it."""
    pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
    capitalised = lower = 0
    for text in texts:
        for found in pattern.finditer(text):
            if found.group()[0].islower():
                lower += 1
            elif not _starts_sentence(text, found.start()):
                capitalised += 1
    return capitalised > lower
