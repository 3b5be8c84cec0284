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
writes it (``fa_AF``, which falls back to Iranian Persian where the two agree), with
a few names the press writes besides CLDR's (:data:`PRESS_NAMES`: "Turkey", "UK").

A name counts when the question holds all its words in a row, in the matching form
(:func:`chatbot.text.tokens.tokenize`): "north korea", "کوریای شمالی". So does the
word for its people or the adjective, which CLDR does not give: news writes
"Russian-led forces", "ethnic Kazakhs", "اوکراینی‌ها", far more often than the country.
They are made by the regular endings of each language (:func:`people_words`):
"Cuban", "Iranian", "Chinese", "Afghans", "روسی", "کیوبایی", "قزاق‌ها"; irregular ones
("French", "Filipino") are not. A Dari name of one word also counts written a vowel
letter from CLDR's (:func:`dari_spellings`), as the Afghan press writes many:
"تاجیکستان" for "تاجکستان", "فلیپین" for "فیلیپین".
"""

import functools
import re

from babel import Locale

from chatbot.text.tokens import tokenize

Name = tuple[str, ...]
"""A name as its word tokens."""

_IN_BRACKETS = re.compile(r"\s*\(([^)]*)\)")
COMMON_WORDS = frozenset({"مالی", "جزیره", "پیرو", "انگل"})
"""Dari names, and words for a people, that are also everyday words: "مالی" (Mali) is
"financial"; "پیرو" (CLDR's Peru, written "پرو" here: :data:`PRESS_NAMES`) is
"follower", and its people's "پیروی" "following"; "انگل", England's "انگلستان"
without its "-ستان", is "parasite"; "جزیره" ("island") is what is left of the Isle of
Man's "جزیرهٔ من" once "من" ("I") is left out as a function word."""
EVERYDAY_PHRASES = frozenset({("مجمع", "الجزایر")})
"""Everyday phrases that end in a country's name without naming it: "مجمع الجزایر"
("archipelago", a "gathering of islands") ends in Algeria's Dari name."""
PRESS_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "GB": (("UK", "Britain", "Great Britain"), ("انگلستان",)),
    "TR": (("Turkey",), ()),
    "CZ": (("Czech Republic",), ("جمهوری چک",)),
    "CI": (("Ivory Coast",), ()),
    "SZ": (("Swaziland",), ()),
    "MK": (("Macedonia",), ("مقدونیه",)),
    "TL": (("East Timor",), ("تیمور شرقی",)),
    "CV": (("Cabo Verde",), ()),
    "CD": (("Democratic Republic of the Congo", "DR Congo"), ()),
    "CG": (("Republic of the Congo",), ()),
    "PS": (("Palestine",), ("فلسطین",)),
    "VA": (("Vatican",), ()),
    "AE": (("UAE",), ("امارات",)),
    "SA": ((), ("عربستان",)),
    "NL": (("Holland",), ("هلند",)),
    "PE": ((), ("پرو",)),
}
"""Per CLDR code, names the press writes besides CLDR's, in English and in Dari: the
older English names of renamed countries ("Turkey" for CLDR's "Türkiye") and short
forms. Not "امریکا" for the United States, which Afghan news writes far more than
CLDR's "ایالات متحده": in news from US agencies the country is in nearly every
passage, and its name and "امریکایی" lifted passages that only mention it (a seeds
question on when the Trafficking Victims Protection Act took effect in the United
States, asked as a new topic, fell from first to second)."""


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
        press_english, press_dari = PRESS_NAMES.get(code, ((), ()))
        in_english += [spelling for other in press_english for spelling in _spellings(other)]
        in_dari += [spelling for other in press_dari for spelling in _spellings(other)]
        for spelling in in_english:
            other.setdefault(spelling, set()).update(in_dari)
        for spelling in in_dari:
            other.setdefault(spelling, set()).update(in_english)
    return {name: tuple(sorted(spellings)) for name, spellings in other.items() if spellings}


_ENDINGS = {
    "latin": (("n", "ns"), ("ian", "ians", "ese", "i", "is")),
    "arabic": (("ی", "یی", "ها", "یها", "ییها", "یان"),) * 2,
}
"""Per script, the endings that make a people or an adjective of a country's name:
after a final vowel (Cuban, Russians; کیوبایی) and after a consonant (Iranian,
Sudanese, Iraqi; ایرانی, ایرانیان)."""
_STEM_ENDINGS = {"latin": ("an", "ans", "ian", "ians", "ese"), "arabic": ("", "ها", "ان")}
"""The endings that follow the name without its final vowel ("a", "e", "y"; "ه"):
Chinese, Ukrainian, Italian; روسی, روسی‌ها from روسیه."""
_FINAL_VOWELS = {"latin": ("a", "e", "y"), "arabic": ("ه",)}
_LAND = {"latin": ("istan", "stan"), "arabic": ("ستان",)}
"""The "-stan" of a name, without which the name is its people: Afghan(s), Kazakh(s),
افغان‌ها, قزاق‌ها."""
_SHORTEST = 4
"""Shorter words made this way would be common words: "pak" (Pakistan), "پاک"
("clean")."""


