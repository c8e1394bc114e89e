"""The one negation reader: what a "not", "no" or "never" reaches.

Two entry points, for the two kinds of reading that need it:

- ``NegationReader.analyse``: negation scope inside one clause of a claim, which restrictive
  phrases ("stops", "a barrier", "can't share") and share verbs a negator reaches (the claim
  reader, word lists from data/claims.yaml);
- ``negated_before``: is a stated fact's phrase negated by the words just before it in its
  clause ("no court order", "hasn't agreed"; the fact reader, patterns from data/routing.yaml).

Why its own step: a claim's polarity turns on whether its restrictive instance is negated IN THE SAME
CLAUSE ("GDPR is not a barrier", but not "if they do not reply I can assume..."), and the reach of a
negator is a small grammar of its own (bridge words it reaches across, "don't LET ... get in the way",
hedges like "not sure" that negate nothing). ``assistant.understand.claim_reader`` splits a question into
clauses and hands each one here; the word lists come from data/claims.yaml via the reader.

May import: nothing from ``assistant`` (patterns and word lists are passed in).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_MODALS = frozenset("can could may might must shall should will would".split())
_PAST = re.compile(r"\w+ed|said|told|gave|given|sent|went|gone|did|done|left|rang|seen|spoke|spoken")
_PERMISSION_REACH = 10  # "don't LET fear of getting it wrong GET IN THE WAY": the negator reaches past the object
_WINDOW = 6  # how far before a restrictive instance a negator reaches
_CORE_WINDOW = 5


@dataclass(frozen=True)
class Clause:
    text: str
    tokens: tuple[str, ...]
    starts: tuple[int, ...]  # character offset of each token in text
    asserted: int  # restrictive instances no negator reaches
    denied: int  # restrictive instances negated by "not"
    denied_universal: int  # restrictive instances negated only by "never", "nothing", ...
    free: tuple[int, ...]  # negators that can negate a core predicate near them
    consumed: tuple[tuple[int, int], ...]  # (negator, negated share verb) pairs ("not share")
    phrase_negators: tuple[int, ...]  # "without", "rather than", ...
    gap: tuple[bool, ...] = ()  # per token: can a negator reach across it ("does NOT really MEAN i can...")
    # a restrictive instance read as asserted has a negator shortly before it that negates nothing the
    # reader knows ("data protection ISN'T what STOPS you"): its polarity is not read with confidence
    unsure: bool = False

    def token_at(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def negated(self, start: int, end: int) -> bool:
        """Whether the words in characters [start, end) are negated in this clause."""
        first, last = self.token_at(start), self.token_at(max(start, end - 1))
        if any(first - _CORE_WINDOW <= p <= last and self.reaches(p, first) for p in self.free):
            return True
        if any(p <= first <= target for p, target in self.consumed):
            return True
        return any(first - 3 <= p < first for p in self.phrase_negators)

    def reaches(self, p: int, target: int) -> bool:
        """Whether a negator at p can negate the word at target: only across bridge words ("does NOT
        necessarily STOP"), not across another verb ("if they do NOT reply I can ASSUME")."""
        return all(self.gap[p + 1 : target])

    def occurrences(self, patterns: tuple[re.Pattern, ...]) -> list[bool]:
        """For every match of ``patterns``: is it negated?"""
        return [self.negated(m.start(), m.end()) for p in patterns for m in p.finditer(self.text)]


@dataclass(frozen=True)
class NegationReader:
    """The compiled word lists negation needs (built by ``claim_reader.Reader`` from its
    ``Language``). Immutable, so safe to share between threads."""

    share: re.Pattern  # a whole token that is a share verb ("share", "passed", "disclose")
    restrictive: re.Pattern  # phrases that hold sharing back
    hedges: re.Pattern  # "not sure", "whether or not": negate nothing
    core_negators: re.Pattern  # "without", "rather than": negate a core predicate just after them
    explicit: frozenset[str]  # "no need", "no barrier": "no" phrases that deny like "not"
    universal: frozenset[str]  # "never", "nothing": denials that over-claim
    no_objects: frozenset[str]  # "no consent": such a "no" denies no restriction (a core predicate at most)
    bridge: frozenset[str]  # words a negator reaches across to a share verb
    gap: frozenset[str]  # words a negator reaches across to a restrictive instance
    permission: frozenset[str]  # "let", "allowed"

    def analyse(self, tokens: list[str]) -> Clause:
        """One clause's tokens -> its restrictive instances, which of them are negated and by what kind
        of negator, and the negators left free to negate a claim's core predicate."""
        text = " ".join(tokens)
        starts, offset = [], 0
        for token in tokens:
            starts.append(offset)
            offset += len(token) + 1
        gap = tuple(t in self.gap or bool(self.share.match(t)) for t in tokens)
        clause = Clause(text, tuple(tokens), tuple(starts), 0, 0, 0, (), (), (), gap)
        hedged = {
            clause.token_at(m.start()) + k for m in self.hedges.finditer(text) for k in range(len(m.group().split()))
        }
        negators: dict[int, str] = {}
        for i, token in enumerate(tokens):
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if i in hedged:
                continue
            if token == "not" or (token == "no" and f"no {following}" in self.explicit):
                negators[i] = "explicit"
            elif token == "no" and following in self.no_objects:
                negators[i] = "object"
            elif token in self.universal:
                negators[i] = "universal"
        spans = [(clause.token_at(m.start()), clause.token_at(m.end() - 1)) for m in self.restrictive.finditer(text)]
        span_starts = {s for s, _ in spans}
        consumed: dict[int, int] = {}
        for p, kind in negators.items():
            if kind != "object":
                target = self._negated_share_verb(tokens, p, span_starts)
                if target is not None:
                    consumed[p] = target
        instances = spans + [(p, target) for p, target in consumed.items()]
        free = sorted(p for p, kind in negators.items() if kind != "object" and p not in consumed)
        negation: dict[int, str] = {}
        used: set[int] = set()
        for p in free:
            inside = [i for i, (s, e) in enumerate(instances) if s < p <= e and i not in negation]
            letting = p + 1 < len(tokens) and tokens[p + 1] in self.permission  # "don't LET fear get in the way"
            after = [
                i for i, (s, _) in enumerate(instances)
                if i not in negation and 0 < s - p <= (_PERMISSION_REACH if letting else _WINDOW)
                and (letting or clause.reaches(p, s))
            ]
            chosen = inside or sorted(after, key=lambda i: instances[i][0])
            if chosen:
                negation[chosen[0]] = negators[p]
                used.add(p)
        kinds = [negation.get(i) for i in range(len(instances))]
        # a plain "not" negating no restriction nor share verb, shortly before a restrictive phrase
        idle = [p for p in free if p not in used and negators[p] == "explicit"]
        unsure = any(kinds[i] is None and 0 < s - p <= _WINDOW for i, (s, _) in enumerate(spans) for p in idle)
        core_free = tuple(sorted(set(free) | {p for p, kind in negators.items() if kind == "object"}))
        phrases = tuple(clause.token_at(m.start()) for m in self.core_negators.finditer(text))
        return Clause(
            text, tuple(tokens), tuple(starts), kinds.count(None), kinds.count("explicit"), kinds.count("universal"),
            core_free, tuple(consumed.items()), phrases, gap, unsure,
        )

    def _negated_share_verb(self, tokens: list[str], p: int, span_starts: set[int]) -> int | None:
        """ "not share", "can not BE given", "nothing can be passed", "not allowed (to share)": the share
        verb a negator negates, or None when it negates something else (a barrier, "stand in the way")."""
        for j in range(p + 1, min(len(tokens), p + 6)):
            token = tokens[j]
            if j in span_starts:
                return None
            if self.share.match(token):
                modal = any(t in _MODALS or t in self.permission for t in tokens[max(0, p - 2) : j])
                if _PAST.fullmatch(token) and not modal:
                    return None  # "she never said", "I wasn't told": an event, not a rule about sharing
                return j
            if token in self.permission:
                k = j + 1
                while k < len(tokens) and tokens[k] in ("to", "me", "us", "you", "them", "be", "i", "we"):
                    k += 1
                if k >= len(tokens) or self.share.match(tokens[k]):
                    return j
                return None
            if token not in self.bridge:
                return None
        return None


def negated_before(near: str, clause_start: str, negation, ignore, across) -> bool:
    """True when a phrase is negated by ``near`` (the last few words before it in its inner clause,
    with ``ignore`` phrases such as "no doubt" blanked out) or by an ``across`` phrase anywhere in
    ``clause_start`` (the words before it in its whole clause, e.g. "I don't think ...")."""
    return bool(negation.search(ignore.sub(" ", near)) or across.search(clause_start))
