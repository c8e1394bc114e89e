"""Passages: the retrievable, quotable pieces of the guidance documents.

``passages_for(doc)`` reads a document's structure (``assistant.ingest.layout`` and
``assistant.ingest.outline``) and turns its units into passages of roughly 60–200 words:

* cited units stay whole — a numbered paragraph, a golden rule, a key point, a myth entry
  (statement + whole answer), a flowchart question with its answers — and are never merged with a
  neighbour; they are split at sentence boundaries only when longer than the word budget;
* small plain paragraphs and list items in the same section are merged;
* ``text`` is the exact slice of ``Document.text`` (white space folded), for display and quoting;
* ``index_text`` is repaired for BM25 and the embedding model (markdown, bullet glyphs and page
  numbers removed, prefixed with the section path) and never exceeds ``PASSAGE_MAX_WORDS`` words:
  all-MiniLM-L6-v2 reads 256 word-pieces, about 1.3 per word;
* ``sentences`` are the spans a quote may be taken from: clean sentences or list items, never
  crossing a page number or a bullet glyph.

Pure Python and deterministic: the same text always gives the same passages and ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from assistant.config import PASSAGE_MAX_WORDS, PASSAGE_MIN_WORDS
from assistant.ingest.documents import Document
from assistant.ingest.outline import Unit, outline
from assistant.ingest.layout import BULLET_GLYPHS, Layout, Segment, clean_markup, is_terminal, read_layout, title_key
from assistant.verbatim import normalise_ws

SECTION_SEPARATOR = " › "
_MERGE_TARGET = 140  # merge small neighbours while the result stays under this many words
_MIN_QUOTE_WORDS = 3
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]*]*(?=\s+[\"“‘'\[*]*[A-Z0-9])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|No|para|paras|cf|vs|Mr|Mrs|Dr|St)\.$")
_GLYPHS = re.compile("[" + BULLET_GLYPHS + "]")
_PHOTO = "PHOTO REDACTED"  # a redacted picture separates what comes before from what comes after
_LEADING_NUMBER = re.compile(r"^\d{1,2}[.)]\s*")
_URL = re.compile(r"(?:https?://|www\.)\S+")


@dataclass(frozen=True)
class Passage:
    id: str  # f"{doc_id}:{n:04d}" in document order
    doc_id: str
    kind: str  # "paragraph" | "golden_rule" | "myth" | "flowchart" | "key_point" | "list" | "text"
    section: str  # section path joined by " › "
    paragraph: str | None  # "3.17" (hmg-2006), "Golden rule 3", else None
    start: int  # offset of the first character in Document.text
    end: int  # one past the last character
    text: str  # normalise_ws(doc.text[start:end]), exactly
    index_text: str  # repaired text for BM25 / embeddings, prefixed with the section path
    sentences: tuple[tuple[int, int], ...]  # quotable sentence spans (absolute offsets), in order
    title: str | None = None  # the myth statement / flowchart question / rule label / heading


@dataclass(frozen=True)
class _Piece:
    """A sentence (or list item) of a segment: the smallest thing a passage is cut between."""

    start: int  # where a passage starting here starts (the segment start for its first piece)
    qstart: int
    qend: int
    quotable: bool
    words: int
    index: str  # cleaned text for the index
    closes_segment: bool


def _clean_index(doc_text: str, start: int, end: int, noise: list[tuple[int, int]]) -> str:
    parts, pos = [], start
    for n_start, n_end in noise:
        if n_start >= start and n_end <= end:
            parts.append(doc_text[pos:n_start])
            pos = n_end
    parts.append(doc_text[pos:end])
    text = _URL.sub(" ", clean_markup(" ".join(parts)))  # web addresses cost many word-pieces, add nothing
    return normalise_ws(_GLYPHS.sub(" ", text))


def _trim_emphasis(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a dangling ** or * left at one end of a sentence by the markdown conversion."""
    span = text[start:end]
    lead = len(span) - len(span.lstrip("*"))
    trail = len(span) - len(span.rstrip("*"))
    inner = span[lead : len(span) - trail]
    if lead != trail and "*" not in inner:
        return start + lead, end - trail
    return start, end


def _pieces(doc_text: str, layout: Layout, seg: Segment) -> list[_Piece]:
    region_start = seg.content_start
    region = doc_text[region_start : seg.end]
    cuts = [0]
    for match in _SENTENCE_END.finditer(region):
        if not _ABBREVIATION.search(region[max(0, match.start() - 6) : match.start() + 1]):
            cuts.append(match.end())
    cuts.append(len(region))
    noise = layout.noise_between(seg.start, seg.end)
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        chunk = region[a:b]
        if not chunk.strip():
            continue
        qs = region_start + a + (len(chunk) - len(chunk.lstrip()))
        qe = region_start + b - (len(chunk) - len(chunk.rstrip()))
        spans.append(_trim_emphasis(doc_text, qs, qe))
    pieces = []
    for i, (qs, qe) in enumerate(spans):
        index = _clean_index(doc_text, qs, qe, noise)
        words = len(index.split())
        crosses_noise = any(qs < n_start and n_end <= qe for n_start, n_end in noise)
        quotable = (
            not crosses_noise
            and not _GLYPHS.search(doc_text[qs:qe])
            and len(doc_text[qs:qe].split()) >= _MIN_QUOTE_WORDS
            and any(ch.isalpha() for ch in doc_text[qs:qe])
        )
        start = seg.start if i == 0 else qs
        pieces.append(_Piece(start, qs, qe, quotable, words, index, i == len(spans) - 1))
    return pieces


