"""What the app decides without Streamlit: answer bodies, verdicts, the decision flow's facts,
the compare rows, the numbered conditions and the record files."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from assistant.config import PROJECT_ROOT
from assistant.answer.conversation import Conversation, Turn
from assistant.ingest.documents import documents_by_id
from assistant.errors import BadFacts
from assistant.decision.engine import decide
from assistant.ui.markdown import locate
from assistant.ui.card import fact_rows, numbered_conditions
from assistant.ui.state import (
    FlowState, answer_body, comparison_rows, decide_flow, record_files, set_fact, start_flow, sync_history, verdict,
)

CORPUS = PROJECT_ROOT / "corpus"
DOCS = documents_by_id(CORPUS)
NOW = datetime(2025, 3, 4, 10, 30, tzinfo=timezone.utc)
WIDELY_KNOWN = {"legitimate_purpose": "yes", "identifiable": "yes", "confidential": "no", "consent": "no",
                "seeking_consent_unsafe": "no", "statutory_duty": "no", "significant_harm_risk": "no",
                "public_interest": "no"}


def _decision_answer(facts: dict) -> dict:
    return {"mode": "decision", "question": "Can I share?", "answer": "...", "decision": decide(facts).to_dict()}


def test_answer_body_drops_the_banner_shown_apart():
    answer = {"answer": "**Act now** [1]\n\nHere is what it says.", "banner": "**Act now** [1]"}
    assert answer_body(answer) == "Here is what it says."
    assert answer_body({"answer": "Plain.", "banner": None}) == "Plain."


def test_verdict_only_for_myths():
    myth = {"mode": "myth", "myth": {"verdict": "myth", "statement": "Consent is always needed"}}
    assert verdict(myth)["is_myth"] is True and verdict(myth)["statement"] == "Consent is always needed"
    true = {"mode": "myth", "myth": {"verdict": "true", "statement": "x"}}
    assert verdict(true)["is_myth"] is False and verdict(true)["label"] != verdict(myth)["label"]
    assert verdict({"mode": "answer", "myth": None}) is None


def test_a_flow_starts_from_the_facts_read_from_the_question():
    flow = start_flow(_decision_answer({"consent": "no", "identifiable": "yes"}), turn=4)
    assert flow.turn == 4 and flow.fact_map == {"consent": "no", "identifiable": "yes"}
    assert {row["fact"]: row["source"] for row in fact_rows(flow)}.keys() == {"consent", "identifiable"}
    assert all(row["source"] == "read from your words (unconfirmed)" for row in fact_rows(flow))
    assert start_flow({"mode": "answer", "decision": None}, turn=0) is None


def test_clicking_the_engines_next_answer_walks_to_an_outcome():
    flow = start_flow(_decision_answer({"consent": "no"}), turn=0)
    for _ in range(8):
        decision = decide_flow(flow, "default")
        if decision.next_question is None:
            break
        flow = set_fact(flow, decision.next_question.fact, "yes")
    assert decision.outcome == "share"
    assert decide_flow(flow, "default").to_dict() == decide(flow.fact_map, "default").to_dict()
    sources = dict(flow.sources)
    assert sources["consent"] == "question" and sources["legitimate_purpose"] == "answer"


def test_changing_and_forgetting_a_fact():
    flow = start_flow(_decision_answer({"consent": "no", "identifiable": "yes"}), turn=0)
    changed = set_fact(flow, "consent", "yes", source="question")
    assert changed.fact_map["consent"] == "yes" and changed.revision == flow.revision + 1
    assert decide_flow(set_fact(changed, "legitimate_purpose", "yes"), "default").outcome == "share"
    forgotten = set_fact(changed, "identifiable", None)
    assert "identifiable" not in forgotten.fact_map and "identifiable" not in dict(forgotten.sources)
    with pytest.raises(BadFacts):
        set_fact(flow, "favourite_colour", "yes")
    with pytest.raises(BadFacts):
        set_fact(flow, "consent", "maybe")


def test_the_conversation_learns_the_flows_facts():
    history = Conversation([Turn(question="Can I share?", mode="decision", topic="t", facts={"consent": "no"},
                                decision_open=True)])
    flow = FlowState(turn=0, facts=tuple(WIDELY_KNOWN.items()))
    sync_history(history, flow, "hmg-2006")
    last = history.last
    assert last.facts == WIDELY_KNOWN and last.flowchart == "hmg-2006" and last.decision_open is False
    other = Conversation([Turn(question="q", mode="answer", topic="t")])
    sync_history(other, flow, "default")
    assert other.last.facts == {}


def test_compare_rows_mark_the_documents_that_differ():
    rows = comparison_rows(WIDELY_KNOWN, reference="hmg-2006")
    assert rows[0]["flowchart"] == "hmg-2006" and rows[0]["is_reference"]
    by_id = {row["flowchart"]: row for row in rows}
    assert by_id["hmg-2006"]["outcome"] == "share" and not by_id["hmg-2006"]["differs"]
    assert by_id["default"]["outcome"] == "do_not_share" and by_id["default"]["differs"]
    assert by_id["default"]["why"] and by_id["default"]["style"] == "error"
    assert all(row["settled_by"] for row in rows)
    same = comparison_rows({**WIDELY_KNOWN, "legitimate_purpose": "no"})
    assert not any(row["differs"] for row in same)


def test_conditions_are_numbered_by_passage():
    decision = decide({**WIDELY_KNOWN, "significant_harm_risk": "yes"})
    items = list(decision.conditions) + list(decision.referral)
    lines, sources = numbered_conditions(items, lambda d, q: locate(DOCS[d], q))
    assert [text for text, _ in lines] == [item.text for item in items]
    assert [s["n"] for s in sources] == list(range(1, len(sources) + 1))
    assert len({(s["doc_id"], s["passage_start"]) for s in sources}) == len(sources)  # one entry per passage
    number_of = {(s["doc_id"], " ".join(q.split())): s["n"] for s in sources for q in s["quotes"]}
    for item, (_, numbers) in zip(items, lines):
        expected = {number_of[(c.doc_id, " ".join(c.quote.split()))] for c in item.citations}
        assert set(numbers) == expected


def test_record_files_with_redacted_fields_and_where_each_answer_came_from():
    decision = decide(WIDELY_KNOWN, "hmg-2006")
    fields = {"notes": "Spoke to Jade Smith about it", "shared_with": "the school nurse",
              "shared_when": "4 March, 10:30", "reference": "  "}
    sources = {fact: "answer" for fact in WIDELY_KNOWN} | {"confidential": "question"}
    files = record_files(decision, corpus_dir=CORPUS, fields=fields, fact_sources=sources, now=NOW)
    names = [f.file_name for f in files]
    assert names[:2] == ["decision-record-hmg-2006-20250304-1030.md", "decision-record-hmg-2006-20250304-1030.json"]
    markdown, data = files[0].data, json.loads(files[1].data)
    assert markdown.startswith("# Information sharing decision record")
    assert data["outcome"] == decision.outcome == "share"
    for file in files[:2]:
        assert "Jade" not in file.data and "Smith" not in file.data
    entries = {e["field"]: e["value"] for e in data["practitioner_entries"]}
    assert entries["notes"] == "Spoke to [NAME] about it"
    assert entries["shared_with"] == "the school nurse" and entries["shared_when"] == "4 March, 10:30"
    assert entries["reference"] == ""
    assert data["facts_read"] == {"confidential": "no"}  # read from the words, kept apart
    assert "confidential" not in data["facts_confirmed"] and data["facts_confirmed"]["consent"] == "no"
    confidential = next(q for q in data["questions"] if q["facts_used"].get("confidential"))
    assert confidential["answered"] == "read from the practitioner's words, not confirmed"
    assert "Read from their words, not confirmed: The information is not confidential." in markdown
    if len(files) == 3:
        assert files[2].data[:5] == b"%PDF-" and files[2].mime == "application/pdf"
    blank = record_files(decision, corpus_dir=CORPUS, fields={"notes": "   "}, now=NOW)
    assert "(left blank)" in blank[0].data