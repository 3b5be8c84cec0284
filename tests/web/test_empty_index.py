"""With no articles indexed, a question is told so, and how to add articles, in its own
language; not to ask again in other words."""

import pytest

from chatbot.answer import format_result, message
from chatbot.index.builder import update_index
from chatbot.retrieval import Retriever
from chatbot.web.render import render_answer

QUESTIONS = {
    "en": "How many countries were highlighted for human trafficking?",
    "prs": "چند کشور در این گزارش برجسته شده اند؟",
}


@pytest.fixture(scope="module")
def empty_retriever(tmp_path_factory: pytest.TempPathFactory, embedder) -> Retriever:
    """A Retriever over the index the real builder makes of an empty articles folder."""
    folder = tmp_path_factory.mktemp("empty")
    (folder / "articles").mkdir()
    update_index(folder / "articles", folder / "index", embedder)
    return Retriever(folder / "index", embedder)


@pytest.mark.parametrize("language", ["en", "prs"])
def test_the_web_answer_says_no_articles_are_indexed_and_how_to_add_them(
    empty_retriever: Retriever, language: str
):
    result = empty_retriever.search(QUESTIONS[language])
    assert empty_retriever.articles() == [] and result.language == language

    html = render_answer(result, empty_retriever.article_text)
    assert message("no_answer", language) not in html
    command = '<bdi dir="ltr" lang="en">`chatbot index`</bdi>'
    assert message("no_articles", language, command=command) in html
    assert "qa-passage" not in html and "qa-closest" not in html

    with_upload = render_answer(result, empty_retriever.article_text, can_upload=True)
    assert message("no_articles_upload", language, command=command) in with_upload


def test_the_command_line_answer_says_so_too(empty_retriever: Retriever):
    text = format_result(empty_retriever.search(QUESTIONS["prs"]))
    assert text == message("no_articles", "prs", command="`chatbot index`")
    assert "pdf" in text and "`chatbot index`" in text
