"""Sentence boundaries in English and Dari text, as character spans.

Sentences are the precise unit of matching (and the highlighted part of a
passage); chunks are the unit of context and citation.
"""

import re

# A sentence ends at . ! ? ؟ ۔ (optionally followed by closing quotes or brackets)
# before whitespace, or at a line break.
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?؟۔…]+[\"'”’»)\]]*(?=\s)|$)", re.MULTILINE)
_ABBREVIATION = re.compile(
    r"(?:^|[\s(\"“])(?:(?:[A-Za-z]\.)+|(?:Mr|Mrs|Ms|Dr|St|Mt|Prof|Gen|Gov|Sen|Rep|Lt|Col|Capt|vs)\.)$"
)
"""A full stop that ends no sentence: initials and letter abbreviations ("U.S.",
"J. R. R."), and titles that come before a name ("Dr.", "St."). Without it "On July 1,
the U.S. State Department issued its annual report…" was the two sentences "On July 1,
the U.S." and "State Department issued…", and the first, a date and nothing else,
matched "when" questions about anything."""
MIN_SENTENCE_CHARS = 12


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` spans of the sentences of ``text``; fragments shorter than
    :data:`MIN_SENTENCE_CHARS` are merged into the sentence before them, and so is the
    text after an abbreviation's full stop on the same line."""
    spans: list[tuple[int, int]] = []
    continues = False
    for match in _SENTENCE.finditer(text):
        raw = match.group()
        start = match.start() + (len(raw) - len(raw.lstrip()))
        end = match.start() + len(raw.rstrip())
        if end <= start:
            continue
        abbreviated = bool(_ABBREVIATION.search(text, max(0, start - 1), end))
        between = text[spans[-1][1] : start] if spans else None
        fragment = end - start < MIN_SENTENCE_CHARS and not abbreviated  # "Dr." opens one
        if between is not None and (
            (fragment and not between.strip()) or (continues and not between.strip(" \t"))
        ):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        continues = abbreviated
    return spans
