import ctypes
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from filelock import FileLock

from chatbot.chunks import ChunkingSettings
from chatbot.index import IndexMissingError, load_snapshot
from chatbot.index import store as store_module
from chatbot.index.builder import IndexBusyError, update_index
from chatbot.index.checksums import write_checksums
from chatbot.index.errors import IndexCorruptError, IndexStorageError
from chatbot.index.language_sums import LANGUAGES_FILE, SUMS_FILE
from chatbot.index.snapshot import LOCK_FILE, SNAPSHOTS_DIR, current_snapshot_name
from chatbot.index.store import STORE_FILE
from chatbot.retrieval import Retriever
from tests.conftest import EN_2021, EN_2025, PRS_2025, SEEDS

QUESTIONS = [
    "In how many countries was the government itself the trafficker?",
    "How many people are held in prison camps in North Korea?",
    "کدام کشور برای دهمین سال متوالی پیشگام بوده است؟",
    "A brand new paragraph about river floods in the spring",
]


def contents(index_dir: Path) -> dict:
    snapshot = load_snapshot(index_dir)
    try:
        records = snapshot.store.articles(snapshot.number)
        articles = {a.path: (a.title, a.language, a.content_hash, a.chunks) for a in records}
        chunk_ids = [int(i) for i in snapshot.lexical.chunk_ids]
        chunks = sorted(
            (c.path, c.start, c.end, c.text) for c in snapshot.store.chunks(chunk_ids).values()
        )
        sentences = {
            lang: snapshot.sentences.count(lang) for lang in snapshot.sentences.languages()
        }
        assert sentences == snapshot.store.live_sentence_counts(snapshot.number)
        return {
            "articles": articles,
            "chunks": chunks,
            "vectors": len(snapshot.vectors),
            "sentences": sentences,
        }
    finally:
        snapshot.close()


def answers(index_dir: Path, embedder) -> list:
    retriever = Retriever(index_dir, embedder)
    return [
        [(p.article, p.start, p.end, round(p.score, 3)) for p in retriever.search(q).passages]
        for q in QUESTIONS
    ]


def assert_same_as_rebuild(articles: Path, index_dir: Path, tmp_path: Path, embedder) -> None:
    fresh = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    update_index(articles, fresh, embedder, rebuild=True)
    assert contents(index_dir) == contents(fresh)
    kept, counted = load_snapshot(index_dir), load_snapshot(fresh)
    assert kept.language_means.keys() == counted.language_means.keys()
    for language, mean in kept.language_means.items():
        assert mean == pytest.approx(counted.language_means[language], abs=1e-6)
    kept.close()
    counted.close()
    assert answers(index_dir, embedder) == answers(fresh, embedder)


def test_incremental_add_change_delete_equal_a_rebuild(tmp_path: Path, embedder):
    articles = tmp_path / "articles"
    articles.mkdir()
    index_dir = tmp_path / "index"
    shutil.copy(SEEDS / EN_2025, articles)
    shutil.copy(SEEDS / PRS_2025, articles)
    first = update_index(articles, index_dir, embedder)
    assert sorted(first.added) == [EN_2025, PRS_2025]

    shutil.copy(SEEDS / EN_2021, articles)
    added = update_index(articles, index_dir, embedder)
    assert (added.added, added.changed, added.removed, added.unchanged) == ([EN_2021], [], [], 2)
    assert_same_as_rebuild(articles, index_dir, tmp_path, embedder)

    with open(articles / EN_2025, "a", encoding="utf-8") as handle:
        handle.write("\n\nA brand new paragraph about river floods in the spring of 2025.\n")
    changed = update_index(articles, index_dir, embedder)
    assert (changed.added, changed.changed, changed.removed) == ([], [EN_2025], [])
    assert_same_as_rebuild(articles, index_dir, tmp_path, embedder)

    (articles / PRS_2025).unlink()
    removed = update_index(articles, index_dir, embedder)
    assert (removed.added, removed.changed, removed.removed) == ([], [], [PRS_2025])
    assert_same_as_rebuild(articles, index_dir, tmp_path, embedder)

    unchanged = update_index(articles, index_dir, embedder)
    assert not unchanged.modified and unchanged.vectors == 0


