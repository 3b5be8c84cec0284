"""Word tokens for lexical matching, in the matching form of the text.

Tokens are the words of :func:`chatbot.text.normalize.normalize_for_matching`, so
Dari spelling variants, digits in any script and ZWNJ use match, minus a short
list of English and Dari function words and single letters (the "s" of "it's", the
"t" of "don't": they matched passages on nothing, and cost English questions over
Dari articles rank-1 hits).
"""

import re

from chatbot.text.normalize import normalize_for_matching

_WORD = re.compile(r"\w+")
_FUNCTION_WORDS = """a an the and or but of to in on at for from by with as is are was were be
    been being it its this that these those there their they them he she his her we our you your i
    what which who whom whose when where why how do does did done has have had not no
    so than then also about into over under more most many much can could would should will
    و در به از که این آن با را برای تا یا هم اما اگر است بود شد شده می نیز بر یک
    چه چی چند چگونه کدام کجا چرا آیا کی هست هستند بودند اند ها های ای او آنها ما شما من"""
STOPWORDS = frozenset(normalize_for_matching(word) for word in _FUNCTION_WORDS.split())
"""In the matching form, as the tokens are: "آیا" is "ایا" there."""


def tokenize(text: str) -> list[str]:
    """Matching-form word tokens of ``text`` without function words."""
    normalized = normalize_for_matching(text)
    return [
        t for t in _WORD.findall(normalized) if t not in STOPWORDS and (len(t) > 1 or t.isdigit())
    ]
