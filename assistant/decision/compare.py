"""Side-by-side decisions: the same facts through every flowchart, and where they part.

Trainers use this to show how the guidance changed between 2006 and 2018 and between areas: for
each flowchart whose outcome differs from the reference (``default``), it names the first question
that read a fact the reference never read (or, failing that, the question that ended the walk).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assistant.decision.models import FACTS, OUTCOME_LABELS, flowchart_ids, load_flowchart
from assistant.decision.engine import Decision, decide, validate_facts
from assistant.messages import section, text



@dataclass(frozen=True)
class Comparison:
    """Every flowchart's decision on the same facts, and where each one parts from the reference."""

    facts: tuple[tuple[str, str], ...]
    reference: str
    decisions: tuple[Decision, ...]

    @property
    def differs(self) -> bool:
        return len({decision.outcome for decision in self.decisions}) > 1

    def differences(self) -> list[dict]:
        ref = next(d for d in self.decisions if d.flowchart == self.reference)
        found = []
        for other in self.decisions:
            if other.outcome == ref.outcome:
                continue
            cause, ends, ref_ends = _cause(other, ref), _decided_by(other), _decided_by(ref)
            found.append({
                "flowchart": other.flowchart,
                "outcome": other.outcome,
                "reference_outcome": ref.outcome,
                "diverged_at": cause,
                "decided_by": ends,
                "reference_decided_by": ref_ends,
                "explanation": explain(other, ref, cause, ref_ends),
            })
        return found

    def to_dict(self) -> dict:
        return {
            "facts": dict(self.facts),
            "reference": self.reference,
            "outcomes": {d.flowchart: d.outcome for d in self.decisions},
            "flowcharts": [
                {"flowchart": d.flowchart, "title": d.flowchart_title, "documents": list(d.documents),
                 "outcome": d.outcome, "path": [step.to_dict() for step in d.path],
                 "next_question": d.next_question.to_dict() if d.next_question else None}
                for d in self.decisions
            ],
            "differs": self.differs,
            "differences": self.differences(),
        }


def _name(flowchart: str) -> str:
    return section("compare", "names").get(flowchart, flowchart)


def explain(other: Decision, ref: Decision, cause: dict, ref_ends: dict) -> str:
    """Why ``other`` reaches a different outcome from the reference, in plain English: the question
    it asks that the reference doesn't, or, failing that, where each one ends."""
    names = {"other": _name(other.flowchart), "reference": _name(ref.flowchart),
             "outcome": OUTCOME_LABELS[other.outcome], "reference_outcome": OUTCOME_LABELS[ref.outcome],
             "question": cause["question"], "answer": section("compare", "answers").get(cause["answer"]),
             "reference_question": ref_ends["question"]}
    asked = {fact for step in ref.path for fact, _ in step.facts_used}
    if ref.next_question is not None:
        asked.add(ref.next_question.fact)
    kind = "needs_more" if cause["answer"] is None else "asks_more" if cause["fact"] not in asked else "ends_apart"
    said = text("compare", kind, **names)
    return said[:1].upper() + said[1:]


def _decided_by(decision: Decision) -> dict:
    if decision.next_question is not None:
        nq = decision.next_question
        return {"node": nq.node, "fact": nq.fact, "question": nq.question, "answer": None}
    if not decision.path:
        return {"node": None, "fact": None, "question": "", "answer": None}
    last = decision.path[-1]
    return {"node": last.node, "fact": last.fact, "question": last.question, "answer": last.answer}


def _cause(other: Decision, ref: Decision) -> dict:
    """The first question of ``other`` that reads a fact the reference's walk never read."""
    seen = {fact for step in ref.path for fact, _ in step.facts_used}
    if ref.next_question is not None:
        seen.add(ref.next_question.fact)
    for step in other.path:
        if any(fact not in seen for fact, _ in step.facts_used):
            return {"node": step.node, "fact": step.fact, "question": step.question, "answer": step.answer}
    return _decided_by(other)


def compare(facts: Mapping, reference: str = "default") -> Comparison:
    """Run every flowchart on the same facts (the reference first) for side-by-side training use."""

    given = validate_facts(facts)
    load_flowchart(reference)
    ids = [reference] + [fid for fid in flowchart_ids() if fid != reference]
    decisions = tuple(decide(given, fid) for fid in ids)
    return Comparison(tuple((n, given[n]) for n in FACTS if n in given), reference, decisions)
