"""Download conversation: Markdown with redacted questions, the answers and their sources."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from assistant.errors import BadInput
from assistant.outputs.export import citation_line, conversation_markdown

NOW = datetime(2025, 3, 4, 10, 30, tzinfo=timezone.utc)
CITATION = {"n": 1, "doc_id": "hmg-2006", "doc_short_title": "HM Government 2006", "section": "Section 3",
            "paragraph": "3.17", "date": "2006", "quote": "Consent  must be\ninformed."}


def _turn(question: str, **extra) -> dict:
    return {"question": question, "mode": "answer", "answer": "Here is what it says: \u201cConsent must be informed.\u201d [1]",
            "citations": [CITATION], "warnings": [], **extra}


def test_questions_are_redacted_again():
    md = conversation_markdown([_turn("Can I tell Jade Smith's GP? Her NHS number is 943 476 5919.")], now=NOW)
    assert "Jade" not in md and "Smith" not in md and "943 476 5919" not in md
    assert "[NAME]" in md and "[NHS NUMBER]" in md


def test_answers_and_numbered_sources_are_included_in_order():
    turns = [_turn("Do I need consent?"), _turn("What about a 13 year old?", mode="myth")]
    md = conversation_markdown(turns, now=NOW)
    assert md.startswith("# Conversation with the information-sharing guidance assistant")
    assert "Exported 2025-03-04T10:30+00:00" in md
    assert md.index("## 1. Question") < md.index("Do I need consent?") < md.index("## 2. Question")
    assert "**Myth check**" in md
    assert md.count(citation_line(CITATION)) == 2


def test_citation_line_names_document_section_paragraph_date_and_quote():
    line = citation_line(CITATION)
    assert line == '[1] HM Government 2006, Section 3 (paragraph 3.17), 2006: \u201cConsent must be informed.\u201d'


def test_flow_decision_is_exported_with_its_path():
    decision = {"outcome": "share", "outcome_label": "Share", "flowchart": "default", "flowchart_title": "HMG 2018",
                "path": [{"question": "Is there a clear purpose?", "answer": "yes"}], "next_question": None}
    md = conversation_markdown([_turn("Can I share?", mode="decision", flow_decision=decision)], now=NOW)
    assert "**Outcome: Share** (HMG 2018)" in md
    assert "1. Is there a clear purpose? \u2014 yes" in md


def test_warnings_are_kept_next_to_their_question():
    md = conversation_markdown([_turn("Can I share?", warnings=["Please don't type names."])], now=NOW)
    assert md.index("Can I share?") < md.index("_Note: Please don't type names._") < md.index("Here is what")


def test_empty_conversation_and_bad_turns():
    assert "(No questions asked yet.)" in conversation_markdown([], now=NOW)
    with pytest.raises(BadInput):
        conversation_markdown([{"answer": "no question"}], now=NOW)
