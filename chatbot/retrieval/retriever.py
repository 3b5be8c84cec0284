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
5. scores are fused, cross-language passages get a small lift that offsets the
   model's preference for its own language, and the top chunks are returned with
   their best sentence as the highlight;
6. an abstention rule (:mod:`chatbot.retrieval.abstention`) says whether anything
   is relevant enough to count as an answer.

The index snapshot is swapped atomically when ``chatbot index`` publishes a new
one (:meth:`Retriever.reload_if_changed`); a question in flight finishes on the
snapshot it started with.
"""

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

    dense_candidates: int = 64
    """Unit vectors fetched from FAISS per question."""
    lexical_candidates: int = 16
    """Best BM25 chunks added to the dense candidates."""
    sentence_units: bool = True
    """Score a chunk by its best sentence as well as by its whole text."""
    lexical_weight: float = 0.15
    """Weight of the BM25 score (scaled to 0..1 per question) added to the cosine."""
    cross_lingual_lift: float = 0.03
    """Added to passages in another language than the question."""
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


@dataclass(frozen=True)
class _Candidate:
    chunk: ChunkRecord
    dense: float
    lexical: float
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
        candidates = self._candidates(loaded, query, vector)
        settings = self.settings
        scored = sorted(
            (
                (
                    c.dense
                    + settings.lexical_weight * c.lexical
                    + (settings.cross_lingual_lift if c.chunk.language != language else 0.0),
                    c,
                )
                for c in candidates
            ),
            key=lambda item: -item[0],
        )
        answered = settings.abstention.answered(
            [c.dense for _, c in scored], [c.lexical for _, c in scored]
        )
        passages = [
            Passage(
                rank=rank,
                score=round(float(score), 4),
                article=c.chunk.path,
                title=c.chunk.title,
                language=c.chunk.language,
                start=c.chunk.start,
                end=c.chunk.end,
                text=c.chunk.text,
                highlight_start=c.highlight[0],
                highlight_end=c.highlight[1],
            )
            for rank, (score, c) in enumerate(scored[: max(1, top_k)], start=1)
        ]
        return RetrievalResult(question, language, answered, passages)

    def _candidates(self, loaded: _LoadedIndex, query: str, vector: np.ndarray) -> list[_Candidate]:
        snapshot, settings = loaded.snapshot, self.settings
        if len(snapshot.vectors) == 0:
            return []
        _, ids = snapshot.vectors.search(vector[None, :], settings.dense_candidates)
        units = snapshot.store.units([int(i) for i in ids[0] if i >= 0])
        chunk_ids = {u.chunk_id for u in units.values()}

        lexical_scores = loaded.lexical.scores(query)
        top_lexical = float(lexical_scores.max()) if lexical_scores.size else 0.0
        if top_lexical > 0:
            best = np.argsort(-lexical_scores)[: settings.lexical_candidates]
            chunk_ids.update(int(loaded.chunk_ids[i]) for i in best if lexical_scores[i] > 0)
        lexical_by_chunk = (
            dict(
                zip(loaded.chunk_ids.tolist(), (lexical_scores / top_lexical).tolist(), strict=True)
            )
            if top_lexical > 0
            else {}
        )

        chunks = snapshot.store.chunks(sorted(chunk_ids))
        all_units = snapshot.store.units_of_chunks(sorted(chunk_ids))
        if not settings.sentence_units:
            all_units = [u for u in all_units if u.kind != UNIT_SENTENCE]
        similarities = snapshot.vectors.vectors([u.id for u in all_units]) @ vector
        best_dense: dict[int, float] = {}
        best_sentence: dict[int, tuple[float, int, int]] = {}
        for unit, similarity in zip(all_units, similarities.tolist(), strict=True):
            best_dense[unit.chunk_id] = max(best_dense.get(unit.chunk_id, -1.0), similarity)
            if (
                unit.kind == UNIT_SENTENCE
                and similarity > best_sentence.get(unit.chunk_id, (-2.0, 0, 0))[0]
            ):
                best_sentence[unit.chunk_id] = (similarity, unit.start, unit.end)
        candidates = []
        for chunk_id, chunk in chunks.items():
            _, start, end = best_sentence.get(chunk_id, (0.0, chunk.start, chunk.end))
            candidates.append(
                _Candidate(
                    chunk=chunk,
                    dense=best_dense.get(chunk_id, 0.0),
                    lexical=lexical_by_chunk.get(chunk_id, 0.0),
                    highlight=(start - chunk.start, end - chunk.start),
                )
            )
        return candidates