def _hard_split(piece: _Piece, doc_text: str, budget: int) -> list[_Piece]:
    """Cut a single over-long sentence at word boundaries (never happens in today's corpus)."""
    words = list(re.finditer(r"\S+", doc_text[piece.qstart : piece.qend]))
    out = []
    for i in range(0, len(words), budget):
        chunk = words[i : i + budget]
        qs, qe = piece.qstart + chunk[0].start(), piece.qstart + chunk[-1].end()
        index = clean_markup(doc_text[qs:qe])
        out.append(_Piece(piece.start if i == 0 else qs, qs, qe, False, len(index.split()), index, False))
    return out


def _greedy(pieces: list[_Piece], cap: int) -> list[list[_Piece]]:
    parts: list[list[_Piece]] = [[]]
    acc = 0
    for piece in pieces:
        if parts[-1] and acc + piece.words > cap:
            parts.append([])
            acc = 0
        parts[-1].append(piece)
        acc += piece.words
    return parts


def _split(pieces: list[_Piece], budget: int) -> list[list[_Piece]]:
    """As few parts of at most ``budget`` words as possible, as even as possible, cut between pieces."""
    total = sum(p.words for p in pieces)
    if total <= budget:
        return [pieces]
    count = len(_greedy(pieces, budget))
    low, high = max(p.words for p in pieces), budget
    while low < high:  # the smallest cap that still needs no more parts: the most even split
        mid = (low + high) // 2
        if len(_greedy(pieces, mid)) <= count:
            high = mid
        else:
            low = mid + 1
    return _greedy(pieces, low)


def _prefix(section: tuple[str, ...]) -> str:
    return ". ".join(section) + ": " if section else ""


@dataclass
class _Group:
    units: list[Unit]
    pieces: list[_Piece]
    whole: bool
    lead_in: bool

    @property
    def words(self) -> int:
        return sum(p.words for p in self.pieces)


def _mergeable(group: _Group, unit: Unit, words: int, budget: int) -> bool:
    last = group.units[-1]
    if group.whole or unit.whole or last.section != unit.section or unit.heading_start is not None:
        return False
    if (last.kind == "flowchart") != (unit.kind == "flowchart"):
        return False
    combined = group.words + words
    if combined > budget:
        return False
    return group.lead_in or group.words < PASSAGE_MIN_WORDS or combined <= _MERGE_TARGET


def _index_body(pieces: list[_Piece]) -> str:
    out = []
    for i, piece in enumerate(pieces):
        text = piece.index
        following = pieces[i + 1].index[:1] if i + 1 < len(pieces) else ""
        unpunctuated = text and not is_terminal(text) and text[-1] not in ":;,"
        if piece.closes_segment and unpunctuated and following[:1].isupper():
            text += "."  # a heading-like line or list item without punctuation
        if text:
            out.append(text)
    return " ".join(out)


def _passage(doc: Document, n: int, group: _Group) -> Passage | None:
    first = group.units[0]
    body = _index_body(group.pieces)
    if not body:
        return None
    section = list(first.section)
    if section and title_key(body).startswith(title_key(_LEADING_NUMBER.sub("", section[-1]))):
        section = section[:-1]  # a myth statement or question already opens the body
    by_kind: dict[str, int] = {}
    for unit in group.units:
        by_kind[unit.kind] = by_kind.get(unit.kind, 0) + sum(len(s.text.split()) for s in unit.segments)
    kind = max(by_kind, key=lambda k: (by_kind[k], -[u.kind for u in group.units].index(k)))
    start, end = group.pieces[0].start, group.pieces[-1].qend
    return Passage(
        id=f"{doc.id}:{n:04d}",
        doc_id=doc.id,
        kind=kind,
        section=SECTION_SEPARATOR.join(first.section),
        paragraph=first.paragraph if group.whole else None,
        start=start,
        end=end,
        text=normalise_ws(doc.text[start:end]),
        index_text=_prefix(tuple(section)) + body,
        sentences=tuple((p.qstart, p.qend) for p in group.pieces if p.quotable),
        title=first.title if group.whole or not first.section else first.section[-1],
    )


def passages_for(doc: Document) -> list[Passage]:
    """The passages of one document, in document order."""
    layout = read_layout(doc.text)
    groups: list[_Group] = []
    for unit in outline(layout):
        budget = PASSAGE_MAX_WORDS - len(_prefix(unit.section).split())
        pieces: list[_Piece] = []
        for n, seg in enumerate(unit.segments):
            for piece in _pieces(doc.text, layout, seg):
                if unit.kind == "myth" and n == 0:
                    piece = replace(piece, quotable=False)  # the myth itself must never be quoted as advice
                if not pieces and unit.heading_start is not None:
                    piece = replace(piece, start=unit.heading_start)  # show its heading with it
                pieces.extend(_hard_split(piece, doc.text, budget) if piece.words > budget else [piece])
        for part in _split(pieces, budget):
            words = sum(p.words for p in part)
            gap = doc.text[groups[-1].pieces[-1].qend : part[0].start] if groups else ""
            if groups and _mergeable(groups[-1], unit, words, budget) and _PHOTO not in gap:
                groups[-1].units.append(unit)
                groups[-1].pieces.extend(part)
                groups[-1].lead_in = unit.lead_in
            else:
                groups.append(_Group([unit], list(part), unit.whole, unit.lead_in))
    passages = []
    for group in groups:
        passage = _passage(doc, len(passages), group)
        if passage is not None:
            passages.append(passage)
    return passages


def build_passages(documents: Iterable[Document]) -> list[Passage]:
    """All passages of all documents, document by document, in order."""
    return [p for doc in documents for p in passages_for(doc)]
