"""Background vectors: generic questions and sentences on everyday topics, in English
and Dari, embedded with the index's own model and stored in every snapshot.

A question's similarity to these texts, on every topic but none in particular, is
its baseline. Cosines vary with the question's style (a question scores lower than
a statement), its language and its length; a passage is evidence of an answer only
when it beats that baseline clearly (:mod:`chatbot.retrieval.abstention`).

When the embedder has a term head (:meth:`chatbot.embeddings.Embedder.embed_terms`)
the background texts' term vectors are kept too, for the same baseline in terms:
question words such as "how many" share latent terms with any text.
"""

import contextlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from chatbot.embeddings import Embedder
from chatbot.index.errors import IndexCorruptError, reading
from chatbot.text.language import detect_language

VECTORS_FILE = "background.npy"
LANGUAGES_FILE = "background.json"
TERMS_FILE = "background-terms.npz"
"""Term vectors stored sparse: each text's nonzero term ids and weights (zero-padded)."""


@dataclass(frozen=True)
class Background:
    vectors: np.ndarray
    languages: np.ndarray
    terms: np.ndarray | None = None
    """L2-normalised term vectors of the texts, None when the embedder has none."""

    def baseline(self, question: np.ndarray, language: str, top: int) -> float:
        """Mean cosine of ``question`` with its ``top`` nearest background texts in
        ``language`` (0 when there are none)."""
        similarities = self.vectors[self.languages == language] @ question
        if not similarities.size:
            return 0.0
        return float(np.mean(np.sort(similarities)[::-1][:top]))

    def term_baseline(self, question_terms: np.ndarray, top: int) -> float:
        """Mean term cosine of the question with its ``top`` nearest background texts
        in any language (term vectors match across languages); 0 without terms."""
        if self.terms is None or not len(self.terms):
            return 0.0
        return float(np.mean(np.sort(self.terms @ question_terms)[::-1][:top]))


def background_texts() -> list[str]:
    text = resources.files("chatbot.index").joinpath("data/background.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def write_background(folder: Path, embedder: Embedder, previous: Path | None) -> None:
    """Store the background in snapshot ``folder``: taken from the ``previous``
    snapshot (same embedder) when it holds a readable one, else embedded now (60
    texts, a few seconds; their term vectors a few more)."""
    background = None
    if previous is not None:
        with contextlib.suppress(IndexCorruptError):  # missing or damaged: embed it again
            background = read_background(previous)
    texts = background_texts()
    if background is None:
        vectors = embedder.embed_passages(texts)
        background = Background(vectors, np.array([detect_language(t) for t in texts]))
    terms = background.terms
    if terms is None:  # also for snapshots written before term vectors were kept
        terms = embedder.embed_terms(texts)
    np.save(folder / VECTORS_FILE, background.vectors, allow_pickle=False)
    (folder / LANGUAGES_FILE).write_text(json.dumps(background.languages.tolist()), "utf-8")
    if terms is not None:
        _save_terms(folder / TERMS_FILE, terms)


def _save_terms(path: Path, terms: np.ndarray) -> None:
    width = max(1, int(np.count_nonzero(terms, axis=1).max(initial=0)))
    order = np.argsort(-terms, axis=1, kind="stable")[:, :width]
    values = np.take_along_axis(terms, order, axis=1)
    np.savez(path, ids=order.astype(np.int32), values=values, dimension=terms.shape[1])


def _load_terms(path: Path) -> np.ndarray:
    with np.load(path, allow_pickle=False) as data:
        ids, values, dimension = data["ids"], data["values"], int(data["dimension"])
    if ids.shape != values.shape or ids.ndim != 2 or (ids.size and ids.max() >= dimension):
        raise ValueError(f"term ids of shape {ids.shape} for weights of shape {values.shape}")
    terms = np.zeros((len(ids), dimension), dtype=np.float32)
    np.put_along_axis(terms, ids, values, axis=1)
    return terms


def read_background(folder: Path) -> Background:
    """The background of snapshot ``folder``; :class:`IndexCorruptError` names a bad file."""
    with reading(folder / VECTORS_FILE):
        vectors = np.load(folder / VECTORS_FILE, allow_pickle=False)
    with reading(folder / LANGUAGES_FILE):
        texts = json.loads((folder / LANGUAGES_FILE).read_text("utf-8"))
        languages = np.array(texts, dtype="U8")
        if vectors.ndim != 2 or len(vectors) != len(languages):
            raise ValueError(f"{len(languages)} languages for {len(vectors)} background vectors")
    terms = None
    if (folder / TERMS_FILE).exists():  # absent: an embedder without terms, or an older index
        with reading(folder / TERMS_FILE):
            terms = _load_terms(folder / TERMS_FILE)
            if len(terms) != len(vectors):
                raise ValueError(f"{len(terms)} term vectors for {len(vectors)} texts")
    return Background(vectors, languages, terms)
