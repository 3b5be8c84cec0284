"""`chatbot index` killed with SIGKILL at random moments, or stopped by a full disk,
leaves a loadable index: the old one or the new one, never a mix, and the next run
recovers."""

import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from chatbot.index import load_snapshot
from chatbot.index.builder import update_index
from chatbot.index.snapshot import SNAPSHOTS_DIR, current_snapshot_name
from chatbot.retrieval import Retriever
from tests.conftest import SEEDS


def indexed_paths(index_dir: Path) -> set[str]:
    snapshot = load_snapshot(index_dir)
    try:
        return {a.path for a in snapshot.store.articles(snapshot.number)}
    finally:
        snapshot.close()


def write_batch(articles: Path, trial: int, count: int = 4) -> set[str]:
    """New articles made of the seeds' real paragraphs in a shuffled order."""
    paragraphs = [
        p
        for f in sorted(SEEDS.glob("*.txt"))
        for p in f.read_text("utf-8").split("\n\n")
        if len(p.split()) > 12
    ]
    rng = random.Random(trial)
    names = set()
    for number in range(count):
        name = f"batch-{trial}-{number}.txt"
        picked = rng.sample(paragraphs, 6)
        (articles / name).write_text(f"Collected report {trial}.{number}\n\n" + "\n\n".join(picked))
        names.add(name)
    return names


def test_sigkill_at_random_moments_never_breaks_the_index(articles_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    update_index(articles_copy, index_dir, embedder)
    rng = random.Random(7)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "chatbot.cli", "index"]
    command += ["--articles", str(articles_copy), "--index", str(index_dir)]
    for trial in range(3):
        before = indexed_paths(index_dir)
        after = before | write_batch(articles_copy, trial)
        process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.5, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert indexed_paths(index_dir) in (before, after)  # never a mix
        answer = Retriever(index_dir, embedder).search("How much did Cuba earn?")
        assert answer.passages
    # The next run takes the lock (a killed holder releases it) and completes.
    report = update_index(articles_copy, index_dir, embedder, lock_timeout=5)
    assert indexed_paths(index_dir) == {p.name for p in articles_copy.glob("*.txt")}
    assert report.snapshot == current_snapshot_name(index_dir)


def full_disk(limit: int):
    """For a child process: no file grows past ``limit`` bytes, as on a full disk
    (a write past it fails, instead of the default SIGXFSZ killing the process)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_stops_a_run_cleanly_and_loses_nothing(articles_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    update_index(articles_copy, index_dir, embedder)
    before = indexed_paths(index_dir)
    folders = set((index_dir / SNAPSHOTS_DIR).iterdir())
    added = write_batch(articles_copy, trial=99, count=1)
    command = [sys.executable, "-m", "chatbot.cli", "index"]
    command += ["--articles", str(articles_copy), "--index", str(index_dir)]
    # 8 KiB: SQLite cannot even size its -shm file while opening the store (where the
    # advice used to be --rebuild, which then set the sound database aside); 40 KiB:
    # the store opens, and the new article's rows (about 70 KiB) do not fit; 84 KiB:
    # they do, and the new snapshot's background.npy (90 KiB) does not.
    for limit, options, failed in (
        (8 << 10, [], "metadata store"),
        (8 << 10, ["--rebuild"], "metadata store"),
        (40 << 10, [], "metadata store"),
        (84 << 10, [], "new snapshot"),
    ):
        done = subprocess.run(
            command + options,
            capture_output=True,
            text=True,
            preexec_fn=full_disk(limit),
            timeout=300,
        )
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        message = done.stderr.splitlines()[-1]
        assert message.startswith("error: ") and failed in message, message
        assert "free some space" in message and "run the command again" in message
        assert not list(index_dir.glob("*.corrupt"))
        assert indexed_paths(index_dir) == before
        # A half-written snapshot folder is removed at once: the disk is full.
        assert set((index_dir / SNAPSHOTS_DIR).iterdir()) == folders
    report = update_index(articles_copy, index_dir, embedder)
    assert report.added == sorted(added)
    assert indexed_paths(index_dir) == before | added
