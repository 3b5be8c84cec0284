"""Whether the best passages answer the question at all.

A question about cooking must not be answered from trafficking reports, yet e5
gives off-topic questions cosines close to on-topic ones. The rule combines the
best dense score with lexical evidence (shared content words, which
cross-lingual questions lack, hence the dense-only path).
"""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class AbstentionRule:
    dense_alone: float = 0.86
    """Answered on semantic similarity alone at or above this cosine."""
    dense_with_lexical: float = 0.80
    """Answered at or above this cosine when some passage also shares words."""
    lexical_evidence: float = 0.5
    """Scaled BM25 of a top passage that counts as shared words."""

    def answered(self, dense: Sequence[float], lexical: Sequence[float]) -> bool:
        if not dense:
            return False
        best = max(dense)
        if best >= self.dense_alone:
            return True
        return best >= self.dense_with_lexical and any(
            s >= self.lexical_evidence for s in lexical[:3]
        )
