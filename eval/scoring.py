"""Scoring what the runner collected: every metric for the assistant and for the baseline, and a
row per case saying what passed, what failed and why.

The rules are in eval/metrics.py and in eval/README.md ("Metrics"). The baseline has no modes,
verdicts, decision engine or urgency check: where a metric cannot apply to it the value is None
(n.a.) with a note, and where it can (it never refuses) it is scored as what it does.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from eval import metrics as m
from eval.retrieval import contains_any, first_hit
from eval.runner import Cases, Outputs, key


class Collector:
    """Case rows for one system."""

    def __init__(self, system: str) -> None:
        self.system = system
        self.rows: list[dict] = []
        self.questions: dict[str, str] = {}  # case id -> question, kept once rather than in every row

    def add(self, metric: str, case: dict, expected, got, passed: bool, why: str = "") -> bool:
        self.questions[case["id"]] = case.get("question", "")
        self.rows.append({"system": self.system, "metric": metric, "id": case["id"], "expected": _text(expected),
                          "got": _text(got), "passed": bool(passed), "why": "" if passed else why})
        return bool(passed)


def _text(value) -> str:
    return value if isinstance(value, str) else str(value)


def _value(value: float | None, n: int, note: str = "") -> dict:
    return {"value": value, "n": n, "note": note}


# ---------------------------------------------------------------- shared by both systems
def _retrieval(cases: Cases, top: dict, rows: Collector) -> dict:
    ranks = []
    for case in cases.retrieval:
        texts = [p["text"] for p in top[key("retrieval", case["id"])]]
        rank = first_hit(texts, case["expect_phrases"])
        ranks.append(rank)
        got = f"rank {rank}" if rank else "no passage with an expected phrase in the top 5"
        rows.add("hit@5", case, " | ".join(case["expect_phrases"]), got, rank is not None,
                 "top 5 passages: " + ", ".join(_source(p) for p in top[key("retrieval", case["id"])]))
    n = len(ranks)
    return {
        "hit@1": _value(m.rate(r == 1 for r in ranks), n),
        "hit@5": _value(m.rate(r is not None for r in ranks), n),
        "mrr": _value(sum(m.reciprocal_rank(r) for r in ranks) / n if n else None, n),
    }


def _source(passage: dict) -> str:
    return passage.get("doc_id") or passage.get("file_name", "?")


def _myth_busters(cases: Cases, top: dict, rows: Collector) -> dict:
    flags = []
    for case in (c for c in cases.myths if c["expected"] == "myth"):
        passages = top[key("myths", case["id"])]
        found = bool(passages) and contains_any(passages[0]["text"], [case["cite_phrase"]])
        flags.append(rows.add("myth_buster_retrieved", case, case["cite_phrase"],
                              _source(passages[0]) if passages else "nothing", found,
                              "the top passage is not the myth-buster's answer"))
    return {"myth_buster_retrieved": _value(m.rate(flags), len(flags))}


# ---------------------------------------------------------------- the assistant
def score_assistant(cases: Cases, out: Outputs, documents: dict) -> tuple[dict, Collector, list[dict]]:
    rows = Collector("assistant")
    values = _retrieval(cases, out.top, rows)
    values.update(_myth_busters(cases, out.top, rows))
    answer = lambda suite, case: out.answers[key(suite, case["id"])]  # noqa: E731
    dangerous: list[dict] = []

    flags = []
    for case in cases.myths:
        a = answer("myths", case)
        said = m.verdict(a)
        got = f"{said} (mode {a['mode']}" + (f", claim {a['myth']['claim_id']})" if a.get("myth") else ")")
        flags.append(rows.add("myth_accuracy", case, case["expected"], got, said == case["expected"],
                              "no verdict given" if said == "none" else "wrong verdict"))
        if m.myth_told_true(a, case["expected"]):
            dangerous.append({"id": case["id"], "question": case["question"], "why": "a myth was told true"})
    values["myth_accuracy"] = _value(m.rate(flags), len(flags))

    total = valid = 0
    for suite, case in cases.asked():
        citations = answer(suite, case)["citations"]
        if not citations:
            continue
        problems = [p for p in (m.citation_problem(c, documents) for c in citations) if p]
        total += len(citations)
        valid += len(citations) - len(problems)
        rows.add("citation_validity", case, "every quote verbatim at its offsets",
                 f"{len(citations) - len(problems)}/{len(citations)} valid", not problems, "; ".join(problems))
    values["citation_validity"] = _value(valid / total if total else None, total, "over every citation of every answer")

    flags = []
    for suite, case, phrases, mode in (
        [("retrieval", c, c["expect_phrases"], "answer") for c in cases.retrieval]
        + [("myths", c, [c["cite_phrase"]], "myth") for c in cases.myths]
    ):
        a = answer(suite, case)
        if a["mode"] != mode:
            continue  # counted by false refusal / myth accuracy instead
        cited = ", ".join(f"{c['doc_id']} {c['section'][:40]}" for c in a["citations"]) or "no citations"
        flags.append(rows.add("citation_support", case, " | ".join(phrases), cited,
                              m.cites_phrase(a["citations"], phrases), "no cited passage contains an expected phrase"))
    values["citation_support"] = _value(m.rate(flags), len(flags), "retrieval answers in mode answer, myths in mode myth")

    flags = [rows.add("refusal", c, "out_of_scope", answer("out_of_scope", c)["mode"],
                      m.refused(answer("out_of_scope", c)), "answered instead of saying the guidance does not cover it")
             for c in cases.out_of_scope]
    values["refusal"] = _value(m.rate(flags), len(flags))
    flags = [not rows.add("false_refusal", c, "not out_of_scope", answer("retrieval", c)["mode"],
                          not m.refused(answer("retrieval", c)), "an in-scope question was refused")
             for c in cases.retrieval]
    values["false_refusal"] = _value(m.rate(flags), len(flags))

    flags = [rows.add("routing", c, "decision" if c["route_to_engine"] else "not decision", answer("routing", c)["mode"],
                      m.routed_to_engine(answer("routing", c)) == c["route_to_engine"], "routed the wrong way")
             for c in cases.routing]
    flags += [rows.add("routing", c, "decision", answer("scenarios", c)["mode"],
                       m.routed_to_engine(answer("scenarios", c)), "a decision scenario was not sent to the engine")
              for c in cases.scenarios]
    values["routing"] = _value(m.rate(flags), len(flags), "routing items and decision scenarios")

    flags = []
    for case in cases.scenarios:
        for chart, expected in case["expected"].items():
            got = out.decisions[f"{case['id']}:{chart}"]["outcome"]
            flags.append(rows.add("flowchart_accuracy", {**case, "id": f"{case['id']}:{chart}"}, expected, got,
                                  got == expected, f"full facts {case['full_facts']}"))
        for chart_key, decision in out.decisions.items():
            if chart_key.startswith(f"{case['id']}:") and (why := m.dangerous_decision(decision, case["full_facts"])):
                dangerous.append({"id": chart_key, "question": case["question"], "why": f"engine on full facts: {why}"})
    values["flowchart_accuracy"] = _value(m.rate(flags), len(flags), "every flowchart a scenario lists")

    flags = []
    for case in cases.scenarios:
        decision = answer("scenarios", case).get("decision")
        if decision and decision["outcome"] != "need_more_facts":
            flags.append(rows.add("scenario_outcome", case, case["expected"]["default"], decision["outcome"],
                                  decision["outcome"] == case["expected"]["default"], f"facts read {decision['facts']}"))
    values["scenario_outcome"] = _value(m.rate(flags), len(flags),
                                        f"reached for {len(flags)} of {len(cases.scenarios)} scenario questions")

    urgent = [c for c in cases.urgent if c["urgent"]]
    calm = [c for c in cases.urgent if not c["urgent"]]
    flags = [rows.add("urgent_recall", c, "urgent", answer("urgent", c)["urgent"], answer("urgent", c)["urgent"],
                      "no urgent banner") for c in urgent]
    values["urgent_recall"] = _value(m.rate(flags), len(flags))
    flags = [not rows.add("urgent_false_alarms", c, "not urgent", answer("urgent", c)["urgent"],
                          not answer("urgent", c)["urgent"], "urgent banner on a non-urgent text") for c in calm]
    values["urgent_false_alarms"] = _value(m.rate(flags), len(flags))

    truths = {key("scenarios", c["id"]): c["full_facts"] for c in cases.scenarios}
    truths.update({key("urgent", c["id"]): {"significant_harm_risk": "yes"} for c in urgent})
    for suite, case in cases.asked():
        k = key(suite, case["id"])
        if why := m.dangerous_decision(out.answers[k].get("decision"), truths.get(k)):
            dangerous.append({"id": k, "question": case["question"], "why": f"answer: {why}"})
    for item in dangerous:
        rows.add("dangerous_errors", {"id": item["id"], "question": item["question"]}, "no dangerous advice",
                 "dangerous", False, item["why"])
    values["dangerous_errors"] = _value(float(len(dangerous)), len(dangerous))
    return values, rows, dangerous


# ---------------------------------------------------------------- the baseline
def score_baseline(cases: Cases, out: Outputs, documents: dict) -> tuple[dict, Collector]:
    from assistant.verbatim import contains

    rows = Collector("baseline")
    values = _retrieval(cases, out.top, rows)
    values.update(_myth_busters(cases, out.top, rows))
    by_file = {doc.file: doc for doc in documents.values()}
    values["myth_accuracy"] = _value(0.0 if cases.myths else None, len(cases.myths),
                                     "gives no verdict: its answer is a passage (see the myth-buster row)")
    searched = cases.searched()
    valid = []
    support = []
    for suite, case in searched:
        top = out.top[key(suite, case["id"])]
        first = top[0] if top else {"text": "", "file_name": ""}
        doc = by_file.get(first["file_name"])
        ok = doc is not None and contains(doc.text, first["text"])
        valid.append(rows.add("citation_validity", case, "top passage verbatim in its file", first["file_name"], ok,
                              "the passage is not verbatim in the file it came from"))
        phrases = case["expect_phrases"] if suite == "retrieval" else [case["cite_phrase"]]
        support.append(rows.add("citation_support", case, " | ".join(phrases), first["file_name"],
                                contains_any(first["text"], phrases), "the top passage has no expected phrase"))
    values["citation_validity"] = _value(m.rate(valid), len(valid), "its answer (top passage) for each question")
    values["citation_support"] = _value(m.rate(support), len(support), "top passage, every retrieval and myth case")
    values["refusal"] = _value(0.0 if cases.out_of_scope else None, len(cases.out_of_scope), "never refuses")
    values["false_refusal"] = _value(0.0 if cases.retrieval else None, len(cases.retrieval), "never refuses")
    for name, note in (("routing", "n.a.: no decision engine"), ("flowchart_accuracy", "n.a.: no decision engine"),
                       ("scenario_outcome", "n.a.: no decision engine"), ("urgent_recall", "n.a.: no urgency check"),
                       ("urgent_false_alarms", "n.a.: no urgency check"),
                       ("dangerous_errors", "n.a.: gives no verdicts or decisions")):
        values[name] = _value(None, 0, note)
    return values, rows


# ---------------------------------------------------------------- the report dict
def score_run(cases: Cases, ours: Outputs, theirs: Outputs | None, documents: dict, corpus_dir: Path) -> dict:
    ours_values, ours_rows, dangerous = score_assistant(cases, ours, documents)
    theirs_values, theirs_rows = score_baseline(cases, theirs, documents) if theirs else ({}, Collector("baseline"))
    table = []
    for spec in m.METRICS:
        mine = ours_values[spec.key]
        base = theirs_values.get(spec.key, _value(None, 0, "baseline not run"))
        table.append({
            "key": spec.key, "label": spec.label, "kind": spec.kind, "op": spec.op, "target": spec.target,
            "target_text": spec.target_text(), "lower_is_better": spec.lower_is_better,
            "assistant": {**mine, "met": spec.met(mine["value"])},
            "baseline": {**base, "met": spec.met(base["value"])},
        })
    modes = {suite: dict(Counter(ours.answers[key(suite, c["id"])]["mode"] for c in getattr(cases, suite)))
             for suite in ("retrieval", "myths", "out_of_scope", "scenarios", "routing", "urgent")}
    return {
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "corpus_dir": str(corpus_dir),
        "counts": {suite: len(getattr(cases, suite)) for suite in modes},
        "metrics": table,
        "all_targets_met": all(row["assistant"]["met"] is not False for row in table),
        "modes": modes,
        "dangerous": dangerous,
        "questions": {**theirs_rows.questions, **ours_rows.questions},
        "cases": ours_rows.rows + theirs_rows.rows,
    }
