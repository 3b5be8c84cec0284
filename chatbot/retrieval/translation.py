"""How many of a question's words a passage in the other language holds, translated.

BM25 finds a question's words in passages of its own language; across languages only
numbers and names are written alike. The snapshot's word vectors
(:mod:`chatbot.index.words`) carry the rest: each question word is translated into
the indexed word of the other script that e5 puts next to it, and a passage holds the
words whose translations are among its own ("punishing" and "opposition" for
"...برای مجازات مخالفان سیاسی..."). The abstention rule takes a passage holding
enough of them as sharing words with the question
(:meth:`chatbot.retrieval.abstention.AbstentionRule.answered`).

Worked out only when the rule's verdict hangs on it, and then once per question of
at most :data:`MAX_WORDS` words: the question words the index does not hold are
embedded then, about 7 ms a word on 2 cores, at most :data:`MAX_EMBEDDED` of them.
"""

import numpy as np

from chatbot.embeddings import Embedder
from chatbot.index.words import WordVectors, indexable
from chatbot.text.tokens import tokenize

MAX_WORDS = 12
"""Longer texts (a pasted sentence rather than a question) are not translated: 40% of
them is 5 words or more, which they seldom reach, and each word the index lacks costs
7 ms to embed. Replayed over FLORES-200, where most rows are longer: English → Dari
answered 0.958 → 0.956, every other figure the same (``docs/retrieval.md``)."""
MAX_EMBEDDED = 8
"""The most question words embedded for translation, the longest first (at most about
60 ms); the others count as not found."""


class QuestionTranslations:
    """The words of one question and their translations, worked out on first use."""

    def __init__(self, question: str, words: WordVectors | None, embedder: Embedder) -> None:
        self.words = tuple(dict.fromkeys(t for t in tokenize(question) if indexable(t)))
        """The question's distinct words that can be translated."""
        self._vectors = words
        self._embedder = embedder
        self._translations: dict[str, str] | None = None

    def held_by(self, text: str) -> int:
        """How many of the question's words ``text`` holds in the other script (none
        for a question of more than :data:`MAX_WORDS` words)."""
        if len(self.words) > MAX_WORDS:
            return 0
        held = set(tokenize(text))
        return sum(1 for target in self.translations().values() if target in held)

    def translations(self) -> dict[str, str]:
        """Each question word that has one, and the indexed word it translates into."""
        if self._translations is None:
            self._translations = self._translate()
        return self._translations

    def _translate(self) -> dict[str, str]:
        if self._vectors is None or not self.words:
            return {}
        stored = {word: self._vectors.vector(word) for word in self.words}
        unknown = sorted((w for w, v in stored.items() if v is None), key=len, reverse=True)
        embedded = unknown[:MAX_EMBEDDED]
        if embedded:
            stored.update(zip(embedded, self._embedder.embed_queries(embedded), strict=True))
        words = [word for word, vector in stored.items() if vector is not None]
        if not words:
            return {}
        targets = self._vectors.translations(words, np.stack([stored[word] for word in words]))
        return {word: target for word, target in zip(words, targets, strict=True) if target}
