"""Lexical (BM25) search over chunks, on the matching form of the text.

Dense vectors miss exact names and numbers ("$4.9 billion", "۱۳ کشور"); BM25 over
normalised tokens catches them. Tokens are the words of
:func:`chatbot.text.normalize.normalize_for_matching`, so Dari spelling variants,
digits in any script and ZWNJ use match, minus a short list of function words.
"""

import logging
import re
from collections.abc import Sequence

import bm25s
import numpy as np

from chatbot.text.normalize import normalize_for_matching

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG
_WORD = re.compile(r"\w+")
STOPWORDS = frozenset(
    """a an the and or but of to in on at for from by with as is are was were be been being
    it its this that these those there their they them he she his her we our you your i
    what which who whom whose when where why how do does did done has have had not no
    so than then also about into over under more most many much can could would should will
    و در به از که این آن با را برای تا یا هم اما اگر است بود شد شده می نیز بر یک
    چه چی چند چگونه کدام کجا چرا آیا کی هست هستند بودند اند ها های ای او آنها ما شما من""".split()
)


def tokenize(text: str) -> list[str]:
    """Matching-form word tokens of ``text`` without function words."""
    normalized = normalize_for_matching(text)
    return [t for t in _WORD.findall(normalized) if t not in STOPWORDS]


class LexicalIndex:
    """BM25 over a fixed list of documents (the chunks of one snapshot)."""

    def __init__(self, documents: Sequence[str]) -> None:
        self._bm25 = bm25s.BM25()
        self._size = len(documents)
        tokens = [tokenize(d) or ["\u2205"] for d in documents]  # bm25s rejects empty documents
        if tokens:
            self._bm25.index(tokens, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (zeros when no word matches)."""
        tokens = tokenize(query)
        if not tokens or not self._size:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
