"""The benchmark's targets and its Markdown table (``bench/results.md``), from the results dict."""

from __future__ import annotations

from collections.abc import Callable

LINEAR_TOLERANCE = 1.25  # seconds per embedded text at 10x may be at most this many times that at 1x


def _get(results: dict, *path):
    node = results
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


# name, how it is read, target, "max" (value must be <= target) — the targets for this machine
TARGETS: list[tuple[str, Callable[[dict], float | None], float, str]] = [
    ("Warm answer latency p95 (ms)", lambda r: _get(r, "ours", "serve", "warm", "p95_ms"), 50.0, "ms"),
    ("Cold start, fresh process to first answer (s)", lambda r: _get(r, "ours", "cold_start", "median_s"), 4.0, "s"),
    ("Peak RSS while serving (MB)", lambda r: _get(r, "ours", "serve", "peak_rss_mb"), 700.0, "MB"),
    ("Index build, five documents (s)", lambda r: _get(r, "ours", "build_1x", "build_s"), 20.0, "s"),
    ("Build growth: s per text at 10x / at 1x", lambda r: _get(r, "linearity", "ratio"), LINEAR_TOLERANCE, ""),
]


def check_targets(results: dict) -> list[dict]:
    rows = []
    for name, read, target, unit in TARGETS:
        value = read(results)
        rows.append({"name": name, "target": target, "unit": unit, "value": value,
                     "met": None if value is None else value <= target})
    return rows


def linearity(build_1x: dict | None, build_10x: dict | None) -> dict | None:
    if not build_1x or not build_10x:
        return None
    per_1x = build_1x["build_s"] / build_1x["texts_embedded"]
    per_10x = build_10x["build_s"] / build_10x["texts_embedded"]
    return {"seconds_per_text_1x": per_1x, "seconds_per_text_10x": per_10x, "ratio": per_10x / per_1x,
            "seconds_per_passage_1x": build_1x["build_s"] / build_1x["passages"],
            "seconds_per_passage_10x": build_10x["build_s"] / build_10x["passages"],
            "size_ratio": build_10x["texts_embedded"] / build_1x["texts_embedded"],
            "time_ratio": build_10x["build_s"] / build_1x["build_s"]}


