"""Follow-up questions: when and how the earlier turns join the search.

"And how much did it earn?" cannot be searched on its own; "Which countries use
forced labour?" can, and must not drag the previous topic along. A question
needs the conversation when it leans on it: it refers back with a pronoun ("it",
"they", "آن", "آنها"; not the "there" of "are there …?") and is short, or it opens
with a connective ("and", "what about", "و") and is short or refers back, or it has
at most one word besides function words ("Which minorities?", "Which ones?", "Why?"),
or it only asks to go on ("Tell me more.", "ادامه بده"). One that asks for more
("Tell me more.", "And what else?": :func:`asks_for_more`) is answered with passages
the reader has not been shown yet.
A long question names its own topic, connective or not: "And how did traffickers use
the internet during the pandemic?" after a question on Cuba is searched on its own.
Then the conversation since the last question that stood on its own is prepended to
it for retrieval, so a follow-up of a follow-up keeps the topic. A follow-up of a
few words (:func:`continues_previous_answer`) also stays with the article the previous
answer came from (:attr:`chatbot.retrieval.retriever.RetrievalSettings.previous_answer_lift`).

Whether the joined search *answers* it is judged with one more check
(:meth:`chatbot.retrieval.abstention.AbstentionRule.follow_up_fits`): "Is this a
good recipe for pancakes?" after a question on trafficking finds trafficking
passages only because of the earlier turn. A follow-up with no words of its own
(:func:`has_own_words`: "And what else?", "Tell me more.") has nothing to check.
"""

import re
from collections.abc import Sequence

from chatbot.text.normalize import normalize_for_matching
from chatbot.text.tokens import tokenize

_OPENERS = ("and", "but", "also", "what about", "how about", "then", "و", "اما", "همچنین", "پس")
_BACK_REFERENCES = frozenset(
    normalize_for_matching(word)
    for word in """it its it's they them their theirs this that these those he him his she her
    there آن آنها انها این اینها او ایشان آنجا همان همین اش شان""".split()
)
_WORD = re.compile(r"\w+")
_EXISTENTIAL = frozenset(("is", "are", "was", "were", "be", "been"))
"""Next to these, "there" introduces something new ("are there …", "there were …")."""
_OPENERS_NORMALIZED = tuple(normalize_for_matching(opener) + " " for opener in _OPENERS)
SHORT_QUESTION_WORDS = 8
"""Up to this many words, a question that refers back or opens with a connective leans
on the conversation; a longer one only if it does both. Longer ones that open with
"and" but name their own topic were searched with the earlier one before: asked
after an unrelated question, the seeds QA set's questions were found at rank 1 84.6%
of the time instead of 93.8% alone, and only 60% of its off-topic ones went
unanswered (``benchmarks/retrieval.py --tasks seeds-switch``: now 90.8% and 75%)."""
ELLIPTICAL_WORDS = 1
"""A question with at most this many words besides function words ("Which
minorities?" after a question on Xinjiang) cannot be searched on its own, whether or
not it refers back or opens with a connective. Two would take in standalone questions
such as "How do vaccines work?", which then carry the earlier topic along."""
OWN_TOPIC_WORDS = 3
"""A follow-up with more words than this besides function words may name a topic of
its own ("And how does the report define human trafficking?", asked after a question
on another article); one with at most this many continues the previous answer
(:func:`continues_previous_answer`)."""
CONTEXT_FOLLOW_UPS = 2
"""Earlier follow-ups kept after the question they lean on; older ones are dropped."""


def _refers_back(words: list[str], position: int) -> bool:
    word = words[position]
    if word not in _BACK_REFERENCES:
        return False
    if word != "there":
        return True
    neighbours = words[max(0, position - 1) : position] + words[position + 1 : position + 2]
    return not _EXISTENTIAL.intersection(neighbours)


_EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")
"""Punctuation around a word ("about it.", "(them)"); an apostrophe inside stays
("it's")."""


