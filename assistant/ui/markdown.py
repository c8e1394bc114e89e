"""Markdown for the app: escaped text, quotes highlighted inside their passage, citation headers.

Why it matters: the app shows corpus text and what practitioners type through ``st.markdown``,
never with ``unsafe_allow_html``. Corpus text carries conversion noise (``**bold**``, ``[link](#)``,
"2." at the start of a passage) and typed text can be anything, so every piece of it is escaped
here: each ASCII punctuation mark gets a backslash, which CommonMark renders as the mark itself,
and which stops lists, links, HTML, Streamlit's ``:colour[...]`` directives and ``$`` maths. The
only markup in the result is the markup added here.

``locate(doc, quote)`` turns a bare ``{doc_id, quote}`` citation (flowcharts, scenarios) into the
same shape as the assistant's answer citations, so one renderer shows them all.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from functools import lru_cache

from assistant.verbatim import find_span, normalise_ws
from assistant.ingest.passages import passages_for
from assistant.ingest.legal_currency import notes_for
from assistant.errors import CorpusError

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
HIGHLIGHT = "orange-background"  # Streamlit's :colour-background[...] directive
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
SECTION_CHARS = 80  # a citation header shows at most this much of the section path
PART_CHARS = 36  # each part of a long section path but the last is clipped to this
SEPARATOR = " \u203a "  # between the parts of a section path (assistant.ingest.passages.SECTION_SEPARATOR)


def _escape(text: str) -> str:
    """Escaped, runs of white space folded to one space, ends kept (for pieces of a larger text)."""
    return _PUNCT.sub(r"\\\1", re.sub(r"\s+", " ", str(text)))


_BOLD = re.compile(r"\*\*(\S(?:[^*]*?\S)?)\*\*")
_LINK = re.compile(r"\[([^\]\n]{1,200})\]\([^)\s]*\)")
_MARKER = re.compile(r"\[(\d{1,3})\]")


def _plain_corpus(text: str) -> str:
    """Corpus text without its conversion markup: ``[label](#)`` is its label, ``**`` goes."""
    return _LINK.sub(r"\1", text).replace("**", "")


def _corpus(text: str) -> str:
    """Like ``_escape``, for corpus text: its ``**bold**`` stays bold, its links become their labels,
    and no markup character is ever shown literally."""
    text = _LINK.sub(r"\1", text)
    out, pos = [], 0
    for match in _BOLD.finditer(text):
        out += [_escape(text[pos:match.start()].replace("**", "")), f"**{_escape(match.group(1))}**"]
        pos = match.end()
    out.append(_escape(text[pos:].replace("**", "")))
    return "".join(out)


def corpus_markdown(text: str) -> str:
    """A passage of a guidance document, safe for ``st.markdown``, its bold kept (``_corpus``)."""
    return _corpus(normalise_ws(str(text)))


def md_escape(text: str) -> str:
    """``text`` exactly as typed, safe to pass to ``st.markdown`` (white space folded)."""
    return _escape(normalise_ws(str(text)))


def mark(text: str) -> str:
    """Escaped text in bold on a highlighter background."""
    escaped = md_escape(_plain_corpus(text))
    return f":{HIGHLIGHT}[**{escaped}**]" if escaped else ""


def highlight(passage: str, quote) -> str:
    """The whole passage, escaped, with ``quote`` (or each of a list of quotes) highlighted at its
    first occurrence, white space folded; a quote not inside the passage is added after it."""
    passage = normalise_ws(passage)
    quotes = [normalise_ws(q) for q in ([quote] if isinstance(quote, str) else quote) if normalise_ws(q)]
    spans, missing = [], []
    for q in quotes:
        at = passage.find(q)
        if at < 0:
            missing.append(q)
        elif not any(at < end and start < at + len(q) for start, end in spans):
            spans.append((at, at + len(q)))
    out, pos = [], 0
    for start, end in sorted(spans):
        out += [_corpus(passage[pos:start]), mark(passage[start:end])]
        pos = end
    out.append(_corpus(passage[pos:]))
    text = "".join(out).strip()
    return "\n\n".join(([text] if text else []) + [mark(q) for q in missing])


def emphasise(text: str, words: Iterable[str]) -> str:
    """Escaped text with each whole-word occurrence of ``words`` in bold (for topic pages)."""
    words = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    text = normalise_ws(text)
    text = _plain_corpus(text)
    if not words:
        return md_escape(text)
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(w) for w in words) + r")(?![\w])", re.IGNORECASE)
    out, pos = [], 0
    for match in pattern.finditer(text):
        out += [_escape(text[pos:match.start()]), f":{HIGHLIGHT}[{_escape(match.group(0))}]"]
        pos = match.end()
    out.append(_escape(text[pos:]))
    return "".join(out)


