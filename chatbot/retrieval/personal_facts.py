"""Questions about a person's life, and whether a passage speaks of it at all.

"Where was he born?", "Which university did he attend?", "مارکو روبیو در کدام ایالت
به دنیا آمده است؟" (in which state was Marco Rubio born?): asked about someone the
articles name, such a question finds the passages that name him, and they can be close
enough to count as an answer although they never say where he was born. A passage that
does not speak of the fact cannot give it, so the abstention rule does not take it for
the answer (:attr:`QuestionEvidence.lacking_asked_fact
<chatbot.retrieval.abstention.QuestionEvidence.lacking_asked_fact>`); one that has a
word of the fact, in either language ("born", "تولد", "به دنیا"), is judged as any
other.

The facts are those a news article on someone states in passing: birth, marriage,
studies, age. Only a question counts, a text that ends with its question mark: a
statement ("He was born in 1962.") is looked up as written.
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
class PersonalFact:
    name: str
    asked: re.Pattern[str]
    """Wordings that ask for it, in the matching form."""
    spoken_of: re.Pattern[str]
    """Words of a passage that speak of it, English or Dari, in the matching form."""


_BIRTH = r"born|birth\w*|به دنیا|تولد\w*|متولد\w*|زادگاه\w*"
_MARRIAGE = r"wife|wives|husband\w*|married|marry|spouse\w*|همسر\w*|ازدواج\w*|شوهر\w*"
_STUDIES = r"universit\w*|college\w*|graduat\w*|دانشگاه\w*|تحصیل\w*"
FACTS = (
    PersonalFact("birth", _words(_BIRTH), _words(_BIRTH + r"|زاده")),
    PersonalFact("marriage", _words(_MARRIAGE), _words(_MARRIAGE)),
    PersonalFact("studies", _words(_STUDIES), _words(_STUDIES + r"|studied|درس خواند\w*")),
    PersonalFact(
        "age",
        _words(r"how old|age|سن|ساله|چند سال دارد"),
        _words(r"age[ds]?|years? old|year-old|سن|ساله|سالگی\w*"),
    ),
)
"""Every word in the matching form (lower case; Dari letters unified, no ZWNJ)."""


def asked_facts(question: str) -> tuple[PersonalFact, ...]:
    """The personal facts ``question`` asks for; none unless it ends with its question
    mark."""
    if not ends_with_question_mark(question):
        return ()
    text = " ".join(normalize_for_matching(question).split())
    return tuple(fact for fact in FACTS if fact.asked.search(text))


def speaks_of(text: str, facts: tuple[PersonalFact, ...]) -> bool:
    """Whether ``text`` has a word of one of ``facts``."""
    normalized = " ".join(normalize_for_matching(text).split())
    return any(fact.spoken_of.search(normalized) for fact in facts)
