"""What a decision card shows, decided without Streamlit (assistant.ui.card)."""

from __future__ import annotations

from assistant.decision.engine import decide
from assistant.messages import text as msg
from assistant.ui.card import fact_rows, follow_flow, path_rows, risk_first, what_changed
from assistant.ui.state import FlowState, set_fact, start_flow


def _answer(facts: dict) -> dict:
    return {"mode": "decision", "question": "Can I share?", "answer": "...", "decision": decide(facts).to_dict()}


def test_risk_first_only_when_risk_is_known_and_no_urgent_banner_says_it():
    assert risk_first({"significant_harm_risk": "yes"}, urgent=False)["text"] == msg("risk_first", "yes")
    assert risk_first({"significant_harm_risk": "unsure"}, urgent=False)["level"] == "unsure"
    assert risk_first({"significant_harm_risk": "yes"}, urgent=True) is None
    assert risk_first({"significant_harm_risk": "no"}, urgent=False) is None
    assert risk_first({}, urgent=False) is None


def test_facts_are_labelled_by_where_they_came_from_and_implied_ones_say_why():
    flow = start_flow(_answer({"significant_harm_risk": "yes", "identifiable": "yes"}), turn=0)
    flow = set_fact(flow, "identifiable", "yes", source="answer")
    decision = decide(flow.fact_map)
    rows = {row["fact"]: row for row in fact_rows(flow, decision)}
    assert rows["identifiable"]["source"] == "answered by you"
    assert rows["significant_harm_risk"]["source"] == "read from your words (unconfirmed)"
    assert rows["legitimate_purpose"]["implied"] and rows["legitimate_purpose"]["source"].startswith("implied: ")
    hows = {row["fact"]: row["how"] for row in path_rows(decision, flow)}
    assert hows["identifiable"] == "answered by you"
    assert hows["legitimate_purpose"].startswith("implied: ")


def test_a_follow_up_keeps_clicked_answers_and_marks_new_facts_as_read():
    before = set_fact(start_flow(_answer({"consent": "no"}), turn=0), "legitimate_purpose", "yes", source="answer")
    after = follow_flow(_answer({**before.fact_map, "significant_harm_risk": "yes", "consent": "yes"}), 1, before)
    sources = dict(after.sources)
    assert sources == {"legitimate_purpose": "answer", "consent": "question", "significant_harm_risk": "question"}
    assert follow_flow({"mode": "answer"}, 1, before) is None


def test_what_changed_names_each_fact_and_the_outcome():
    lines = what_changed({"consent": "no"}, "do_not_share", {"consent": "yes", "identifiable": "yes"}, "share")
    assert lines[0].startswith("consent to this sharing: **No** → **Yes**")
    assert "the information identifies someone: **Yes** (new)" in lines
    assert lines[-1] == "The outcome changed from **Do not share** to **You can share**."
    same = what_changed({"consent": "no"}, "do_not_share", {"consent": "no"}, "do_not_share")
    assert len(same) == 2 and same[1] == "The outcome is still **Do not share**."
    assert "changed none of the answers" in same[0]
