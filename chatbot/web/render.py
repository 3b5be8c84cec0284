"""HTML for the web chat: questions, answers with their cited passages, the article
list and the indexing status.

Pure functions of their inputs. Every piece of text that comes from an article, a
file name or a user goes through :func:`escape`, so an article's HTML, scripts and
Markdown are shown as text and never run or rendered; the chat displays this HTML
with Markdown rendering switched off (see :mod:`chatbot.web.app`).

Direction: each message, passage and article carries the ``dir`` and ``lang`` of its
own language, so English and Dari both read correctly on one page; titles, file
names and English reasons are isolated (``dir="auto"`` / ``dir="ltr"``) inside a line
of the other language.
"""

import html
from collections.abc import Callable, Sequence
from datetime import datetime

from chatbot.answer.messages import MESSAGES, message
from chatbot.answer.text import INDEX_COMMAND, lead_key, names_list
from chatbot.index.store import ArticleRecord
from chatbot.retrieval import Passage, QuestionError, RetrievalResult
from chatbot.text.language import Language
from chatbot.web.indexing import IndexStatus
from chatbot.web.uploads import UploadError

_DIRECTION = {"en": "ltr", "prs": "rtl"}
_HTML_LANG = {"en": "en", "prs": "fa-AF"}
"""BCP 47 for the page: browsers pick Persian glyph forms and fonts for ``fa``."""

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

ArticleText = Callable[[str], str | None]
"""The cleaned text of an indexed article by path (:meth:`Retriever.article_text`)."""


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def number(value: object, language: Language) -> str:
    """Digits as the reader writes them: Persian digits (۰–۹) for Dari."""
    return str(value).translate(_PERSIAN_DIGITS) if language == "prs" else str(value)


def language_attributes(language: str) -> str:
    """``dir`` and ``lang`` for text in ``language`` (``dir="auto"`` if unknown)."""
    if language not in _DIRECTION:
        return 'dir="auto"'
    return f'dir="{_DIRECTION[language]}" lang="{_HTML_LANG[language]}"'


def _isolated(value: str, attributes: str = 'dir="ltr"') -> str:
    """``value`` escaped in a ``<bdi>`` of its own direction, so that it reads the same
    inside a line of either language: a file name is left-to-right (``2024_report.txt``
    stays whole in a Dari line), an English reason keeps its parentheses in place."""
    return f"<bdi {attributes}>{escape(value)}</bdi>"


def _sentence(key: str, language: Language, **values: str) -> str:
    """The sentence ``key`` in ``language`` as HTML: its own text escaped, and
    ``values``, which must already be HTML (:func:`_isolated`, :func:`number`), put in."""
    return escape(MESSAGES[key][language]).format(**values)


def render_question(question: str, language: Language) -> str:
    return f'<div class="qa-question" {language_attributes(language)}>{escape(question)}</div>'


def render_searching(language: Language) -> str:
    """The placeholder answer shown while a question is being searched."""
    return (
        f'<div class="qa-answer qa-pending" {language_attributes(language)}>'
        f"{escape(message('searching', language))}</div>"
    )


def render_question_error(error: QuestionError, language: Language) -> str:
    """A question the retriever refused (empty, too long), and why, in ``language``."""
    return (
        f'<div class="qa-answer qa-error" {language_attributes(language)}>'
        f"<p>{escape(message('question_error', language))}</p>"
        f"<p>{escape(error.in_language(language))}</p></div>"
    )


def render_answer(
    result: RetrievalResult, article_text: ArticleText, can_upload: bool = False
) -> str:
    """The lead line in the question's language, then the numbered passages.

    When the result is not an answer, only that is said; the closest passages stay
    folded away under a label saying they may not be relevant. With no passages at
    all the index has no articles, and the lead says how to add some (``can_upload``:
    in the Articles tab too).
    """
    language = result.language
    passages = "".join(_render_passage(p, language, article_text) for p in result.passages)
    command = _isolated(INDEX_COMMAND, language_attributes("en"))
    names = _isolated(names_list(result.not_mentioned, language), 'dir="auto"')
    line = _sentence(lead_key(result, can_upload), language, command=command, names=names)
    if result.answered:
        body = f'<p class="qa-lead">{line}</p>{passages}'
    else:
        body = f'<p class="qa-lead qa-no-answer">{line}</p>'
        if passages:
            body += (
                f'<details class="qa-closest"><summary>{escape(message("closest", language))}'
                f"</summary>{passages}</details>"
            )
    return f'<div class="qa-answer" {language_attributes(language)}>{body}</div>'


def _render_passage(passage: Passage, reader: Language, article_text: ArticleText) -> str:
    citation = (
        f'<div class="qa-cite"><span class="qa-rank">[{number(passage.rank, reader)}]</span> '
        f'<span class="qa-title" dir="auto">{escape(passage.title)}</span> · '
        f"{escape(message('citation_file', reader))} "
        f'<span class="qa-file" dir="ltr">{escape(passage.article)}</span> · '
        f"{escape(message(f'language_{passage.language}', reader))}{_also_in(passage, reader)}"
        "</div>"
    )
    attributes = language_attributes(passage.language)
    text = _highlight_sentence(passage)
    parts = [
        f'<section class="qa-passage">{citation}',
        f'<blockquote class="qa-text" {attributes}>{text}</blockquote>',
    ]
    article = article_text(passage.article)
    # The index may have been replaced since the search: show the article only when
    # the passage's offsets still point at the passage.
    if article is not None and article[passage.start : passage.end] == passage.text:
        parts.append(
            f'<details class="qa-source"><summary>{escape(message("show_article", reader))}'
            f'</summary><div class="qa-article" {attributes}>'
            f"{escape(article[: passage.start])}"
            f'<mark class="qa-in-article">{text}</mark>'
            f"{escape(article[passage.end :])}</div></details>"
        )
    parts.append("</section>")
    return "".join(parts)


