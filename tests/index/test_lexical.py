"""The segmented BM25 index (a base plus a delta) against a full rebuild."""

import random
from pathlib import Path

import numpy as np

from chatbot.index.lexical import DELTA_SHARE, SEGMENT_FROM, LexicalIndex

WORDS = [f"word{n}" for n in range(4000)]


def documents(count: int, rng: random.Random) -> list[list[str]]:
    # Zipf-like: a few common words, a long tail of rare ones, as in news text.
    return [
        [
            WORDS[min(int(rng.paretovariate(0.6)) - 1, len(WORDS) - 1)]
            for _ in range(rng.randint(20, 120))
        ]
        for _ in range(count)
    ]


def top(index: LexicalIndex, query: list[str], k: int = 5) -> list[int]:
    matches = index.match(query)
    order = np.argsort(-matches.scores, kind="stable")[:k]
    return [int(index.chunk_ids[matches.rows[i]]) for i in order]


def test_base_plus_delta_ranks_like_a_full_rebuild(tmp_path: Path):
    rng = random.Random(5)
    base_docs = documents(SEGMENT_FROM + 1000, rng)
    ids = list(range(1, len(base_docs) + 1))
    base = LexicalIndex.build(base_docs, ids, ["en"] * len(ids))

    removed = set(rng.sample(ids, 40))
    added_docs = documents(120, rng)
    added_ids = list(range(len(ids) + 1, len(ids) + 1 + len(added_docs)))
    live = np.array([i for i in ids if i not in removed] + added_ids, dtype=np.int64)
    segmented = base.with_delta(live, added_docs, added_ids, ["prs"] * len(added_docs))
    assert segmented is not None and len(segmented) == len(live)
    segmented.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)

    by_id = dict(zip(ids, base_docs, strict=True)) | dict(zip(added_ids, added_docs, strict=True))
    full = LexicalIndex.build([by_id[i] for i in live], live.tolist(), ["x"] * len(live))
    queries = [rng.sample(doc, 3) for doc in rng.sample(added_docs, 15)]
    queries += [rng.sample(WORDS[50:800], 3) for _ in range(15)]
    same = 0
    for query in queries:
        found = top(loaded, query)
        assert not removed & set(found)
        same += found[:1] == top(full, query)[:1]
    assert same >= 0.9 * len(queries)

    # The delta's documents keep their own language through saving and loading.
    query = added_docs[0][:3]
    matches = loaded.match(query)
    in_delta = loaded.best_chunks(matches, "prs", 10)
    assert in_delta and set(in_delta) <= set(added_ids)
    assert not set(loaded.best_chunks(matches, "en", 10)) & set(added_ids)
    assert loaded.best_chunks(matches, "fr", 10) == []


def test_shares_scale_to_the_best_document_and_give_unknown_chunks_zero():
    docs = [["alpha", "beta"], ["alpha"], ["gamma", "gamma"], ["delta"]]
    index = LexicalIndex.build(docs, [10, 20, 30, 40], ["en", "en", "prs", "prs"])
    matches = index.match(["alpha", "gamma"])
    shares = index.shares(matches, [10, 20, 30, 40, 99])
    assert shares.max() == 1.0 and 0 < shares[0] < 1 and shares[3] == 0.0 and shares[4] == 0.0
    assert index.best_chunks(matches, "prs", 5) == [30]
    assert index.best_chunks(matches, "en", 1) in ([10], [20])
    assert not index.shares(index.match(["omega"]), [10, 20]).any()
    assert not index.shares(index.match([]), [10, 20]).any()


def test_a_large_change_or_a_small_index_is_rebuilt_in_full():
    rng = random.Random(6)
    docs = documents(SEGMENT_FROM, rng)
    ids = list(range(1, len(docs) + 1))
    base = LexicalIndex.build(docs, ids, ["en"] * len(ids))
    many = int(DELTA_SHARE * len(ids)) + 1
    added = documents(many, rng)
    added_ids = list(range(len(ids) + 1, len(ids) + 1 + many))
    live = np.array(ids + added_ids, dtype=np.int64)
    assert base.with_delta(live, added, added_ids, ["en"] * many) is None
    small = LexicalIndex.build(docs[:100], ids[:100], ["en"] * 100)
    assert small.with_delta(np.array([*ids[:100], 9999]), [["word1"]], [9999], ["en"]) is None
