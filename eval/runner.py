"""Running the assistant and the naive baseline over every case, once, with a progress bar.

Collecting is kept apart from scoring (eval/scoring.py): this module only asks the systems and
records what they said, as plain dicts, so the scoring rules can be tested on hand-made outputs.
The assistant answers each case question fresh (no history); retrieval metrics read its top-5
passages; every scenario's full facts also go through the decision engine on every flowchart.
The baseline embeds its questions in one batch.
"""

from __future__ import annotations

import contextlib
import io
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant import Settings
from eval import cases as case_files
from eval.rounds import load_round_cases


@dataclass
class Cases:
    retrieval: list[dict]
    myths: list[dict]
    out_of_scope: list[dict]
    scenarios: list[dict]
    routing: list[dict]
    urgent: list[dict]
    rounds: list[dict] = field(default_factory=list)  # graded fresh rounds (eval/rounds.py)

    @classmethod
    def shipped(cls) -> "Cases":
        return cls(
            retrieval=case_files.retrieval_cases(),
            myths=case_files.myth_items(),
            out_of_scope=case_files.out_of_scope_cases(),
            scenarios=case_files.scenario_cases(),
            routing=case_files.routing_cases(),
            urgent=case_files.urgent_cases(),
            rounds=load_round_cases(),
        )

    @classmethod
    def held_out(cls, folder: Path) -> "Cases":
        """The questions and out-of-scope cases of a held-out folder (eval/heldout/): the same
        format as eval/cases/, kept apart so no change is tuned on them."""
        return cls(
            retrieval=case_files.retrieval_cases(folder),
            myths=[],
            out_of_scope=case_files.out_of_scope_cases(folder),
            scenarios=[],
            routing=[],
            urgent=[],
        )

    def asked(self) -> list[tuple[str, dict]]:
        """(suite, case) for every case the assistant is asked."""
        suites = ("retrieval", "myths", "out_of_scope", "scenarios", "routing", "urgent")
        return [(suite, case) for suite in suites for case in getattr(self, suite)]

    def searched(self) -> list[tuple[str, dict]]:
        """(suite, case) for cases whose top passages are scored (retrieval metrics, myth-busters)."""
        return [("retrieval", c) for c in self.retrieval] + [("myths", c) for c in self.myths]

    def steps(self, with_baseline: bool) -> int:
        """Progress-bar steps: each answer, each search, the engine runs, the baseline's two steps."""
        return len(self.asked()) + len(self.searched()) + 1 + (2 if with_baseline else 0)


@dataclass
class Outputs:
    """What one system said. Keys are "<suite>:<case id>"."""

    answers: dict[str, dict] = field(default_factory=dict)  # Answer.to_dict()
    top: dict[str, list[dict]] = field(default_factory=dict)  # top-5 passages: {text, doc_id|file_name}
    decisions: dict[str, dict] = field(default_factory=dict)  # "<scenario id>:<flowchart>" -> Decision.to_dict()
    seconds: dict[str, float] = field(default_factory=dict)


def key(suite: str, case_id: str) -> str:
    return f"{suite}:{case_id}"


def progress_bar(total: int, enabled: bool = True):
    from tqdm import tqdm

    return tqdm(total=total, desc="eval", unit="step", disable=not enabled, dynamic_ncols=True, leave=False)


def run_assistant(assistant, cases: Cases, bar) -> Outputs:
    from assistant import decide, list_flowcharts

    out = Outputs()
    started = time.perf_counter()
    for suite, case in cases.asked():
        bar.set_postfix_str(f"assistant: {suite}", refresh=False)
        out.answers[key(suite, case["id"])] = assistant.answer(case["question"]).to_dict()
        bar.update()
    out.seconds["answers"] = time.perf_counter() - started
    started = time.perf_counter()
    bar.set_postfix_str("assistant: top passages", refresh=False)
    for suite, case in cases.searched():
        hits = assistant.retriever.search(case["question"], k=5)
        out.top[key(suite, case["id"])] = [
            {"text": f"{h.passage.section} {h.passage.text}", "doc_id": h.passage.doc_id} for h in hits
        ]
        bar.update()
    out.seconds["search"] = time.perf_counter() - started
    for scenario in cases.scenarios:
        for chart in (info.id for info in list_flowcharts()):
            out.decisions[f"{scenario['id']}:{chart}"] = decide(scenario["full_facts"], chart).to_dict()
    bar.update()
    return out


def run_baseline(settings: Settings, cases: Cases, bar) -> Outputs:
    out = Outputs()
    bar.set_postfix_str("baseline: building", refresh=True)
    baseline = build_baseline(settings)
    out.seconds["build"] = baseline.build_seconds
    bar.update()
    bar.set_postfix_str("baseline: searching", refresh=True)
    searched = cases.searched()
    started = time.perf_counter()
    found = baseline.search_many([case["question"] for _, case in searched], k=5)
    for (suite, case), chunks in zip(searched, found):
        out.top[key(suite, case["id"])] = [{"text": c.text, "file_name": c.file_name} for c in chunks]
    out.seconds["search"] = time.perf_counter() - started
    bar.update()
    return out


def build_baseline(settings: Settings):
    from transformers.utils import logging as hf_logging

    from eval.baseline import NaiveBaseline

    hf_logging.disable_progress_bar()  # its "Loading weights" bar would break the eval's own
    with contextlib.redirect_stdout(io.StringIO()):  # llama-index prints "LLM is explicitly disabled"
        return NaiveBaseline.build(settings)


def run_eval(settings: Settings, out_dir: Path, *, cases: Cases | None = None, progress: bool = True,
             with_baseline: bool = True, adapt=None) -> dict:
    """Run both systems over the cases, score them, write report.{md,json,png} into ``out_dir``
    (comparing with the report.json already there, if any) and return the report dict. ``adapt``,
    if given, is called with the loaded assistant before any case (an ablation's variant)."""
    from assistant import Assistant
    from eval.report import load_previous, write_reports
    from eval.rounds import score as score_rounds
    from eval.scoring import score_run

    started = time.perf_counter()
    cases = cases or Cases.shipped()
    out_dir = Path(out_dir)
    previous = load_previous(out_dir)
    with progress_bar(cases.steps(with_baseline), progress) as bar:
        bar.set_postfix_str("loading the assistant", refresh=True)
        load_started = time.perf_counter()
        assistant = Assistant.load(settings)
        if adapt is not None:
            adapt(assistant)
        load_seconds = time.perf_counter() - load_started
        ours = run_assistant(assistant, cases, bar)
        ours.seconds["load"] = load_seconds
        theirs = run_baseline(settings, cases, bar) if with_baseline else None
    report = score_run(cases, ours, theirs, assistant.documents, settings.corpus_dir)
    if cases.rounds:  # the graded fresh rounds, as a regression set (eval/rounds.py)
        report["rounds"] = score_rounds(cases.rounds, lambda text: assistant.answer(text).to_dict()).to_dict()
    report["seconds"] = {"total": round(time.perf_counter() - started, 1),
                         "assistant": {k: round(v, 1) for k, v in ours.seconds.items()},
                         "baseline": {k: round(v, 1) for k, v in (theirs.seconds if theirs else {}).items()}}
    write_reports(report, out_dir, previous)
    return report
