"""The FAISS vector indexes: which kind is chosen, and an IVF index that keeps up as
it grows."""

from pathlib import Path

import numpy as np
import pytest

from chatbot.index.vectors import (
    FLAT_LIMIT,
    IVF_MIN_VECTORS,
    VectorIndex,
    chosen_kind,
    ivf_cells,
    pq_bytes,
)


def unit_vectors(count: int, seed: int, dimension: int = 32) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_kind_follows_the_size_unless_overridden(monkeypatch):
    monkeypatch.delenv("CHATBOT_VECTOR_INDEX", raising=False)
    assert chosen_kind(FLAT_LIMIT) == "flat" and chosen_kind(FLAT_LIMIT + 1) == "ivf"
    monkeypatch.setenv("CHATBOT_VECTOR_INDEX", "flat")
    assert chosen_kind(10 * FLAT_LIMIT) == "flat"
    monkeypatch.setenv("CHATBOT_VECTOR_INDEX", "ivf")
    assert chosen_kind(IVF_MIN_VECTORS) == "ivf"
    # Too few vectors to train cells on: flat, so that an update does not rebuild it.
    assert chosen_kind(IVF_MIN_VECTORS - 1) == "flat"
    monkeypatch.setenv("CHATBOT_VECTOR_INDEX", "hnsw")
    with pytest.raises(ValueError, match="auto, flat or ivf"):
        chosen_kind(10)


@pytest.mark.parametrize("compact", [False, True])
def test_ivf_finds_stored_vectors_and_survives_saving(tmp_path: Path, compact: bool):
    vectors = unit_vectors(3000, seed=1)
    index = VectorIndex.build(32, list(range(100, 3100)), vectors, "ivf", compact=compact)
    assert index.kind == "ivf" and len(index) == 3000
    index.save(tmp_path / "v.faiss")
    loaded = VectorIndex.load(tmp_path / "v.faiss")
    for row in (0, 1234, 2999):
        assert loaded.search(vectors[row], 5)[0] == 100 + row


def test_a_compact_code_divides_the_dimension():
    assert [pq_bytes(d) for d in (384, 768, 1024, 32)] == [48, 48, 32, 32]


def test_an_ivf_index_is_outgrown_after_growing_fourfold():
    index = VectorIndex.build(32, list(range(2000)), unit_vectors(2000, seed=2), "ivf")
    assert not index.outgrown
    index.add(list(range(2000, 6000)), unit_vectors(4000, seed=3))
    assert not index.outgrown  # 3x: its cells still do
    index.add(list(range(6000, 8000)), unit_vectors(2000, seed=4))
    assert index.outgrown
    assert ivf_cells(8000) >= 2 * ivf_cells(2000)
    flat = VectorIndex.build(32, list(range(50)), unit_vectors(50, seed=5), "flat")
    assert not flat.outgrown


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("count", [3, 3000])
def test_a_write_to_a_full_disk_raises(count: int):
    """/dev/full fails every write with ENOSPC, as a full disk does. A small index
    fits FAISS's write buffer, so only closing the file meets the error."""
    index = VectorIndex.build(32, list(range(count)), unit_vectors(count, seed=3), "flat")
    with pytest.raises(OSError, match="No space left"):
        index.save(Path("/dev/full"))