def test_bad_files_do_not_stop_indexing(tmp_path: Path, embedder):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "garbage.txt").write_bytes(bytes(range(256)) * 16)
    (articles / "empty.txt").write_bytes(b"")
    legacy = "فلیپین برای دهمین سال متوالی در زمینه مبارزه با قاچاق انسان پیشگام بوده است."
    (articles / "legacy.txt").write_bytes(legacy.replace("ی", "ي").encode("cp1256"))
    report = update_index(articles, tmp_path / "index", embedder)
    assert report.added == ["legacy.txt"]
    assert {s.path for s in report.skipped} == {"garbage.txt", "empty.txt"}
    result = Retriever(tmp_path / "index", embedder).search("کدام کشور پیشگام بوده است؟")
    assert result.passages[0].article == "legacy.txt"


def test_interrupted_run_leaves_the_previous_index_usable(articles_copy: Path, tmp_path, embedder):
    index_dir = tmp_path / "index"
    update_index(articles_copy, index_dir, embedder)
    before = contents(index_dir)
    (articles_copy / "new.txt").write_text("A new article. " * 50, "utf-8")

    def interrupt(total: int):
        def step(count: int) -> None:
            raise KeyboardInterrupt

        return step

    with pytest.raises(KeyboardInterrupt):
        update_index(articles_copy, index_dir, embedder, progress=interrupt)
    assert contents(index_dir) == before
    # A half-written snapshot left behind by a killed run is never loaded, and is
    # cleaned up by the next run.
    leftover = index_dir / SNAPSHOTS_DIR / "9999999999-deadbeef"
    leftover.mkdir()
    (leftover / "vectors-en.faiss").write_bytes(b"half")
    assert contents(index_dir) == before
    report = update_index(articles_copy, index_dir, embedder)
    assert report.added == ["new.txt"]
    assert not leftover.exists()


def test_an_index_built_with_other_chunking_is_indexed_again_by_itself(tmp_path: Path, embedder):
    """After an upgrade that changed the chunk size, the next update (`chatbot index`,
    `chatbot serve` at start and on changes) chunks and embeds every article again,
    without `--rebuild`, and the result is what a fresh build gives."""
    index_dir = tmp_path / "index"
    update_index(SEEDS, index_dir, embedder, chunking=ChunkingSettings(max_tokens=96))
    old = load_snapshot(index_dir)
    old_chunking, old_vectors = old.manifest.chunk_max_tokens, len(old.vectors)
    old.close()

    report = update_index(SEEDS, index_dir, embedder)
    assert report.chunking_change == (ChunkingSettings(max_tokens=96), ChunkingSettings())
    assert sorted(report.added) == sorted([EN_2021, EN_2025, PRS_2025])
    new = load_snapshot(index_dir)
    new_chunking, new_vectors = new.manifest.chunk_max_tokens, len(new.vectors)
    new.close()
    assert (old_chunking, new_chunking) == (96, ChunkingSettings().max_tokens)
    assert new_vectors < old_vectors
    assert_same_as_rebuild(SEEDS, index_dir, tmp_path, embedder)

    again = update_index(SEEDS, index_dir, embedder)
    assert again.chunking_change is None and again.unchanged == 3 and not again.modified


@pytest.mark.parametrize(
    ("target", "damage"),
    [
        ("vectors-en.faiss", "truncate"),
        ("vectors-en.faiss", "delete"),
        ("vectors-prs.faiss", "flip"),
        ("sentences-en.faiss", "truncate"),
        ("sentences-prs.faiss", "delete"),
        ("lexical/bm25/vocab.index.json", "garbage"),
        ("manifest.json", "garbage"),
        ("lexical/chunk_ids.npy", "empty"),
        ("lexical/language_codes.npy", "truncate"),
        ("background.npy", "garbage"),
        ("background.npy", "zip"),
        ("words.npz", "truncate"),
        ("words.npz", "zip"),
        ("metadata.sqlite", "garbage"),
        ("metadata.sqlite", "empty"),
        ("metadata.sqlite", "truncate"),  # "database disk image is malformed"
        ("CURRENT", "garbage"),
        ("CURRENT", "binary"),  # not UTF-8
        ("CURRENT", "folder"),
    ],
)
def test_damaged_files_are_named_with_the_fix_and_rebuild_mends_them(
    seeds_index: Path, tmp_path: Path, embedder, target: str, damage: str
):
    index_dir = tmp_path / "index"
    shutil.copytree(seeds_index, index_dir)
    folder = index_dir / SNAPSHOTS_DIR / current_snapshot_name(index_dir)
    path = index_dir / target if target in ("metadata.sqlite", "CURRENT") else folder / target
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "garbage":
        path.write_bytes(b"not what you expected\x00" * 100)
    elif damage == "binary":
        path.write_bytes(bytes(range(128, 256)))
    elif damage == "zip":  # numpy takes it for an .npz: zipfile.BadZipFile
        path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    elif damage == "flip":  # parses fine: only the checksum can tell
        data = bytearray(path.read_bytes())
        middle = len(data) // 2
        data[middle : middle + 64] = bytes(b ^ 0xFF for b in data[middle : middle + 64])
        path.write_bytes(bytes(data))
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "folder":
        path.unlink()
        path.mkdir()
        (path / "stray.txt").write_text("put here by mistake", "utf-8")
    else:
        path.unlink()
    with pytest.raises(IndexCorruptError, match="rebuild") as error:
        load_snapshot(index_dir)
    assert path.name in str(error.value)

    update_index(SEEDS, index_dir, embedder, rebuild=True)
    snapshot = load_snapshot(index_dir)
    assert len(snapshot.vectors) == sum(a.chunks for a in snapshot.store.articles(snapshot.number))
    # Numbers go on: a chat still on the damaged index's snapshot keeps its rows meanwhile.
    assert snapshot.number > int(folder.name.split("-")[0])
    snapshot.close()


