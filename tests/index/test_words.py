"""The indexed words' vectors kept with each snapshot, over the real seeds index."""

import json
import shutil
from pathlib import Path

import numpy as np

from chatbot.index import load_snapshot
from chatbot.index.builder import update_index
from chatbot.index.snapshot import SNAPSHOTS_DIR, current_snapshot_name
from chatbot.index.words import WORDS_FILE, in_arabic_script, indexable, read_word_vectors
from chatbot.retrieval import Retriever
from tests.conftest import EN_2021, SEEDS


def test_every_indexable_word_has_a_unit_vector_and_its_closest_match_across(seeds_index):
    snapshot = load_snapshot(seeds_index)
    try:
        words = snapshot.words
        assert words is not None
        assert set(words.words) == {w for w in snapshot.lexical.vocabulary() if indexable(w)}
        assert "punishing" in words.words and "مجازات" not in words.words  # not in the Dari text
        assert words.arabic.any() and (~words.arabic).any()
        assert np.allclose(np.linalg.norm(words.vectors, axis=1), 1.0, atol=2e-3)
        # each word's closest match in the other script, as the vectors give it
        row = words.rows["punishing"]
        others = words.vectors[words.arabic] @ words.vectors[row]
        assert abs(words.closest_other[row] - others.max()) < 1e-3  # stored as float16
    finally:
        snapshot.close()


def test_a_word_translates_into_its_nearest_word_of_the_other_script(seeds_index, embedder):
    snapshot = load_snapshot(seeds_index)
    try:
        words = snapshot.words
        asked = ["مجازات", "groups", "گروههای"]  # "مجازات" (punishment): no Dari article has it
        vectors = np.stack(
            [embedder.embed_queries(["مجازات"])[0], words.vector("groups"), words.vector("گروههای")]
        )
        punishing, groups, dari_groups = words.translations(asked, vectors)
        assert punishing == "punishing"
        assert in_arabic_script(groups)
        # a word of the question's own script is never its translation
        assert dari_groups is not None and not in_arabic_script(dari_groups)
        # each script is one block of rows, the Latin one first
        assert not words.arabic[: np.count_nonzero(~words.arabic)].any()
    finally:
        snapshot.close()


def closest_from_scratch(words) -> np.ndarray:
    """Each word's best cosine with a word of the other script, over every pair."""
    similarities = words.vectors @ words.vectors.T
    similarities[words.arabic[:, None] == words.arabic[None, :]] = -1.0
    return similarities.max(axis=1)


def test_an_update_embeds_only_the_new_words(seeds_index: Path, tmp_path: Path, embedder):
    index_dir = tmp_path / "index"
    shutil.copytree(seeds_index, index_dir)
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    (articles / "new.txt").write_text(
        "Cooking rice\n\nSaffron and cardamom season the rice before it is steamed.", "utf-8"
    )
    totals: list[int] = []

    def progress(total: int):
        totals.append(total)
        return lambda done: None

    before = load_snapshot(index_dir)
    old_words = set(before.words.words)
    before.close()
    update_index(articles, index_dir, embedder, progress=progress)
    snapshot = load_snapshot(index_dir)
    try:
        new_words = set(snapshot.words.words) - old_words
        assert {"saffron", "cardamom", "steamed"} <= new_words
        # chunk and sentence vectors first, then only the words no earlier snapshot had
        assert totals[-1] == len(new_words) and len(totals) == 2
        # the closest-word cosines raised with the new words' equal a count from scratch
        assert np.allclose(
            snapshot.words.closest_other, closest_from_scratch(snapshot.words), atol=2e-3
        )
    finally:
        snapshot.close()
    (articles / EN_2021).unlink()  # its words go: every pair is counted again
    update_index(articles, index_dir, embedder)
    snapshot = load_snapshot(index_dir)
    try:
        assert "blinken" not in snapshot.words.words
        assert np.allclose(
            snapshot.words.closest_other, closest_from_scratch(snapshot.words), atol=2e-3
        )
    finally:
        snapshot.close()


def test_a_snapshot_from_before_word_vectors_is_searched_without_them(
    seeds_index: Path, tmp_path: Path, embedder
):
    index_dir = tmp_path / "index"
    shutil.copytree(seeds_index, index_dir)
    folder = index_dir / SNAPSHOTS_DIR / current_snapshot_name(index_dir)
    (folder / WORDS_FILE).unlink()
    checksums = folder / "checksums.json"
    listed = json.loads(checksums.read_text("utf-8"))
    del listed[WORDS_FILE]
    checksums.write_text(json.dumps(listed), "utf-8")
    assert read_word_vectors(folder) is None
    result = Retriever(index_dir, embedder).search(
        "In how many countries was the government itself the trafficker?"
    )
    assert result.answered and "11 countries" in result.passages[0].text


def test_an_update_with_no_new_word_links_the_previous_file(
    seeds_index: Path, tmp_path: Path, embedder
):
    index_dir = tmp_path / "index"
    shutil.copytree(seeds_index, index_dir)
    before = index_dir / SNAPSHOTS_DIR / current_snapshot_name(index_dir) / WORDS_FILE
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    path = articles / EN_2021
    path.write_text(path.read_text("utf-8") + "\n\nTrafficking in persons report.\n", "utf-8")
    report = update_index(articles, index_dir, embedder)
    assert report.modified
    after = index_dir / SNAPSHOTS_DIR / current_snapshot_name(index_dir) / WORDS_FILE
    assert after != before and after.samefile(before)
    load_snapshot(index_dir).close()  # its checksums hold
