"""Do the quoted sentences answer? (``python -m eval quotes``)

For each retrieval case (``eval/cases/retrieval.yaml`` and the held-out ``eval/heldout/retrieval.yaml``),
the assistant's quote choice runs over its top passages (``Guidance.quotes``), and a case counts when a
quoted sentence holds one of the case's expected phrases: the phrases are copied from the sentences
that answer. Scored for several weights of meaning (the dense cosine of question and sentence)
against shared words, so the weight in ``assistant/answer/quotes.py`` is a measured choice.
"""

from __future__ import annotations

from pathlib import Path

from eval.cases import retrieval_cases
from eval.retrieval import contains_any

EVAL_DIR = Path(__file__).resolve().parent


def report(assistant, weights=(0.0, 5.0, 10.0, 20.0, 40.0)) -> str:
    from assistant.answer import quotes as quote_module

    sets = {"eval/cases/retrieval.yaml": retrieval_cases(),
            "eval/heldout/retrieval.yaml": retrieval_cases(EVAL_DIR / "heldout")}
    guidance = assistant.guidance
    searched = {name: [(c, guidance.retriever.search(c["question"], k=guidance.settings.top_k)) for c in cases]
                for name, cases in sets.items()}
    lines = [f"{'meaning weight':>14} " + " ".join(f"{name:>30}" for name in sets),
             f"{'':>14} " + " ".join(f"{'first quote  any quote':>30}" for _ in sets)]
    saved = quote_module.MEANING_WEIGHT
    try:
        for weight in weights:
            quote_module.MEANING_WEIGHT = weight
            cells = []
            for name, rows in searched.items():
                first = anywhere = 0
                for case, hits in rows:
                    quoted = guidance.quotes(case["question"], hits)
                    texts = [q.text for q in quoted]
                    first += bool(texts) and contains_any(texts[0], case["expect_phrases"])
                    anywhere += any(contains_any(t, case["expect_phrases"]) for t in texts)
                cells.append(f"{first / len(rows):>19.3f} {anywhere / len(rows):>10.3f}")
            lines.append(f"{weight:>14g} " + " ".join(cells))
    finally:
        quote_module.MEANING_WEIGHT = saved
    return "\n".join(lines)
