"""Country names in English and Dari, for matching them across scripts
(:mod:`chatbot.index.names`).

A consonant skeleton (:mod:`chatbot.text.skeleton`) links a long name across scripts
("Cambodia", "کمبودیا"), but a short one has too few consonants to be evidence
("Iran", "Cuba", "Syria"), and some names are translated rather than transliterated
("North Korea", "کوریای شمالی"). News is full of country names, and e5-small links
them poorly across languages: asked "Is Iran on the list of countries with a
documented trafficking policy?", it ranks an English passage on the report above the
Dari list that names Iran. So the names of the world's countries and regions in both
languages come from the Unicode CLDR through Babel: English, and Dari as Afghanistan
writes it (``fa_AF``, which falls back to Iranian Persian where the two agree).

A name counts when the question holds all its words in a row, in the matching form
(:func:`chatbot.text.tokens.tokenize`): "north korea", "کوریای شمالی".
"""

import functools
import re
from collections.abc import Iterator

from babel import Locale

from chatbot.text.tokens import tokenize

Name = tuple[str, ...]
"""A name as its word tokens."""

_IN_BRACKETS = re.compile(r"\s*\(([^)]*)\)")
COMMON_WORDS = frozenset({"مالی"})
"""Dari names that are also everyday words: "مالی" (Mali) is "financial"."""


def _spellings(name: str) -> list[Name]:
    """A CLDR name and the one it gives in brackets: "Myanmar (Burma)"."""
    inner = [found.group(1) for found in _IN_BRACKETS.finditer(name)]
    spellings = [tuple(tokenize(text)) for text in [_IN_BRACKETS.sub("", name), *inner]]
    return [s for s in spellings if s and " ".join(s) not in COMMON_WORDS]


@functools.cache
def country_names() -> dict[Name, tuple[Name, ...]]:
    """Each spelling of a country or region in English or Dari, with its spellings in
    the other language. Codes with digits (continents, "World") and the unknown
    region are left out: "world" and "جهان" are everyday words."""
    english, dari = Locale("en").territories, Locale("fa", "AF").territories
    other: dict[Name, set[Name]] = {}
    for code, name in english.items():
        if not code.isalpha() or code == "ZZ" or code not in dari:
            continue
        in_english, in_dari = _spellings(name), _spellings(dari[code])
        for spelling in in_english:
            other.setdefault(spelling, set()).update(in_dari)
        for spelling in in_dari:
            other.setdefault(spelling, set()).update(in_english)
    return {name: tuple(sorted(spellings)) for name, spellings in other.items() if spellings}


def countries_in_other_language(question: str) -> list[str]:
    """The words that write, in the other language, the countries ``question`` names:
    "ایران" for "Is Iran on the list?", "north", "korea" for "کوریای شمالی"."""
    return [word for name in _names_in(tokenize(question)) for word in name]


def _names_in(words: list[str]) -> Iterator[Name]:
    names = country_names()
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + _longest()) + 1):
            yield from names.get(tuple(words[start:end]), ())


@functools.cache
def _longest() -> int:
    return max(len(name) for name in country_names())
