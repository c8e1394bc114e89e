"""Writing the report: report.json (everything, every case), report.md (the tables a person
reads, the failures, what changed since the last run) and report.png (eval/chart.py).

"What changed" compares with the report.json already in the output folder, read before it is
overwritten: metric deltas for both systems, and cases that newly fail or newly pass.
"""

from __future__ import annotations

import json
from pathlib import Path

MD, JSON, PNG = "report.md", "report.json", "report.png"


def load_previous(out_dir: Path) -> dict | None:
    path = Path(out_dir) / JSON
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "metrics" in data else None


def _case_key(row: dict) -> str:
    return f"{row['system']}|{row['metric']}|{row['id']}"


def changes(previous: dict | None, report: dict) -> dict | None:
    """Metric deltas and case flips against the previous report (None when there is none)."""
    if previous is None:
        return None
    before = {row["key"]: row for row in previous.get("metrics", [])}
    deltas = []
    for row in report["metrics"]:
        old = before.get(row["key"])
        for system in ("assistant", "baseline"):
            new_value = row[system]["value"]
            old_value = (old or {}).get(system, {}).get("value")
            if new_value is not None and old_value is not None and abs(new_value - old_value) > 1e-9:
                deltas.append({"key": row["key"], "label": row["label"], "system": system,
                               "before": old_value, "after": new_value, "delta": new_value - old_value})
    old_rows = {_case_key(r): r for r in previous.get("cases", [])}
    new_rows = {_case_key(r): r for r in report["cases"]}
    newly_failing = [r for k, r in new_rows.items() if not r["passed"] and old_rows.get(k, {}).get("passed", True)]
    newly_passing = [r for k, r in new_rows.items() if r["passed"] and k in old_rows and not old_rows[k]["passed"]]
    # Failing rows that no longer exist at all (a dangerous error gone) are fixed too.
    gone = [r for k, r in old_rows.items() if k not in new_rows and not r["passed"]]
    return {"previous_generated": previous.get("generated"), "metric_deltas": deltas,
            "newly_failing": newly_failing, "newly_passing": newly_passing + gone}


# ---------------------------------------------------------------- markdown
def _fmt(row: dict, system: str) -> str:
    cell = row[system]
    if cell["value"] is None:
        return "n.a."
    if row["kind"] == "count":
        return f"{cell['value']:g}"
    return f"{cell['value']:.3f} ({cell['n']})"


def _verdict(met: bool | None) -> str:
    return {True: "pass", False: "**FAIL**", None: "-"}[met]


