"""Headings of a PDF, kept: lines set larger or in bold become markdown headings.

Plain text out of a PDF loses what made a heading a heading (its size, its weight), and without them
``assistant.ingest.layout`` cannot tell "Principles" from a short paragraph, so passages lose their
section. While pypdf extracts a page (``assistant.ingest.readers``), it tells us the font and size of
every piece of text; ``marked_text`` turns those pieces back into the page's lines and writes each
line set larger than the body text, or wholly in bold and short, as ``##``–``####`` by its rank among the
heading styles (the largest first), with a blank line either side. A heading wrapped over two
lines becomes one line. Where the page leaves a gap between two lines, a blank line is kept.

Pure Python: pieces in, text out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Piece = tuple[str, float, bool, float]  # text, font size in points, bold, height on the page
_MAX_HEADING_CHARS = 150
_LARGER = 1.0  # points above the body size that make a line a heading
_DEEPEST = 4
_MAX_BOLD_WORDS = 12
_ENDS = (".", ",", ";", ":")
_GAP = 1.4  # a step down the page this many times the usual line step is a gap between paragraphs


@dataclass(frozen=True)
class _Line:
    text: str
    size: float  # the smallest size of its characters
    bold: bool  # every character bold
    y: float | None  # height on the page of its first character


def marked_text(pages: Sequence[Sequence[Piece]]) -> list[str]:
    """Each page's text, as pypdf extracted it, with its heading lines marked as markdown headings."""
    lines = [_with_gaps(_lines(page)) for page in pages]
    body = _body_size(line for page in lines for line in page)
    blocks = [_blocks(page, body) for page in lines]
    styles = sorted({_style(b) for page in blocks for b in page if _is_heading(b, body)},
                    key=lambda style: (-style[0], not style[1]))
    level = {style: min(rank + 2, _DEEPEST) for rank, style in enumerate(styles)}
    return [_page_text(page, body, level) for page in blocks]


def _blocks(lines: list[_Line], body: float) -> list[_Line]:
    """Consecutive lines set alike, larger or in bold, joined into one (a heading wrapped over two
    lines, or a bold sentence that is not a heading); other lines as they are."""
    out: list[_Line] = []
    for line in lines:
        styled = line.text.strip() and (line.size >= body + _LARGER or line.bold)
        last = out[-1] if out else None
        if styled and last is not None and last.text.strip() and _style(last) == _style(line) and (
                last.size >= body + _LARGER or last.bold):
            out[-1] = _Line(f"{last.text.strip()} {line.text.strip()}", last.size, last.bold, last.y)
        else:
            out.append(line)
    return out


def _lines(pieces: Iterable[Piece]) -> list[_Line]:
    out: list[_Line] = []
    text, sizes, bold, y = "", [], True, None
    for piece, size, is_bold, height in pieces:
        parts = piece.split("\n")
        for i, part in enumerate(parts):
            if i:
                out.append(_Line(text, min(sizes, default=0.0), bold and bool(sizes), y))
                text, sizes, bold, y = "", [], True, None
            text += part
            if part.strip():
                sizes.append(size)
                bold = bold and is_bold
                y = height if y is None else y
    out.append(_Line(text, min(sizes, default=0.0), bold and bool(sizes), y))
    return out


def _with_gaps(lines: list[_Line]) -> list[_Line]:
    """The lines with a blank one where the page leaves a gap wider than its usual line step: pypdf
    joins paragraphs that the page sets apart, and the gap is what set them apart."""
    placed = [line for line in lines if line.y is not None]
    steps = Counter(round(a.y - b.y) for a, b in zip(placed, placed[1:]) if a.y > b.y)
    if not steps:
        return lines
    usual = steps.most_common(1)[0][0]
    out: list[_Line] = []
    last = None
    for line in lines:
        if line.y is not None:
            if last is not None and last - line.y > _GAP * usual and out and out[-1].text.strip():
                out.append(_Line("", 0.0, False, None))
            last = line.y
        out.append(line)
    return out


def _body_size(lines: Iterable[_Line]) -> float:
    counts = Counter()
    for line in lines:
        counts[line.size] += len(line.text.strip())
    return counts.most_common(1)[0][0] if counts else 0.0


def _style(line: _Line) -> tuple[float, bool]:
    return round(line.size * 2) / 2, line.bold


def _is_heading(line: _Line, body: float) -> bool:
    text = line.text.strip()
    if not text or len(text) > _MAX_HEADING_CHARS or not any(c.isalpha() for c in text):
        return False
    if line.size >= body + _LARGER:
        return True
    # Bold at the body size: a heading when short and not a sentence ("Note: ..." or a bold warning is not).
    return line.bold and line.size >= body - 0.5 and len(text.split()) <= _MAX_BOLD_WORDS and not text.endswith(_ENDS)


def _page_text(lines: list[_Line], body: float, level: dict) -> str:
    out: list[str] = []
    for line in lines:
        if _is_heading(line, body):
            out += ["", "#" * level[_style(line)] + " " + line.text.strip(), ""]  # a block of its own
        else:
            out.append(line.text)
    return "\n".join(out)
