"""What the last questions were answered with, so that a follow-up knows which
article the reader was shown.

The chat sends the earlier questions with each new one, not the answers; the answer to
the previous turn is searched again only when the retriever has not seen it (a
``chatbot ask --history`` call, the evaluator), and in the chat it is always here.
"""

import threading
from collections import OrderedDict

Key = tuple[int, str, str]
"""The index snapshot, the text searched (the question with the turns it leans on)
and the question: together they decide the answer."""


class RecentAnswers:
    """The first passage (its chunk id) of the last ``size`` answers, None for a question
    left unanswered; safe to share between the chat's threads."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._answers: OrderedDict[Key, int | None] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, key: Key, first_chunk: int | None) -> None:
        with self._lock:
            self._answers[key] = first_chunk
            self._answers.move_to_end(key)
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)

    def recall(self, key: Key) -> tuple[bool, int | None]:
        """Whether ``key`` was seen, and its first passage's chunk."""
        with self._lock:
            if key not in self._answers:
                return False, None
            self._answers.move_to_end(key)
            return True, self._answers[key]
