"""Questions that only name what they ask about: "Tell me about Cuba", "What does the
report say about Blinken?", "درباره کیوبا بگو", "And what about North Korea?".

Besides the names, such a question is a frame that fits any passage, so e5 judges it
on the names alone, and the abstention rule, made for questions that say what they
ask, refused most of them: over the seeds, 149 of 204 such questions about a country
or person the articles name, although the first passage named it in 190
(``docs/retrieval.md``). The frame also carried some about a country the articles
never name to an answer ("What does the report say about Brazil?": "report" is in
every passage).

For these questions the index itself says whether the articles speak of the names
(:func:`topic_evidence`): the question is answered when each name is indexed, in its
own script or as the other script writes it ("Cuba" in the Dari article's "کیوبا"),
with the passages that hold them all first; it is not answered when one is nowhere.
Of those passages, one that names a country only in a list of countries (the seeds'
Dari list of the 13 with a state trafficking policy) says nothing of it and comes
after the others; it used to come first for an English question, the name's lift
across languages being strongest there, and a short follow-up then favoured its
article (:mod:`chatbot.retrieval.conversation`). A follow-up to a topic question
("Which territories?" after "What does the report say about Russia?") keeps such
passages last too.

A question with other words than names and its frame ("What did senior officials in
Cambodia own?") or one that asks one thing of them ("When did Cuba…", "Where is…",
"How many…") is left to the abstention rule: the articles may name the topic without
answering it.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass

from chatbot.chunks.sentences import sentence_spans
from chatbot.index import IndexSnapshot
from chatbot.retrieval.question import as_written
from chatbot.text.countries import countries_by_words, people_words
from chatbot.text.names import capitalised_words
from chatbot.text.normalize import normalize_for_matching
from chatbot.text.tokens import STOPWORDS, tokenize


def _matching_forms(words: str) -> frozenset[str]:
    return frozenset(normalize_for_matching(word) for word in words.split())


FRAME_WORDS = (
    _matching_forms(
        """tell me us say says said saying mention mentions mentioned report reports article
    articles news story stories write writes written anything something else please know
    information info detail details latest happen happens happened happening regarding
    concerning give show explain describe summary summarise summarize learn find out let
    situation any
    گزارش گزارشها مقاله مقالهها خبر اخبار مورد باره درباره دربارهٔ راجع میگوید میگویند
    گفته گفت بگو بگویید بگوئید آمده نوشته نام برده معلومات بده بدهید چیست کیست چیزی اتفاق
    افتاده رخ داده داد شرح توضیح بیشتر وضعیت وضع"""
    )
    | STOPWORDS
)
"""Words that frame a question about a topic without asking anything of it ("what
does the report say about…", "درباره … بگو"), in the matching form, with the function
words :func:`chatbot.text.tokens.tokenize` leaves out (already in that form)."""
FACET_WORDS = _matching_forms("when where why how چرا کجا چگونه چطور کی چند")
"""Question words that ask one thing about the topic: with one, the question is not
a topic question."""
LIST_COUNTRIES = 3
"""How many other countries a sentence names to be a list: China's sentence in the
seeds, which names the Kazakhs and the Kyrgyz it exploits, is not one."""
MAX_TOPIC_WORDS = 4
"""The most words a topic may have ("the International Labor Organization": 3)."""

_WORD = re.compile(r"\w+")


def topic_words(question: str) -> tuple[str, ...] | None:
    """The words of ``question`` besides its frame, in the matching form ("Tell me
    about North Korea": ("north", "korea")); None when it asks one thing of them
    (:data:`FACET_WORDS`), has none, or has more than :data:`MAX_TOPIC_WORDS`."""
    if any(word in FACET_WORDS for word in _WORD.findall(normalize_for_matching(question))):
        return None
    words = tuple(dict.fromkeys(word for word in tokenize(question) if word not in FRAME_WORDS))
    return words if 0 < len(words) <= MAX_TOPIC_WORDS else None


@dataclass(frozen=True)
class TopicEvidence:
    """What the index holds of the names a topic question asks about."""

    answered: bool
    """Whether every name is indexed, in its own script or the other one's."""
    holding: frozenset[int]
    """The chunks that hold every name (in either script): they come first among the
    passages."""
    missing: tuple[str, ...] = ()
    """The names no article holds, as the question writes them ("Lionel Messi"): the
    answer says the articles do not mention them."""
    spellings: frozenset[str] = frozenset()
    """The names' words and the indexed words that write them in the other script or
    as their people (matching form)."""


def topic_evidence(question: str, snapshot: IndexSnapshot) -> TopicEvidence | None:
    """What ``snapshot`` holds of the topic of ``question``; None when ``question`` is
    not a topic question: its words besides the frame (:func:`topic_words`) are not
    all names, that is capitalised inside the question's sentence or in the articles,
    a country's (or its people's), or written in the other script by an indexed
    word."""
    words = topic_words(question)
    if words is None:
        return None
    lexical, names = snapshot.lexical, snapshot.names
    forms = names.in_other_script_by_word(question)
    for run in countries_by_words(tokenize(question)):  # its people's too: "Cuban"
        people = [word for word in people_words(run) if lexical.holds(word)]
        for word in run:
            forms[word] = forms.get(word, []) + people
    named = capitalised_words(question) | forms.keys()
    if not all(word in named or (word.isascii() and names.is_name(word)) for word in words):
        return None
    missing = {word for word in words if not (lexical.holds(word) or forms.get(word))}
    if missing:
        return TopicEvidence(False, frozenset(), as_written(question, missing))
    holding: set[int] | None = None
    for word in words:
        rows = lexical.match([word, *forms.get(word, ())]).rows
        found = set(lexical.chunk_ids[rows].tolist())
        holding = found if holding is None else holding & found
    spellings = frozenset(form for word in words for form in (word, *forms.get(word, ())))
    return TopicEvidence(True, frozenset(holding or ()), spellings=spellings)


def named_only_in_lists(
    snapshot: IndexSnapshot, topic: TopicEvidence, chunk_ids: Collection[int]
) -> frozenset[int]:
    """The chunks of ``chunk_ids`` holding the ``topic`` that name it only in sentences
    naming :data:`LIST_COUNTRIES` other countries or more: they come after the other
    holding chunks. A sentence that holds the topic but not as a country
    ("Xinjiang") is no list; a country the topic names by its people ("Chinese") is
    no other country where the sentence also writes its name ("In China, the
    Chinese …"). Read from the passages found, not from every passage holding the
    names, which a common name fills by the thousand in a large corpus."""
    spellings = topic.spellings
    listing = set()
    wanted = sorted(topic.holding.intersection(chunk_ids))
    for chunk_id, chunk in snapshot.store.chunks(wanted).items():
        counts = []
        for start, end in sentence_spans(chunk.text):
            words = tokenize(chunk.text[start:end])
            if spellings.intersection(words):
                runs = countries_by_words(words).items()
                own = {tuple(names) for run, names in runs if spellings.intersection(run)}
                others = {tuple(names) for _, names in runs} - own
                counts.append(len(others) if own else 0)
        if counts and min(counts) >= LIST_COUNTRIES:
            listing.add(chunk_id)
    return frozenset(listing)
