"""Whether the best passages answer the question at all.

A question about cooking must not be answered from trafficking reports, yet e5
gives off-topic questions cosines close to on-topic ones. The rule looks at the
best passage: its cosine, whether it shares words with the question, and
whether it is in the question's language (cross-language cosines run lower).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chatbot.retrieval.retriever import Candidate


@dataclass(frozen=True)
class AbstentionRule:
    dense_alone: float = 0.86
    """Answered on semantic similarity alone at or above this cosine."""
    dense_with_lexical: float = 0.80
    """Answered at or above this cosine when the passage also shares words."""
    lexical_evidence: float = 0.5
    """Scaled BM25 of the passage that counts as shared words."""
    cross_lingual_discount: float = 0.05
    """Lowered thresholds for a passage in another language than the question."""

    def answered(self, ranked: "Sequence[Candidate]", language: str) -> bool:
        if not ranked:
            return False
        best = ranked[0]
        discount = self.cross_lingual_discount if best.chunk.language != language else 0.0
        if best.dense >= self.dense_alone - discount:
            return True
        return (
            best.dense >= self.dense_with_lexical - discount
            and best.lexical >= self.lexical_evidence
        )
