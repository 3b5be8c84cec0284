"""Plain-text rendering of a retrieval result, for the terminal."""

import textwrap

from chatbot.answer.messages import message
from chatbot.retrieval import Passage, RetrievalResult
from chatbot.text.language import Language


def citation(passage: Passage, language: Language) -> str:
    """``Title — file, characters 120–480 (English)`` in the reader's language."""
    passage_language = message(f"language_{passage.language}", language)
    return (
        f"{passage.title} — {passage.article}, {message('characters', language)} "
        f"{passage.start}–{passage.end} ({passage_language})"
    )


def format_result(result: RetrievalResult) -> str:
    language = result.language
    lines = [message("lead" if result.answered else "no_answer", language)]
    if not result.answered and result.passages:
        lines.append(message("closest", language))
    for passage in result.passages:
        lines.append("")
        lines.append(f"[{passage.rank}] {citation(passage, language)}  score {passage.score:.3f}")
        lines.extend(
            textwrap.wrap(passage.text, width=88, initial_indent="    ", subsequent_indent="    ")
        )
    return "\n".join(lines)
