"""The learned models' ablation (``python -m eval ablation``): the same evaluation with each variant.

The variants (``ROWS``): the packaged embedder as it ships; the domain embedder trained from it; that
embedder's ONNX file quantised to int8 (``onnxruntime.quantization.quantize_dynamic``); and the
domain embedder with the cross-encoder (``eval/cross_encoder.py``, trained on demand and cached)
reranking the hybrid's passages, choosing the quoted sentences, or acting as a scope signal.

For each embedder the index is built afresh under a temporary folder, the claim vectors, short
answers and learned readers are prepared for it (the readers retrain on its vectors), and then each
row is one run scoring:

* the shipped cases (``eval/cases``): retrieval, myths, scope, routing, urgency, dangerous errors;
* the README's held-out set (``eval/heldout``): retrieval and refusals;
* the regression set from the graded fresh rounds (``eval/heldout/round-N``).

Writes ``ablation.md`` and ``ablation.json`` into the output folder.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from assistant.config import Settings

SHIPPED = ("hit@1", "hit@5", "mrr", "myth_accuracy", "citation_support", "refusal", "false_refusal", "routing",
           "urgent_recall", "dangerous_errors")
HELD_OUT = ("hit@1", "hit@5", "mrr", "citation_support", "refusal", "false_refusal")
ROUNDS = ("answers what the guidance covers", "verdict right or none (never inverted)", "verdict given and right",
          "case outcome reached and right", "declines what the guidance does not cover")
NOTES = Path(__file__).resolve().parent / "ablation_notes.md"
# row -> (embedder, int8, cross-encoder use)
ROWS = {
    "base": ("base", False, None),
    "tuned": ("tuned", False, None),
    "tuned-int8": ("tuned", True, None),
    "tuned+ce-rerank": ("tuned", False, "rerank"),
    "tuned+ce-quotes": ("tuned", False, "quotes"),
    "tuned+ce-scope": ("tuned", False, "scope"),
}


def _metrics(report: dict, keys) -> dict:
    by_key = {row["key"]: row for row in report["metrics"]}
    return {key: (by_key[key]["label"], by_key[key]["assistant"]["value"]) for key in keys if key in by_key}


def run(settings: Settings, out_dir: Path, choices=tuple(ROWS), progress: bool = True, cache_dir: Path | None = None,
        with_rounds: bool = True) -> dict:
    from assistant.answer.runtime import build
    from eval import cross_encoder
    from eval.runner import Cases, run_eval

    cache_dir = Path(cache_dir or settings.model_cache_dir)
    rows, models, result = [], {}, {}
    shipped_cases = Cases.shipped()
    if not with_rounds:
        shipped_cases.rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        built: dict[tuple, Settings] = {}
        for choice in choices:
            embedder, int8, use = ROWS[choice]
            started = time.perf_counter()
            variant = (embedder, int8)
            if variant not in built:
                chosen = settings.with_(embedder=embedder, index_dir=Path(tmp) / f"{embedder}{'-int8' * int8}" / "index")
                if int8:
                    chosen, models["int8"] = _int8_cache(chosen, Path(tmp) / "int8-model", progress)
                build(chosen, progress=progress)
                built[variant] = chosen
            chosen = built[variant]
            adapt = None
            if use is not None:
                if "cross-encoder" not in models:
                    from assistant.indexing import models as embedders

                    scorer, info = cross_encoder.ready(chosen, cache_dir, embedders.load(chosen), progress=progress)
                    models["cross-encoder"] = {"scorer": scorer, **info}
                scorer = models["cross-encoder"]["scorer"]
                adapt = lambda assistant, use=use, scorer=scorer: cross_encoder.apply(assistant, scorer, use)  # noqa: E731
            shipped = run_eval(chosen, Path(tmp) / choice / "shipped", cases=shipped_cases, progress=progress,
                               with_baseline=False, adapt=adapt)
            held = run_eval(chosen, Path(tmp) / choice / "heldout", cases=Cases.held_out(Path(__file__).parent / "heldout"),
                            progress=progress, with_baseline=False, adapt=adapt)
            rates = shipped.get("rounds", {}).get("rates", {})
            rows.append({
                "embedder": choice,
                "shipped": _metrics(shipped, SHIPPED),
                "heldout": _metrics(held, HELD_OUT),
                "rounds": {name: rates[name]["value"] for name in ROUNDS if name in rates},
                "rounds_dangerous": len(shipped.get("rounds", {}).get("dangerous", [])),
                "targets_met": shipped["all_targets_met"],
                "seconds": round(time.perf_counter() - started, 1),
            })
            result = _write(rows, models, Path(out_dir))  # after every row: a long run stopped early keeps its rows
    return result


def _write(rows: list, models: dict, out_dir: Path) -> dict:
    result = {"generated": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "rows": rows,
              "models": {k: {m: v for m, v in d.items() if m != "scorer"} for k, d in models.items()}}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "ablation.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out_dir / "ablation.md").write_text(markdown(result), encoding="utf-8")
    return result


def _int8_cache(settings: Settings, folder: Path, progress: bool) -> tuple[Settings, dict]:
    """A model folder like ``settings.model_cache_dir`` whose domain embedder's ONNX file is quantised
    to int8 (the same name, so the rest of the assistant reads it unchanged), and its size and speed."""
    from assistant.indexing import models
    from eval.quantise import quantise_embedder

    models.prepare(settings, progress=progress)
    return settings.with_(model_cache_dir=folder), quantise_embedder(settings, folder)


def markdown(result: dict) -> str:
    rows = result["rows"]
    head = "| | " + " | ".join(r["embedder"] for r in rows) + " |\n|---|" + "---:|" * len(rows) + "\n"
    out = [f"# Learned models: ablation\n\nGenerated {result['generated']} by `python -m eval ablation`. "
           "Each column is one run: the index built with that embedder, the variant applied, then the evaluation.\n"]
    for part, title in (("shipped", "Shipped cases (`eval/cases`)"), ("heldout", "Held-out set (`eval/heldout`)")):
        out.append(f"\n## {title}\n\n" + head)
        for key, (label, _) in rows[0][part].items():
            out.append(f"| {label} | " + " | ".join(_cell(r[part].get(key, (label, None))[1]) for r in rows) + " |\n")
        if part == "shipped":
            out.append("| every shipped target met | " + " | ".join("yes" if r.get("targets_met") else "no" for r in rows) + " |\n")
    if any(r["rounds"] for r in rows):
        out.append("\n## Regression set from the graded fresh rounds\n\n" + head)
        for name in rows[0]["rounds"]:
            out.append(f"| {name} | " + " | ".join(_cell(r["rounds"].get(name)) for r in rows) + " |\n")
        out.append("| cases flagged dangerous (declined a child's safety, or no urgent banner) | " + " | ".join(str(r["rounds_dangerous"]) for r in rows) + " |\n")
    for name, info in result.get("models", {}).items():
        out.append(f"\n{name}: " + ", ".join(f"{k} {v}" for k, v in info.items()) + "\n")
    if NOTES.exists():  # what the figures mean, written by hand: kept with every regeneration
        out.append("\n" + NOTES.read_text(encoding="utf-8"))
    return "".join(out)


def _cell(value) -> str:
    if value is None:
        return "n.a."
    return f"{value:g}" if float(value).is_integer() else f"{value:.3f}"
