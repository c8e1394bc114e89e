"""What every match of a regular expression must contain, read from the pattern's text.

``required(pattern)`` gives strings of which any match contains at least one (or None when
nothing is certain), so ``assistant.understand.rules.Rule`` can rule a text out with a few
``in`` tests before running the regex. ``top_level`` gives a pattern's top-level alternatives.

Why a parser of our own: the patterns in data/routing.yaml use a small part of the regex
syntax (literals, ``\\b \\w \\s \\d \\S``, classes, groups, lookarounds, alternation and
quantifiers). This reads exactly that part with public tools only, and gives up (returns None,
so the rule is simply not pre-filtered) on anything else. It mirrors how Python's own parser
shapes a pattern (a non-capturing group is put in place; a prefix common to every alternative
is taken out; alternatives of one character become a class), so the strings found are the ones the engine itself would require.

May import: nothing from ``assistant``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

_REPEAT = re.compile(r"\{(\d*)(,?)(\d*)\}")
_CLASSES = frozenset("wWsSdD")
_ZERO_WIDTH = frozenset("bBAZ")
_UNIQUE = itertools.count(1)
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}


class _Unsupported(Exception):
    """Syntax this reader does not handle: the pattern gets no pre-filter."""


def required(pattern: str) -> frozenset[str] | None:
    """Strings of which every match of ``pattern`` contains one (the choice whose shortest string
    is longest), or None when nothing is certain or the syntax is not one this module reads."""
    try:
        items, end = _sequence(pattern, 0, _UNIQUE)
    except (_Unsupported, IndexError):
        return None
    return None if end != len(pattern) else _needs(items)


# Items: ("L", char) a literal; ("Z", key) zero width (\b, ^, $, a lookaround); ("X", key,
# mergeable) any other single character (a class, \w, .); ("S", group, items) a group;
# ("B", alternatives, n) alternatives; ("R", min, quantifier, items, n) a repeat. As in Python's
# parser, alternatives, repeats, lookarounds and capturing groups never equal one another (the
# unique n), so only literals, classes and anchors are taken out as a common prefix.


def _sequence(p: str, i: int, groups: Iterator[int]) -> tuple[tuple, int]:
    alternatives: list[list] = [[]]
    while i < len(p) and p[i] != ")":
        if p[i] == "|":
            alternatives.append([])
            i += 1
            continue
        atom, i = _atom(p, i, groups)
        if i < len(p) and p[i] in "*+?{":
            atom, i = _repeat(p, i, atom)
        alternatives[-1].append(atom)
    return _alternation(alternatives), i


def _atom(p: str, i: int, groups: Iterator[int]) -> tuple[tuple, int]:
    ch = p[i]
    if ch == "(":
        for opener, zero in (("(?:", False), ("(?=", True), ("(?!", True), ("(?<=", True), ("(?<!", True)):
            if p.startswith(opener, i):
                items, i = _sequence(p, i + len(opener), groups)
                return (("Z", next(groups)) if zero else ("S", None, items)), _close(p, i)
        if p.startswith("(?", i):
            raise _Unsupported(p[i : i + 3])
        group = next(groups)  # capturing groups never equal one another
        items, i = _sequence(p, i + 1, groups)
        return ("S", group, items), _close(p, i)
    if ch == "[":
        j = i + 1 + (p[i + 1] == "^")
        j += p[j] == "]"  # a "]" first in a class is a literal
        while p[j] != "]":
            j += 2 if p[j] == "\\" else 1
        return ("X", p[i : j + 1], p[i + 1] != "^"), j + 1
    if ch == "\\":
        e = p[i + 1]
        if e in _ZERO_WIDTH:
            return ("Z", e), i + 2
        if e in _CLASSES:
            return ("X", "\\" + e, True), i + 2
        if e in _ESCAPED:
            return ("L", _ESCAPED[e]), i + 2
        if e.isalnum():
            raise _Unsupported("\\" + e)
        return ("L", e), i + 2
    if ch in "^$":
        return ("Z", ch), i + 1
    if ch == ".":
        return ("X", ".", False), i + 1
    return ("L", ch), i + 1


def _close(p: str, i: int) -> int:
    if p[i] != ")":
        raise _Unsupported("unbalanced")
    return i + 1


def _repeat(p: str, i: int, atom: tuple) -> tuple[tuple, int]:
    if p[i] == "{":
        m = _REPEAT.match(p, i)
        if m is None:
            raise _Unsupported("{")
        least, j = int(m.group(1) or 0), m.end()
    else:
        least, j = (1 if p[i] == "+" else 0), i + 1
    if j < len(p) and p[j] in "?+":
        j += 1
    inner = atom[2] if atom[0] == "S" and atom[1] is None else (atom,)  # as Python unwraps (?:...)+
    return ("R", least, p[i:j], inner, next(_UNIQUE)), j


def _alternation(alternatives: list[list]) -> tuple:
    """The parsed sequence of ``a|b|...``, shaped as Python's parser shapes it."""
    alternatives = [_splice(a) for a in alternatives]
    if len(alternatives) == 1:
        return tuple(alternatives[0])
    prefix: list = []
    while all(alternatives) and all(a[0] == alternatives[0][0] for a in alternatives):
        prefix.append(alternatives[0][0])
        alternatives = [a[1:] for a in alternatives]
    if all(len(a) == 1 and (a[0][0] == "L" or (a[0][0] == "X" and a[0][2])) for a in alternatives):
        return (*prefix, ("X", tuple(a[0] for a in alternatives), True))
    return (*prefix, ("B", tuple(tuple(a) for a in alternatives), next(_UNIQUE)))


def _splice(items: list) -> list:
    """A non-capturing group's items, put in place of the group (as Python's parser does)."""
    out: list = []
    for item in items:
        out.extend(item[2] if item[0] == "S" and item[1] is None else (item,))
    return out


def _needs(items: tuple) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    for item in items:
        kind = item[0]
        if kind == "L":
            run.append(item[1])
            continue
        if kind == "Z":  # zero width: a literal run goes on
            continue
        consider(frozenset({"".join(run)}) if run else None)
        run = []
        if kind == "S":
            consider(_needs(item[2]))
        elif kind == "B":
            parts = [_needs(b) for b in item[1]]
            if all(parts):
                consider(frozenset().union(*parts))  # type: ignore[arg-type]
        elif kind == "R" and item[1] >= 1:
            consider(_needs(item[3]))
    consider(frozenset({"".join(run)}) if run else None)
    return best


def top_level(pattern: str) -> list[str]:
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
