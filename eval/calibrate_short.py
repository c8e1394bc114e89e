"""``python -m eval calibrate-short-answers``: the numbers the short answers' opening rule is set from.

Leave-one-out over the short answers' own wordings (``asks`` in data/short_answers.yaml), never
over eval cases. Each held-out wording (``tuning.held_out``: the tenth the domain embedder never
trains on) is asked as a question, with its own vector left out of its line's wordings, and the
table gives, at each similarity threshold:

- ``wordings only``: the line whose other wordings are closest;
- ``with retrieval``: the rule the assistant uses (``answer.guidance.Guidance.opening``): only lines
  with a quote in the question's best passages may open, the closest of those wins.

``precision`` is how often the line chosen is the wording's own line or one citing the same quote;
``coverage`` is how often a line is chosen at all.
"""

from __future__ import annotations

import numpy as np

from assistant.answer.guidance import HIGH_MARGIN, HIGH_SIMILARITY, OPENING_PASSAGES, Read
from assistant.indexing.tuning import held_out

THRESHOLDS = (0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70)


def _same_gist(a, b) -> bool:
    return a is b or bool({(q.doc_id, q.quote) for q in a.quotes} & {(q.doc_id, q.quote) for q in b.quotes})


def leave_one_out(guidance) -> dict[str, list[tuple[float, float, float]]]:
    short = guidance.short
    matrix, owners = short._matrix, short._owners  # noqa: SLF001 - the wordings and their lines
    spans = guidance._spans()  # noqa: SLF001
    chosen: dict[str, list[tuple[float, bool]]] = {"wordings only": [], "with retrieval": [],
                                                   "with retrieval, or one line very close": []}
    for i, vector in enumerate(matrix):
        own = short.answers[owners[i]]
        text = own.asks[int(np.flatnonzero(owners == owners[i]).tolist().index(i))]
        if not held_out(text):
            continue
        sims = matrix @ vector
        sims[i] = -1.0  # leave the wording itself out
        per_line = np.full(len(short.answers), -1.0, dtype=np.float32)
        np.maximum.at(per_line, owners, sims)
        hits = guidance.hits(Read(text, text, text, vector, None, False))[:OPENING_PASSAGES]
        agreeing = [k for k, line_spans in enumerate(spans)
                    if any(d == h.passage.doc_id and h.passage.start <= s < h.passage.end
                           for d, s, _ in line_spans for h in hits)]
        closest = max(range(len(short.answers)), key=lambda k: per_line[k])
        agreed = max(agreeing, key=lambda k: per_line[k], default=None)
        first, second = np.argsort(-per_line)[:2]
        plainly_closest = per_line[first] >= HIGH_SIMILARITY and per_line[first] - per_line[second] >= HIGH_MARGIN
        picks = {"wordings only": closest, "with retrieval": agreed,
                 "with retrieval, or one line very close": first if plainly_closest else agreed}  # the rule used
        for name, best in picks.items():
            chosen[name].append((float(per_line[best]) if best is not None else -1.0,
                                 best is not None and _same_gist(short.answers[best], own)))
    table = {}
    for name, rows in chosen.items():
        scores = np.array([s for s, _ in rows])
        right = np.array([r for _, r in rows])
        table[name] = [(t, float(right[scores >= t].mean()) if (scores >= t).any() else float("nan"),
                        float((scores >= t).mean())) for t in THRESHOLDS]
    return table


def report(guidance, current: float) -> str:
    table = leave_one_out(guidance)
    asked = sum(held_out(t) for a in guidance.short.answers for t in a.asks)
    lines = [f"{asked} held-out of {len(guidance.short._owners)} wordings of {len(guidance.short.answers)} short answers, "  # noqa: SLF001
             "leave-one-out"]
    for name, rows in table.items():
        lines += ["", name, f"{'threshold':>9} {'precision':>9} {'coverage':>8}"]
        lines += [f"{t:>9.2f} {p:>9.3f} {c:>8.3f}" + ("   <- MIN_SIMILARITY" if abs(t - current) < 1e-9 and name.startswith("with retrieval, or") else "")
                  for t, p, c in rows]
    return "\n".join(lines)