def needs_context(question: str) -> bool:
    tokens = tokenize(question)
    if len(tokens) <= ELLIPTICAL_WORDS or not _own_words(tokens):
        return True
    normalized = normalize_for_matching(question)
    words = [_EDGE_PUNCTUATION.sub("", word) for word in normalized.split()]
    refers_back = any(_refers_back(words, i) for i in range(len(words)))
    if (normalized + " ").startswith(_OPENERS_NORMALIZED):
        return len(words) <= SHORT_QUESTION_WORDS or refers_back
    return len(words) <= SHORT_QUESTION_WORDS and refers_back


POINTING_WORDS = frozenset({"else", "other", "others", "دیگر", "دیگری", "بیشتر"})
"""Words that only point back to the topic so far ("And what else?", "و دیگر چه؟"):
a follow-up of them alone brings no words of its own. ("more" is a function word
already.) They stay words for BM25 and the word vectors: making them function words
there would change every index."""
GOING_ON_WORDS = frozenset(
    normalize_for_matching(word)
    for word in """tell me us please go continue explain elaborate expand give show
    detail details further anything something
    بگو بگویید بگوئید بده بدهید توضیح ادامه جزئیات لطفا لطفاً معلومات""".split()
)
"""Words that only ask to go on ("Tell me more.", "Please go on.", "بیشتر توضیح
بده"): a question of these and :data:`POINTING_WORDS` alone is a follow-up, with no
words of its own. Like those, they stay words everywhere else: "Tell me about Cuba"
keeps "cuba" and stands on its own."""
_NO_TOPIC_WORDS = POINTING_WORDS | GOING_ON_WORDS


def _own_words(tokens: Sequence[str]) -> list[str]:
    return [token for token in tokens if token not in _NO_TOPIC_WORDS]


def has_own_words(question: str) -> bool:
    """Whether ``question`` has words besides function words, :data:`POINTING_WORDS`
    and :data:`GOING_ON_WORDS`: a follow-up without any ("And what else?", "Tell me
    more.") cannot bring a new topic along."""
    return bool(_own_words(tokenize(question)))


MORE_WORDS = frozenset(
    normalize_for_matching(word)
    for word in "more else other others another further continue go بیشتر دیگر دیگری ادامه".split()
)
"""Words that ask for what has not been said yet ("Tell me more.", "What else?",
"Please go on.", "ادامه بده", "و دیگر چه؟")."""


def asks_for_more(question: str) -> bool:
    """Whether ``question`` asks for more on the topic so far and nothing else: it has
    no words of its own (:func:`has_own_words`) and one of :data:`MORE_WORDS`. The
    reader has read the passages already shown, so it is answered with the next ones
    (:meth:`chatbot.retrieval.Retriever.search`). "Why?" and "Explain." have no words of
    their own either, but may be answered by the passage just shown."""
    if has_own_words(question):
        return False
    words = _WORD.findall(normalize_for_matching(question))
    return not MORE_WORDS.isdisjoint(words)


def continues_previous_answer(question: str) -> bool:
    """Whether ``question``, a follow-up, is short enough (at most
    :data:`OWN_TOPIC_WORDS` words besides function words) to be about the article the
    previous answer came from: "And through what means?" after "Who is exploited in
    Xinjiang?"."""
    return len(tokenize(question)) <= OWN_TOPIC_WORDS


def search_text(question: str, history: Sequence[str]) -> str:
    """The text to search for ``question`` given the earlier user turns: the question
    alone, or after the last earlier question that stood on its own and the (at most
    :data:`CONTEXT_FOLLOW_UPS`) follow-ups since."""
    earlier = [turn.strip() for turn in history if turn and turn.strip()]
    if not earlier or not needs_context(question):
        return question
    start = next((i for i in range(len(earlier) - 1, -1, -1) if not needs_context(earlier[i])), 0)
    follow_ups = earlier[start + 1 :][-CONTEXT_FOLLOW_UPS:]
    return " ".join([earlier[start], *follow_ups, question])