def test_a_store_that_cannot_be_opened_is_kept_and_not_called_corrupt(
    seeds_index: Path, tmp_path: Path, embedder
):
    """A sound database SQLite cannot open for writing (here: its -shm file cannot be
    written, as when another user or a read-only mount owns it) is not damage: the
    error says what to fix, and even --rebuild leaves the database alone."""
    index_dir = tmp_path / "index"
    shutil.copytree(seeds_index, index_dir)
    before = contents(index_dir)
    store = index_dir / STORE_FILE
    data = store.read_bytes()
    blocker = index_dir / f"{STORE_FILE}-shm"
    blocker.unlink(missing_ok=True)  # left by a reader; SQLite makes it anew
    blocker.mkdir()
    for rebuild in (False, True):
        with pytest.raises(IndexStorageError, match="writable") as error:
            update_index(SEEDS, index_dir, embedder, rebuild=rebuild)
        assert "would not help" in str(error.value)
        assert store.read_bytes() == data
        assert not list(index_dir.glob("*.corrupt"))
    blocker.rmdir()
    assert contents(index_dir) == before
    assert not update_index(SEEDS, index_dir, embedder).modified


def test_a_folder_in_place_of_the_store_is_not_set_aside(
    seeds_index: Path, tmp_path: Path, embedder
):
    index_dir = tmp_path / "index"
    shutil.copytree(seeds_index, index_dir)
    store = index_dir / STORE_FILE
    store.unlink()
    (store / "notes").mkdir(parents=True)
    with pytest.raises(IndexStorageError, match="not a file"):
        load_snapshot(index_dir)
    with pytest.raises(IndexStorageError, match="not a file"):
        update_index(SEEDS, index_dir, embedder, rebuild=True)
    assert (store / "notes").is_dir()
    assert not store.with_name(f"{STORE_FILE}.corrupt").exists()


def test_missing_index_says_to_build_it(tmp_path: Path):
    with pytest.raises(IndexMissingError, match="chatbot index"):
        load_snapshot(tmp_path)


def test_a_second_run_waits_or_refuses(articles_copy: Path, tmp_path: Path, embedder):
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    with FileLock(str(index_dir / LOCK_FILE)), pytest.raises(IndexBusyError, match="another"):
        update_index(articles_copy, index_dir, embedder, lock_timeout=0.2)


def test_site_chrome_shared_by_a_new_article_is_removed_from_the_old_one(tmp_path, embedder):
    articles = tmp_path / "articles"
    articles.mkdir()
    body = "Rivers flooded three valleys in the spring, officials said on Monday."
    index_dir = tmp_path / "index"
    (articles / "a.txt").write_text(
        f"Flood news from the valleys\nRiver Times daily edition for the whole region\n{body}",
        "utf-8",
    )
    update_index(articles, index_dir, embedder)
    retriever = Retriever(index_dir, embedder)
    assert "River Times daily edition" in retriever.article_text("a.txt")  # not repeated yet

    other = "Bridges over the rivers were closed after the floods, the ministry said."
    (articles / "b.txt").write_text(
        f"Bridge news from the city\nRiver Times daily edition for the whole region\n{other}"
    )
    update_index(articles, index_dir, embedder)
    retriever.reload_if_changed()
    assert "River Times daily edition for the whole region" not in retriever.article_text("b.txt")
    assert "River Times daily edition for the whole region" not in retriever.article_text("a.txt")
    assert_same_as_rebuild(articles, index_dir, tmp_path, embedder)


