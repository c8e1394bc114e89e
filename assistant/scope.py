"""Is the question one the guidance answers? A calibrated threshold on the retrieval scores.

Reciprocal-rank scores only order passages; whether anything relevant was found at all is read from
the absolute scores of the best hits: the cosine similarity of the question and the best passage,
and the best keyword (BM25) score. The thresholds live in data/scope.yaml with the run that set them
(``python -m eval calibrate-scope`` prints the score distributions of in- and out-of-scope questions).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCOPE_FILE = Path(__file__).with_name("data") / "scope.yaml"


@dataclass(frozen=True)
class Thresholds:
    dense_alone: float  # best cosine at or above this: in scope whatever the keywords say
    dense_with_keywords: float  # a lower cosine is enough when the keywords agree ...
    bm25_with_dense: float  # ... with at least this BM25 score on the same passage


@cache
def load_thresholds(path: Path = SCOPE_FILE) -> Thresholds:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Thresholds(**data["thresholds"])


def relevance(hits) -> tuple[float, float]:
    """(best cosine, best BM25 among passages that also matched densely) over the hits."""
    best_dense = max((h.dense for h in hits), default=0.0)
    best_joint = max((h.bm25 for h in hits if h.dense > 0), default=0.0)
    return best_dense, best_joint


class Scope:
    def __init__(self, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or load_thresholds()

    def in_scope(self, question: str, hits) -> bool:
        if not hits:
            return False
        t = self.thresholds
        dense, joint = relevance(hits)
        return dense >= t.dense_alone or (dense >= t.dense_with_keywords and joint >= t.bm25_with_dense)
