"""The retrieval function shared by the CLI, the web chat, the evaluator and the
benchmarks.

How a question is answered:

1. the question is tidied and its language detected;
2. a follow-up is joined with the earlier question it leans on
   (:mod:`chatbot.retrieval.conversation`);
3. dense search: the question's vector against every unit vector (whole chunks
   and their single sentences), so that both a one-sentence question and a
   paragraph-level one find their chunk; a chunk scores as its best unit;
4. lexical search (BM25 on the matching form) adds exact names and numbers;
   steps 3 and 4 run per article language and are fused into one ranking each;
5. the per-language rankings are merged so that the model's preference for the
   question's own language does not hide the answer in the other language, and the
   top chunks are returned with their best sentence as the highlight;
6. an abstention rule (:mod:`chatbot.retrieval.abstention`) says whether anything
   is relevant enough to count as an answer.

The index snapshot is swapped atomically when ``chatbot index`` publishes a new
one (:meth:`Retriever.reload_if_changed`); a question in flight finishes on the
snapshot it started with.
"""

import itertools
import logging
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from chatbot.embeddings import Embedder
from chatbot.index import IndexError_, IndexSnapshot, load_snapshot
from chatbot.index.manifest import Manifest
from chatbot.index.snapshot import current_snapshot_name
from chatbot.index.store import UNIT_SENTENCE, ArticleRecord, ChunkRecord
from chatbot.retrieval.abstention import AbstentionRule
from chatbot.retrieval.conversation import search_text
from chatbot.retrieval.lexical import LexicalIndex
from chatbot.retrieval.question import tidy_question
from chatbot.text.language import Language, detect_language

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetrievalSettings:
    """Defaults were chosen on the public benchmarks (see ``docs/retrieval.md``)."""

    dense_candidates: int = 48
    """Unit vectors fetched from FAISS per language and question."""
    lexical_candidates: int = 16
    """Best BM25 chunks per language added to the dense candidates."""
    sentence_units: bool = True
    """Score a chunk by its best sentence as well as by its whole text."""
    lexical_weight: float = 0.1
    """Weight of the BM25 score (scaled to 0..1 per question) added to the cosine when
    ranking the passages of one language."""
    balance_languages: bool = True
    """Merge per-language result lists instead of trusting raw cosines across languages."""
    language_background: int = 5
    """How many of a language's best passages make its background score."""
    abstention: AbstentionRule = field(default_factory=AbstentionRule)


@dataclass(frozen=True)
class Passage:
    rank: int
    score: float
    article: str
    title: str
    language: str
    start: int
    end: int
    text: str
    highlight_start: int
    """Start of the best-matching sentence within ``text``."""
    highlight_end: int

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``chatbot ask --json`` (highlight excluded)."""
        data = asdict(self)
        del data["highlight_start"], data["highlight_end"]
        return data


@dataclass(frozen=True)
class RetrievalResult:
    question: str
    language: Language
    answered: bool
    passages: list[Passage]

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "language": self.language,
            "answered": self.answered,
            "passages": [p.to_dict() for p in self.passages],
        }


@dataclass
class _LoadedIndex:
    snapshot: IndexSnapshot
    lexical: LexicalIndex
    chunk_ids: np.ndarray
    """Chunk id of each lexical document."""
    languages: np.ndarray
    """Language of each lexical document."""
    row_of_chunk: dict[int, int]
    """Lexical document of each chunk id."""


@dataclass(frozen=True)
class Candidate:
    """A chunk under consideration, with the evidence for it."""

    chunk: ChunkRecord
    dense: float
    """Cosine of the question with the chunk's best unit (whole chunk or sentence)."""
    lexical: float
    """BM25 score scaled by the question's best BM25 score (0..1)."""
    fused: float
    """Ranks the passages of one language: ``dense + lexical_weight * lexical``."""
    margin: float
    """``dense`` over the mean of the best passages of its language."""
    highlight: tuple[int, int]


