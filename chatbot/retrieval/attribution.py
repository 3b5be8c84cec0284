"""Whose words a question asks about: the one who said them.

"بلینکن گفت کشورها باید با یکدیگر چه کنند؟" (Blinken said countries must do what
with each other?) asks for the words of a quote; "Blinken" only says whose. A news
article names its speaker once, where the quote starts ("…, said Secretary of State
Antony Blinken"), and goes on quoting without the name, so the passage with the
answer seldom holds it, while the article's first passage may name him again and
again. The speaker's name therefore does not count as a name shared across languages
(:class:`chatbot.retrieval.retriever.LexicalEvidence`): with it, that first passage
came before the quote.

Only a question counts (a text ending in a question mark). A statement that reports
a speech ("…, Miller said.", as FLORES-200's sentences do) is looked up as written,
and there the name is evidence for its own sentence.
"""

import re

from chatbot.retrieval.question import ends_with_question_mark
from chatbot.text.normalize import normalize_for_matching
from chatbot.text.tokens import STOPWORDS

SPEECH_VERBS = frozenset(
    {
        "say", "says", "said", "saying", "tell", "tells", "told",
        "گفت", "گفته", "گفتند", "میگوید", "میگویند",
    }
)  # fmt: skip
"""Speech verbs in the matching form, English then Dari: the speaker stands right
before them ("did Blinken say", "بلینکن گفت"). After the verb comes what was said
("بلینکن گفت چین…", Blinken said China…)."""
ACCORDING_TO = frozenset({("according", "to"), ("به", "گفته")})
"""Word pairs that the speaker stands right after ("according to Blinken", "به گفتهٔ
بلینکن"), in the matching form."""
_RUN_ENDS = STOPWORDS | SPEECH_VERBS
_CLAUSE = re.compile(r"[^\w\s]+")
_WORD = re.compile(r"\w+")


def speakers(question: str) -> frozenset[str]:
    """The words (matching form) that say who spoke in ``question``: the run of words
    right before a speech verb or right after "according to", up to a function word
    or the clause's end ("Marco Rubio" in "What did Marco Rubio say?", "بلینکن" in
    "به گفتهٔ بلینکن، …"). Empty for a text that is not a question."""
    if not ends_with_question_mark(question):
        return frozenset()
    found: set[str] = set()
    for clause in _CLAUSE.split(normalize_for_matching(question)):
        words = _WORD.findall(clause)
        for at, word in enumerate(words):
            after_according = at > 0 and (words[at - 1], word) in ACCORDING_TO
            if after_according:
                found.update(_run(words, at + 1, 1))
            elif word in SPEECH_VERBS:
                found.update(_run(words, at - 1, -1))
    return frozenset(found)


def _run(words: list[str], start: int, step: int) -> list[str]:
    """The words from ``start`` on, in direction ``step``, up to a function word or a
    speech verb."""
    run = []
    while 0 <= start < len(words) and words[start] not in _RUN_ENDS:
        run.append(words[start])
        start += step
    return run
