"""Removing web-page leftovers from article text, and picking the title.

News pages copied as text carry navigation and player debris ("Accessibility
links", "XS SM MD LG", "please wait", "0:00 0:03:48 0:00"). Rather than a list of
such strings, which would break on the next site, three general rules apply:

* lines with no letters (player timestamps, separators) are noise;
* short lines that occur in two or more articles of the corpus are site chrome;
* short lines without sentence punctuation (tags, buttons, player captions) are
  navigation, except the title.

A line repeated inside one article (an image caption and its alt text) is kept once.
The cleaned text is the kept lines, one paragraph each, separated by a blank line;
citations point at character offsets in this text.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

NAVIGATION_MAX_WORDS = 5
"""Lines this short without sentence punctuation are treated as navigation."""
REPEATED_MAX_WORDS = 8
"""Lines up to this length that recur across articles are treated as site chrome."""
TITLE_MIN_WORDS = 3
TITLE_MAX_CHARS = 80
_SENTENCE_END = tuple('.!?؟۔:;؛"”»)')


@dataclass(frozen=True)
class CleanedText:
    title: str
    text: str


def _lines(raw: str) -> list[str]:
    return [" ".join(line.split()) for line in raw.splitlines()]


def _has_letters(line: str) -> bool:
    return any(char.isalpha() for char in line)


def short_lines(raw: str) -> frozenset[str]:
    """The lines of one article short enough to be site chrome if they recur."""
    return frozenset(
        line for line in _lines(raw) if line and len(line.split()) <= REPEATED_MAX_WORDS
    )


def repeated_lines(articles: Iterable[tuple[int, frozenset[str]]]) -> frozenset[str]:
    """The lines found in at least two articles, given each article's file size and
    short lines. Copies of one file (the same size and short lines) count as one
    article: an article saved twice must not turn its own title into site chrome."""
    counts: Counter[str] = Counter()
    for _, lines in set(articles):
        counts.update(lines)
    return frozenset(line for line, count in counts.items() if count >= 2)


def find_repeated_lines(raw_texts: Iterable[str]) -> frozenset[str]:
    """Short lines that occur in at least two of the given articles."""
    return repeated_lines((len(raw), short_lines(raw)) for raw in raw_texts)


def _is_navigation(line: str) -> bool:
    return len(line.split()) <= NAVIGATION_MAX_WORDS and not line.endswith(_SENTENCE_END)


def _shorten(line: str) -> str:
    if len(line) <= TITLE_MAX_CHARS:
        return line
    cut = line[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


def clean_text(
    raw: str, repeated_lines: frozenset[str] = frozenset(), title_hint: str | None = None
) -> CleanedText:
    """Clean one article's raw text.

    ``repeated_lines`` comes from :func:`find_repeated_lines` over the whole corpus.
    ``title_hint`` (an HTML ``<title>``, say) wins over the first meaningful line.
    """
    seen: set[str] = set()
    candidates: list[str] = []
    for line in _lines(raw):
        if not _has_letters(line) or line in repeated_lines or line in seen:
            continue
        seen.add(line)
        candidates.append(line)
    title_index = next(
        (i for i, line in enumerate(candidates) if len(line.split()) >= TITLE_MIN_WORDS), 0
    )
    kept = [
        line for i, line in enumerate(candidates) if i == title_index or not _is_navigation(line)
    ]
    title = title_hint or (candidates[title_index] if candidates else "")
    return CleanedText(title=_shorten(" ".join(title.split())), text="\n\n".join(kept))
