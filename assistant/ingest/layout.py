"""Reading a converted guidance document's layout: lines, noise, and logical segments.

The five documents were converted from PDFs and web pages in different ways: some are
hard-wrapped at ~90 characters with paragraphs running on without blank lines (hmg-2006,
buckinghamshire), others keep one paragraph per long line with markdown marks (calderdale,
childrens-mars, hertfordshire). This module turns either layout into ``Segment``s — a heading,
a paragraph, one list item — each with exact offsets into ``Document.text``, and marks the
lines that are conversion noise (page numbers, lone bullet glyphs, "PHOTO REDACTED", tables of
contents, "GO TO www..." call-outs). ``assistant.ingest.outline`` then decides what each segment is.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

BULLET_GLYPHS = "●•▪◦"
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"

_PAGE_NUMBER = re.compile(r"\d{1,3}")
_TOC_TAIL = re.compile(r"(?:\t|\.{3,})\s*\d*\s*$")
_CONTENTS = re.compile(r"(?:table of )?contents", re.IGNORECASE)
_CALLOUTS = frozenset({"GO TO", "SEE THE"})
_LONE_BULLETS = frozenset({"●", "•", "▪", "◦", "-", "–", "*"})
_PARA = re.compile(r"(\d{1,2})\.(\d{1,2})\s+(?=\S)")
_ROMAN_OR_LETTER = r"(?:[a-h]|i{1,3}|iv|vi{0,3}|ix|x)"
_MARKER = re.compile(
    r"(?:[●•▪◦][ \t]*|[-–][ \t]+|\(?\d{1,2}[.)](?=\s|$)\s*|\(?" + _ROMAN_OR_LETTER + r"[.)][ \t]+)"
)
_APPENDIX_LINE = re.compile(r"(?:Appendix|Annex)\s+[0-9A-Z]{1,2}\b\s*(?:[:.]|$)")
_LONE_NUMBER = re.compile(r"\(?\d{1,2}[.)]")
_TERMINAL = re.compile(r"[.!?][\"”’')\]*]*$")
_WS = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HASHES = re.compile(r"^#+\s*")


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # one past the last non-space character
    text: str  # stripped text
    kind: str  # "content" | "blank" | "noise" | "bullet" (a lone bullet glyph)
    width: int  # length of the raw line (leading spaces included)


@dataclass(frozen=True)
class Segment:
    """One logical unit of layout: a heading, a paragraph, a list item or a numbered paragraph."""

    start: int  # first character (a list marker or paragraph number included)
    end: int  # one past the last character
    content_start: int  # first character after any list marker / paragraph number
    lines: tuple[int, ...]  # indices of the content lines it covers
    text: str  # its content lines joined with single spaces (marker included)
    marker: str  # "" | "bullet" | "number" | "letter" | "para" | "footnote"
    number: str | None  # "3" for "3. ...", "4.17" for a numbered paragraph


@dataclass(frozen=True)
class Layout:
    lines: tuple[Line, ...]
    segments: tuple[Segment, ...]
    hard_wrapped: bool
    toc: frozenset[str]  # normalised titles listed in the table of contents
    noise: tuple[tuple[int, int], ...]  # spans of noise lines and lone bullet glyphs, in order

    def noise_between(self, start: int, end: int) -> list[tuple[int, int]]:
        """Spans of noise lines (page numbers, bullet glyphs, call-outs) inside [start, end)."""
        i = bisect.bisect_left(self.noise, (start, start))
        found = []
        while i < len(self.noise) and self.noise[i][0] < end:
            if self.noise[i][1] <= end:
                found.append(self.noise[i])
            i += 1
        return found


def title_key(text: str) -> str:
    """Compare headings with table-of-contents entries: letters and digits only, lower case."""
    return _NOT_ALNUM.sub("", clean_markup(text).lower())


def clean_markup(text: str) -> str:
    """Drop markdown marks a reader should not see: **, *, #, [text](#) link syntax, \\( escapes."""
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    text = text.replace("\\(", "(").replace("\\)", ")").replace("*", "")
    return _WS.sub(" ", _HASHES.sub("", text.strip())).strip()


