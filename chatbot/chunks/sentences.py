"""Sentence boundaries in English and Dari text, as character spans.

Sentences are the precise unit of matching (and the highlighted part of a
passage); chunks are the unit of context and citation.
"""

import re

# A sentence ends at . ! ? ؟ ۔ (optionally followed by closing quotes or brackets)
# before whitespace, or at a line break.
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?؟۔…]+[\"'”’»)\]]*(?=\s)|$)", re.MULTILINE)
MIN_SENTENCE_CHARS = 12


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` spans of the sentences of ``text``; fragments shorter than
    :data:`MIN_SENTENCE_CHARS` are merged into the sentence before them."""
    spans: list[tuple[int, int]] = []
    for match in _SENTENCE.finditer(text):
        raw = match.group()
        start = match.start() + (len(raw) - len(raw.lstrip()))
        end = match.start() + len(raw.rstrip())
        if end <= start:
            continue
        if (
            spans
            and (end - start < MIN_SENTENCE_CHARS)
            and text[spans[-1][1] : start].strip() == ""
        ):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans
