"""Markdown for the app: nothing typed or quoted can become markup; quotes highlighted in place."""

from __future__ import annotations

import re
import string

import pytest

from assistant.config import PROJECT_ROOT
from assistant.ingest.documents import documents_by_id
from assistant.errors import CorpusError
from assistant.ui.markdown import (
    HIGHLIGHT, SECTION_CHARS, citation_header, emphasise, format_date, highlight, legal_badges, locate, mark,
    md_escape, where,
)
from assistant.verbatim import contains, normalise_ws

DOCS = documents_by_id(PROJECT_ROOT / "corpus")
NASTY = 'Hi <script>alert(1)</script> **bold** [link](http://x) $x^2$ :red[alarm] `code` # heading\n- item'
_ESCAPED = re.compile(r"\\([" + re.escape(string.punctuation) + "])")


def unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def test_every_punctuation_mark_is_escaped_so_nothing_becomes_markup():
    escaped = md_escape(NASTY)
    unescaped_punct = re.sub(r"\\[" + re.escape(string.punctuation) + "]", "", escaped)
    assert not any(ch in string.punctuation for ch in unescaped_punct)
    assert unescape(escaped) == normalise_ws(NASTY)
    assert "<script>" not in escaped and "\\<script\\>" in escaped


def test_highlight_marks_the_quote_inside_the_whole_passage():
    passage = "First sentence. The quoted  sentence [1] here. Last one."
    out = highlight(passage, "The quoted sentence [1] here.")
    assert mark("The quoted sentence [1] here.") in out
    assert out.startswith("First sentence\\. :" + HIGHLIGHT)
    assert out.endswith(" Last one\\.")
    plain = unescape(out.replace(f":{HIGHLIGHT}[**", "").replace("**]", ""))
    assert plain == normalise_ws(passage)


def test_highlight_several_quotes_and_one_that_is_missing():
    out = highlight("Alpha beta. Gamma delta. Epsilon.", ["Epsilon.", "Alpha beta.", "Not there"])
    assert out.index(mark("Alpha beta.")) < out.index("Gamma") < out.index(mark("Epsilon."))
    assert out.endswith("\n\n" + mark("Not there"))


def test_emphasise_marks_whole_words_only():
    out = emphasise("Consent matters; consented is different. CONSENT again", ["consent"])
    assert out.count(f":{HIGHLIGHT}[") == 2
    assert "consented" in out


@pytest.mark.parametrize("raw, shown", [("2019-12", "December 2019"), ("2022-08", "August 2022"), ("2006", "2006"),
                                        ("2018-13", "2018-13")])
def test_format_date(raw, shown):
    assert format_date(raw) == shown


def test_long_section_paths_keep_their_most_specific_part():
    section = "Principles › Consider the following before sharing information - if in doubt seek advice › Consent"
    shown = where({"section": section})
    assert len(shown) <= SECTION_CHARS and shown.endswith("› Consent") and shown.startswith("Principles")
    assert where({"section": "Core guidance", "paragraph": "3.7"}) == "Core guidance (paragraph 3.7)"
    assert where({"section": "Rules", "paragraph": "Golden rule 3"}) == "Rules (Golden rule 3)"


def test_citation_header_and_badges():
    citation = {"n": 2, "doc_short_title": "HM Government 2006", "section": "Consent", "paragraph": "4.13",
                "date": "2006", "legal_notes": [{"badge": "Cites the Data Protection Act 1998 (replaced)", "note": "x"}]}
    header = citation_header(citation)
    assert header.startswith("\\[2\\] **HM Government 2006**")
    assert "paragraph 4\\.13" in header and header.endswith("2006")
    (badge,) = legal_badges(citation)
    assert badge.startswith(":orange-badge[") and "1998" in badge


def test_locate_gives_the_passage_section_and_legal_notes_of_a_quote():
    quote = "Children aged 12 or over may generally be expected to have sufficient understanding."
    found = locate(DOCS["hmg-2006"], quote, n=3)
    assert found["n"] == 3 and found["doc_short_title"] == "HM Government 2006"
    assert normalise_ws(quote) in found["passage"] and contains(DOCS["hmg-2006"].text, found["passage"])
    assert found["paragraph"] == "4.17" and found["section"]
    assert {note["badge"] for note in found["legal_notes"]} >= {"Cites the Data Protection Act 1998 (replaced)"}
    assert DOCS["hmg-2006"].text[found["quote_start"]:found["quote_end"]].split() == quote.split()


def test_locate_refuses_a_quote_that_is_not_in_the_document():
    with pytest.raises(CorpusError):
        locate(DOCS["calderdale"], "This sentence is not in the guidance at all.")
