"""The learned models' ablation (``python -m eval ablation``): the same evaluation with each embedder.

For each row (the packaged model as it ships, then the domain model trained from it) the index is
built afresh under a temporary folder with that embedder, the claim vectors, short answers and
learned readers are prepared for it (the readers retrain on its vectors), and then one run scores:

* the shipped cases (``eval/cases``): retrieval, myths, scope, routing, urgency, dangerous errors;
* the README's held-out set (``eval/heldout``): retrieval and refusals;
* the regression set from the graded fresh rounds (``eval/heldout/round-N``).

Writes ``ablation.md`` and ``ablation.json`` into the output folder. Each row comes from one run.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from assistant.config import Settings

SHIPPED = ("hit@1", "hit@5", "mrr", "myth_accuracy", "citation_support", "refusal", "false_refusal", "routing",
           "urgent_recall", "dangerous_errors")
HELD_OUT = ("hit@1", "hit@5", "mrr", "refusal", "false_refusal")
ROUNDS = ("answers what the guidance covers", "verdict right or none (never inverted)", "verdict given and right",
          "case outcome reached and right", "declines what the guidance does not cover")


def _metrics(report: dict, keys) -> dict:
    by_key = {row["key"]: row for row in report["metrics"]}
    return {key: (by_key[key]["label"], by_key[key]["assistant"]["value"]) for key in keys if key in by_key}


def run(settings: Settings, out_dir: Path, choices=("base", "tuned"), progress: bool = True) -> dict:
    from assistant.answer.runtime import build
    from eval.runner import Cases, run_eval

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for choice in choices:
            started = time.perf_counter()
            chosen = settings.with_(embedder=choice, index_dir=Path(tmp) / choice / "index")
            build(chosen, progress=progress)
            shipped = run_eval(chosen, Path(tmp) / choice / "shipped", progress=progress, with_baseline=False)
            held = run_eval(chosen, Path(tmp) / choice / "heldout", cases=Cases.held_out(Path(__file__).parent / "heldout"),
                            progress=progress, with_baseline=False)
            rates = shipped["rounds"]["rates"]
            rows.append({
                "embedder": choice,
                "shipped": _metrics(shipped, SHIPPED),
                "heldout": _metrics(held, HELD_OUT),
                "rounds": {name: rates[name]["value"] for name in ROUNDS if name in rates},
                "rounds_dangerous": len(shipped["rounds"].get("dangerous", [])),
                "seconds": round(time.perf_counter() - started, 1),
            })
    result = {"generated": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "rows": rows}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "ablation.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out_dir / "ablation.md").write_text(markdown(result), encoding="utf-8")
    return result


def markdown(result: dict) -> str:
    rows = result["rows"]
    head = "| | " + " | ".join(r["embedder"] for r in rows) + " |\n|---|" + "---:|" * len(rows) + "\n"
    out = [f"# Learned models: ablation\n\nGenerated {result['generated']} by `python -m eval ablation`. "
           "Each column is one run: the index built with that embedder, then the evaluation.\n"]
    for part, title in (("shipped", "Shipped cases (`eval/cases`)"), ("heldout", "Held-out set (`eval/heldout`)")):
        out.append(f"\n## {title}\n\n" + head)
        for key, (label, _) in rows[0][part].items():
            out.append(f"| {label} | " + " | ".join(_cell(r[part].get(key, (label, None))[1]) for r in rows) + " |\n")
    out.append("\n## Regression set from the graded fresh rounds\n\n" + head)
    for name in rows[0]["rounds"]:
        out.append(f"| {name} | " + " | ".join(_cell(r["rounds"].get(name)) for r in rows) + " |\n")
    out.append("| cases flagged dangerous (declined a child's safety, or no urgent banner) | " + " | ".join(str(r["rounds_dangerous"]) for r in rows) + " |\n")
    return "".join(out)


def _cell(value) -> str:
    if value is None:
        return "n.a."
    return f"{value:g}" if float(value).is_integer() else f"{value:.3f}"
