"""The background indexer behind uploads and the watcher of `chatbot serve`."""

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from chatbot.embeddings import Embedder
from chatbot.index.builder import update_index
from chatbot.retrieval import Retriever
from chatbot.web.indexing import BackgroundIndexer

FLOODS = (
    "River floods cut off three valleys\n\n"
    "Spring floods on the Kokcha river cut off three valleys in Badakhshan, and the "
    "ministry sent 40 tonnes of flour by helicopter to the villages there.\n"
)


class FailsOnce:
    """The real embedder, whose first call to embed passages fails as a native
    library can (an exception no indexing code expects)."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self.failed = False

    def __getattr__(self, name: str):
        return getattr(self._embedder, name)

    def embed_passages(self, texts: Sequence[str], progress=None) -> np.ndarray:
        if not self.failed:
            self.failed = True
            raise RuntimeError("onnxruntime: failed to allocate memory")
        return self._embedder.embed_passages(texts, progress=progress)


def test_a_run_that_fails_unexpectedly_is_reported_and_the_next_one_runs(
    articles_copy: Path, tmp_path: Path, embedder
):
    index_dir = tmp_path / "index"
    update_index(articles_copy, index_dir, embedder)
    retriever = Retriever(index_dir, embedder)
    indexer = BackgroundIndexer(articles_copy, index_dir, FailsOnce(embedder), retriever)
    (articles_copy / "floods.txt").write_text(FLOODS, "utf-8")

    failed = indexer.wait(indexer.request(), timeout=60)
    assert (failed.finished, failed.running) == (1, False)
    assert "RuntimeError: onnxruntime: failed to allocate memory" in failed.error
    assert "server log" in failed.error

    done = indexer.wait(indexer.request(), timeout=120)
    assert (done.finished, done.running, done.error) == (2, False, None)
    assert done.report.added == ["floods.txt"]
    found = retriever.search("How much flour was sent to the valleys cut off by floods?")
    assert found.passages[0].article == "floods.txt"
