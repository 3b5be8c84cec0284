"""Whether the passages found answer the question at all.

A question about cooking must not be answered from trafficking reports, yet e5
gives off-topic questions cosines close to on-topic ones, and raw cosines shift
with the question's style (questions score lower than statements), its language
and length. So a passage is judged by its *relevance*: its cosine minus the
question's baseline, the mean cosine of the question with its nearest generic
background texts in the passage's language (:mod:`chatbot.index.background`),
plus a share of how far it stands out from the other passages of its language,
plus small lifts for a passage in the other language (cross-language cosines run
lower) and for shared words.

A relevance well above or below the line settles the question. In between, when
the embedder has a term head (:meth:`chatbot.embeddings.Embedder.embed_terms`),
the *term evidence* decides: the term cosine of the question with the passage's
best sentence, minus the question's term baseline over the same background texts.
Term vectors separate answerable from off-topic questions better than the pooled
vector (FLORES English→Dari ROC AUC 0.973 → 0.987), but embedding them costs
about one more model call per text, so only questions in the band pay for it, and
only when ``CHATBOT_TERM_EVIDENCE=1`` asks for it (see :attr:`AbstentionRule.term_evidence`).

Calibrated on the public benchmarks (``docs/retrieval.md``): FLORES-200 sentences
from held-out articles and off-topic questions over the seeds as the unanswerable
rows.
"""

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from chatbot.index.background import Background

if TYPE_CHECKING:
    from chatbot.retrieval.retriever import Candidate

TERM_EVIDENCE_VARIABLE = "CHATBOT_TERM_EVIDENCE"

TermEvidence = Callable[["Candidate"], float]
"""A passage's term cosine with the question minus the question's term baseline."""


def term_evidence_from_environment() -> bool:
    """Whether ``CHATBOT_TERM_EVIDENCE`` turns term evidence on (1, true, yes, on)."""
    return os.environ.get(TERM_EVIDENCE_VARIABLE, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class AbstentionRule:
    threshold: float = 0.11
    """Relevance a passage needs to count as an answer when there is no term
    evidence (an embedder without a term head, an index built before term vectors
    were kept, or ``term_evidence=False``)."""
    background_top: int = 5
    """How many of the nearest background texts make the baseline (dense and terms)."""
    margin_weight: float = 0.5
    """Weight of the passage's lead over its language's best passages."""
    cross_lingual_lift: float = 0.02
    """Added for a passage in another language than the question."""
    lexical_lift: float = 0.02
    """Added when the passage shares rare words with the question."""
    lexical_evidence: float = 0.5
    """Scaled BM25 of a passage that counts as sharing words."""
    term_evidence: bool = field(default_factory=term_evidence_from_environment)
    """Settle questions in the band with term evidence, where there is any. Off unless
    ``CHATBOT_TERM_EVIDENCE=1``: it meets the abstention targets (``docs/retrieval.md``)
    but the questions in the band take 80-180 ms longer, which breaks the
    latency budgets (``benchmarks/perf.py`` with it on: 100k chunks p95 202 ms, the
    budget is 50 ms)."""
    term_band_low: float = 0.09
    """Below this relevance a passage is no answer, whatever its terms."""
    term_band_high: float = 0.12
    """From this relevance on a passage is an answer without term evidence. A
    narrower band costs fewer term embeddings: with this one 3-8% of the answerable
    FLORES questions pay for them (11% of the seeds questions), and about 40% of the
    off-topic ones."""
    term_weight: float = 0.25
    """Weight of the term evidence added to the relevance in the band."""
    term_threshold: float = 0.1375
    """What relevance plus weighted term evidence must reach in the band."""

    def relevance(
        self, best: "Candidate", question: np.ndarray, language: str, background: Background
    ) -> float:
        baseline = background.baseline(question, best.language, self.background_top)
        lifts = self.cross_lingual_lift if best.language != language else 0.0
        if best.lexical >= self.lexical_evidence:
            lifts += self.lexical_lift
        return best.dense - baseline + self.margin_weight * best.margin + lifts

    def answered(
        self,
        by_language: "Mapping[str, Sequence[Candidate]]",
        question: np.ndarray,
        language: str,
        background: Background,
        terms: TermEvidence | None = None,
    ) -> bool:
        """True when some language's best passage is relevant enough. ``terms`` gives
        the term evidence of a passage; it is called only for passages in the band."""
        bests = [max(ranked, key=lambda c: c.dense) for ranked in by_language.values() if ranked]
        judged = sorted(
            ((self.relevance(best, question, language, background), best) for best in bests),
            key=lambda pair: -pair[0],
        )
        if terms is None or not self.term_evidence:
            return any(relevance >= self.threshold for relevance, _ in judged)
        return any(
            relevance >= self.term_band_high
            or (
                relevance >= self.term_band_low
                and relevance + self.term_weight * terms(best) >= self.term_threshold
            )
            for relevance, best in judged
        )
