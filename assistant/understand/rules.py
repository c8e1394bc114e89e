"""The routing patterns as data: ``assistant/data/routing.yaml`` read, checked and compiled.

Why a module of its own: routing (``assistant.understand.route_rules``) and fact extraction
(``assistant.understand.facts``) both write their rules as regular expressions in
``routing.yaml``, with ``<<name>>`` references to a shared vocabulary. This module owns that
file's schema (strict pydantic models), its one-time loading (``functools.cache``, thread-safe,
no mutable state), and ``Rule``: a compiled pattern that searches like ``re.Pattern`` but fast
enough for the 0.2 ms budget per call (what a match must contain is read by
``assistant.understand.required_text``). The decisions made with these rules live in their users.

May import: ``assistant.datafiles``, ``assistant.errors``, ``assistant.understand.required_text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from assistant.datafiles import DATA_DIR, Strict, load_model
from assistant.errors import CorpusError
from assistant.understand.required_text import required, top_level

DATA_FILE = DATA_DIR / "routing.yaml"
_REF = re.compile(r"<<(\w+)>>")


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
        alternatives = top_level(source)
        word_start = all(a.startswith("\\b") for a in alternatives)
        if word_start:
            pattern = "|".join(a[2:] for a in alternatives)
        needs = required(pattern)
        useful = needs if needs and min(map(len, needs)) > 2 else None
        return Rule(re.compile(pattern), word_start, useful, source)
    except re.error as exc:
        raise CorpusError(f"{path.name}: bad pattern ({exc}): {pattern[:80]}") from None
