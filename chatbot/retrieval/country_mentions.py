"""Questions about a country no article names: "How many trafficking cases were
prosecuted in Pakistan?" over articles that never mention Pakistan.

Such a question shares its subject with the passages, so one of them stands out
enough for the abstention rule although it says nothing of the country: over the
seeds, relevance 0.19-0.30 against the threshold of 0.19 (Thailand's tier, trafficking
victims in India, Brazil, Nigeria, Germany).

A country counts as named when the index holds one of its names as the question's
names are matched across scripts elsewhere (:meth:`NameIndex.in_other_script_by_word
<chatbot.index.names.NameIndex.in_other_script_by_word>`: CLDR's names in English and
Dari, their people's words, consonant skeletons), or when a word of the first
passages found has the consonant skeleton of one of its names in either script or is
spelled a letter or two from one in the same script (:func:`spelled_alike`).
Translators write "هیتی", "مکزیکی", "مولدووا" where CLDR writes "هایتی", "مکزیک",
"مولداوی", and "ماداگاسکار" for "Madagascar" (CLDR: "مادغاسکر"), which opens its
sentence, so its capital does not make it a name there.

Even so, refusing such questions outright failed on FLORES-200 sentences, whose
articles give some countries another name ("هنگری" for Hungary, CLDR's "مجارستان"),
translate it ("قطب جنوب" for Antarctica) or use a demonym of their own ("Swiss"). So
the abstention rule only takes
:attr:`~chatbot.retrieval.abstention.AbstentionRule.absent_country_penalty` off the
relevance of a question naming a country none of this finds (``docs/retrieval.md``).
"""

from collections.abc import Callable, Iterable

from rapidfuzz.distance import Levenshtein

from chatbot.index import IndexSnapshot
from chatbot.retrieval.question import as_written
from chatbot.text.countries import countries_by_words, people_words
from chatbot.text.skeleton import skeleton
from chatbot.text.tokens import tokenize

PASSAGES_READ = 10
"""How many of the first passages found are read for a country's name in another
spelling. Read only for a question naming a country the index does not hold."""


def absent_countries(
    question: str, snapshot: IndexSnapshot, first_passages: Callable[[], Iterable[str]]
) -> tuple[str, ...]:
    """The countries (or peoples) ``question`` names that neither the index nor the
    texts of ``first_passages`` name in any spelling, as the question writes them.
    ``first_passages`` is called only when the index holds none of some country's
    names."""
    words = tokenize(question)
    runs = countries_by_words(words)
    if not runs:
        return ()
    lexical = snapshot.lexical
    other_script = snapshot.names.in_other_script_by_word(question)
    unheld = {
        run: names
        for run, names in runs.items()
        if not all(lexical.holds(word) for word in run)
        and not any(other_script.get(word) for word in run)
    }
    if not unheld:
        return ()
    found = {word for text in first_passages() for word in tokenize(text)}
    found_skeletons = {key.consonants for word in found if (key := skeleton(word)) is not None}
    absent = set()
    for run, names in unheld.items():
        spellings = _spellings(run, names)
        if not any(
            (key := skeleton(spelling)) is not None and key.consonants in found_skeletons
            for spelling in spellings
        ) and not any(spelled_alike(word, spelling) for word in found for spelling in spellings):
            absent.update(run)
    return as_written(question, absent) if absent else ()


def _spellings(run: tuple[str, ...], names: list[tuple[str, ...]]) -> set[str]:
    """The words a passage may write the country of ``run`` with: the longest word of
    ``run`` and of each of its ``names`` in the other language, and their peoples'."""
    spellings = {max(run, key=len)}
    for name in names:
        spellings.add(max(name, key=len))
        spellings.update(people_words(name))
    return spellings


def spelled_alike(word: str, name: str) -> bool:
    """Whether ``word`` may spell ``name`` (both in the matching form) another way: the
    same script, and as many letters apart as the shorter has room for (none below 4
    letters, one below 6, else two): "هیتی" for "هایتی", "مکزیکی" for "مکسیکو", not
    "chile" for "china". Iraq and Iran are a letter apart: a question about one over
    passages naming the other is judged as if it were named, the lenient side."""
    if word.isascii() != name.isascii():
        return False
    shortest = min(len(word), len(name))
    edits = 0 if shortest < 4 else 1 if shortest < 6 else 2
    return Levenshtein.distance(word, name, score_cutoff=edits) <= edits
