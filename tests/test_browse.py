"""The documents page: the table of documents and reading one by section."""

from __future__ import annotations

import re

from assistant.ui.markdown import md_escape
from assistant.ui.browse import document_rows, passage_markdown, sections
from assistant.config import PROJECT_ROOT
from assistant.ingest.passages import passages_for
from assistant.ingest.documents import documents_by_id, load_documents
from assistant.ui.text import ui

CORPUS = PROJECT_ROOT / "corpus"


def test_one_row_per_document_with_title_publisher_date_and_law():
    docs = load_documents(CORPUS)
    rows = document_rows(docs)
    columns = ui("documents", "columns")
    assert [row[columns["title"]] for row in rows] == [doc.title for doc in docs]
    by_title = {row[columns["title"]]: row for row in rows}
    herts = by_title[documents_by_id(CORPUS)["hertfordshire"].title]
    assert "Data Protection Act 1998" in herts[columns["currency"]]
    assert herts[columns["date"]] == "December 2024"
    mars = by_title[documents_by_id(CORPUS)["childrens-mars"].title]
    assert mars[columns["currency"]] == ui("documents", "current")


def test_sections_hold_every_passage_once_in_document_order():
    doc = documents_by_id(CORPUS)["hmg-2006"]
    parts = sections(doc)
    listed = [p for _, passages in parts for p in passages]
    assert sorted(p.id for p in listed) == sorted(p.id for p in passages_for(doc))
    firsts = [passages[0].start for _, passages in parts]
    assert firsts == sorted(firsts)
    assert len({title for title, _ in parts}) == len(parts)


def test_passage_markdown_is_escaped_and_labelled():
    doc = documents_by_id(CORPUS)["calderdale"]
    passage = next(p for p in passages_for(doc) if "[" in p.text)
    shown = passage_markdown(passage)
    assert "](#)" not in shown and "\\]\\(\\#\\)" not in shown  # a converted link shows as its label
    label = re.search(r"\[([^\]]+)\]\(#\)", passage.text).group(1)
    assert md_escape(label) in shown
    rule = next(p for p in passages_for(doc) if p.paragraph and not p.text.startswith(p.paragraph))
    assert passage_markdown(rule).startswith(f"**{rule.paragraph}**".replace(".", "\\."))
