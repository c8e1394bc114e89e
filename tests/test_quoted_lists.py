"""A lead-in ("... provides seven golden rules for Information Sharing:") is never quoted alone: it is
quoted with the items of its list, each verbatim and cited, or not at all."""

from __future__ import annotations

from assistant.answer.compose import Citations, general_answer
from assistant.answer.quotes import Quote, is_lead_in, list_items
from assistant.ingest.documents import documents_by_id
from assistant.ingest.passages import build_passages
from assistant.verbatim import contains, find_span, normalise_ws
from conftest import CORPUS

DOCS = documents_by_id(CORPUS)
PASSAGES = build_passages(DOCS.values())


def _lead(doc_id: str, words: str) -> Quote:
    text = DOCS[doc_id].text
    start, end = find_span(text, words)
    passage = next(p for p in PASSAGES if p.doc_id == doc_id and p.start <= start < p.end)
    return Quote(doc_id, start, end, normalise_ws(text[start:end]), passage)


def test_a_list_set_out_one_passage_per_item_is_gathered_from_the_next_passages():
    lead = _lead("calderdale", "provides seven golden rules for Information Sharing:")
    assert is_lead_in(lead.text)
    items = list_items(lead, PASSAGES, DOCS["calderdale"].text, limit=10)
    assert len(items) == 7
    assert items[0].text.startswith("Remember that the General Data Protection Regulation")
    assert any(i.text.startswith("Necessary, proportionate, relevant") for i in items)
    assert all(contains(DOCS["calderdale"].text, i.text) for i in items)


def test_a_list_inside_its_passage_gives_the_items_that_follow_the_lead_in():
    lead = _lead("hmg-2006", "has sufficient understanding to consent, or refuse consent, to sharing of information about them:")
    items = list_items(lead, PASSAGES, DOCS["hmg-2006"].text, limit=10)
    texts = [i.text for i in items]
    assert "Can the child understand the question being asked of them?" in texts
    assert all(i.start >= lead.end for i in items)


def test_a_lead_in_is_rendered_with_its_items_each_cited_and_verbatim():
    lead = _lead("calderdale", "provides seven golden rules for Information Sharing:")
    items = list_items(lead, PASSAGES, DOCS["calderdale"].text, limit=10)
    citations = Citations(DOCS, tuple(PASSAGES))
    other = _lead("calderdale", "Under the GDPR and Data Protection Act 2018 you may share information without consent")
    body = general_answer([other, Quote(lead.doc_id, lead.start, lead.end, lead.text, lead.passage, items)], citations)
    lines = body.splitlines()
    lead_line = next(n for n, line in enumerate(lines) if "seven golden rules" in line)
    assert lines[lead_line].startswith("- **")
    nested = lines[lead_line + 1: lead_line + 8]
    assert all(line.startswith("  - “") and line.rstrip().endswith("]") for line in nested), nested
    quoted = {q for item in citations.items for q in item["quotes"]}
    assert {i.text for i in items} <= quoted
    assert not any(line.strip() == "- **Calderdale 2019 says:**" for line in lines)  # no empty group
