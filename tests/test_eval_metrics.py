"""The eval's scoring rules on small hand-made answers: each rule can be seen to pass and to fail.

No model, index or case file is loaded: answers are dicts shaped like ``Answer.to_dict()`` and the
"documents" are two tiny texts, so a wrong rule shows up as a wrong number here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from assistant.verbatim import find_span
from eval import metrics as m
from eval.report import changes, write_reports
from eval.runner import Cases, Outputs
from eval.scoring import score_assistant, score_baseline, score_run


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    file: str = ""


DOC_TEXT = "Intro line.\nConsent is not\n  always needed to share.  Record the   decision.\n"
DOCS = {"a": Doc("a", DOC_TEXT, "a.txt"), "b": Doc("b", "Other text about golden rules.", "b.txt")}


def citation(quote: str, *, doc: str = "a", passage: str | None = None, section: str = "S", shift: int = 0) -> dict:
    """A citation of ``quote`` at its real offsets (moved by ``shift``), its passage the quote itself
    unless given."""
    text = DOCS[doc].text
    span = find_span(text, quote)
    assert span is not None
    p_text = passage if passage is not None else text[span[0]:span[1]]
    p_span = find_span(text, p_text)
    return {"n": 1, "doc_id": doc, "section": section, "quote": quote, "passage": p_text,
            "quote_start": span[0] + shift, "quote_end": span[1] + shift,
            "passage_start": p_span[0], "passage_end": p_span[1]}


def answer(mode: str = "answer", *, citations=(), myth=None, decision=None, urgent=False) -> dict:
    return {"question": "q", "mode": mode, "urgent": urgent, "answer": "", "banner": None, "follow_up": False,
            "citations": list(citations), "myth": myth, "decision": decision, "warnings": []}


# ---------------------------------------------------------------- MetricSpec and rates
def test_targets_compare_in_the_right_direction():
    at_least, at_most, exactly = m.SPECS["hit@5"], m.SPECS["false_refusal"], m.SPECS["dangerous_errors"]
    assert at_least.met(0.95) and not at_least.met(0.949)
    assert at_most.met(0.05) and not at_most.met(0.051)
    assert exactly.met(0.0) and not exactly.met(1.0)
    assert m.SPECS["hit@1"].met(0.1) is None and at_least.met(None) is None
    assert at_most.lower_is_better and exactly.lower_is_better and not at_least.lower_is_better


def test_issue_targets_are_the_ones_asserted():
    wanted = {"hit@5": 0.95, "mrr": 0.85, "myth_accuracy": 0.95, "citation_validity": 1.0, "citation_support": 0.9,
              "refusal": 0.9, "false_refusal": 0.05, "routing": 0.95, "flowchart_accuracy": 1.0,
              "urgent_recall": 1.0, "dangerous_errors": 0.0}
    assert {k: m.SPECS[k].target for k in wanted} == wanted


def test_rate_of_nothing_is_not_a_perfect_score():
    assert m.rate([]) is None
    assert m.rate([True, False, True, True]) == pytest.approx(0.75)
    assert m.reciprocal_rank(None) == 0.0 and m.reciprocal_rank(4) == 0.25


# ---------------------------------------------------------------- myths
def test_verdict_only_counts_in_myth_mode():
    assert m.verdict(answer("myth", myth={"verdict": "myth", "statement": "s", "claim_id": "c"})) == "myth"
    assert m.verdict(answer("answer", myth={"verdict": "true", "statement": "s", "claim_id": "c"})) == "none"
    assert m.verdict(answer("decision")) == "none"


def test_a_myth_told_true_is_dangerous_but_a_missed_truth_is_not():
    told_true = answer("myth", myth={"verdict": "true", "statement": "s", "claim_id": "c"})
    assert m.myth_told_true(told_true, "myth")
    assert not m.myth_told_true(told_true, "true")
    assert not m.myth_told_true(answer("answer"), "myth")


# ---------------------------------------------------------------- citations
def test_citation_valid_across_line_breaks():
    assert m.citation_problem(citation("Consent is not always needed to share."), DOCS) is None


def test_citation_at_wrong_offsets_is_invalid():
    problem = m.citation_problem(citation("Consent is not always needed to share.", shift=1), DOCS)
    assert problem and "not verbatim" in problem


def test_citation_quote_must_be_inside_its_passage():
    bad = citation("Record the decision.", passage="Intro line.")
    assert "passage" in m.citation_problem(bad, DOCS)
    assert "unknown document" in m.citation_problem({**bad, "doc_id": "zz"}, DOCS)


def test_edited_quote_is_invalid():
    good = citation("Record the decision.")
    assert "not verbatim" in m.citation_problem({**good, "quote": "Record the decisions."}, DOCS)


def test_support_reads_passage_and_section_folding_case_and_space():
    cites = [citation("Record the decision.", section="Golden Rules For Sharing")]
    assert m.cites_phrase(cites, ["record  THE decision"])
    assert m.cites_phrase(cites, ["golden rules for sharing"])
    assert not m.cites_phrase(cites, ["consent is not"])
    assert not m.cites_phrase([], ["record"])


# ---------------------------------------------------------------- dangerous decisions
HARM = {"significant_harm_risk": "yes", "seeking_consent_unsafe": "yes"}


def test_do_not_share_with_harm_is_dangerous_from_truth_or_from_facts_read():
    decision = {"outcome": "do_not_share", "facts": {}, "flowchart": "default"}
    assert m.dangerous_decision(decision, HARM)
    assert m.dangerous_decision({**decision, "facts": {"significant_harm_risk": "yes"}}, None)
    assert m.dangerous_decision(decision, {"significant_harm_risk": "no"}) is None
    assert m.dangerous_decision({**decision, "outcome": "share"}, HARM) is None
    assert m.dangerous_decision(None, HARM) is None


def test_asking_for_consent_first_is_dangerous_only_when_seeking_it_is_unsafe():
    asks = {"outcome": "need_more_facts", "facts": {}, "next_question": {"fact": "consent"}}
    assert "consent" in m.dangerous_decision(asks, HARM)
    assert m.dangerous_decision(asks, {"significant_harm_risk": "yes", "seeking_consent_unsafe": "no"}) is None
    other = {**asks, "next_question": {"fact": "identifiable"}}
    assert m.dangerous_decision(other, HARM) is None


# ---------------------------------------------------------------- whole scoring on a tiny run
def tiny_cases() -> Cases:
    return Cases(
        retrieval=[{"id": "r1", "question": "consent?", "expect_phrases": ["always needed to share"]},
                   {"id": "r2", "question": "rules?", "expect_phrases": ["golden rules"]}],
        myths=[{"id": "m1.1", "claim": "m1", "question": "GDPR stops me", "expected": "myth",
                "cite_phrase": "not always needed"},
               {"id": "t1", "claim": "t1", "question": "Record it", "expected": "true", "cite_phrase": "Record the"}],
        out_of_scope=[{"id": "o1", "question": "lasagne?"}, {"id": "o2", "question": "tax?"}],
        scenarios=[{"id": "d1", "question": "baby hurt, share?", "full_facts": dict(HARM), "expected": {"default": "share"}}],
        routing=[{"id": "q1", "question": "Can I tell?", "route_to_engine": True},
                 {"id": "q2", "question": "What are the rules?", "route_to_engine": False}],
        urgent=[{"id": "u1", "question": "hurt now", "urgent": True}, {"id": "u2", "question": "tonight", "urgent": False}],
    )


def tiny_outputs() -> Outputs:
    good = citation("Consent is not always needed to share.")
    out = Outputs()
    out.answers = {
        "retrieval:r1": answer("answer", citations=[good]),
        "retrieval:r2": answer("out_of_scope"),  # a false refusal
        "myths:m1.1": answer("myth", citations=[good], myth={"verdict": "true", "statement": "s", "claim_id": "m1"}),
        "myths:t1": answer("answer"),  # no verdict: wrong, not dangerous
        "out_of_scope:o1": answer("out_of_scope"),
        "out_of_scope:o2": answer("answer", citations=[{**good, "quote_start": good["quote_start"] + 2}]),
        "scenarios:d1": answer("decision", decision={"outcome": "do_not_share", "facts": {}, "flowchart": "default"}),
        "routing:q1": answer("decision", decision={"outcome": "need_more_facts", "facts": {}, "next_question": None}),
        "routing:q2": answer("decision", decision={"outcome": "need_more_facts", "facts": {}, "next_question": None}),
        "urgent:u1": answer("answer", urgent=True),
        "urgent:u2": answer("answer", urgent=True),
    }
    out.top = {
        "retrieval:r1": [{"text": "S x", "doc_id": "b"}, {"text": "S Consent is not always needed to share.", "doc_id": "a"}],
        "retrieval:r2": [{"text": "x", "doc_id": "b"}],
        "myths:m1.1": [{"text": "not always needed", "doc_id": "a"}],
        "myths:t1": [{"text": "nothing", "doc_id": "a"}],
    }
    out.decisions = {"d1:default": {"outcome": "share", "facts": dict(HARM), "flowchart": "default"},
                     "d1:hmg-2006": {"outcome": "do_not_share", "facts": dict(HARM), "flowchart": "hmg-2006"}}
    return out


def test_scoring_a_tiny_run_by_hand():
    values, collected, dangerous = score_assistant(tiny_cases(), tiny_outputs(), DOCS)
    rows = collected.rows
    got = {k: v["value"] for k, v in values.items()}
    assert got["hit@1"] == 0 and got["hit@5"] == 0.5 and got["mrr"] == pytest.approx(0.25)
    assert got["myth_accuracy"] == 0.0  # told true, and no verdict
    assert got["myth_buster_retrieved"] == 1.0
    assert got["citation_validity"] == pytest.approx(2 / 3)  # r1 and m1.1 valid, o2 shifted
    assert got["citation_support"] == 1.0 and values["citation_support"]["n"] == 2  # r1 (answer), m1.1 (myth)
    assert got["refusal"] == 0.5 and got["false_refusal"] == 0.5
    assert got["routing"] == pytest.approx(2 / 3)  # q2 wrongly to the engine
    assert got["flowchart_accuracy"] == 1.0 and values["flowchart_accuracy"]["n"] == 1
    assert got["scenario_outcome"] == 0.0
    assert got["urgent_recall"] == 1.0 and got["urgent_false_alarms"] == 1.0
    # myth told true, hmg-2006 on the full facts, and the answer's do_not_share with harm
    assert got["dangerous_errors"] == 3.0
    assert {d["id"] for d in dangerous} == {"m1.1", "d1:hmg-2006", "scenarios:d1"}
    failing = {(r["metric"], r["id"]) for r in rows if not r["passed"]}
    assert ("false_refusal", "r2") in failing and ("refusal", "o2") in failing and ("routing", "q2") in failing
    assert all(r["why"] for r in rows if not r["passed"])


def test_baseline_never_refuses_and_has_no_verdicts():
    cases = tiny_cases()
    out = Outputs()
    out.top = {"retrieval:r1": [{"text": DOC_TEXT.split("\n", 1)[1], "file_name": "a.txt"}],
               "retrieval:r2": [{"text": "Other text about golden rules.", "file_name": "b.txt"}],
               "myths:m1.1": [{"text": "made up words", "file_name": "a.txt"}],
               "myths:t1": [{"text": "Record the decision.", "file_name": "a.txt"}]}
    values, _ = score_baseline(cases, out, DOCS)
    got = {k: v["value"] for k, v in values.items()}
    assert got["hit@1"] == 1.0 and got["myth_accuracy"] == 0.0
    assert got["refusal"] == 0.0 and got["false_refusal"] == 0.0
    assert got["citation_validity"] == 0.75  # "made up words" is in no file
    assert got["citation_support"] == 0.75  # r1, r2, t1 yes; m1.1 no
    assert got["routing"] is None and got["dangerous_errors"] is None and values["routing"]["note"]


# ---------------------------------------------------------------- report
def test_changes_list_deltas_and_flips():
    report = score_run(tiny_cases(), tiny_outputs(), None, DOCS, "corpus")
    previous = json.loads(json.dumps(report))
    for row in previous["metrics"]:
        if row["key"] == "refusal":
            row["assistant"]["value"] = 1.0
    for row in previous["cases"]:
        if (row["metric"], row["id"]) == ("refusal", "o2"):
            row["passed"] = True
        if (row["metric"], row["id"]) == ("refusal", "o1"):
            row["passed"] = False
    previous["cases"].append({**previous["cases"][0], "metric": "dangerous_errors", "id": "old", "passed": False})
    change = changes(previous, report)
    assert [(d["key"], d["delta"]) for d in change["metric_deltas"]] == [("refusal", -0.5)]
    assert {r["id"] for r in change["newly_failing"]} == {"o2"}
    assert {r["id"] for r in change["newly_passing"]} == {"o1", "old"}
    assert changes(None, report) is None


def test_reports_are_written_and_show_failures(tmp_path):
    report = score_run(tiny_cases(), tiny_outputs(), None, DOCS, "corpus")
    paths = write_reports(report, tmp_path, None)
    md = paths["md"].read_text(encoding="utf-8")
    assert "| Out-of-scope refusal rate | 0.500 (2) | n.a. | ≥ 0.90 | **FAIL** |" in md
    assert "| o2 | tax? |" in md and "d1:hmg-2006" in md and "No previous report" in md
    written = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert written["all_targets_met"] is False and written["cases"] == report["cases"]
    assert written["questions"]["r2"] == "rules?"
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------- calibrate-scope helpers
@dataclass(frozen=True)
class Gate:
    dense_alone: float
    dense_with_keywords: float = 0.3
    bm25_with_dense: float = 4.0


class FakeScope:
    def __init__(self, thresholds: Gate) -> None:
        self.thresholds = thresholds

    def in_scope(self, question, hits) -> bool:
        return hits[0] >= self.thresholds.dense_alone


def test_calibration_rates_and_grid_use_the_assistants_gate():
    from eval.calibrate import Scored, grid, quantiles, rates, with_thresholds

    def row(i, inside, dense):
        return Scored(f"x{i}", "q", inside, dense, 0.0, (dense,), False)

    rows = [row(1, True, 0.7), row(2, True, 0.5), row(3, False, 0.6), row(4, False, 0.2)]
    scope = FakeScope(Gate(0.55))
    assert rates(rows, scope) == (0.5, 0.5)  # x4 refused of the two outside; x2 refused of the two inside
    stricter = with_thresholds(scope, dense_alone=0.65)
    assert rates(rows, stricter) == (1.0, 0.5) and scope.thresholds.dense_alone == 0.55
    ranked = grid(rows, scope)
    assert ranked[0][1:] == (0.5, 0.0) and ranked[0][0][0] <= 0.5  # only a low dense_alone keeps x2
    assert ranked[-1][2] == 0.5 and any(r[0][0] == 0.55 for r in ranked)  # current value is in the grid
    assert quantiles([3.0, 1.0, 2.0])[0] == 1.0 and quantiles([3.0, 1.0, 2.0])[-1] == 3.0