def _also_in(passage: Passage, reader: Language) -> str:
    """`` · also in <file>, <file>``: the other articles holding the passage, if any."""
    if not passage.also_in:
        return ""
    files = ", ".join(
        f'<span class="qa-file" dir="ltr">{escape(path)}</span>' for path in passage.also_in
    )
    return f' · <span class="qa-also-in">{escape(message("also_in", reader))} {files}</span>'


def _highlight_sentence(passage: Passage) -> str:
    text = passage.text
    start = min(max(passage.highlight_start, 0), len(text))
    end = min(max(passage.highlight_end, start), len(text))
    if start == end:
        return escape(text)
    return (
        f'{escape(text[:start])}<mark class="qa-best">{escape(text[start:end])}</mark>'
        f"{escape(text[end:])}"
    )


def render_empty_chat(language: Language) -> str:
    """What the empty chat shows above the example questions."""
    return (
        f'<div class="qa-welcome" {language_attributes(language)}>'
        f"<p><strong>{escape(message('app_title', language))}</strong></p>"
        f"<p>{escape(message('app_intro', language))}</p>"
        f"<p>{escape(message('examples', language))}</p></div>"
    )


def render_articles(articles: Sequence[ArticleRecord], language: Language) -> str:
    """The indexed articles as a table with headings in ``language``."""
    if not articles:
        return (
            f'<p class="qa-articles-empty" {language_attributes(language)}>'
            f"{escape(message('articles_empty', language))}</p>"
        )
    columns = ("column_title", "column_language", "column_chunks", "column_indexed", "column_file")
    head = "".join(f"<th>{escape(message(column, language))}</th>" for column in columns)
    rows = []
    for article in sorted(articles, key=lambda a: a.path):
        indexed = datetime.fromtimestamp(article.indexed_at).strftime("%Y-%m-%d %H:%M")
        indexed = number(indexed, language)
        rows.append(
            f"<tr><td {language_attributes(article.language)}>{escape(article.title)}</td>"
            f"<td>{escape(message(f'language_{article.language}', language))}</td>"
            f"<td>{number(article.chunks, language)}</td>"
            f'<td dir="ltr">{indexed}</td>'
            f'<td dir="ltr" class="qa-file">{escape(article.path)}</td></tr>'
        )
    return (
        f'<table class="qa-articles" {language_attributes(language)}>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def render_index_status(
    status: IndexStatus, language: Language, saved: str = "", waiting: bool = False
) -> str:
    """A line on the background indexer (after the name an upload was just ``saved``
    as, if any), plus the files the last run skipped. ``waiting``: the caller's run has
    not finished, even if it has not started yet."""
    english = language_attributes("en")  # the indexer's reasons and errors
    if status.running or waiting:
        if status.running and status.total:
            line = _sentence(
                "indexing_progress",
                language,
                done=number(status.done, language),
                total=number(status.total, language),
            )
        else:
            line = _sentence("indexing_started", language)
    elif status.error is not None:
        line = _sentence("indexing_failed", language, error=_isolated(status.error, english))
    elif status.report is not None:
        report = status.report
        line = _sentence(
            "indexing_done",
            language,
            added=number(len(report.added), language),
            changed=number(len(report.changed), language),
            removed=number(len(report.removed), language),
        )
    else:
        line = ""
    lines = [_sentence("upload_saved", language, name=_isolated(saved))] if saved else []
    if line:
        lines.append(line)
    if not (status.running or waiting) and status.report is not None:
        if status.report.chunking_change:
            old, new = status.report.chunking_change
            lines.append(
                _sentence(
                    "indexing_rechunked",
                    language,
                    old=number(old.max_tokens, language),
                    old_overlap=number(old.overlap_tokens, language),
                    new=number(new.max_tokens, language),
                    new_overlap=number(new.overlap_tokens, language),
                )
            )
        lines += [
            _sentence(
                "indexing_skipped",
                language,
                path=_isolated(skipped.path),
                reason=_isolated(skipped.reason, english),
            )
            for skipped in status.report.skipped
        ]
        lines += [
            _sentence(
                "indexing_damaged",
                language,
                path=_isolated(path),
                count=number(count, language),
            )
            for path, count in status.report.damaged
        ]
    return _status_list(lines, language)


def render_upload_refused(refusal: UploadError | OSError | None, language: Language) -> str:
    """Why an upload was not added: no file was chosen (``refusal`` None), the file was
    refused (said in ``language``, its name isolated), or saving it failed (the
    system's reason, in English)."""
    if refusal is None:
        line = _sentence("upload_missing", language)
    else:
        if isinstance(refusal, UploadError):
            values = {key: _isolated(value) for key, value in refusal.values.items()}
            reason = _sentence(refusal.key, language, **values)
        else:
            reason = _isolated(str(refusal), language_attributes("en"))
        line = _sentence("upload_refused", language, reason=reason)
    return _status_list([line], language)


def _status_list(lines: Sequence[str], language: Language) -> str:
    """``lines`` (HTML) as the status list, or nothing without lines."""
    if not lines:
        return ""
    items = "".join(f"<li>{line}</li>" for line in lines)
    return f'<ul class="qa-status" {language_attributes(language)}>{items}</ul>'
