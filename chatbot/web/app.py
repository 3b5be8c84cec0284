"""The Gradio Blocks of the web chat: a Chat tab, an Articles tab and the ``ask`` API.

Answers are HTML built by :mod:`chatbot.web.render`, in which all article text is
escaped; the Chatbot shows them with Markdown (and LaTeX) rendering off, so nothing
in an article is ever turned into markup.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import gradio as gr

from chatbot.answer.messages import message
from chatbot.retrieval import QuestionError, RetrievalResult, Retriever
from chatbot.text.language import Language, detect_language
from chatbot.web.indexing import BackgroundIndexer
from chatbot.web.render import (
    render_answer,
    render_articles,
    render_empty_chat,
    render_index_status,
    render_question,
    render_question_error,
    render_searching,
    render_upload_refused,
)
from chatbot.web.style import SET_PAGE_LANGUAGE_JS
from chatbot.web.uploads import UPLOAD_SUFFIXES, UploadError, save_upload

TOP_K = 5
EXAMPLES = (
    "In how many countries was the government itself the trafficker?",
    "How many people are held in prison camps in North Korea?",
    "چند کشور در این گزارش با سیاست قاچاق انسان برجسته شده اند؟",
    "کدام کشور برای دهمین سال متوالی در مبارزه با قاچاق انسان پیشگام بوده است؟",
)
"""Shown on the empty chat; they are answered by the seed articles."""
PAGE_LANGUAGES = [("English", "en"), ("دری", "prs")]
UPLOAD_POLL_SECONDS = 0.5
SEARCH_CONCURRENCY = 2
"""Questions searched at once, by the chat and the API together (Gradio's default is one
at a time per event). A question's embedding already uses every core, but the rest of a
search and Gradio's own work are Python; two at once keep the cores busy. With 8
concurrent API users on 2 cores (``benchmarks/perf.py``'s web measurement) one at a
time gave 24 answers/s and p95 411 ms, two at once 34-45 answers/s and p95 214-312 ms;
the single-user round trip is unchanged."""


@dataclass(frozen=True)
class Conversation:
    """One browser session's chat: the questions asked, for follow-ups, and the
    messages shown. Kept on the server (``gr.State``)."""

    questions: tuple[str, ...] = ()
    messages: tuple[dict[str, str], ...] = ()


def _user(html: str) -> dict[str, str]:
    return {"role": "user", "content": html}


def _bot(html: str) -> dict[str, str]:
    return {"role": "assistant", "content": html}


def _header(language: Language) -> str:
    return f"<h1>{message('app_title', language)}</h1>"


def _pick_example(event: gr.SelectData) -> str:
    return event.value["text"]


def reply_language(question: str, page_language: Language) -> Language:
    """The language to answer ``question`` in: its own, or the page's when it has no
    letters to tell ("؟؟؟", "2024"), which text of either language can be."""
    if any(char.isalpha() for char in question):
        return detect_language(question)
    return page_language


def build_app(
    retriever: Retriever, indexer: BackgroundIndexer | None = None, allow_upload: bool = False
) -> gr.Blocks:
    """The chat over ``retriever``. With an ``indexer``, the Articles tab shows its
    progress and, with ``allow_upload``, takes new article files for its folder."""
    if allow_upload and indexer is None:
        raise ValueError("uploads need a background indexer")

    def search(question: str, history: Sequence[str]) -> RetrievalResult:
        retriever.reload_if_changed()  # pick up a `chatbot index` run elsewhere
        return retriever.search(question, history, top_k=TOP_K)

    def chat_turn(
        question: str, conversation: Conversation, page_language: Language
    ) -> Iterator[tuple[str, list[dict[str, str]], Conversation]]:
        language = reply_language(question, page_language)
        shown = (*conversation.messages, _user(render_question(question, language)))
        yield "", [*shown, _bot(render_searching(language))], conversation
        try:
            result = search(question, conversation.questions)
        except QuestionError as error:
            reply = render_question_error(error, language)
            asked = conversation.questions
        else:
            reply = render_answer(
                replace(result, language=language),  # differs only for a letterless question
                lambda path: retriever.article_text(path, result.snapshot),
                can_upload=allow_upload,
            )
            asked = (*conversation.questions, question)
        done = Conversation(asked, (*shown, _bot(reply)))
        yield "", list(done.messages), done

    def ask_api(question: str, history: list[str] | None = None) -> dict[str, Any]:
        """Passages that answer `question`, after the earlier user questions `history`
        (oldest first): the JSON of `chatbot ask --json`."""
        if not isinstance(question, str):
            raise gr.Error("`question` must be a string: the question to answer.")
        if history is not None and (
            not isinstance(history, list) or not all(isinstance(h, str) for h in history)
        ):
            raise gr.Error("`history` must be a list of strings: the earlier questions.")
        try:
            return search(question, history or []).to_dict()
        except QuestionError as error:
            raise gr.Error(str(error)) from None

    def articles_view(language: Language) -> tuple[str, str]:
        retriever.reload_if_changed()
        status = render_index_status(indexer.status(), language) if indexer else ""
        return render_articles(retriever.articles(), language), status

    def add_article(file: str | None, language: Language) -> Iterator[tuple[str, str, None]]:
        assert indexer is not None  # checked above; tells the type checker
        if not file:
            yield (
                render_articles(retriever.articles(), language),
                render_upload_refused(None, language),
                None,
            )
            return
        try:
            saved = save_upload(Path(file), Path(file).name, indexer.articles_dir)
        except (UploadError, OSError) as error:
            refused = render_upload_refused(error, language)
            yield render_articles(retriever.articles(), language), refused, None
            return
        run = indexer.request()
        while True:
            status = indexer.wait(run, UPLOAD_POLL_SECONDS)
            waiting = status.finished < run
            yield (
                render_articles(retriever.articles(), language),
                render_index_status(status, language, saved.name, waiting),
                None,
            )
            if not waiting:
                return

    with gr.Blocks(
        title=f"{message('app_title', 'en')} · {message('app_title', 'prs')}",
        analytics_enabled=False,
    ) as app:
        conversation = gr.State(Conversation())
        with gr.Row():
            header = gr.HTML(_header("en"), elem_id="qa-header", scale=3)
            page_language = gr.Radio(
                PAGE_LANGUAGES,
                value="en",
                label=message("page_language", "en"),
                elem_id="qa-page-language",
                scale=1,
                min_width=220,
            )
        with gr.Tabs():
            with gr.Tab(message("tab_chat", "en"), id="chat") as chat_tab:
                chat = gr.Chatbot(
                    elem_id="qa-chat",
                    height="68vh",
                    render_markdown=False,
                    latex_delimiters=[],
                    allow_tags=False,
                    feedback_options=None,
                    # No copy buttons: Gradio copies a message's HTML source, article
                    # and all, and has no way to copy its visible text instead.
                    buttons=[],
                    placeholder=render_empty_chat("en"),
                    examples=[{"text": example} for example in EXAMPLES],
                    show_label=False,
                )
                question = gr.Textbox(
                    label=message("question_label", "en"),
                    placeholder=message("question_placeholder", "en"),
                    submit_btn=message("ask", "en"),
                    elem_id="qa-question",
                    max_lines=6,
                    autofocus=True,
                )
                new_button = gr.Button(
                    message("new_conversation", "en"), size="sm", elem_id="qa-new"
                )
            with gr.Tab(message("tab_articles", "en"), id="articles") as articles_tab:
                status = gr.HTML(elem_id="qa-index-status")
                if allow_upload:
                    upload = gr.File(
                        label=message("upload_label", "en"),
                        file_types=list(UPLOAD_SUFFIXES),
                        type="filepath",
                        elem_id="qa-upload",
                    )
                    add_button = gr.Button(
                        message("upload_button", "en"), variant="primary", elem_id="qa-add"
                    )
                articles = gr.HTML(elem_id="qa-articles")
                refresh_button = gr.Button(message("refresh", "en"), size="sm")

        searching: dict[str, Any] = {
            "concurrency_limit": SEARCH_CONCURRENCY,
            "concurrency_id": "search",  # one limit for the API and the chat together
        }
        gr.api(ask_api, api_name="ask", **searching)  # first, so no event takes the name
        private: dict[str, Any] = {"api_visibility": "private"}
        chat_io = {"inputs": [question, conversation, page_language]}
        chat_out = [question, chat, conversation]
        question.submit(chat_turn, **chat_io, outputs=chat_out, **private, **searching)
        chat.example_select(_pick_example, None, question, **private).then(
            chat_turn, **chat_io, outputs=chat_out, **private, **searching
        )
        for start_over in (new_button.click, chat.clear):  # the button and the bin icon
            start_over(
                lambda: ([], Conversation(), ""), None, [chat, conversation, question], **private
            )

        view = {"fn": articles_view, "inputs": page_language, "outputs": [articles, status]}
        app.load(**view, **private)
        articles_tab.select(**view, **private)
        refresh_button.click(**view, **private)
        if allow_upload:
            add_button.click(
                add_article, [upload, page_language], [articles, status, upload], **private
            )

        relabelled: list[gr.components.Component | gr.blocks.BlockContext] = [
            header,
            page_language,
            chat_tab,
            chat,
            question,
            new_button,
            articles_tab,
            refresh_button,
        ]
        if allow_upload:
            relabelled += [upload, add_button]

        def relabel(language: Language) -> list[Any]:
            updates = [
                _header(language),
                gr.update(label=message("page_language", language)),
                gr.update(label=message("tab_chat", language)),
                gr.update(placeholder=render_empty_chat(language), rtl=language == "prs"),
                gr.update(
                    label=message("question_label", language),
                    placeholder=message("question_placeholder", language),
                    submit_btn=message("ask", language),
                ),
                gr.update(value=message("new_conversation", language)),
                gr.update(label=message("tab_articles", language)),
                gr.update(value=message("refresh", language)),
            ]
            if allow_upload:
                updates += [
                    gr.update(label=message("upload_label", language)),
                    gr.update(value=message("upload_button", language)),
                ]
            return updates

        page_language.change(
            relabel, page_language, relabelled, js=SET_PAGE_LANGUAGE_JS, **private
        ).then(**view, **private)
    return app