def format_date(date: str) -> str:
    """"2019-12" -> "December 2019"; a bare year stays as it is."""
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", str(date))
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{_MONTHS[int(match.group(2)) - 1]} {match.group(1)}"
    return str(date)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def where(citation: Mapping) -> str:
    """Section path and paragraph number; a long path keeps its last parts (the most specific)."""
    section = normalise_ws(citation.get("section") or "")
    if len(section) > SECTION_CHARS:
        parts = section.split(SEPARATOR)
        parts = [_clip(part, PART_CHARS) for part in parts[:-1]] + [parts[-1]]
        while len(parts) > 2 and len(SEPARATOR.join(parts)) > SECTION_CHARS:
            parts = ["\u2026", *parts[2:]] if parts[0] == "\u2026" else ["\u2026", *parts[1:]]
        section = _clip(SEPARATOR.join(parts), SECTION_CHARS)
    paragraph = citation.get("paragraph")
    if paragraph and str(paragraph) not in section:
        label = str(paragraph) if not re.match(r"^\d", str(paragraph)) else f"paragraph {paragraph}"
        section = f"{section} ({label})" if section else label
    return section


def citation_header(citation: Mapping) -> str:
    """``[n] Short title · section (paragraph) · date`` as escaped Markdown, for an expander label."""
    parts = [f"**{md_escape(citation.get('doc_short_title') or citation.get('doc_id', ''))}**"]
    section = where(citation)
    if section:
        parts.append(md_escape(section))
    if citation.get("date"):
        parts.append(md_escape(format_date(citation["date"])))
    number = f"\\[{citation['n']}\\] " if citation.get("n") is not None else ""
    return number + " \u00b7 ".join(parts)


def first_of_each_document(citations) -> list[bool]:
    """For each citation, whether it is the first from its document (where its currency note goes)."""
    seen: set = set()
    flags = []
    for citation in citations:
        flags.append(citation.get("doc_id") not in seen)
        seen.add(citation.get("doc_id"))
    return flags


def linked(text: str, citations, anchor: str | None) -> str:
    """Markdown with each ``[n]`` marker of a cited number made a link to its source (``#anchor-n``)."""
    numbers = {str(c.get("n")) for c in citations}
    if not anchor or not numbers:
        return text
    return _MARKER.sub(lambda m: f"[\\[{m.group(1)}\\]](#{anchor}-{m.group(1)})" if m.group(1) in numbers
                       else m.group(0), text)


def legal_badges(citation: Mapping) -> list[str]:
    """Markdown badges for a citation whose document cites superseded law."""
    return [f":orange-badge[\u26a0 {md_escape(note['badge'])}]" for note in citation.get("legal_notes") or []]


@lru_cache(maxsize=16)
def document_passages(doc) -> tuple:
    return tuple(passages_for(doc))


def locate(doc, quote: str, n: int | None = None) -> dict:
    """A citation dict (the shape of ``Answer.to_dict()["citations"]``) for a quote of ``doc``:
    the passage it sits in, its section and paragraph, the document's title, date and legal notes."""

    span = find_span(doc.text, quote)
    if span is None:
        raise CorpusError(f"A quoted passage is no longer in {doc.id}; the corpus has changed - check the data files")
    start, end = span
    passage = next((p for p in document_passages(doc) if p.start <= start < p.end), None)
    p_start, p_end = (passage.start, max(passage.end, end)) if passage else (start, end)
    return {
        "n": n, "doc_id": doc.id, "doc_title": doc.title, "doc_short_title": doc.short_title,
        "date": doc.date, "version": doc.version,
        "section": passage.section if passage else "", "paragraph": passage.paragraph if passage else None,
        "quote": normalise_ws(doc.text[start:end]), "passage": normalise_ws(doc.text[p_start:p_end]),
        "quote_start": start, "quote_end": end, "passage_start": p_start, "passage_end": p_end,
        "legal_notes": [{"badge": note.badge, "note": note.note} for note in notes_for(doc)],
    }
