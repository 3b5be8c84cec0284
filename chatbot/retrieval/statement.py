"""Statements: what a user types that is not a question, such as a sentence pasted from
another article or a claim, matched to the sentences that say the same.

e5 embeds a question (``query: ``) to be close to the passages that answer it
(``passage: ``), and two texts embedded alike (``query: `` on both sides) to be close
when they say the same, as for translations and paraphrases. The index keeps each
sentence as a passage and, where the embedder embeds questions apart, as a question
too (:attr:`chatbot.embeddings.Embedder.questions_apart`). A statement's score at a
sentence is the mean of two cosines (``RetrievalSettings.question_form_weight``):
with the sentence's question form, and with its passage form through a statement map,
a matrix ``M`` fitted for the embedder's model (``M @ passage_vector`` near the same
text's vector as a question; ``benchmarks/statement_map.py`` fits it on FLORES-200
sentences) that turns the statement's vector (:func:`for_sentences`). An index
without question forms (written before they were kept) scores through the map alone.
Questions are scored as before, and so is everything for an embedder without a map
or question forms (models that embed questions and passages alike need neither).

TICO-19 (sentences asked in the other language, none of them used for the map's
fit), the cited passage holding the translation at rank 1: 0.900 (passage forms
alone) → 0.904 (through the map, stop 36) → 0.940 (with the question forms too,
stop 37) Dari → English, and 0.888 → 0.930 → 0.950 English → Dari
(``docs/retrieval.md``).
"""

import re
from pathlib import Path

import numpy as np

from chatbot.retrieval.question import QUESTION_MARKS
from chatbot.text.normalize import normalize_for_matching

MAPS_DIR = Path(__file__).parent / "data"
"""Statement maps, one ``.npy`` file (float16) per embedder."""
_WORD = re.compile(r"\w+")
_ENGLISH_QUESTION_OPENERS = frozenset(
    "what who whom whose which where when why how is are was were do does did can could "
    "will would should shall may might must has have had".split()
)
"""A first word (after "and", "but", …) that makes an English text a question even
without its question mark."""
_OPENERS = frozenset(("and", "but", "so", "then", "also", "or"))
_DARI_QUESTION_WORDS = frozenset(
    normalize_for_matching(word)
    for word in "چه چی چرا کجا کدام چگونه چطور آیا چند چقدر کیست چیست کی".split()
)
"""Dari asks with these anywhere in the sentence ("… به چه منابعی متکی بوده است")."""


def is_statement(text: str) -> bool:
    """Whether ``text`` (the question, or a follow-up joined with the turns it leans on)
    is not a question: no question mark anywhere, no English question word first and no
    Dari question word at all. "Tell me about Cuba" is a statement; "who is Blinken"
    is not."""
    if any(mark in text for mark in QUESTION_MARKS):
        return False
    words = _WORD.findall(normalize_for_matching(text))
    first = next((word for word in words if word not in _OPENERS), None)
    if first is None or first in _ENGLISH_QUESTION_OPENERS:
        return False
    return not any(word in _DARI_QUESTION_WORDS for word in words)


def for_sentences(
    vector: np.ndarray, statement_map: np.ndarray | None, weight: float
) -> np.ndarray:
    """The vector a statement's sentences are scored with: ``vector`` and its mapped
    form, the latter weighing ``weight`` (see the module's docstring)."""
    if statement_map is None or not weight:
        return vector
    return ((1 - weight) * vector + weight * (vector @ statement_map)).astype(np.float32)


def map_file(embedder_name: str) -> Path:
    """Where the statement map of the embedder named ``embedder_name`` is kept."""
    return MAPS_DIR / (re.sub(r"[^\w.-]+", "-", embedder_name) + ".npy")


def statement_map(embedder_name: str, dimension: int) -> np.ndarray | None:
    """The statement map of the embedder named ``embedder_name``, None without one."""
    path = map_file(embedder_name)
    if not path.is_file():
        return None
    matrix = np.load(path).astype(np.float32)
    if matrix.shape != (dimension, dimension):
        raise ValueError(f"{path} holds a {matrix.shape} matrix, not {dimension} x {dimension}")
    return matrix
