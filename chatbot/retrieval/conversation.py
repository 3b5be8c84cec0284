"""Follow-up questions: when and how the earlier turns join the search.

"And how much did it earn?" cannot be searched on its own; "Which countries use
forced labour?" can, and must not drag the previous topic along. A question
needs the conversation when it leans on it: it opens with a connective ("and",
"what about", "و") or is short and refers back with a pronoun ("it", "they",
"آن", "آنها"). Then the last earlier question is prepended to it for retrieval.
"""

from collections.abc import Sequence

from chatbot.text.normalize import normalize_for_matching

_OPENERS = ("and", "but", "also", "what about", "how about", "then", "و", "اما", "همچنین", "پس")
_BACK_REFERENCES = frozenset(
    normalize_for_matching(word)
    for word in """it its it's they them their theirs this that these those he him his she her
    there آن آنها انها این اینها او ایشان آنجا همان همین اش شان""".split()
)
_OPENERS_NORMALIZED = tuple(normalize_for_matching(opener) + " " for opener in _OPENERS)
SHORT_QUESTION_WORDS = 8


def needs_context(question: str) -> bool:
    normalized = normalize_for_matching(question)
    if (normalized + " ").startswith(_OPENERS_NORMALIZED):
        return True
    words = normalized.replace("?", " ").replace("؟", " ").split()
    return len(words) <= SHORT_QUESTION_WORDS and any(word in _BACK_REFERENCES for word in words)


def search_text(question: str, history: Sequence[str]) -> str:
    """The text to search for ``question`` given the earlier user turns."""
    earlier = [turn.strip() for turn in history if turn and turn.strip()]
    if earlier and needs_context(question):
        return f"{earlier[-1]} {question}"
    return question
