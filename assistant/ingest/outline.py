"""What each segment of a guidance document is: heading, golden rule, myth, flowchart box, ...

``outline(layout)`` walks the segments from ``assistant.ingest.layout`` once, keeping a stack of
open headings, and groups segments into ``Unit``s — the things a practitioner cites and that must
not be cut in half: a numbered paragraph (hmg-2006 "3.17"), one of the seven golden rules, one of
the six key points, a myth-busting entry (statement + its whole answer), a flowchart question with
its answers, or a plain paragraph / list item that may be merged with its neighbours later.
Every unit carries its section path, e.g. ("Appendix 4", "Myth-busting guide to information
sharing", "Consent is always needed to share personal information").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.layout import Layout, Segment, clean_markup, is_terminal, strip_marker, title_key

_MARKDOWN_HEADING = re.compile(r"(#{1,6})\s+(.*)")
_APPENDIX = re.compile(r"(Appendix|Annex)\s+([0-9A-Z]{1,2})\b[:.]?\s*(.*)")
_NUMBERED = re.compile(r"(\d{1,2})\.\s*(.+)")
_SUBNUMBERED = re.compile(r"(\d{1,2})\.(\d{1,2})\s+(.+)")
_BOLD_ONLY = re.compile(r"\*\*(.+)\*\*")
_ANSWER = re.compile(r"(No|Yes)\b")
_LINK = "]("
_GOLDEN = re.compile(r"golden rules", re.IGNORECASE)
_KEY_POINTS = re.compile(r"key points", re.IGNORECASE)
_MYTHS = re.compile(r"myth", re.IGNORECASE)
_FLOWCHART = re.compile(r"flowchart", re.IGNORECASE)
# Sections that walk through the decision questions (calderdale Appendix 1, buckinghamshire Appendix 1).
_DECISION = re.compile(r"flowchart|when and how to share|decision making", re.IGNORECASE)
_UNNUMBERED_LEAF = 99.0


@dataclass(frozen=True)
class Unit:
    kind: str  # "paragraph" | "golden_rule" | "myth" | "flowchart" | "key_point" | "list" | "text"
    section: tuple[str, ...]
    segments: tuple[Segment, ...]
    paragraph: str | None = None
    title: str | None = None
    whole: bool = False  # a cited unit: never merged with a neighbour
    lead_in: bool = False  # ends with ":" — keep it with what follows
    heading_start: int | None = None  # the headings right before it, shown with it ("6.1 Across Borders")


@dataclass
class _Heading:
    """An open heading. Levels: 1 numbered section, appendix, "##" heading or contents entry;
    1.5 an appendix's title on the line after "Appendix 4"; 2 a sub-heading or a numbered decision
    box; 3+ deeper markdown. A leaf (myth statement, flowchart question) is replaced by the next leaf
    and closed by any heading."""

    level: float
    title: str
    leaf: bool = False


def _words(text: str) -> int:
    return len(clean_markup(text).split())


def _plain(text: str) -> str:
    return clean_markup(text).rstrip(":").strip()


class _Walker:
    def __init__(self, layout: Layout):
        self.layout = layout
        self.stack: list[_Heading] = []
        self.units: list[Unit] = []
        self.open: dict | None = None  # an absorbing unit being built
        self.last_top = 0
        self.seen_heading = False
        self.seen_appendix = False
        self.bare_appendix = False  # the previous segment was "Appendix 4" with no title
        self.next_bare = False
        self.golden_count = 0
        self.key_count = 0
        self.heading_start: int | None = None  # start of the run of headings not yet followed by text
        self.heading_level = 0.0

    # ----- section stack -------------------------------------------------------------
    def section(self) -> tuple[str, ...]:
        return tuple(h.title for h in self.stack)

    def _in(self, pattern: re.Pattern) -> bool:
        return any(pattern.search(h.title) for h in self.stack)

    def push(self, level: float, title: str, leaf: bool = False) -> None:
        self.close()
        if leaf and level == _UNNUMBERED_LEAF:
            self.stack = [h for h in self.stack if not h.leaf]
        else:
            self.stack = [h for h in self.stack if h.level < level and not h.leaf]
        self.stack.append(_Heading(level, title, leaf))
        if not leaf:
            self.seen_heading = True
            self.golden_count = self.key_count = 0

    # ----- units ---------------------------------------------------------------------
    def close(self) -> None:
        if self.open:
            o = self.open
            segs = tuple(o["segs"])
            self.units.append(Unit(o["kind"], o["section"], segs, o["paragraph"], o["title"], whole=True))
            self.open = None

    def start(self, kind: str, seg: Segment, paragraph: str | None = None, title: str | None = None) -> None:
        self.close()
        self.heading_start = None  # a cited unit starts at its own number, rule or statement
        self.open = {
            "kind": kind, "section": self.section(), "segs": [seg], "paragraph": paragraph, "title": title
        }

    def body(self, seg: Segment) -> None:
        heading_start, self.heading_start = self.heading_start, None
        if self.open and seg.marker != "footnote":
            self.open["segs"].append(seg)
            return
        self.close()
        if self._in(_FLOWCHART):
            kind = "flowchart"
        elif not self.stack or self.stack[0].title.startswith("Annex") or seg.marker == "footnote":
            kind = "text"
        elif seg.marker in ("bullet", "number", "letter"):
            kind = "list"
        elif _words(seg.text) < 8 and not is_terminal(seg.text):
            kind = "text"
        else:
            kind = "paragraph"
        title = self.stack[-1].title if self.stack else None
        lead_in = seg.text.rstrip("* ").endswith(":")
        self.units.append(Unit(kind, self.section(), (seg,), None, title, False, lead_in, heading_start))

    # ----- headings ------------------------------------------------------------------
    def heading(self, seg: Segment, nxt: Segment | None) -> tuple[float, str] | None:
        text = seg.text.strip()
        words = _words(text)
        if _LINK in text or seg.marker == "footnote":
            return None
        md = _MARKDOWN_HEADING.fullmatch(text)
        if md:
            return max(1.0, len(md.group(1)) - 1.0), _plain(md.group(2))
        app = _APPENDIX.fullmatch(_plain(text))
        if app and words <= 20:
            self.seen_appendix = True
            return 1.0, _plain(text)
        if self.layout.toc and title_key(text) in self.layout.toc and words <= 24:
            return (1.5 if self.bare_appendix else (2.0 if _SUBNUMBERED.match(text) else 1.0)), _plain(text)
        title_text = clean_markup(text)
        ends_badly = title_text.endswith((".", ",", ";", ":"))
        num = _NUMBERED.fullmatch(text)
        if seg.marker == "number" and num and not self.seen_appendix and not self.layout.toc:
            if int(num.group(1)) == self.last_top + 1 and _words(num.group(2)) <= 14 and not ends_badly:
                if not title_text.endswith(("?", "!")):
                    self.last_top += 1
                    return 1.0, _plain(text)
        if seg.marker:
            return None
        bold = _BOLD_ONLY.fullmatch(text)
        if bold and words <= 12 and not ends_badly:
            return 2.0, _plain(text)
        before_para = nxt is not None and nxt.marker == "para"
        if words > (20 if before_para else 12) or ends_badly or not title_text[:1].isupper():
            return None
        if self.bare_appendix:
            return 1.5, _plain(text)  # "Appendix 4" then its title on the next line
        if ("," in title_text or ":" in title_text) and not before_para:
            return None  # "If Unsure, seek advice", "Date:" are flowchart answers and form fields
        if self._in(_FLOWCHART) or (self.stack and self.stack[0].title.startswith("Annex")):
            return None
        if self.layout.hard_wrapped:
            if not self.seen_heading:
                return None  # the title page of a hard-wrapped document has no headings we can trust
            prose_follows = (
                nxt is not None and _words(nxt.text) >= 12 and nxt.text.rstrip("* ").endswith((".", ":", "?", "!"))
            )
            if not (before_para or _FLOWCHART.search(text) or prose_follows):
                # "Legal basis for sharing" in a form, "The Human Rights Act 1998" in a list
                return None
            if title_text.endswith("?") and not before_para:
                return None
        if self.golden_count or self.key_count:
            return self.stack[-1].level, _plain(text)  # a list-of-rules section has no subsections
        return (1.0 if title_key(text) in self.layout.toc else 2.0), _plain(text)

    # ----- the walk ------------------------------------------------------------------
    def walk(self) -> list[Unit]:
        segs = self.layout.segments
        for i, seg in enumerate(segs):
            nxt = segs[i + 1] if i + 1 < len(segs) else None
            self.next_bare = False
            self.step(seg, nxt)
            self.bare_appendix = self.next_bare
        self.close()
        return self.units

    def step(self, seg: Segment, nxt: Segment | None) -> None:
        text = clean_markup(seg.text)
        nxt_text = clean_markup(nxt.text) if nxt else ""
        nxt_body = clean_markup(strip_marker(nxt.text)) if nxt else ""
        # A golden rule: a numbered or bulleted item under a "seven golden rules" heading.
        if (
            self.stack
            and _GOLDEN.search(self.stack[-1].title)
            and self.golden_count < 7
            and seg.marker in ("number", "bullet")
            and _words(seg.text) > 12
            and title_key(seg.text) not in self.layout.toc
        ):
            self.golden_count += 1
            n = int(seg.number) if seg.marker == "number" and seg.number else self.golden_count
            self.start("golden_rule", seg, f"Golden rule {n}", f"Golden rule {n}")
            self.close()
            return
        # One of the six key points (hmg-2006 Section 2).
        if self.stack and _KEY_POINTS.search(self.stack[-1].title) and seg.marker == "bullet":
            self.key_count += 1
            self.start("key_point", seg, None, f"Key point {self.key_count}")
            self.close()
            return
        # A numbered paragraph (hmg-2006 "3.17 ...") absorbs its bullets until the next one.
        if seg.marker == "para":
            title = self.stack[-1].title if self.stack else None
            self.start("paragraph", seg, seg.number, title)
            return
        # A myth: a statement line answered by "No – ..." / "Yes ...".
        if self._in(_MYTHS) and not seg.marker and nxt and _ANSWER.match(nxt_text) and not is_terminal(text):
            statement = _plain(seg.text)
            self.push(_UNNUMBERED_LEAF, statement, leaf=True)
            self.start("myth", seg, None, statement)
            return
        # A flowchart question answered by "- Yes – ..." / "- No – ..." items.
        answered = nxt is not None and nxt.marker == "bullet" and _ANSWER.match(nxt_body)
        if text.endswith("?") and not seg.marker and answered:
            question = _plain(seg.text)
            self.push(_UNNUMBERED_LEAF, question, leaf=True)
            self.start("flowchart", seg, None, question)
            return
        # A numbered box of a decision walk-through in an appendix (calderdale, buckinghamshire);
        # level 2 so it replaces a sub-heading but stays under the appendix and its title (1.5).
        if (
            seg.marker == "number"
            and self.seen_appendix
            and self._in(_DECISION)
            and not self._in(_GOLDEN)
            and _words(seg.text) <= 35
        ):
            box = _plain(seg.text)
            self.push(2.0, box, leaf=True)
            self.start("flowchart", seg, None, box)
            return
        found = self.heading(seg, nxt)
        if found:
            level, title = found
            self.push(level, title)
            if seg.text.startswith("#"):
                self.heading_start = None  # markdown "## ..." would render as a heading inside a passage
            elif self.heading_start is None or self.heading_level >= level:
                self.heading_start, self.heading_level = seg.start, level  # an empty heading is dropped
            app = _APPENDIX.fullmatch(title)
            self.next_bare = bool(app) and not app.group(3)
            return
        self.body(seg)


def outline(layout: Layout) -> list[Unit]:
    """The document's units in order, each with its section path."""
    return _Walker(layout).walk()
