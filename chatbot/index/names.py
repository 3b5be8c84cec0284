"""Names across scripts: the indexed words that write a question's names the way the
other script does ("cambodia" for "کمبودیا", and back).

e5-small hardly links a name across scripts: asked "و در کمبودیا چه؟" ("and in
Cambodia?") after a question on North Korea, it ranks the seeds' North Korea
paragraph above their Cambodia sentence. Written in the other script, a name keeps
its consonants (:mod:`chatbot.text.skeleton`), so the retriever lifts the passages
holding the question's names spelled the other way, as it does for shared numbers.

Only names count. A common word that the other language borrowed ("coronavirus",
"کروناویروس") is in many passages and says little, and common words collide
("مشکل" and "muscle" have one skeleton). Matching every word cost TICO-19's
COVID-19 pages recall@1 0.862 → 0.852 (Dari questions) and 0.884 → 0.876 (English
ones). So an English word counts only where it is written as a name
(:mod:`chatbot.text.names`): capitalised inside a sentence of the question, or in
the passages that hold it most (an indexed word a Dari question's word is spelled
like, or a question's word typed in lower case); see ``docs/retrieval.md``, "Names
across scripts". Country names are matched from their names in both languages as well
(:mod:`chatbot.text.countries`): many are too short for a skeleton ("Iran", "ایران")
or translated ("North Korea", "کوریای شمالی"), and the words for their people too
("Russian-led" for "روسیه").
"""

import threading
from collections.abc import Collection, Iterable

from chatbot.index.lexical import LexicalIndex
from chatbot.index.store import MetadataStore
from chatbot.text.countries import countries_by_words, dari_spellings, people_words
from chatbot.text.names import capitalised_words, written_as_name
from chatbot.text.skeleton import skeleton, skeletons
from chatbot.text.tokens import tokenize

PASSAGES_READ = 3
"""How many of the passages that hold an English word are read to tell whether it is
written as a name (the ones where it weighs most)."""


class NameIndex:
    """The words of one snapshot's lexical index by consonant skeleton.

    Made when the snapshot is loaded, from every indexed word: 0.02 s for FLORES-200's
    5,100 English words on 2 cores (:func:`~chatbot.text.skeleton.skeletons`), so
    some seconds for the million words of a very large corpus. Whether an English word
    is written as a name is read from the passages at its first use and kept.
    """

    def __init__(self, lexical: LexicalIndex, store: MetadataStore) -> None:
        self._lexical, self._store = lexical, store
        self._by_skeleton: dict[str, list[tuple[str, str]]] = {}
        for word, key in skeletons(sorted(lexical.vocabulary())).items():
            self._by_skeleton.setdefault(key.consonants, []).append((word, key.script))
        self._is_name: dict[str, bool] = {}
        self._lock = threading.Lock()

    def in_other_script(self, question: str, leaving_out: Collection[str] = ()) -> list[str]:
        """The indexed words that write a name of ``question`` in the other script,
        except the names of its words in ``leaving_out`` (matching form). An English
        word of the question is taken for a name when the question capitalises it
        inside a sentence, or when the articles write it as one: "what about
        cambodia?" typed in lower case, over articles in both languages."""
        by_word = self.in_other_script_by_word(question)
        spellings = [alike for word, alike in by_word.items() if word not in leaving_out]
        return list(dict.fromkeys(word for words in spellings for word in words))

    def in_other_script_by_word(self, question: str) -> dict[str, list[str]]:
        """:meth:`in_other_script` word by word: for each word of ``question``
        (matching form) that is a name or part of a country's, the indexed words that
        write it in the other script; a word with none is left out."""
        capitalised = capitalised_words(question)
        words = tokenize(question)
        found: dict[str, list[str]] = {}
        for word in dict.fromkeys(words):
            key = skeleton(word)
            if key is None:
                continue
            spelled_alike = [
                (indexed, script)
                for indexed, script in self._by_skeleton.get(key.consonants, ())
                if script != key.script
            ]
            if not spelled_alike:
                continue
            if key.script == "latin" and word not in capitalised and not self.is_name(word):
                continue
            found[word] = [
                indexed
                for indexed, script in spelled_alike
                if script == "arabic" or self.is_name(indexed)
            ]
        for run, names in countries_by_words(words).items():
            alike = []
            for name in names:
                for word in name:
                    alike += self._spelled_like(word, one_word_name=len(name) == 1)
                alike += [word for word in people_words(name) if self._lexical.holds(word)]
            for word in run:
                found.setdefault(word, []).extend(alike)
        return {word: list(dict.fromkeys(alike)) for word, alike in found.items() if alike}

    def _spelled_like(self, word: str, one_word_name: bool) -> list[str]:
        """The indexed words that are ``word`` or spell it another way in its script:
        an English name of the same skeleton; a Dari ``one_word_name`` a vowel letter
        apart (:func:`dari_spellings`): "ایریتریا" for CLDR's "اریتریا", "فلیپین" for
        "فیلیپین". Dari words of one skeleton are often other words, verb forms above
        all: "برنده" ("winner") and "بروند" ("they go") have Burundi's ("بوروندی").
        The words of a longer name are common words, whose variants are other words:
        "شمالی" ("northern") and "شمال" ("north"), "ایالات" ("states") and "ایالت"."""
        found = [word] if self._lexical.holds(word) else []
        if word.isascii():
            key = skeleton(word)
            if key is not None:
                found += [
                    indexed
                    for indexed, script in self._by_skeleton.get(key.consonants, ())
                    if script == key.script and indexed != word
                ]
        elif one_word_name:
            found += [variant for variant in dari_spellings(word) if self._lexical.holds(variant)]
        return found

    def is_name(self, word: str) -> bool:
        """Whether the Latin ``word`` is written as a name in the passages where it
        weighs most (False when no passage holds it)."""
        with self._lock:
            known = self._is_name.get(word)
        if known is None:
            known = written_as_name(word, self._texts_holding(word))
            with self._lock:
                self._is_name[word] = known
        return known

    def _texts_holding(self, word: str) -> Iterable[str]:
        matches = self._lexical.match([word])
        best = matches.rows[(-matches.scores).argsort(kind="stable")[:PASSAGES_READ]]
        rows = self._store.chunks(self._lexical.chunk_ids[best].tolist())
        return [row.text for row in rows.values()]