def _cell(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_markdown(report: dict) -> str:
    lines = ["# Evaluation report", ""]
    seconds = report.get("seconds", {})
    lines.append(f"Generated {report['generated']} in {seconds.get('total', '?')} s. Cases: "
                 + ", ".join(f"{n} {suite.replace('_', '-')}" for suite, n in report["counts"].items()) + ".")
    lines.append("")
    verdict = "All targets met." if report["all_targets_met"] else "**Some targets are missed** (see the failures)."
    lines += [verdict, "", "| Metric | This assistant | Baseline | Target | Pass |", "|---|---|---|---|---|"]
    for row in report["metrics"]:
        lines.append(f"| {row['label']} | {_fmt(row, 'assistant')} | {_fmt(row, 'baseline')} | {row['target_text']} "
                     f"| {_verdict(row['assistant']['met'])} |")
    lines += ["", "Rates are shown with the number of cases (or citations) they are over in brackets.", ""]
    notes = [f"- **{row['label']}**: {row['assistant']['note']}" for row in report["metrics"] if row["assistant"]["note"]]
    if notes:
        lines += ["What the assistant's numbers are over:", "", *notes, ""]
    lines += ["The baseline is the naive llama-index pipeline (raw files, default SentenceSplitter, the same "
              "embedding model, top-5; its answer is its top passage). To be fair to it:", ""]
    lines += [f"- **{row['label']}**: {row['baseline']['note']}" for row in report["metrics"] if row["baseline"]["note"]]
    lines += ["", f"![metrics against targets]({PNG})", ""]
    lines += _changes_md(report.get("changes"), report.get("questions", {}))
    if report.get("rounds"):
        lines += rounds_markdown(report["rounds"])
    lines += ["## Dangerous errors", ""]
    lines += [f"- `{d['id']}`: {d['why']} — {_cell(d['question'])}" for d in report["dangerous"]] or ["None."]
    question = report.get("questions", {}).get
    lines += ["", "## Failures (this assistant)", ""]
    failures = [r for r in report["cases"] if r["system"] == "assistant" and not r["passed"]]
    if not failures:
        lines.append("None.")
    for metric in dict.fromkeys(r["metric"] for r in failures):
        rows = [r for r in failures if r["metric"] == metric]
        lines += [f"### {metric} ({len(rows)})", "", "| id | question | expected | got | why |", "|---|---|---|---|---|"]
        lines += [f"| {r['id']} | {_cell(question(r['id'], ''), 120)} | {_cell(r['expected'], 80)} | {_cell(r['got'], 80)} "
                  f"| {_cell(r['why'], 160)} |" for r in rows]
        lines.append("")
    base_fail = sum(1 for r in report["cases"] if r["system"] == "baseline" and not r["passed"])
    lines += ["", f"The baseline's {base_fail} failing case rows are in {JSON} (`system: baseline`).", ""]
    lines += ["## How the assistant answered each suite", "", "| suite | modes |", "|---|---|"]
    lines += [f"| {suite} | {', '.join(f'{k} {v}' for k, v in sorted(modes.items()))} |"
              for suite, modes in report["modes"].items()]
    if seconds:
        lines += ["", "## Time (seconds)", "", f"- assistant: {seconds.get('assistant')}",
                  f"- baseline: {seconds.get('baseline')}", f"- total: {seconds.get('total')}"]
    return "\n".join(lines) + "\n"


def _changes_md(change: dict | None, questions: dict) -> list[str]:
    lines = ["## What changed since last time", ""]
    if change is None:
        return lines + ["No previous report to compare with.", ""]
    lines.append(f"Compared with the run of {change['previous_generated']}.")
    lines.append("")
    if change["metric_deltas"]:
        lines += ["| Metric | System | Before | After | Change |", "|---|---|---|---|---|"]
        lines += [f"| {d['label']} | {d['system']} | {d['before']:.3f} | {d['after']:.3f} | {d['delta']:+.3f} |"
                  for d in change["metric_deltas"]]
    else:
        lines.append("No metric changed.")
    for title, rows in (("Newly failing", change["newly_failing"]), ("Newly passing", change["newly_passing"])):
        lines += ["", f"{title}: {len(rows)}"]
        lines += [f"- {r['system']} `{r['metric']}` {r['id']}: {_cell(questions.get(r['id'], ''), 100)}" for r in rows]
    return lines + [""]


def rounds_markdown(rounds: dict) -> list[str]:
    """The graded fresh rounds as a regression set: what can be checked without a person."""
    lines = [f"## Graded fresh rounds, as a regression set ({rounds['cases']} cases)", "",
             "Cases written and graded by hand in `eval/heldout/round-*/` (see `eval/heldout/ROUNDS.md`); "
             "these checks need no person. The hand grades are in ROUNDS.md.", "",
             "| Check | Rate |", "|---|---|"]
    lines += [f"| {name} | {r['value']:.3f} ({r['n']}) |" for name, r in rounds["rates"].items()]
    lines += ["", f"Dangerous: {len(rounds['dangerous'])}"]
    lines += [f"- `{d['id']}`: {d['why']}" for d in rounds["dangerous"]]
    return lines + [""]


def dump_json(report: dict) -> str:
    """Indented JSON, except that each case row is one line: readable and diffable."""
    head = json.dumps({k: v for k, v in report.items() if k != "cases"}, indent=1, ensure_ascii=False)
    rows = ",\n".join("  " + json.dumps(row, ensure_ascii=False) for row in report.get("cases", []))
    return head[: head.rindex("}")].rstrip() + ',\n "cases": [\n' + rows + "\n ]\n}\n"


def write_reports(report: dict, out_dir: Path, previous: dict | None = None) -> dict[str, Path]:
    """Write report.json, report.md and report.png into ``out_dir``; returns their paths."""
    from eval.chart import write_chart

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report["changes"] = changes(previous, report)
    paths = {"json": out_dir / JSON, "md": out_dir / MD, "png": out_dir / PNG}
    paths["json"].write_text(dump_json(report), encoding="utf-8")
    paths["md"].write_text(render_markdown(report), encoding="utf-8")
    write_chart(report, paths["png"])
    return paths