def strip_marker(text: str) -> str:
    """The text of a list item without its bullet, dash or number."""
    match = _MARKER.match(text)
    return text[match.end() :] if match else text


def is_terminal(text: str) -> bool:
    return bool(_TERMINAL.search(text.rstrip("* ")))


def _starts_lower(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if ch not in "*_[“‘\"'":
            return False
    return False


def _starts_new(text: str) -> bool:
    """Could this hard-wrapped line begin a new paragraph (capital, digit or opening quote)?"""
    ch = text.lstrip("*_[")[:1]
    return bool(ch) and (ch.isupper() or ch.isdigit() or ch in "“‘\"'")


def _classify_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        start = offset + lead
        end = start + len(stripped)
        if not stripped:
            kind = "blank"
        elif _PAGE_NUMBER.fullmatch(stripped) or stripped.startswith("PHOTO REDACTED"):
            kind = "noise"
        elif stripped in _LONE_BULLETS:
            kind = "bullet"
        else:
            kind = "content"
        lines.append(Line(start, end if stripped else start, stripped, kind, len(raw.rstrip())))
        offset += len(raw) + 1
    return lines


def _mark_callouts(lines: list[Line]) -> None:
    """"GO TO" / "SEE THE" boxes and the one line they point at are page furniture."""
    for i, ln in enumerate(lines):
        if ln.kind == "content" and ln.text in _CALLOUTS:
            lines[i] = _as(ln, "noise")
            for j in range(i + 1, len(lines)):
                if lines[j].kind == "content":
                    lines[j] = _as(lines[j], "noise")
                    break


def _as(line: Line, kind: str) -> Line:
    return Line(line.start, line.end, line.text, kind, line.width)


def _mark_toc(lines: list[Line]) -> frozenset[str]:
    """Blank out the title page and table of contents; return the normalised entry titles.

    The contents run from a "Contents" line until the first entry appears again as a heading.
    Everything before the contents is the title page (title, version, date)."""
    for i, ln in enumerate(lines):
        if ln.kind == "content" and _CONTENTS.fullmatch(ln.text):
            break
    else:
        return frozenset()
    entries: list[str] = []
    first_key = None
    end = len(lines)
    for j in range(i + 1, len(lines)):
        ln = lines[j]
        if ln.kind != "content":
            continue
        title = _TOC_TAIL.sub("", ln.text)
        key = title_key(title)
        if first_key is not None and key == first_key and title == ln.text:
            end = j
            break
        if first_key is None:
            first_key = key
        entries.append(key)
    for j in range(0, end):
        if lines[j].kind != "blank":
            lines[j] = _as(lines[j], "noise")
    return frozenset(entries)


def _content_start(text: str, start: int, end: int, marker: str) -> int:
    pos = start
    if marker == "para":
        match = _PARA.match(text, pos)
        pos = match.end() if match else pos
    for _ in range(3):  # "- a) **Consent:**" carries two markers
        match = _MARKER.match(text, pos, end)
        if not match:
            break
        pos = match.end()
        while pos < end and text[pos].isspace():
            pos += 1
    return pos if pos < end else start


def _marker_of(text: str) -> str:
    if text[0] in SUPERSCRIPTS:
        return "footnote"
    match = _MARKER.match(text)
    if not match:
        return ""
    head = match.group(0).strip("( \t")
    if head[:1] in BULLET_GLYPHS or head[:1] in "-–":
        return "bullet"
    return "number" if head[:1].isdigit() else "letter"


def _accepts(state: tuple[int, int] | None, major: int, minor: int) -> bool:
    """Numbered paragraphs run 1.1, 1.2, ... 3.1, ...: "4.22 is met." in running text is not one."""
    if state is None:
        return (major, minor) == (1, 1)
    return (major == state[0] and minor == state[1] + 1) or (major > state[0] and minor == 1)


def _next_is_para(lines: list[Line], idx: int | None, state: tuple[int, int] | None) -> bool:
    if idx is None:
        return False
    match = _PARA.match(lines[idx].text)
    return bool(match) and _accepts(state, int(match.group(1)), int(match.group(2)))


def _continues(prev: Line, ln: Line, group: dict, gap: bool, hard: bool, width: int, para_next: bool) -> bool:
    """Does content line ``ln`` continue the segment ``group`` whose last line is ``prev``?"""
    if group["lone"]:
        return True  # "7." alone on its line, the rule's text after a blank line
    if _starts_lower(ln.text) and not is_terminal(prev.text) and not prev.text.startswith("#"):
        return True  # a sentence running on, even across a blank line or a page number
    if gap or not hard:
        return False
    short = prev.width < 0.7 * width
    closed = (is_terminal(prev.text) or prev.text.endswith(":")) and (
        prev.width < 0.9 * width or prev.text.endswith("?") or para_next
    )
    unbalanced = group["text"].count("(") > group["text"].count(")")
    return not (_starts_new(ln.text) and not unbalanced and (short or closed))


def _group_lines(lines: list[Line], hard: bool, width: int) -> list[dict]:
    groups: list[dict] = []
    para_state: tuple[int, int] | None = None
    gap = gap_bullet = False
    bullets_pending = 0  # "•\n•\n\nfirst item ... second item": glyphs printed apart from their items
    prev: Line | None = None
    content_idx = [i for i, ln in enumerate(lines) if ln.kind == "content"]
    next_content = dict(zip(content_idx, content_idx[1:]))
    for idx, ln in enumerate(lines):
        if ln.kind != "content":
            gap = True
            if ln.kind == "bullet":
                gap_bullet = True
                bullets_pending += 1
            continue
        para = _PARA.match(ln.text)
        accepted = None
        if para and _accepts(para_state, int(para.group(1)), int(para.group(2))):
            accepted = (int(para.group(1)), int(para.group(2)))
        marker = "para" if accepted else _marker_of(ln.text)
        if (
            groups
            and not (accepted or gap_bullet or marker or _APPENDIX_LINE.match(ln.text))
            and _continues(
                prev, ln, groups[-1], gap, hard, width, _next_is_para(lines, next_content.get(idx), para_state)
            )
        ):
            groups[-1]["lines"].append(idx)
            groups[-1]["text"] += " " + ln.text
            groups[-1]["lone"] = False
        else:
            para_state = accepted or para_state
            if bullets_pending and not marker:
                marker = "bullet"
            bullets_pending = max(0, bullets_pending - 1)
            lone = bool(_LONE_NUMBER.fullmatch(ln.text))
            groups.append({"lines": [idx], "text": ln.text, "marker": marker, "lone": lone})
        prev = ln
        gap = gap_bullet = False
    return groups


def read_layout(text: str) -> Layout:
    """Split ``text`` into noise-marked lines and logical segments."""
    lines = _classify_lines(text)
    toc = _mark_toc(lines)
    _mark_callouts(lines)
    content = [ln for ln in lines if ln.kind == "content"]
    hard = bool(content) and sum(1 for ln in content if len(ln.text) > 150) < 0.05 * len(content)
    widths = sorted(ln.width for ln in content) or [80]
    width = widths[int(0.9 * (len(widths) - 1))]
    segments = []
    for g in _group_lines(lines, hard, width):
        first, last = lines[g["lines"][0]], lines[g["lines"][-1]]
        marker = g["marker"]
        number = None
        if marker == "para":
            number = _PARA.match(first.text).group(0).strip()
        elif marker == "number":
            number = re.match(r"\(?(\d+)", first.text).group(1)
        content_start = _content_start(text, first.start, last.end, marker)
        segments.append(Segment(first.start, last.end, content_start, tuple(g["lines"]), g["text"], marker, number))
    noise = tuple((ln.start, ln.end) for ln in lines if ln.kind in ("noise", "bullet") and ln.end > ln.start)
    return Layout(tuple(lines), tuple(segments), hard, toc, noise)
