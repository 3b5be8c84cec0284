"""Questions that ask for a fact of someone's life or of a place, and whether a passage
speaks of it at all.

"Where was he born?", "Which university did he attend?", "What is the capital of North
Korea?", "How long is the border between North Korea and China?": asked about someone
or somewhere the articles name, such a question finds the passages that name them, and
those can be close enough to count as an answer although they never speak of the fact.
A passage that does not speak of it cannot give it, so the abstention rule does not
take it for the answer (:attr:`QuestionEvidence.lacking_asked_fact
<chatbot.retrieval.abstention.QuestionEvidence.lacking_asked_fact>`); one that has a
word of the fact, in either language ("born", "تولد", "به دنیا"; "capital",
"پایتخت"), is judged as any other.

The facts are those an encyclopedia gives and a news article states in passing, if at
all: a person's birth, marriage, studies and age; a place's capital, population,
borders, continent and independence. Only a question counts, a text that ends with its
question mark: a statement ("He was born in 1962.") is looked up as written.
"""

import re
from dataclasses import dataclass

from chatbot.retrieval.question import ends_with_question_mark
from chatbot.text.normalize import normalize_for_matching


def _words(alternatives: str) -> re.Pattern[str]:
    """A pattern of whole words for ``alternatives`` (separated by ``|``, in the
    matching form; ``\\w*`` lets a word take endings)."""
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


@dataclass(frozen=True)
class Fact:
    name: str
    asked: re.Pattern[str]
    """Wordings that ask for it, in the matching form."""
    spoken_of: re.Pattern[str]
    """Words of a passage that speak of it, English or Dari, in the matching form."""


def _fact(name: str, words: str, asked_also: str = "", spoken_of_also: str = "") -> Fact:
    """A fact asked for and spoken of with ``words``, and the wordings of each side
    alone."""
    asked = f"{words}|{asked_also}" if asked_also else words
    spoken_of = f"{words}|{spoken_of_also}" if spoken_of_also else words
    return Fact(name, _words(asked), _words(spoken_of))


FACTS = (
    _fact("birth", r"born|birth\w*|به دنیا|تولد\w*|متولد\w*|زادگاه\w*", spoken_of_also="زاده"),
    _fact("marriage", r"wife|wives|husband\w*|married|marry|spouse\w*|همسر\w*|ازدواج\w*|شوهر\w*"),
    _fact(
        "studies",
        r"universit\w*|college\w*|graduat\w*|دانشگاه\w*|تحصیل\w*",
        spoken_of_also=r"studied|درس خواند\w*",
    ),
    _fact(
        "age",
        r"age|سن|ساله",
        asked_also=r"how old|چند سال دارد",
        spoken_of_also=r"aged|ages|years? old|year-old|سالگی\w*",
    ),
    _fact("capital", r"capital\w*|پایتخت\w*"),
    _fact(
        "population",
        r"population\w*|inhabitants|جمعیت\w*|نفوس",
        asked_also=r"how many \w+ live|چند نفر (?:\w+ )*زندگی",
        spoken_of_also=r"residents|live[sd]?|living|زندگی\w*|باشنده\w*",
    ),
    _fact("borders", r"border\w*|مرز\w*"),
    _fact("continent", r"continent\w*|قاره\w*"),
    _fact("independence", r"independen\w*|مستقل\w*|استقلال\w*"),
)
"""Every word in the matching form (lower case; Dari letters unified, no ZWNJ)."""


def asked_facts(question: str) -> tuple[Fact, ...]:
    """The facts ``question`` asks for; none unless it ends with its question mark."""
    if not ends_with_question_mark(question):
        return ()
    text = " ".join(normalize_for_matching(question).split())
    return tuple(fact for fact in FACTS if fact.asked.search(text))


def speaks_of(text: str, facts: tuple[Fact, ...]) -> bool:
    """Whether ``text`` has a word of one of ``facts``."""
    normalized = " ".join(normalize_for_matching(text).split())
    return any(fact.spoken_of.search(normalized) for fact in facts)