def _fmt(value, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _ratio(baseline, ours, higher_is_better: bool = False) -> str:
    if not baseline or not ours:
        return "–"
    ratio = ours / baseline if higher_is_better else baseline / ours
    return f"{ratio:.1f}×"


def markdown(results: dict) -> str:
    ours, base = results.get("ours", {}), results.get("baseline", {})
    rows = [
        ("Index build, 5 documents (s, in process)", _get(ours, "build_1x", "build_s"), _get(base, "build_1x", "build_s"), False),
        ("Index build, 5 documents (s, whole process)", _get(ours, "build_1x", "process_s"), _get(base, "build_1x", "process_s"), False),
        ("Index build, corpus ×10 (s, in process)", _get(ours, "build_10x", "build_s"), _get(base, "build_10x", "build_s"), False),
        ("Cold start: fresh process to first answer (s, median)", _get(ours, "cold_start", "median_s"), _get(base, "cold_start", "median_s"), False),
        ("Warm latency p50 (ms)", _get(ours, "serve", "warm", "p50_ms"), _get(base, "serve", "warm", "p50_ms"), False),
        ("Warm latency p95 (ms)", _get(ours, "serve", "warm", "p95_ms"), _get(base, "serve", "warm", "p95_ms"), False),
        ("Throughput, 8 threads (questions/s)", _get(ours, "serve", "throughput", "per_second"), _get(base, "serve", "throughput", "per_second"), True),
        ("Peak RSS while serving (MB)", _get(ours, "serve", "peak_rss_mb"), _get(base, "serve", "peak_rss_mb"), False),
        ("Peak RSS of a cold start (MB)", _get(ours, "cold_start", "peak_rss_mb"), _get(base, "cold_start", "peak_rss_mb"), False),
    ]
    machine = results.get("machine", {})
    lines = [
        "# Benchmark: this assistant against the naive llama-index baseline",
        "",
        f"Measured {machine.get('date', '?')} on {machine.get('cpus', '?')} CPUs ({machine.get('platform', '?')}), "
        f"load average {_fmt(machine.get('load_before'))} before and {_fmt(machine.get('load_after'))} after. "
        "Produced by `make bench` (`python -m bench`); raw numbers in `bench/results.json`.",
        "",
        "Ours answers with the full pipeline (routing, hybrid retrieval, verified quotes); the baseline's "
        "\"answer\" is its top-5 retrieval (it has no composition step). Warm latency is over the "
        f"{_get(ours, 'serve', 'warm', 'n') or '?'} questions of `eval/cases/retrieval.yaml`, one at a time, after one "
        "cold answer. Ratio: how many times better this assistant is (baseline ÷ ours; for throughput ours ÷ baseline).",
        "",
        "| Measure | This assistant | Naive baseline | Ratio |",
        "|---|---:|---:|---:|",
    ]
    for name, mine, theirs, higher in rows:
        lines.append(f"| {name} | {_fmt(mine)} | {_fmt(theirs)} | {_ratio(theirs, mine, higher)} |")
    chunks, texts = _get(base, "build_1x", "chunks"), _get(ours, "build_1x", "texts_embedded")
    if chunks and texts:
        lines += ["", f"The baseline builds faster because it embeds {chunks} chunks of up to 1,024 tokens, of which "
                      "the model reads only the first 256 word-pieces; this assistant embeds every passage and every "
                      f"quotable sentence, and the questions each passage answers ({texts:,} distinct texts), "
                      "which is what lets it find and quote the right sentence."]
    search = _get(ours, "serve", "search_only")
    if search:
        lines += ["", f"Retrieval alone (ours, `retriever.search`, top 5): p50 {_fmt(search['p50_ms'])} ms, "
                      f"p95 {_fmt(search['p95_ms'])} ms."]
    lin = results.get("linearity")
    if lin:
        lines += ["", f"Build growth: ×{lin['size_ratio']:.1f} texts took ×{lin['time_ratio']:.1f} the time; "
                      f"{lin['seconds_per_passage_1x'] * 1000:.1f} ms per passage at ×1 and "
                      f"{lin['seconds_per_passage_10x'] * 1000:.1f} ms at ×10 "
                      f"({lin['seconds_per_text_1x'] * 1000:.2f} and {lin['seconds_per_text_10x'] * 1000:.2f} ms per "
                      "distinct text embedded: passages, their sentences and their questions). The ×10 corpus is ten "
                      "copies of each document and its questions with \"the\" and \"and\" varied per copy "
                      "(`bench/corpus_copies.py`), "
                      "since the index embeds a repeated text only once."]
    lines += ["", "## Targets (2-core machine)", "", "| Target | Limit | Measured | Met |", "|---|---:|---:|:---:|"]
    for row in results.get("targets", []):
        met = "–" if row["met"] is None else ("yes" if row["met"] else "**no**")
        lines.append(f"| {row['name']} | ≤ {_fmt(row['target'])} | {_fmt(row['value'])} | {met} |")
    heavy = _get(ours, "cold_start", "heavy_modules")
    if heavy is not None:
        banned = sorted(set(heavy) & {"torch", "transformers", "sentence_transformers", "llama_index"})
        verdict = f"**loaded {', '.join(banned)}**" if banned else "none of torch, transformers, sentence-transformers, llama-index"
        lines += ["", f"Heavy packages loaded by our cold start: {', '.join(heavy) or 'none'} ({verdict})."]
    for who, data in (("This assistant", ours), ("Baseline", base)):
        costs = _get(data, "cold_start", "import_costs")
        if costs:
            top = ", ".join(f"{c['package']} {c['seconds']:.2f} s" for c in costs[:6])
            lines.append(f"{who}'s costliest imports at cold start (cumulative): {top}.")
    if results.get("notes"):
        lines += ["", *[f"- {note}" for note in results["notes"]]]
    return "\n".join(lines) + "\n"
