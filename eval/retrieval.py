"""Retrieval quality: hit@1, hit@5 and MRR of passages that contain an expected phrase."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.verbatim import normalise_ws


def contains_any(text: str, phrases: Sequence[str]) -> bool:
    folded = normalise_ws(text).lower()
    return any(normalise_ws(p).lower() in folded for p in phrases)


def first_hit(texts: Sequence[str], phrases: Sequence[str]) -> int | None:
    """1-based rank of the first text containing an expected phrase, or None."""
    for rank, text in enumerate(texts, 1):
        if contains_any(text, phrases):
            return rank
    return None


def score(cases: Sequence[dict], search: Callable[[str], Sequence[str]]) -> dict:
    ranks = [first_hit(search(c["question"]), c["expect_phrases"]) for c in cases]
    n = max(len(cases), 1)
    return {
        "hit@1": sum(r == 1 for r in ranks) / n,
        "hit@5": sum(r is not None and r <= 5 for r in ranks) / n,
        "mrr": sum(1.0 / r for r in ranks if r) / n,
        "misses": [c["id"] for c, r in zip(cases, ranks) if r is None or r > 5],
        "ranks": {c["id"]: r for c, r in zip(cases, ranks)},
    }
