"""The issue's targets, asserted on the shipped cases: the whole eval (assistant and baseline) is
run once, on a freshly built index, with its reports written under a temporary folder.

A missed target fails here with the failing cases in the message. Per the issue, a miss is fixed
in the assistant, never by changing a case (unless the case is wrong about the documents).
"""

from __future__ import annotations

import pytest

from eval.metrics import SPECS

pytestmark = pytest.mark.integration

TARGETED = [key for key, spec in SPECS.items() if spec.op is not None]

# Targets this assistant does not meet yet, with the value measured by `python -m eval` when this
# list was written. They stay asserted: strict xfail turns into a failure the moment a target is
# met, so the entry has to be removed, and a regression below the target is still visible in the
# report. Every target is met at the moment (eval/report.md), so the list is empty.
KNOWN_GAPS: dict[str, str] = {}


assert set(KNOWN_GAPS) <= set(TARGETED), "a known gap names a metric that has no target"


def _target_params():
    for key in TARGETED:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[key])] if key in KNOWN_GAPS else []
        yield pytest.param(key, marks=marks, id=key)


@pytest.fixture(scope="module")
def eval_run(real_settings, real_retriever, tmp_path_factory):
    from eval.runner import run_eval

    out_dir = tmp_path_factory.mktemp("eval")
    return run_eval(real_settings, out_dir, progress=False), out_dir


def _failures(report: dict, key: str, limit: int = 15) -> str:
    metric = "hit@5" if key == "mrr" else key  # MRR has no pass/fail per case: show the misses
    rows = [r for r in report["cases"] if r["system"] == "assistant" and r["metric"] == metric and not r["passed"]]
    lines = [f"{r['id']}: expected {r['expected'][:60]!r}, got {r['got'][:60]!r} ({r['why'][:100]})" for r in rows]
    return "\n".join(lines[:limit]) + (f"\n... and {len(rows) - limit} more" if len(rows) > limit else "")


@pytest.mark.parametrize("key", list(_target_params()))
def test_target(eval_run, key):
    report, _ = eval_run
    row = next(r for r in report["metrics"] if r["key"] == key)
    value = row["assistant"]["value"]
    assert value is not None, f"{key}: no cases were scored"
    assert row["assistant"]["met"], (
        f"{row['label']} = {value:.3f} misses its target {row['target_text']}\n{_failures(report, key)}"
    )


def test_reports_written_with_baseline_side_by_side(eval_run):
    report, out_dir = eval_run
    assert {p.name for p in out_dir.iterdir()} >= {"report.md", "report.json", "report.png"}
    by_key = {r["key"]: r for r in report["metrics"]}
    assert by_key["hit@5"]["baseline"]["value"] is not None
    assert by_key["refusal"]["baseline"]["value"] == 0.0
    md = (out_dir / "report.md").read_text(encoding="utf-8")
    assert "| Metric | This assistant | Baseline | Target | Pass |" in md
