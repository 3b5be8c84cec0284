"""Whether a question asks for a number, and whether a passage gives one.

"How many countries made progress?" is answered by a sentence with a figure in it.
When the passage the abstention rule judges has one where the question asks for one,
that is evidence beyond the cosine (:attr:`AbstentionRule.answer_type_lift
<chatbot.retrieval.abstention.AbstentionRule.answer_type_lift>`). It matters most for
an English question over a Dari article: cross-language cosines are close together,
so its answer leads the article's other passages by little. When the question asks
outright (:func:`asks_outright_for_number`) and the passage has none beyond the
question's own (:func:`gives_number`), that is evidence against it: "How many people
visited Kabul last year?" finds a passage whose best sentence gives no figure.

Only the wording of questions counts. Words that also start clauses in statements
("when", and Dari "چند", which is also "a few") count only in a question: a text that
ends in a question mark or starts with that word. "کی" is left out: in spoken Dari it
is "who" as often as "when".
"""

import re

from chatbot.retrieval.question import ends_with_question_mark
from chatbot.text.normalize import normalize_for_matching
from chatbot.text.tokens import tokenize

_ALWAYS_NUMBER = re.compile(
    r"\bhow (?:many|much|long|old|often|far)\b"
    r"|\b(?:what|which) (?:year|percentage|percent|share|number|amount|date)\b"
    r"|(?<!\w)(?:چقدر|چه (?:تعداد|مقدار|وقت|زمانی|سالی)|(?:کدام|چه) سال)(?!\w)"
)
"""Wordings that ask for a number wherever they stand, in matching form (lower case,
Dari letters and digits unified)."""
_NUMBER_IN_QUESTION = re.compile(r"(?<!\w)(?:when|چند)(?!\w)")
_LEADING_NUMBER_WORD = re.compile(r"^(?:(?:and|but|so|و|پس) )?(?:when|چند)(?!\w)")


def asks_for_number(question: str) -> bool:
    """True when ``question`` asks how many, how much, when or in which year."""
    text = " ".join(normalize_for_matching(question).split())
    if _ALWAYS_NUMBER.search(text):
        return True
    if not _NUMBER_IN_QUESTION.search(text):
        return False
    return ends_with_question_mark(question) or bool(_LEADING_NUMBER_WORD.match(text))


def asks_outright_for_number(question: str) -> bool:
    """True when ``question`` asks for a number (:func:`asks_for_number`) and ends with a
    question mark. Only then does a passage without a figure count against it: a text
    without the mark may be a statement that opens with "When" ("When asked for
    comment, Miller said…", eight of FLORES-200's English sentences), or a question
    typed without it, which keeps the benefit of the doubt."""
    return ends_with_question_mark(question) and asks_for_number(question)


def gives_number(text: str, question: str) -> bool:
    """True when ``text`` has a figure, in Latin or Persian digits, that ``question``
    does not give itself. A figure the question names is no answer to it: "How many
    pages does the 2025 report have?" is not answered by a sentence on the 2025 report,
    and "How much did victims grow in 2024?" not by one that only names 2024."""
    own = {word for word in tokenize(question) if word.isdigit()}
    return any(word.isdigit() and word not in own for word in tokenize(text))