def test_an_article_saved_twice_keeps_its_title_and_the_first_is_not_changed(
    articles_copy, tmp_path, embedder
):
    """Short lines found in two articles are site chrome, but a copy of one file is not
    a second article: it must not strip the title from both."""
    index_dir = tmp_path / "index"
    update_index(articles_copy, index_dir, embedder)
    shutil.copyfile(articles_copy / EN_2025, articles_copy / f"copy-{EN_2025}")
    report = update_index(articles_copy, index_dir, embedder)
    assert report.added == [f"copy-{EN_2025}"] and report.changed == []
    titles = {a.path: a.title for a in Retriever(index_dir, embedder).articles()}
    title = "Release of the 2025 Trafficking in Persons Report"
    assert titles[EN_2025] == titles[f"copy-{EN_2025}"] == title
    assert_same_as_rebuild(articles_copy, index_dir, tmp_path, embedder)


def test_touched_but_unchanged_file_is_not_embedded_again(articles_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    update_index(articles_copy, index_dir, embedder)
    path = articles_copy / EN_2021
    path.write_text(path.read_text("utf-8"), "utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    report = update_index(articles_copy, index_dir, embedder)
    assert not report.modified and report.vectors == 0 and report.unchanged == 3


_LOAD = """
import sys
from pathlib import Path
from chatbot.index import load_snapshot
try:
    open(sys.argv[2], "rb").close()
except PermissionError:
    pass
else:
    sys.exit("permissions not enforced")
try:
    load_snapshot(Path(sys.argv[1]))
except Exception as error:
    print(type(error).__name__, error)
"""


def _without_root_file_access() -> None:
    """Drop the capabilities that let root read any file, so file permissions apply
    to it as to any user (``prctl(PR_CAPBSET_DROP)``; Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        libc.prctl(24, capability, 0, 0, 0)


@pytest.mark.parametrize("target", ["CURRENT", "manifest.json", "vectors-en.faiss"])
def test_an_index_file_this_user_may_not_read_is_not_called_damaged(
    seeds_index: Path, tmp_path: Path, target
):
    """A sound file the system refuses to read is a permission problem to fix, not
    damage to rebuild (the message used to say "unreadable … rebuild")."""
    index_dir = tmp_path / "index"
    shutil.copytree(seeds_index, index_dir)
    folder = index_dir / SNAPSHOTS_DIR / current_snapshot_name(index_dir)
    path = index_dir / target if target == "CURRENT" else folder / target
    path.chmod(0)
    result = subprocess.run(
        [sys.executable, "-c", _LOAD, str(index_dir), str(path)],
        capture_output=True,
        text=True,
        preexec_fn=_without_root_file_access,
        check=False,
    )
    if "permissions not enforced" in result.stderr:
        pytest.skip("file permissions do not apply to this process")
    assert result.stdout.startswith("IndexStorageError"), result.stdout + result.stderr
    assert str(path) in result.stdout
    assert "can read" in result.stdout and "rebuild would not help" in result.stdout


def test_each_language_has_the_mean_of_its_live_chunk_vectors(
    tmp_path: Path, embedder, monkeypatch
):
    monkeypatch.setattr(store_module, "_MEAN_BATCH", 2)  # a language spans several batches
    articles, index_dir = tmp_path / "articles", tmp_path / "index"
    articles.mkdir()
    for name in (EN_2025, PRS_2025):
        shutil.copy(SEEDS / name, articles)
    update_index(articles, index_dir, embedder)

    def assert_means_of_live_chunks(languages: set[str]) -> None:
        snapshot = load_snapshot(index_dir)
        assert set(snapshot.language_means) == languages
        for language in languages:
            _, matrix = snapshot.store.all_chunk_vectors(
                snapshot.number, language, embedder.dimension
            )
            assert len(matrix) > 2
            assert snapshot.language_means[language] == pytest.approx(matrix.mean(0), abs=1e-6)
        snapshot.close()

    assert_means_of_live_chunks({"en", "prs"})
    # a snapshot written before the sums were kept has them counted when it loads
    folder = index_dir / SNAPSHOTS_DIR / current_snapshot_name(index_dir)
    for name in (SUMS_FILE, LANGUAGES_FILE):
        (folder / name).unlink()
    write_checksums(folder)
    assert_means_of_live_chunks({"en", "prs"})

    shutil.copy(SEEDS / EN_2021, articles)  # added to the counted sums
    update_index(articles, index_dir, embedder)
    assert_means_of_live_chunks({"en", "prs"})
    (articles / PRS_2025).unlink()  # taken out of the kept sums
    update_index(articles, index_dir, embedder)
    assert_means_of_live_chunks({"en"})


def test_a_snapshot_without_sentence_indexes_loads_and_the_next_update_adds_them(
    tmp_path: Path, embedder
):
    """Snapshots written before the sentence vectors had FAISS indexes of their own
    are searched by chunk vectors alone until the next update builds them."""
    articles, index_dir = tmp_path / "articles", tmp_path / "index"
    articles.mkdir()
    for name in (EN_2025, PRS_2025):
        shutil.copy(SEEDS / name, articles)
    update_index(articles, index_dir, embedder)
    folder = index_dir / SNAPSHOTS_DIR / current_snapshot_name(index_dir)
    for path in folder.glob("sentences-*.faiss"):
        path.unlink()
    write_checksums(folder)
    snapshot = load_snapshot(index_dir)
    assert not snapshot.sentences.languages()
    snapshot.close()
    assert Retriever(index_dir, embedder).search(QUESTIONS[2]).answered

    update_index(articles, index_dir, embedder)  # no article changed
    assert contents(index_dir)["sentences"].keys() == {"en", "prs"}
    assert_same_as_rebuild(articles, index_dir, tmp_path, embedder)
    shutil.copy(SEEDS / EN_2021, articles)
    update_index(articles, index_dir, embedder)
    assert_same_as_rebuild(articles, index_dir, tmp_path, embedder)


def test_sentences_are_kept_as_passages_and_as_questions(tmp_path: Path, embedder):
    """e5 embeds a question apart from a passage: each sentence is embedded both ways."""
    articles, index_dir = tmp_path / "articles", tmp_path / "index"
    articles.mkdir()
    shutil.copy(SEEDS / EN_2025, articles)
    report = update_index(articles, index_dir, embedder)
    snapshot = load_snapshot(index_dir)
    chunk_ids = snapshot.store.live_chunk_ids(snapshot.number).tolist()
    stored = snapshot.store.scoring_vectors(chunk_ids, embedder.dimension, questions=True)
    text = snapshot.store.article_text(snapshot.number, EN_2025)
    snapshot.close()
    assert stored.sentence_questions is not None
    assert len(stored.sentence_questions) == len(stored.sentences) > 10
    assert report.vectors == report.chunks + 2 * len(stored.sentences)
    start, end = stored.sentence_spans[3]
    as_question = embedder.embed_queries([text[start:end]])[0]
    np.testing.assert_allclose(stored.sentence_questions[3], as_question, atol=2e-3)
    assert float(stored.sentences[3] @ as_question) < 0.99  # the passage form differs


def test_an_index_from_before_question_forms_is_searched_and_the_next_update_adds_them(
    tmp_path: Path, embedder
):
    """A store written before sentences kept their question form is searched as it
    was; the next update, with no article changed, embeds them in place."""
    articles, index_dir = tmp_path / "articles", tmp_path / "index"
    articles.mkdir()
    for name in (EN_2025, PRS_2025):
        shutil.copy(SEEDS / name, articles)
    update_index(articles, index_dir, embedder)
    live = current_snapshot_name(index_dir)
    with sqlite3.connect(index_dir / STORE_FILE) as db:  # as a store from before them
        db.execute("DROP INDEX sentences_without_question")
        db.execute("ALTER TABLE sentences DROP COLUMN question_vector")
    db.close()
    before = answers(index_dir, embedder)  # QUESTIONS[3] is a statement

    report = update_index(articles, index_dir, embedder)
    snapshot = load_snapshot(index_dir)
    sentences = sum(snapshot.store.live_sentence_counts(snapshot.number).values())
    snapshot.close()
    assert report.completed_sentences == report.vectors == sentences > 20
    assert report.snapshot == current_snapshot_name(index_dir) == live  # no new snapshot
    after = answers(index_dir, embedder)
    assert after[:3] == before[:3] and after[3] != before[3]
    assert_same_as_rebuild(articles, index_dir, tmp_path, embedder)
    assert update_index(articles, index_dir, embedder).vectors == 0
