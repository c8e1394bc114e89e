"""The documents page: the five documents in a table, and one document read section by section.

Sections come from the same passages the assistant quotes (``assistant.ingest.passages.passages_for``), so
what a reader browses is exactly what answers cite, in document order.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.ui.markdown import corpus_markdown, format_date, md_escape
from assistant.ui.text import ui
from assistant.ingest.legal_currency import notes_for
from assistant.ui.markdown import document_passages


def document_rows(documents: Iterable) -> list[dict]:
    """One row per document (manifest order) with the columns the page's table shows."""

    columns = ui("documents", "columns")
    rows = []
    for doc in documents:
        badges = [note.badge for note in notes_for(doc)]
        rows.append({
            columns["title"]: doc.title,
            columns["publisher"]: doc.publisher,
            columns["date"]: format_date(doc.date),
            columns["law_cited"]: doc.law_cited,
            columns["currency"]: "; ".join(badges) if badges else ui("documents", "current"),
        })
    return rows


def sections(doc) -> list[tuple[str, list]]:
    """The document's sections in order, each with its passages (a section met twice is merged)."""

    grouped: dict[str, list] = {}
    for passage in document_passages(doc):
        grouped.setdefault(passage.section or doc.short_title, []).append(passage)
    return list(grouped.items())


def place(doc, start: int) -> int:
    """The index in ``sections(doc)`` of the section holding the character ``start`` (0 if none)."""
    for n, (_, passages) in enumerate(sections(doc)):
        if any(p.start <= start < p.end for p in passages):
            return n
    return 0


def passage_markdown(passage) -> str:
    """A passage for reading: its paragraph label in bold (when it has one), then its text, escaped."""
    label = f"**{md_escape(passage.paragraph)}** " if passage.paragraph and not passage.text.startswith(passage.paragraph) else ""
    return label + corpus_markdown(passage.text)
