"""Plain-text rendering of a retrieval result, for the terminal."""

import textwrap

from chatbot.answer.messages import message
from chatbot.retrieval import Passage, RetrievalResult
from chatbot.text.language import Language


def citation(passage: Passage, language: Language) -> str:
    """``Title — file, characters 120–480 (English)`` in the reader's language, then
    ``; also in other-file`` when the passage is in other articles too."""
    passage_language = message(f"language_{passage.language}", language)
    line = (
        f"{passage.title} — {passage.article}, {message('characters', language)} "
        f"{passage.start}–{passage.end} ({passage_language})"
    )
    if passage.also_in:
        line += f"; {message('also_in', language)} {', '.join(passage.also_in)}"
    return line


INDEX_COMMAND = "`chatbot index`"
"""Put in the ``{command}`` of the messages that say how to index articles."""


def lead_key(result: RetrievalResult, can_upload: bool = False) -> str:
    """The message above the passages: they answer the question, or they may not; or,
    with no passages at all, the index has no articles and the message says how to add
    some (``can_upload``: in the web chat's Articles tab too). Names the question asks
    about that no article mentions are said either way: a question about a country no
    passage names may still be answered (:mod:`chatbot.retrieval.country_mentions`),
    and its passages then speak of the rest of it, not of that country. A request for
    more ("Tell me more.") that finds nothing more says so, even with no passages left."""
    if result.more:
        return "lead_more" if result.answered else "no_more"
    if not result.passages:
        return "no_articles_upload" if can_upload else "no_articles"
    if result.answered:
        return "lead_not_mentioned" if result.not_mentioned else "lead"
    return "not_mentioned" if result.not_mentioned else "no_answer"


def names_list(names: tuple[str, ...], language: Language) -> str:
    """``names`` as a list in ``language``: "Brazil, Lionel Messi"; "برازیل، کابل"."""
    return ("، " if language == "prs" else ", ").join(names)


def format_result(result: RetrievalResult) -> str:
    language = result.language
    names = names_list(result.not_mentioned, language)
    lines = [message(lead_key(result), language, command=INDEX_COMMAND, names=names)]
    if not result.answered and result.passages:
        lines.append(message("closest", language))
    for passage in result.passages:
        lines.append("")
        lines.append(f"[{passage.rank}] {citation(passage, language)}  score {passage.score:.3f}")
        lines.extend(
            textwrap.wrap(passage.text, width=88, initial_indent="    ", subsequent_indent="    ")
        )
    return "\n".join(lines)