def people_words(name: Name) -> list[str]:
    """The words that may write the people of the country ``name`` or its adjective:
    its last word with the endings of its script ("russian", "russians" for
    ("russia",); "korean" for ("north", "korea"): "North Korean"). Some do not
    exist; the caller keeps those found in its text."""
    last = name[-1]
    script = "latin" if last.isascii() else "arabic"
    after_vowel, after_consonant = _ENDINGS[script]
    ends_in_vowel = last[-1] in "aeiouy" if script == "latin" else last[-1] in "اوی"
    words = [last + ending for ending in (after_vowel if ends_in_vowel else after_consonant)]
    if last.endswith(_FINAL_VOWELS[script]):
        words += [last[:-1] + ending for ending in _STEM_ENDINGS[script]]
    for land in _LAND[script]:
        stem = last.removesuffix(land)
        if stem != last:
            if len(stem) >= _SHORTEST and stem not in COMMON_WORDS:
                words += [stem, stem + ("s" if script == "latin" else "ها")]
            break
    return [word for word in dict.fromkeys(words) if len(word) >= _SHORTEST and word != last]


_VOWEL_LETTERS = "اوی"
_SHORTEST_VARIED = 6
"""Names shorter than this are left as CLDR writes them: one letter more or less makes
another word of a short one ("هند", India, and "هندو", Hindu; "برونی", Brunei, and
"برون", "outside", or "بیرونی", "external")."""


def dari_spellings(name_word: str) -> list[str]:
    """Other ways of writing the Dari ``name_word``: one vowel letter (ا و ی) more or
    fewer, or a final ه written ا. CLDR's spelling and the Afghan press's differ in
    such letters ("اریتریا", "ایریتریا"; "سوریه", "سوریا"), and a name with fewer
    than four consonants has no skeleton to match them by (:mod:`chatbot.text.skeleton`).
    Most variants are no word at all; none of those in FLORES-200's, TICO-19's and the
    seeds' Dari text is another word ("دانمارک", "سنگاپور", "کلمبیا" and the like)."""
    if len(name_word) < _SHORTEST_VARIED or name_word.isascii():
        return []
    variants = [
        name_word[:at] + name_word[at + 1 :]
        for at in range(1, len(name_word))
        if name_word[at] in _VOWEL_LETTERS
    ]
    variants += [
        name_word[:at] + letter + name_word[at:]
        for at in range(1, len(name_word) + 1)
        for letter in _VOWEL_LETTERS
    ]
    if name_word.endswith("ه"):
        variants.append(name_word[:-1] + "ا")
    return [v for v in dict.fromkeys(variants) if v != name_word]


def countries_by_words(words: list[str]) -> dict[Name, list[Name]]:
    """The runs of ``words`` (matching-form tokens) that name a country, as written or
    as its people, each with the country's names in the other language:
    {("north", "korea"): [("کوریای", "شمالی")]}; not the end of an everyday phrase
    (:data:`EVERYDAY_PHRASES`)."""
    spans, longest = _spans()
    found: dict[Name, list[Name]] = {}
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + longest) + 1):
            run = tuple(words[start:end])
            if start and (words[start - 1], *run) in EVERYDAY_PHRASES:
                continue
            for name in spans.get(run, ()):
                found.setdefault(run, []).extend(country_names()[name])
    return {run: list(dict.fromkeys(names)) for run, names in found.items()}


@functools.cache
def _spans() -> tuple[dict[Name, tuple[Name, ...]], int]:
    """Each run of words that names a country, with the country names it stands for: a
    name itself; a name with its last word made its people's (:func:`people_words`:
    ("north", "korean")); a one-word Dari name a vowel letter from CLDR's
    (:func:`dari_spellings`: "تاجیکستان", as Afghans write Tajikistan, for CLDR's
    "تاجکستان"), each where it is not another country's name; and the longest run."""
    names = country_names()
    spans: dict[Name, set[Name]] = {name: {name} for name in names}
    for name in names:
        forms = [(*name[:-1], word) for word in people_words(name)]
        if len(name) == 1:
            forms += [(variant,) for variant in dari_spellings(name[0])]
        for form in forms:
            if form not in names:
                spans.setdefault(form, set()).add(name)
    return {span: tuple(sorted(found)) for span, found in spans.items()}, max(map(len, spans))
