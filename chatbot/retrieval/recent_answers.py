"""What the last questions were answered with, so that a follow-up knows what the
reader was shown: the article of the first passage, and every passage for a request
for more ("Tell me more.").

The chat sends the earlier questions with each new one, not the answers; the answer to
the previous turn is searched again only when the retriever has not seen it (a
``chatbot ask --history`` call, the evaluator), and in the chat it is always here.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

Key = tuple[int, str, str, int]
"""The index snapshot, the text searched (the question with the turns it leans on),
the question and how many passages were asked for: together they decide the answer."""


@dataclass(frozen=True)
class ShownAnswer:
    """The chunks an answer showed."""

    first: int | None
    """The first passage's chunk; None for a question left unanswered."""
    shown: tuple[int, ...]
    """Every passage's chunk, best first: shown as the closest ones when unanswered."""


class RecentAnswers:
    """The last ``size`` answers; safe to share between the chat's threads."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._answers: OrderedDict[Key, ShownAnswer] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, key: Key, answer: ShownAnswer) -> None:
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)

    def recall(self, key: Key) -> ShownAnswer | None:
        """The answer given to ``key``; None if it is not remembered."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer
