"""Trainer scenarios: situations from the guidance, stepped through one flowchart question at a time.

Why the data holds facts and never outcomes: the decision a trainer reveals must be the one the
engine gives, so it is computed by ``assistant.decision.engine.decide`` at reveal time; a stored
"expected outcome" could drift from the flowcharts. Each scenario gives all eight facts, so any
flowchart can be walked on it and the documents compared.

Stepping is pure: ``step(scenario, answered)`` asks the engine what it needs next given the facts
revealed so far, and ``reveal_next`` adds the scenario's answer to that question. A room can thus
discuss each question before the trainer reveals the answer. Nothing here imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from assistant.errors import BadInput, CorpusError
from assistant.datafiles import DATA_DIR, Strict, load_model
from assistant.decision.models import FACTS, flowchart_ids
from assistant.decision.engine import decide
from assistant.ingest.documents import documents_by_id
from assistant.verbatim import contains

SCENARIOS_FILE = DATA_DIR / "scenarios.yaml"
Answer = Literal["yes", "no", "unsure"]


class Quote(Strict):
    doc_id: str
    quote: str = Field(min_length=10)


class Scenario(Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    flowchart: str
    story: str
    facts: dict[str, Answer]
    notes: dict[str, str] = Field(default_factory=dict)
    passages: tuple[Quote, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _all_facts(self) -> "Scenario":
        missing = [fact for fact in FACTS if fact not in self.facts]
        unknown = [fact for fact in {**self.facts, **self.notes} if fact not in FACTS]
        if missing or unknown:
            raise ValueError(f"scenario {self.id}: missing facts {missing}, unknown facts {unknown}")
        return self


class _File(Strict):
    scenarios: tuple[Scenario, ...] = Field(min_length=1)


@cache
def load_scenarios() -> tuple[Scenario, ...]:
    """Every scenario, in file order (checked: strict fields, all facts, known flowcharts, unique ids)."""
    data = load_model(_File, SCENARIOS_FILE)
    ids = [s.id for s in data.scenarios]
    if len(ids) != len(set(ids)):
        raise CorpusError(f"{SCENARIOS_FILE.name} repeats a scenario id")
    bad = [s.id for s in data.scenarios if s.flowchart not in flowchart_ids()]
    if bad:
        raise CorpusError(f"{SCENARIOS_FILE.name}: unknown flowchart in scenario {bad[0]}")
    return data.scenarios


def get_scenario(scenario_id: str) -> Scenario:
    for scenario in load_scenarios():
        if scenario.id == scenario_id:
            return scenario
    raise BadInput(f"No scenario called {scenario_id!r}")


@dataclass(frozen=True)
class ScenarioStep:
    """Where a stepped-through scenario stands: the next question, or the end of the walk."""

    number: int  # how many questions have been answered so far
    decision: object  # assistant.decision.engine.Decision on the facts revealed so far
    question: dict | None  # the engine's next question (fact, node, question, help, citation), or None
    answer: str | None  # the scenario's answer to that question (for the trainer to reveal)
    note: str | None  # why the scenario answers it that way, when the data says

    @property
    def done(self) -> bool:
        return self.question is None


def _flowchart(scenario: Scenario, flowchart: str | None) -> str:
    return flowchart or scenario.flowchart


def step(scenario: Scenario, answered: Mapping[str, str], flowchart: str | None = None) -> ScenarioStep:
    """What the engine needs next, given the facts revealed so far (a subset of the scenario's)."""

    stray = [fact for fact, value in answered.items() if scenario.facts.get(fact) != value]
    if stray:
        raise BadInput(f"Scenario {scenario.id} does not say {stray[0]} = {answered[stray[0]]}")
    decision = decide(dict(answered), _flowchart(scenario, flowchart))
    question = decision.next_question.to_dict() if decision.next_question else None
    fact = question["fact"] if question else None
    return ScenarioStep(
        number=len(answered),
        decision=decision,
        question=question,
        answer=scenario.facts[fact] if fact else None,
        note=scenario.notes.get(fact) if fact else None,
    )


def reveal_next(scenario: Scenario, answered: Mapping[str, str], flowchart: str | None = None) -> dict[str, str]:
    """The revealed facts plus the scenario's answer to the engine's next question."""
    current = step(scenario, answered, flowchart)
    if current.done:
        return dict(answered)
    return {**answered, current.question["fact"]: current.answer}  # type: ignore[index]


def walk(scenario: Scenario, flowchart: str | None = None) -> list[dict[str, str]]:
    """Every question the engine asks, in order, with the scenario's answer (for a handout)."""
    answered: dict[str, str] = {}
    asked = []
    while not (current := step(scenario, answered, flowchart)).done:
        asked.append({"fact": current.question["fact"], "question": current.question["question"],
                      "answer": current.answer})
        answered = reveal_next(scenario, answered, flowchart)
    return asked


def revealed(scenario: Scenario, answered: Mapping[str, str], flowchart: str | None = None) -> list[dict[str, str]]:
    """The questions answered so far, in the order the engine asked them, with the scenario's
    answers and notes (a part of a composite question is listed as its own question)."""
    asked = [q for q in walk(scenario, flowchart) if q["fact"] in answered]
    return [{**q, "note": scenario.notes.get(q["fact"], "")} for q in asked]


def outcome(scenario: Scenario, flowchart: str | None = None):
    """The engine's decision on all of the scenario's facts (what "reveal" shows)."""

    return decide(dict(scenario.facts), _flowchart(scenario, flowchart))


def check_passages(corpus_dir: Path) -> list[str]:
    """Quotes that are not verbatim in their document (empty when all is well)."""

    docs = documents_by_id(corpus_dir)
    problems = []
    for scenario in load_scenarios():
        for quote in scenario.passages:
            doc = docs.get(quote.doc_id)
            if doc is None or not contains(doc.text, quote.quote):
                problems.append(f"{scenario.id}: {quote.doc_id}: {quote.quote[:60]}")
    return problems
