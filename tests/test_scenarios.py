"""Trainer scenarios: data checks (verbatim quotes, all facts, no stored outcome) and stepping."""

from __future__ import annotations

import pytest
import yaml

from assistant.config import PROJECT_ROOT
from assistant.ingest.documents import documents_by_id
from assistant.errors import BadInput
from assistant.decision.engine import decide
from assistant.decision.models import FACTS, list_flowcharts
from assistant.decision.scenarios import (
    SCENARIOS_FILE, Scenario, check_passages, get_scenario, load_scenarios, outcome, reveal_next, revealed, step, walk,
)
from assistant.verbatim import contains

CORPUS = PROJECT_ROOT / "corpus"
CHARTS = [chart.id for chart in list_flowcharts()]
# The situations the issue names, each drawn from a document.
REQUIRED = {"failing-to-thrive", "counselling-drug-misuse", "gp-referral-implied-consent", "child-in-need-arrives",
            "family-vanishes", "exploitation-intelligence", "significant-other", "thirteen-refuses",
            "domestic-abuse-disclosure", "court-order", "anonymised-report", "no-legitimate-purpose"}


def test_at_least_twelve_scenarios_covering_the_named_situations():
    ids = [s.id for s in load_scenarios()]
    assert len(ids) >= 12 and len(ids) == len(set(ids))
    assert REQUIRED <= set(ids)


def test_every_quote_is_verbatim_in_its_document():
    docs = documents_by_id(CORPUS)
    assert check_passages(CORPUS) == []
    for scenario in load_scenarios():
        for quote in scenario.passages:
            assert contains(docs[quote.doc_id].text, quote.quote), (scenario.id, quote.quote)


def test_no_outcome_is_stored_in_the_data():
    raw = yaml.safe_load(SCENARIOS_FILE.read_text(encoding="utf-8"))
    for entry in raw["scenarios"]:
        assert not {"outcome", "expected", "expected_outcome", "answer"} & set(entry)
    good = dict(raw["scenarios"][0])
    with pytest.raises(ValueError):
        Scenario.model_validate({**good, "outcome": "share"})


def test_every_scenario_gives_all_eight_facts():
    for scenario in load_scenarios():
        assert set(scenario.facts) == set(FACTS), scenario.id
    incomplete = dict(yaml.safe_load(SCENARIOS_FILE.read_text(encoding="utf-8"))["scenarios"][0])
    incomplete["facts"] = {k: v for k, v in incomplete["facts"].items() if k != "consent"}
    with pytest.raises(ValueError):
        Scenario.model_validate(incomplete)


@pytest.mark.parametrize("chart", CHARTS)
def test_stepping_one_question_at_a_time_reaches_the_engines_outcome(chart):
    for scenario in load_scenarios():
        answered: dict[str, str] = {}
        for count in range(len(FACTS) + 1):
            current = step(scenario, answered, chart)
            assert current.number == count
            if current.done:
                break
            assert current.answer == scenario.facts[current.question["fact"]]
            answered = reveal_next(scenario, answered, chart)
            assert len(answered) == count + 1  # exactly one more fact per reveal
        assert current.done, scenario.id
        final = outcome(scenario, chart)
        assert final.outcome in {"share", "do_not_share", "seek_advice"}, (scenario.id, chart)
        assert current.decision.outcome == final.outcome == decide(dict(scenario.facts), chart).outcome


def test_walk_and_revealed_list_questions_in_the_order_asked():
    scenario = get_scenario("failing-to-thrive")
    asked = walk(scenario)
    assert [q["fact"] for q in asked][:3] == ["legitimate_purpose", "identifiable", "confidential"]
    assert all(q["answer"] == scenario.facts[q["fact"]] for q in asked)
    answered = {}
    for _ in range(3):
        answered = reveal_next(scenario, answered)
    shown = revealed(scenario, answered)
    assert [q["fact"] for q in shown] == [q["fact"] for q in asked[:3]]
    assert reveal_next(scenario, {q["fact"]: q["answer"] for q in asked}) == {q["fact"]: q["answer"] for q in asked}


def test_step_refuses_facts_the_scenario_does_not_say():
    scenario = get_scenario("court-order")
    with pytest.raises(BadInput):
        step(scenario, {"statutory_duty": "no"})
    with pytest.raises(BadInput):
        get_scenario("no-such-scenario")


def test_some_scenario_shows_the_documents_disagreeing():
    """The compare view needs at least one scenario where flowcharts reach different outcomes."""
    differing = [s.id for s in load_scenarios() if len({outcome(s, c).outcome for c in CHARTS}) > 1]
    assert differing


def test_outcomes_are_varied():
    found = {outcome(s).outcome for s in load_scenarios()}
    assert {"share", "do_not_share", "seek_advice"} <= found
