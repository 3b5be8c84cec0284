"""A running retriever switches to a new index atomically and keeps the last good one
when a new snapshot is broken."""

import shutil
from pathlib import Path

from chatbot.index.snapshot import CURRENT_FILE, SNAPSHOTS_DIR, current_snapshot_name
from chatbot.retrieval import Retriever


def test_a_broken_new_snapshot_keeps_the_last_good_one(seeds_index: Path, tmp_path, embedder):
    index_dir = tmp_path / "index"
    shutil.copytree(seeds_index, index_dir)
    retriever = Retriever(index_dir, embedder)
    live = current_snapshot_name(index_dir)
    broken = live.split("-")[0][:-1] + "9-broken00"
    shutil.copytree(index_dir / SNAPSHOTS_DIR / live, index_dir / SNAPSHOTS_DIR / broken)
    (index_dir / SNAPSHOTS_DIR / broken / "vectors-en.faiss").write_bytes(b"garbage")
    (index_dir / CURRENT_FILE).write_text(broken, "utf-8")

    assert retriever.reload_if_changed() is False
    assert retriever.snapshot_name == live
    result = retriever.search("In how many countries was the government itself the trafficker?")
    assert "11 countries" in result.passages[0].text
