"""The routing patterns as data: ``assistant/data/routing.yaml`` read, checked and compiled.

Why a module of its own: routing (``assistant.understand.routing``) and fact extraction
(``assistant.understand.facts``) both write their rules as regular expressions in
``routing.yaml``, with ``<<name>>`` references to a shared vocabulary. This module owns that
file's schema (strict pydantic models), its one-time loading (``functools.cache``, thread-safe,
no mutable state), the normal form every rule is written for (``normalise``), and ``Rule``: a
compiled pattern that searches like ``re.Pattern`` but fast enough for the 0.2 ms budget per
call. The decisions made with these rules live in their users.
"""

from __future__ import annotations

import re
import re._constants as _c  # the parsed form of a pattern: what every match must contain
import re._parser as _parser  # (Python 3.11, as pinned in pyproject.toml)
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from assistant.errors import CorpusError
from assistant.datafiles import DATA_DIR, Strict, load_model

DATA_FILE = DATA_DIR / "routing.yaml"
_REF = re.compile(r"<<(\w+)>>")
_TRANSLATE = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"',
                            "–": "-", "—": "-", "‐": "-", "‑": "-", "…": "..."})
_WS = re.compile(r"\s+")


class _UrgentRule(Strict):
    name: str = Field(min_length=1)
    all: list[str] = Field(min_length=1)
    scope: Literal["text", "sentence"] = "text"
    person: str | None = None


class _Urgent(Strict):
    veto_hypothetical: str
    veto_abstract: str
    anchor: str
    specific: str
    stale: str
    fresh: str
    rules: list[_UrgentRule] = Field(min_length=1)


class _Decision(Strict):
    frame: list[str] = Field(min_length=1)
    weak_frame: list[str] = Field(min_length=1)
    elliptic: str
    gap: str
    share_verb: str
    passive: str
    general_marker: str
    hypothetical: str
    case_object: list[str] = Field(min_length=1)
    general_cue: str


class _FollowUp(Strict):
    opener: list[str] = Field(min_length=1)
    always: list[str] = Field(min_length=1)
    fragment: list[str] = Field(min_length=1)
    anaphor: str
    pronoun: str
    indefinite: str
    max_words_opener: int = Field(gt=0)
    max_words_anaphor: int = Field(gt=0)
    max_words_pronoun: int = Field(gt=0)
    max_words_fragment: int = Field(gt=0)


class _Data(Strict):
    vocab: dict[str, str]
    urgent: _Urgent
    decision: _Decision
    follow_up: _FollowUp
    facts: dict[str, Any]  # validated by assistant.understand.facts


def normalise(text: str) -> str:
    """The form every rule is written for: lower case, plain quotes and dashes, single spaces."""
    return _WS.sub(" ", text.translate(_TRANSLATE)).strip().lower()


@cache
def load_data(path: Path = DATA_FILE) -> _Data:
    """``routing.yaml``, read and checked once (the ``facts`` section is checked by its user)."""
    return load_model(_Data, path)


@dataclass(frozen=True)
class Rule:
    """A compiled pattern that searches like ``re.Pattern``, but fast.

    Why (the budget is 0.2 ms a call): Python's ``re`` tries a long alternation at nearly every
    position. Two exact shortcuts: ``needs``, strings of which any match must contain one (read
    from the parsed pattern), so most rules are ruled out by a few ``in`` tests; and when every
    top-level alternative opens with ``\\b``, the ``\\b`` is taken out of the regex (which then
    scans fast for its first letters) and checked here instead, with the same meaning.
    """

    regex: re.Pattern[str]
    word_start: bool
    needs: frozenset[str] | None
    source: str  # the pattern as written (vocabulary filled in), for tests and debugging

    def search(self, text: str, pos: int = 0, checked: bool = False) -> re.Match[str] | None:
        """Like ``re.Pattern.search``; ``checked``: the caller has already tested ``needs``."""
        if not checked and self.needs is not None and not any(n in text for n in self.needs):
            return None
        while (m := self.regex.search(text, pos)) is not None:
            if not self.word_start or _at_boundary(text, m.start()):
                return m
            pos = m.start() + 1
        return None

    def match(self, text: str) -> re.Match[str] | None:
        if self.needs is not None and not any(n in text for n in self.needs):
            return None
        m = self.regex.match(text)
        return m if m is None or not self.word_start or _at_boundary(text, 0) else None

    def finditer(self, text: str, checked: bool = False) -> Iterator[re.Match[str]]:
        pos = 0
        while (m := self.search(text, pos, checked)) is not None:
            yield m
            pos, checked = max(m.end(), m.start() + 1), True

    def sub(self, repl: str, text: str) -> str:
        out, pos = [], 0
        for m in self.finditer(text):
            out += [text[pos : m.start()], repl]
            pos = m.end()
        return "".join(out) + text[pos:]


def _at_boundary(text: str, i: int) -> bool:
    """What ``\\b`` means at index ``i``: a word character on exactly one side."""
    def word(ch: str) -> bool:
        return ch.isalnum() or ch == "_"
    return (i > 0 and word(text[i - 1])) != (i < len(text) and word(text[i]))


def compile_rule(path: Path, *patterns: str) -> Rule:
    """One rule from alternatives, with ``<<name>>`` replaced by the vocabulary entry."""
    vocab, pattern = load_data(path).vocab, "|".join(patterns)
    for _ in range(5):  # vocabulary entries may use other entries
        if not _REF.search(pattern):
            break
        try:
            pattern = _REF.sub(lambda m: f"(?:{vocab[m.group(1)]})", pattern)
        except KeyError as exc:
            raise CorpusError(f"{path.name}: unknown vocabulary name {exc}") from None
    try:
        source = pattern
        re.compile(source)
        alternatives = _top_level(source)
        word_start = all(a.startswith("\\b") for a in alternatives)
        if word_start:
            pattern = "|".join(a[2:] for a in alternatives)
        needs = _needs(_parser.parse(pattern))
        useful = needs if needs and min(map(len, needs)) > 2 else None
        return Rule(re.compile(pattern), word_start, useful, source)
    except re.error as exc:
        raise CorpusError(f"{path.name}: bad pattern ({exc}): {pattern[:80]}") from None


def _top_level(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern``, after unwrapping a group around the whole."""
    while True:
        marks = list(_structure(pattern))
        cuts = [i for i, ch, depth in marks if ch == "|" and depth == 0]
        closes = [i for i, ch, depth in marks if ch == ")" and depth == 0]
        if not cuts and pattern.startswith("(?:") and closes == [len(pattern) - 1]:
            pattern = pattern[3:-1]
            continue
        bounds = [-1, *cuts, len(pattern)]
        return [pattern[a + 1 : b] for a, b in zip(bounds, bounds[1:])]


def _needs(items: Any) -> frozenset[str] | None:
    """Strings of which every match of the parsed sequence ``items`` contains at least one
    (the choice whose shortest string is longest), or None when nothing is certain."""
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):  # zero width: a literal run goes on
            continue
        consider(frozenset({"".join(run)}) if run else None)
        run = []
        if op is _c.SUBPATTERN:
            consider(_needs(av[-1]))
        elif op is _c.BRANCH:
            parts = [_needs(b) for b in av[1]]
            if all(parts):
                consider(frozenset().union(*parts))  # type: ignore[arg-type]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_needs(av[2]))
    consider(frozenset({"".join(run)}) if run else None)
    return best


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth outside it) of each ``(``, ``)`` and ``|`` that is not escaped
    or inside a character class."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()|":
            depth -= ch == ")"
            yield i, ch, depth
            depth += ch == "("
        i += 1

