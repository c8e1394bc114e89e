"""Feedback lines: redacted question only, the rating, the cited passages - never the answer text."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from assistant.config import Settings
from assistant.errors import BadInput
from assistant.outputs.feedback import feedback_entry, feedback_path, read_feedback, record_feedback

NOW = datetime(2025, 3, 4, 10, 30, tzinfo=timezone.utc)
RAW = "Can I tell the school nurse that Jade Smith, born 12/03/2015, is being hit at home?"


def _answer(question: str = RAW) -> dict:
    return {
        "question": question, "mode": "answer", "answer": "SECRET ANSWER TEXT [1]",
        "citations": [
            {"n": 1, "doc_id": "calderdale", "passage_start": 10, "passage_end": 90, "quote": "x"},
            {"n": 2, "doc_id": "calderdale", "passage_start": 10, "passage_end": 90, "quote": "y"},
            {"n": 3, "doc_id": "hmg-2006", "passage_start": 500, "passage_end": 700, "quote": "z"},
        ],
        "decision": None,
    }


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "var")


def test_writes_one_json_line_with_redacted_question(settings):
    written = record_feedback(settings, _answer(), 1, now=NOW)
    raw = feedback_path(settings).read_text(encoding="utf-8")
    assert raw.count("\n") == 1
    line = json.loads(raw)
    assert line == written
    assert line["rating"] == "up" and line["mode"] == "answer" and line["at"] == "2025-03-04T10:30:00+00:00"
    for identifier in ("Jade", "Smith", "12/03/2015"):
        assert identifier not in raw
    assert "[NAME]" in line["question"] and "[DATE OF BIRTH]" in line["question"]


def test_answer_text_is_never_stored_only_the_cited_passages(settings):
    record_feedback(settings, _answer(), "down", now=NOW)
    raw = feedback_path(settings).read_text(encoding="utf-8")
    assert "SECRET ANSWER TEXT" not in raw
    (line,) = read_feedback(settings)
    assert line["rating"] == "down"
    assert line["cited_passages"] == ["calderdale@10-90", "hmg-2006@500-700"]


def test_lines_accumulate(settings):
    record_feedback(settings, _answer(), 1, now=NOW)
    record_feedback(settings, "Do I need consent?", 0, now=NOW)
    lines = read_feedback(settings)
    assert [line["rating"] for line in lines] == ["up", "down"]
    assert lines[1]["question"] == "Do I need consent?" and lines[1]["cited_passages"] == []


def test_decision_answers_record_flowchart_and_outcome():
    answer = _answer("Can I share with social care?") | {
        "mode": "decision", "decision": {"flowchart": "hmg-2006", "outcome": "seek_advice"}}
    entry = feedback_entry(answer, 1, now=NOW)
    assert (entry["flowchart"], entry["outcome"]) == ("hmg-2006", "seek_advice")


@pytest.mark.parametrize("rating", [2, "sideways", True, None])
def test_bad_ratings_are_refused(settings, rating):
    with pytest.raises(BadInput):
        record_feedback(settings, _answer(), rating)
    assert not feedback_path(settings).exists()


def test_a_question_is_required(settings):
    with pytest.raises(BadInput):
        record_feedback(settings, {"mode": "answer"}, 1)


def test_read_feedback_is_empty_before_anything_is_written(settings):
    assert read_feedback(settings) == []
