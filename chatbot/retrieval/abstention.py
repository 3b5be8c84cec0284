"""Whether the passages found answer the question at all.

A question about cooking must not be answered from trafficking reports, yet e5
gives off-topic questions cosines close to on-topic ones, and a passage in the
other language scores lower than one in the question's own language even when
it is the answer. So each language's best passage is judged against its own
threshold: the question's language at :attr:`AbstentionRule.same_language`, the
other at that minus :attr:`AbstentionRule.cross_lingual_discount`. Shared words
(BM25 evidence) lower the bar a little. Calibrated on the off-topic rows of the
benchmarks (``docs/retrieval.md``).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chatbot.retrieval.retriever import Candidate


@dataclass(frozen=True)
class AbstentionRule:
    same_language: float = 0.835
    """Cosine a passage in the question's language needs to count as an answer."""
    cross_lingual_discount: float = 0.05
    """How much lower the bar is for a passage in the other language."""
    lexical_discount: float = 0.015
    """How much lower the bar is when the passage also shares words with the question."""
    lexical_evidence: float = 0.5
    """Scaled BM25 of a passage that counts as sharing words."""

    def answered(self, by_language: "Mapping[str, Sequence[Candidate]]", language: str) -> bool:
        """True when some language's best passage clears its bar."""
        for passage_language, ranked in by_language.items():
            if not ranked:
                continue
            best = max(ranked, key=lambda c: c.dense)
            bar = self.same_language
            if passage_language != language:
                bar -= self.cross_lingual_discount
            if best.lexical >= self.lexical_evidence:
                bar -= self.lexical_discount
            if best.dense >= bar:
                return True
        return False