class Retriever:
    """Searches the live index snapshot in ``index_dir`` with ``embedder``."""

    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder,
        settings: RetrievalSettings | None = None,
    ) -> None:
        self.index_dir = index_dir
        self.embedder = embedder
        self.settings = settings or RetrievalSettings()
        self._reload_lock = threading.Lock()
        self._loaded = self._load(None)

    # --- the index ------------------------------------------------------------
    def _load(self, name: str | None) -> _LoadedIndex:
        snapshot = load_snapshot(self.index_dir, name)
        snapshot.manifest.check_compatible(
            Manifest(
                self.embedder.name,
                self.embedder.dimension,
                snapshot.manifest.chunk_max_tokens,
                snapshot.manifest.chunk_overlap_tokens,
            )
        )
        chunks = snapshot.store.all_chunks()
        return _LoadedIndex(
            snapshot=snapshot,
            lexical=LexicalIndex([c.text for c in chunks]),
            chunk_ids=np.array([c.id for c in chunks], dtype=np.int64),
            languages=np.array([c.language for c in chunks]),
            row_of_chunk={c.id: row for row, c in enumerate(chunks)},
        )

    @property
    def snapshot_name(self) -> str:
        return self._loaded.snapshot.name

    def reload_if_changed(self) -> bool:
        """Switch to a newly published snapshot, if any. A snapshot that fails to load
        is logged and the current one kept. Returns True when it switched."""
        name = current_snapshot_name(self.index_dir)
        if name is None or name == self._loaded.snapshot.name:
            return False
        with self._reload_lock:
            if name == self._loaded.snapshot.name:
                return False
            try:
                self._loaded = self._load(name)
            except (IndexError_, OSError) as error:
                log.warning("keeping the current index: the new one failed to load: %s", error)
                return False
        log.info("switched to index snapshot %s", name)
        return True

    def articles(self) -> list[ArticleRecord]:
        return self._loaded.snapshot.store.articles()

    def article_text(self, path: str) -> str | None:
        return self._loaded.snapshot.store.article_text(path)

    # --- search ---------------------------------------------------------------
    def search(self, question: str, history: Sequence[str] = (), top_k: int = 5) -> RetrievalResult:
        """The ``top_k`` passages for ``question`` (after earlier user turns ``history``).

        Raises :class:`~chatbot.retrieval.QuestionError` for empty or oversized input.
        """
        question = tidy_question(question)
        language = detect_language(question)
        query = search_text(question, [tidy_question(h) for h in history if h and h.strip()])
        loaded = self._loaded
        vector = self.embedder.embed_queries([query])[0]
        lexical = loaded.lexical.scores(query)
        by_language = {
            lang: self._rank_language(loaded, lang, vector, lexical)
            for lang in loaded.snapshot.vectors.languages()
        }
        ranked = self._merge(by_language)
        answered = self.settings.abstention.answered(ranked, language)
        passages = [
            Passage(
                rank=rank,
                score=round(c.dense, 4),
                article=c.chunk.path,
                title=c.chunk.title,
                language=c.chunk.language,
                start=c.chunk.start,
                end=c.chunk.end,
                text=c.chunk.text,
                highlight_start=c.highlight[0],
                highlight_end=c.highlight[1],
            )
            for rank, c in enumerate(ranked[: max(1, top_k)], start=1)
        ]
        return RetrievalResult(question, language, answered, passages)

    def _merge(self, by_language: dict[str, list[Candidate]]) -> list[Candidate]:
        """One list from the per-language lists.

        e5 scores passages in the question's language higher whatever they say, so raw
        cosines cannot be compared across languages. Each language's best passage is
        compared by its *margin* over that language's background (the mean of its
        best few), the languages are ordered by it, and their lists interleaved.
        """
        lists = [ranked for ranked in by_language.values() if ranked]
        if not self.settings.balance_languages:
            return sorted((c for ranked in lists for c in ranked), key=lambda c: -c.fused)
        lists.sort(key=lambda ranked: -max(c.margin for c in ranked))
        merged = []
        for row in itertools.zip_longest(*lists):
            merged.extend(c for c in row if c is not None)
        return merged

    def _rank_language(
        self, loaded: _LoadedIndex, language: str, vector: np.ndarray, lexical: np.ndarray
    ) -> list[Candidate]:
        """Candidates in one language, best first, scored on their units."""
        snapshot, settings = loaded.snapshot, self.settings
        vectors = snapshot.vectors[language]
        _, ids = vectors.search(vector[None, :], settings.dense_candidates)
        units = snapshot.store.units([int(i) for i in ids[0] if i >= 0])
        chunk_ids = {u.chunk_id for u in units.values()}

        top_lexical = float(lexical.max()) if lexical.size else 0.0
        in_language = loaded.languages == language
        if top_lexical > 0:
            scores = np.where(in_language, lexical, 0.0)
            best = np.argsort(-scores)[: settings.lexical_candidates]
            chunk_ids.update(int(loaded.chunk_ids[i]) for i in best if scores[i] > 0)
        chunks = snapshot.store.chunks(sorted(chunk_ids))
        chunk_units = snapshot.store.units_of_chunks(sorted(chunk_ids))
        if not settings.sentence_units:
            chunk_units = [u for u in chunk_units if u.kind != UNIT_SENTENCE]
        similarities = vectors.vectors([u.id for u in chunk_units]) @ vector

        best_dense: dict[int, float] = {}
        best_sentence: dict[int, tuple[float, int, int]] = {}
        for unit, similarity in zip(chunk_units, similarities.tolist(), strict=True):
            best_dense[unit.chunk_id] = max(best_dense.get(unit.chunk_id, -1.0), similarity)
            best = best_sentence.get(unit.chunk_id)
            if unit.kind == UNIT_SENTENCE and (best is None or similarity > best[0]):
                best_sentence[unit.chunk_id] = (similarity, unit.start, unit.end)
        dense = sorted(best_dense.values(), reverse=True)
        background = float(np.mean(dense[: settings.language_background])) if dense else 0.0

        candidates = []
        for chunk_id, chunk in chunks.items():
            _, start, end = best_sentence.get(chunk_id, (0.0, chunk.start, chunk.end))
            lexical_share = (
                float(lexical[loaded.row_of_chunk[chunk_id]]) / top_lexical if top_lexical else 0.0
            )
            score = best_dense.get(chunk_id, 0.0)
            candidates.append(
                Candidate(
                    chunk=chunk,
                    dense=score,
                    lexical=lexical_share,
                    fused=score + settings.lexical_weight * lexical_share,
                    margin=score - background,
                    highlight=(start - chunk.start, end - chunk.start),
                )
            )
        candidates.sort(key=lambda c: -c.fused)
        return candidates
