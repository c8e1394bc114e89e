"""``python -m eval calibrate-scope``: the numbers the out-of-scope thresholds are set from.

For every in-scope question (eval/cases/retrieval.yaml) and every out-of-scope one
(eval/cases/out_of_scope.yaml) it reads the two relevance scores the scope gate uses
(``assistant.scope.answerable.relevance`` over the top-k hits, the question prepared as the assistant
prepares it), prints their distributions, the refusal and false-refusal rates of the gate at the
thresholds in assistant/data/scope.yaml, and the same rates over a small grid of alternatives.
The rates are the gate's alone: in the full assistant a question may be routed to the decision
engine or the myth matcher before the gate (those are marked "->decision").
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from dataclasses import dataclass

DENSE_ALONE = (0.40, 0.45, 0.50, 0.55, 0.60)
DENSE_WITH_KEYWORDS = (0.25, 0.30, 0.35, 0.40)
BM25_WITH_DENSE = (2.0, 3.0, 4.0, 5.0, 6.0, 8.0)
QUANTILES = (0.0, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 1.0)


@dataclass(frozen=True)
class Scored:
    id: str
    question: str
    in_scope: bool
    dense: float
    bm25: float
    hits: tuple
    to_decision: bool


def score_questions(assistant) -> list[Scored]:
    from assistant import clean_question, relevance, screen, wants_decision
    from eval.cases import out_of_scope_cases, retrieval_cases

    settings = assistant.settings
    rows = []
    for cases, in_scope in ((retrieval_cases(), True), (out_of_scope_cases(), False)):
        for case in cases:
            text = screen(clean_question(case["question"], settings.max_question_chars).text).redacted
            hits = tuple(assistant.retriever.search(text, k=settings.top_k))
            dense, bm25 = relevance(hits)
            rows.append(Scored(case["id"], case["question"], in_scope, dense, bm25, hits, wants_decision(text)))
    return rows


def rates(rows: list[Scored], scope) -> tuple[float, float]:
    """(refusal rate of out-of-scope questions, false-refusal rate of in-scope ones) for a Scope."""
    outside = [r for r in rows if not r.in_scope]
    inside = [r for r in rows if r.in_scope]
    refused = sum(not scope.in_scope(r.question, r.hits) for r in outside) / max(len(outside), 1)
    false = sum(not scope.in_scope(r.question, r.hits) for r in inside) / max(len(inside), 1)
    return refused, false


def quantiles(values: list[float]) -> list[float]:
    ordered = sorted(values)
    if not ordered:
        return [float("nan")] * len(QUANTILES)
    return [ordered[min(int(q * (len(ordered) - 1) + 0.5), len(ordered) - 1)] for q in QUANTILES]


def with_thresholds(scope, **changes):
    """The assistant's own scope gate (same corpus, same other rules) with some thresholds changed."""
    other = copy.copy(scope)
    other.thresholds = dataclasses.replace(scope.thresholds, **changes)
    return other


def grid(rows: list[Scored], scope) -> list[tuple[tuple[float, float, float], float, float]]:
    """Every alternative in the grid (the current values included) with its (refusal, false refusal),
    best first: false refusal within 0.05 first, then the highest refusal, then the lowest false refusal."""
    t = scope.thresholds
    axes = [sorted(set(values) | {current}) for values, current in (
        (DENSE_ALONE, t.dense_alone), (DENSE_WITH_KEYWORDS, t.dense_with_keywords), (BM25_WITH_DENSE, t.bm25_with_dense))]
    results = []
    for alone, with_kw, bm25 in itertools.product(*axes):
        if with_kw > alone:
            continue
        changed = with_thresholds(scope, dense_alone=alone, dense_with_keywords=with_kw, bm25_with_dense=bm25)
        refused, false = rates(rows, changed)
        results.append(((alone, with_kw, bm25), refused, false))
    return sorted(results, key=lambda r: (r[2] > 0.05, -r[1], r[2]))


def report(rows: list[Scored], scope, *, show: int = 15) -> str:
    """The printout; ``scope`` is the assistant's gate (``Assistant.scope``) at its current thresholds."""
    lines = [f"{sum(r.in_scope for r in rows)} in-scope (retrieval.yaml), "
             f"{sum(not r.in_scope for r in rows)} out-of-scope (out_of_scope.yaml) questions", ""]
    head = "quantile      " + " ".join(f"{q:>6.2f}" for q in QUANTILES)
    lines.append(head)
    for label, pick in (("best cosine", lambda r: r.dense), ("best BM25", lambda r: r.bm25)):
        for name, flag in (("in ", True), ("out", False)):
            values = quantiles([pick(r) for r in rows if r.in_scope == flag])
            lines.append(f"{label:<11} {name}" + " ".join(f"{v:>6.2f}" for v in values))
    refused, false = rates(rows, scope)
    lines += ["", f"current thresholds {scope.thresholds}:", f"  refusal {refused:.3f}  false refusal {false:.3f}"]
    wrong = [r for r in rows if scope.in_scope(r.question, r.hits) != r.in_scope]
    for r in sorted(wrong, key=lambda r: (r.in_scope, -r.dense)):
        what = "refused in-scope " if r.in_scope else "passed out-of-scope"
        note = " ->decision" if r.to_decision else ""
        unknown = getattr(scope, "unknown_names", None)
        names = unknown(r.question) if unknown else []
        note += f" unknown names {names}" if names else ""
        lines.append(f"  {what} {r.id}: cosine {r.dense:.3f} bm25 {r.bm25:.2f}{note}  {r.question[:70]}")
    lines += ["", f"grid (best {show}; dense_alone, dense_with_keywords, bm25_with_dense):",
              "  alone  with_kw  bm25   refusal  false_refusal"]
    for (alone, with_kw, bm25), refused, false in grid(rows, scope)[:show]:
        lines.append(f"  {alone:<6.3g} {with_kw:<8.3g} {bm25:<6.3g} {refused:<8.3f} {false:.3f}")
    return "\n".join(lines)
