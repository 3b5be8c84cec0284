import numpy as np
import pytest

from chatbot.embeddings.base import Embedder
from chatbot.retrieval.retriever import RetrievalSettings, Retriever
from chatbot.retrieval.statement import for_sentences, is_statement, map_file, statement_map

CAMBODIA_IN_DARI = (
    "در کمبودیا، مقامات ارشد مالک املاکی بودند که گردانندگان کلاهبرداری آنلاین از آن "
    "برای بهره‌کشی از قربانیان در کار اجباری استفاده می‌کردند."
)


@pytest.mark.parametrize(
    "text",
    [
        "The State Department released its report on July 1.",
        "Tell me about Cuba",
        "North Korea forced labor",
        CAMBODIA_IN_DARI,
        "درباره کمبودیا بگو",
    ],
)
def test_statements(text: str) -> None:
    assert is_statement(text)


@pytest.mark.parametrize(
    "text",
    [
        "What did the report say?",
        "who is Antony Blinken",
        "and how much did it earn",
        "Is Cuba in the report",
        "گزارش چه گفت؟",
        "وزارت خارجه برای این گزارش به چه منابعی متکی بوده است",
        "آیا کوبا در گزارش است",
        "The report names Cuba. Which countries did it upgrade?",
    ],
)
def test_questions(text: str) -> None:
    assert not is_statement(text)


def test_for_sentences_mixes_the_mapped_vector_in() -> None:
    vector = np.array([1.0, 0.0], dtype=np.float32)
    swap = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    np.testing.assert_allclose(for_sentences(vector, swap, 0.5), [0.5, 0.5])
    np.testing.assert_allclose(for_sentences(vector, swap, 1.0), [0.0, 1.0])
    assert for_sentences(vector, swap, 0.0) is vector
    assert for_sentences(vector, None, 0.5) is vector


def test_only_the_fitted_embedder_has_a_map(embedder: Embedder) -> None:
    assert map_file(embedder.name).is_file()
    assert statement_map("sentence-transformers:some/model", 384) is None
    with pytest.raises(ValueError, match="not 768 x 768"):
        statement_map(embedder.name, 768)


def test_the_map_brings_a_passage_near_its_question_form(embedder: Embedder) -> None:
    """What the map is for: ``M @ passage`` is nearer the same text embedded as a
    question than the passage vector is, in both languages."""
    texts = [
        "In Cambodia, for example, senior officials owned properties used by scam operators.",
        "Human trafficking is a horrific and devastating crime.",
        CAMBODIA_IN_DARI,
        "گزارش سالانه قاچاق انسان توسط وزارت خارجه منتشر شد.",
    ]
    matrix = statement_map(embedder.name, embedder.dimension)
    assert matrix is not None
    passages, questions = embedder.embed_passages(texts), embedder.embed_queries(texts)
    for passage, question in zip(passages, questions, strict=True):
        mapped = matrix @ passage
        mapped /= np.linalg.norm(mapped)
        assert float(mapped @ question) > float(passage @ question) + 0.01


def test_a_statement_is_scored_with_the_map_and_a_question_is_not(
    seeds_index, embedder: Embedder, retriever: Retriever
) -> None:
    without = Retriever(seeds_index, embedder, RetrievalSettings(statement_weight=0.0))
    pasted = retriever.search(CAMBODIA_IN_DARI)
    first = pasted.passages[0]
    assert pasted.answered
    assert first.text[first.highlight_start : first.highlight_end].startswith("In Cambodia")
    assert first.score != pytest.approx(without.search(CAMBODIA_IN_DARI).passages[0].score)

    asked = "What did senior officials in Cambodia own?"
    assert [p.score for p in retriever.search(asked).passages] == [
        p.score for p in without.search(asked).passages
    ]


def test_a_statement_is_scored_with_the_sentences_question_forms(
    seeds_index, embedder: Embedder, retriever: Retriever
) -> None:
    """A pasted sentence's score at the sentence it translates is the mean of the map's
    estimate and its cosine with the sentence embedded as a question."""
    first = retriever.search(CAMBODIA_IN_DARI).passages[0]
    sentence = first.text[first.highlight_start : first.highlight_end]
    assert sentence.startswith("In Cambodia")
    pasted = embedder.embed_queries([CAMBODIA_IN_DARI])[0]
    as_passage = embedder.embed_passages([sentence])[0]
    as_question = embedder.embed_queries([sentence])[0]
    mapped = for_sentences(pasted, statement_map(embedder.name, embedder.dimension), 0.5)
    expected = 0.5 * float(mapped @ as_passage) + 0.5 * float(pasted @ as_question)
    assert first.score == pytest.approx(expected, abs=2e-3)  # vectors are kept as float16

    without = Retriever(seeds_index, embedder, RetrievalSettings(question_form_weight=0.0))
    alone = without.search(CAMBODIA_IN_DARI).passages[0]
    assert alone.score == pytest.approx(float(mapped @ as_passage), abs=2e-3)
    asked = "What did senior officials in Cambodia own?"
    assert [p.score for p in retriever.search(asked).passages] == [
        p.score for p in without.search(asked).passages
    ]
