"""`chatbot eval`: recall, MRR and abstention of the retrieval on a QA file.

The file has one JSON object a line::

    {"id": "en-01", "kind": "en", "question": "...", "history": ["..."],
     "source": "article/path.txt", "expect": "text the passage must contain"}

A question is found at rank r when the r-th passage comes from ``source`` and
contains ``expect`` (both in the matching form, whitespace folded). A row with
``"source": null`` cannot be answered from the corpus and must come back
``answered: false``.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from chatbot.retrieval import Retriever
from chatbot.text.normalize import normalize_for_matching

CUTOFFS = (1, 3, 5, 10)


@dataclass(frozen=True)
class QARow:
    question: str
    source: str | None
    expect: str
    history: tuple[str, ...] = ()
    kind: str = "all"
    id: str = ""


@dataclass(frozen=True)
class RowOutcome:
    row: QARow
    rank: int | None
    """Rank of the first passage that matches, or None."""
    answered: bool


def load_rows(path: Path) -> list[QARow]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            rows.append(
                QARow(
                    question=data["question"],
                    source=data.get("source"),
                    expect=data.get("expect") or "",
                    history=tuple(data.get("history") or ()),
                    kind=data.get("kind") or "all",
                    id=str(data.get("id") or number),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}, line {number}: not a QA row ({error})") from None
    return rows


def evaluate_row(retriever: Retriever, row: QARow, top_k: int) -> RowOutcome:
    result = retriever.search(row.question, row.history, top_k=top_k)
    rank = None
    if row.source is not None:
        expect = normalize_for_matching(row.expect)
        rank = next(
            (
                p.rank
                for p in result.passages
                if p.article == row.source and expect in normalize_for_matching(p.text)
            ),
            None,
        )
    return RowOutcome(row, rank, result.answered)


@dataclass
class Metrics:
    n: int = 0
    hits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(CUTOFFS, 0))
    reciprocal_rank: float = 0.0
    answerable: int = 0
    abstain_correct: int = 0

    def add(self, outcome: RowOutcome) -> None:
        self.n += 1
        should_answer = outcome.row.source is not None
        self.abstain_correct += outcome.answered == should_answer
        if not should_answer:
            return
        self.answerable += 1
        if outcome.rank is not None:
            for cutoff in CUTOFFS:
                self.hits[cutoff] += outcome.rank <= cutoff
            if outcome.rank <= 10:
                self.reciprocal_rank += 1.0 / outcome.rank

    def as_dict(self) -> dict[str, float | int | None]:
        def share(count: float) -> float | None:
            return round(count / self.answerable, 4) if self.answerable else None

        data: dict[str, float | int | None] = {"n": self.n}
        data.update({f"recall@{c}": share(self.hits[c]) for c in CUTOFFS})
        data["mrr@10"] = share(self.reciprocal_rank)
        data["abstain_accuracy"] = round(self.abstain_correct / self.n, 4) if self.n else None
        return data


def summarize(outcomes: Iterable[RowOutcome]) -> dict[str, object]:
    overall = Metrics()
    by_kind: dict[str, Metrics] = defaultdict(Metrics)
    for outcome in outcomes:
        overall.add(outcome)
        by_kind[outcome.row.kind].add(outcome)
    summary: dict[str, object] = dict(overall.as_dict())
    summary["by_kind"] = {kind: m.as_dict() for kind, m in sorted(by_kind.items())}
    return summary


def format_table(summary: dict[str, object]) -> str:
    """A markdown table: one row overall, one per kind."""
    keys = ["n", *(f"recall@{c}" for c in CUTOFFS), "mrr@10", "abstain_accuracy"]

    def cells(metrics: dict[str, object]) -> str:
        return " | ".join("–" if metrics[k] is None else str(metrics[k]) for k in keys)

    lines = ["| kind | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    by_kind = summary["by_kind"]
    assert isinstance(by_kind, dict)
    lines.extend(f"| {kind} | {cells(m)} |" for kind, m in by_kind.items())
    lines.append(f"| **all** | {cells(summary)} |")
    return "\n".join(lines)
