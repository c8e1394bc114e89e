"""Decision records: content, labelled practitioner fields, redaction, Markdown, JSON, PDF."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone

import pytest

from assistant.outputs import records
from assistant.config import PROJECT_ROOT
from assistant.ingest.documents import documents_by_id
from assistant.errors import BadInput, CorpusError
from assistant.decision.engine import decide
from assistant.decision.models import FLOWCHART_DIR

CORPUS = PROJECT_ROOT / "corpus"
NOW = datetime(2025, 3, 4, 10, 30, 0, tzinfo=timezone.utc)
HARM = {"legitimate_purpose": "yes", "seeking_consent_unsafe": "yes", "identifiable": "yes",
        "statutory_duty": "no", "significant_harm_risk": "yes"}


@pytest.fixture
def decision():
    return decide(HARM)


def test_json_record_holds_the_decision(decision):
    rec = json.loads(records.render_json(decision, now=NOW, corpus_dir=CORPUS))
    assert rec["created_at"] == "2025-03-04T10:30:00+00:00"
    assert rec["outcome"] == "share" and rec["outcome_label"] == "Share"
    assert rec["lawful_basis"] == decision.lawful_basis and rec["lawful_basis"].startswith("Safeguarding")
    assert [q["question"] for q in rec["questions"]] == [s.question for s in decision.path]
    assert [q["answer"] for q in rec["questions"]] == [s.answer for s in decision.path]
    assert [c["text"] for c in rec["conditions"]] == [c.text for c in decision.conditions]
    assert rec["referral"] and rec["consent_not_sought"] is True
    assert rec["reasons"] == list(decision.reasons)
    assert {p["quote"] for p in rec["cited_passages"]} == {c.quote for c in decision.citations}


def test_record_names_flowchart_and_document_versions(decision):
    rec = records.record_data(decision, now=NOW, corpus_dir=CORPUS)
    flowchart_file = FLOWCHART_DIR / "default.yaml"
    assert rec["flowchart"] == {"id": "default", "title": decision.flowchart_title, "version": "1",
                                "sha256": hashlib.sha256(flowchart_file.read_bytes()).hexdigest()}
    docs = documents_by_id(CORPUS)
    assert [d["id"] for d in rec["documents"]] == ["calderdale", "childrens-mars"]
    for entry in rec["documents"]:
        assert entry["version"] == docs[entry["id"]].version and entry["sha256"] == docs[entry["id"]].sha256


def test_practitioner_fields_are_labelled_and_the_record_says_it_holds_nothing_else(decision):
    md = records.render_markdown(decision, practitioner_notes={"reference": "REF-77"}, now=NOW, corpus_dir=CORPUS)
    assert records.PRIVACY_STATEMENT in md.replace("\n> ", " ")
    for label in records.PRACTITIONER_FIELDS.values():
        assert f"**{label}:**" in md
    assert "- **Your reference (no names):** REF-77" in md
    assert md.count("(left blank)") == len(records.PRACTITIONER_FIELDS) - 1


def test_no_free_text_unless_typed(decision):
    with_notes = records.record_data(decision, practitioner_notes={"notes": "SENTINEL-TEXT"}, now=NOW, corpus_dir=CORPUS)
    without = records.record_data(decision, now=NOW, corpus_dir=CORPUS)
    assert "SENTINEL-TEXT" in json.dumps(with_notes)
    assert all(entry["value"] == "" for entry in without["practitioner_entries"])
    with_notes["practitioner_entries"] = without["practitioner_entries"]
    assert with_notes == without


def test_redact_is_applied_to_every_practitioner_field(decision):
    seen = []

    def redact(text: str) -> str:
        seen.append(text)
        return "[REDACTED]"

    notes = {key: f"value for {key}" for key in records.PRACTITIONER_FIELDS}
    rec = records.record_data(decision, practitioner_notes=notes, redact=redact, now=NOW, corpus_dir=CORPUS)
    assert sorted(seen) == sorted(notes.values())
    assert all(entry["value"] == "[REDACTED]" for entry in rec["practitioner_entries"])
    assert "value for" not in records.render_markdown(decision, practitioner_notes=notes, redact=redact,
                                                      now=NOW, corpus_dir=CORPUS)


@pytest.mark.parametrize("notes", [{"child_name": "x"}, {"notes": 5}, {"notes": "x" * 2001}])
def test_bad_practitioner_fields(decision, notes):
    with pytest.raises(BadInput):
        records.record_data(decision, practitioner_notes=notes, corpus_dir=CORPUS)


def test_markdown_escapes_practitioner_text(decision):
    md = records.render_markdown(decision, practitioner_notes={"notes": "*bold* <script> [x](y)\nline"},
                                 now=NOW, corpus_dir=CORPUS)
    assert r"\*bold\* \<script\> \[x\](y) line" in md
    assert "<script>" not in md


def test_markdown_lists_questions_answers_conditions_and_quotes(decision):
    md = records.render_markdown(decision, now=NOW, corpus_dir=CORPUS)
    for step in decision.path:
        assert f"{step.question} Answer: {step.answer} (" in md
    for condition in decision.conditions:
        assert condition.text in md
    for citation in decision.citations:
        assert " ".join(citation.quote.split()) in md
    assert "## Referral route" in md and "Lawful basis: Safeguarding" in md


def test_record_of_an_unfinished_walk_says_so():
    md = records.render_markdown(decide({"legitimate_purpose": "yes"}), now=NOW, corpus_dir=CORPUS)
    assert "Not yet answered:" in md and "no decision to share has been reached" in md


def test_record_from_a_decision_dict_matches(decision):
    a = records.render_json(decision, now=NOW, corpus_dir=CORPUS)
    b = records.render_json(json.loads(json.dumps(decision.to_dict())), now=NOW, corpus_dir=CORPUS)
    assert a == b


def test_record_refuses_quotes_no_longer_in_the_corpus(decision, corpus_copy):
    path = corpus_copy / "calderdale-2019.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Distinguish fact from opinion", "Be clear"),
                    encoding="utf-8")
    with pytest.raises(CorpusError):
        records.render_markdown(decision, corpus_dir=corpus_copy)


def _pdf_ok(data: bytes) -> None:
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b", data)) >= 2  # the record runs over more than one page


UNICODE_NOTES = {"notes": "\u201csmart\u201d quotes \u2013 dashes \u2019 \u2026 \u0141\u00f3d\u017a \u4e2d \U0001F600 "
                          + "averyveryverylongwordwithoutanyspaces" * 8}


def test_pdf_with_dejavu(decision):
    if records._font_files() is None:
        pytest.skip("DejaVu Sans is not installed here")
    _pdf_ok(records.render_pdf(decision, practitioner_notes=UNICODE_NOTES, now=NOW, corpus_dir=CORPUS))


def test_pdf_with_core_font_transliterates(decision, monkeypatch):
    monkeypatch.setattr(records, "_font_files", lambda: None)
    data = records.render_pdf(decision, practitioner_notes=UNICODE_NOTES, now=NOW, corpus_dir=CORPUS)
    _pdf_ok(data)
    assert b"/Helvetica" in data
