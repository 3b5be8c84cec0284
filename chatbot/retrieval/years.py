"""Questions about a year no article mentions: "How much did the United States spend on
foreign aid in 2023?" over articles that give figures for 2022 and 2024.

The question shares its subject with the passages (they give sums and years), so one
of them stands out enough for the abstention rule, although a figure for another
year is no answer. Such a question is not answered, and the answer says which year
the articles do not mention.

A year is a number from 1900 to 2099, or, after "سال" ("year") in a Dari question, a
Solar Hijri year from 1300 to 1499, as Afghan news dates events. It counts as
mentioned when the index holds it, its decade ("1960s" for 1965), or a year of the
other calendar it overlaps (1402 began in March 2023): a Dari article may date by
either. Years are written alike in both languages, digits unified
(:mod:`chatbot.text.normalize`), so unlike names they need no matching across
scripts; a question about a country the articles never name was tried the same way
and not kept (``docs/retrieval.md``).
"""

from chatbot.index import IndexSnapshot
from chatbot.retrieval.question import as_written
from chatbot.text.normalize import normalize_for_matching
from chatbot.text.tokens import tokenize

GREGORIAN = range(1900, 2100)
SOLAR = range(1300, 1500)
SOLAR_OFFSET = 621
"""A Solar Hijri year begins in March of its number plus 621 and ends in March of the
next."""
YEAR_WORD = normalize_for_matching("سال")
"""The Dari word that makes a number of :data:`SOLAR` a year ("سال ۱۴۰۲")."""


def absent_years(question: str, snapshot: IndexSnapshot) -> tuple[str, ...]:
    """The years ``question`` names that no passage of ``snapshot`` does, in either
    calendar, as the question writes them."""
    words = normalize_for_matching(question).split()
    absent = {
        token
        for token in tokenize(question)
        if token.isdigit()
        and (years := _same_years(int(token), solar=_follows_year_word(token, words)))
        and not any(snapshot.lexical.holds(form) for year in years for form in _written(year))
    }
    return as_written(question, absent) if absent else ()


def _same_years(number: int, solar: bool) -> list[int]:
    """The years ``number`` may be in both calendars; none when it is no year."""
    if number in GREGORIAN:
        return [number, number - SOLAR_OFFSET, number - SOLAR_OFFSET - 1]
    if solar and number in SOLAR:
        return [number, number + SOLAR_OFFSET, number + SOLAR_OFFSET + 1]
    return []


def _written(year: int) -> tuple[str, str]:
    """How an article's tokens hold ``year``: alone, or its decade ("1960s" for 1965)."""
    return str(year), f"{year // 10 * 10}s"


def _follows_year_word(token: str, words: list[str]) -> bool:
    """Whether the number ``token`` comes right after "سال" among the question's
    ``words`` (matching form, split at spaces)."""
    return any(
        word.strip(".,،؟?!:;()") == token and at > 0 and words[at - 1] == YEAR_WORD
        for at, word in enumerate(words)
    )
