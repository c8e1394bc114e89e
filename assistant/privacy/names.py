"""Name detection for the personal-data guard: capitalised words that look like a person's name.

Why a module of its own: unlike the fixed-format identifiers (``assistant.privacy.patterns``),
names have no format, so they are guessed from capitalisation, cue words and word lists
(``assistant/data/privacy.yaml``, loaded by ``assistant.privacy.screen``). What counts is decided in
``assistant.privacy.screen``'s docstring: capitalised words after an introducer ("called"), a title
("Mrs Smith") or a person noun ("my pupil Jade"), and runs of two or more capitalised words
("Jade Smith") unless a word is a domain or everyday word or the run goes on into a domain word
("Gillick Competence"). Erring towards flagging: a missed name gets stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from assistant.privacy.patterns import Finding

_CUE_GAP = r"(?!\w)(?:[ \t]*[,(][ \t]*|[ \t]+)"  # "her mum Sarah", "her mum (Sarah)"
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class NameRules:
    """The compiled word lists: immutable, so safe to share between threads."""

    stop_words: frozenset[str]  # domain and everyday words: never part of a name
    domain_words: frozenset[str]
    introducer: re.Pattern[str]
    relation: re.Pattern[str]
    title: re.Pattern[str]


def name_rules(
    introducers: list[str],
    titles: list[str],
    relation_cues: list[str],
    domain_words: list[str],
    common_words: list[str],
) -> NameRules:
    """Compile the word lists of ``privacy.yaml`` (phrases match across any white space)."""
    domain = frozenset(w.lower() for w in domain_words)
    return NameRules(
        stop_words=domain | {w.lower() for w in common_words},
        domain_words=domain,
        introducer=_phrase_pattern(introducers, r"(?!\w)[ \t]+"),
        relation=_phrase_pattern(relation_cues, _CUE_GAP),
        title=_phrase_pattern(titles, r"\.?[ \t]+"),
    )


def _phrase_pattern(phrases: list[str], tail: str) -> re.Pattern[str]:
    alts = sorted((r"\s+".join(map(re.escape, p.split())) for p in phrases), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(alts)}){tail}", re.IGNORECASE)


class _Token(NamedTuple):
    start: int
    end: int  # excludes a possessive 's, which is kept outside [NAME]
    nameable: bool  # capitalised, not all capitals, not a domain or everyday word
    domain: bool  # capitalised domain word: a name-like run just before it names a thing
    joined: bool  # separated from the previous token by spaces only


def _tokens(text: str, rules: NameRules) -> list[_Token]:
    """The capitalised words of ``text`` (other words can't be names, so they are skipped
    cheaply; ``joined`` is false after a skipped word)."""
    out: list[_Token] = []
    prev_end = 0  # end of the previous word of any kind
    prev_kept = -1  # end of the previous capitalised word
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        if not text[start].isupper():
            prev_end = end
            continue
        core = _POSSESSIVE.sub("", m.group())
        if len(core) >= 2 and not core.isupper():
            key = core.lower().replace("’", "'")
            stop = key in rules.stop_words or any(p in rules.stop_words for p in key.split("-"))
            gap = text[prev_end:start]
            out.append(
                _Token(
                    start=start,
                    end=start + len(core),
                    nameable=not stop,
                    domain=key in rules.domain_words,
                    joined=prev_kept == prev_end and gap.isspace() and "\n" not in gap,
                )
            )
            prev_kept = end
        prev_end = end
    return out


def name_findings(text: str, rules: NameRules) -> Iterator[Finding]:
    """Cued and uncued names in ``text``, and every other mention of a word found in one ("Dropped
    Kai (9) home ... see Kai in": the second "Kai" has no cue, and is as identifying); findings may
    overlap (the caller merges them)."""
    tokens = _tokens(text, rules)
    found = list(_names(text, tokens, rules))
    named = {text[t.start:t.end] for f in found for t in tokens if f.start <= t.start and t.end <= f.end and t.nameable}
    yield from found
    yield from (Finding("name", t.start, t.end) for t in tokens if text[t.start:t.end] in named)


def _names(text: str, tokens: list[_Token], rules: NameRules) -> Iterator[Finding]:
    """The cued and uncued names (``name_findings``)."""
    by_start = {t.start: i for i, t in enumerate(tokens)}

    def run_from(i: int) -> int:
        """Index after the run of nameable, space-joined tokens starting at i; i itself when
        there is none or the run goes on into a domain word ("Gillick Competence")."""
        j, limit = i, min(len(tokens), i + _MAX_NAME_WORDS)
        while j < limit and tokens[j].nameable and (j == i or tokens[j].joined):
            j += 1
        if j < len(tokens) and tokens[j].joined and tokens[j].domain:
            return i
        return j

    # Cued names: "called Jade", "Mrs Smith", "my pupil Jade Smith".
    cued = ((rules.introducer, False), (rules.relation, False), (rules.title, True))
    for pattern, keep_cue in cued:
        for m in pattern.finditer(text):
            i = by_start.get(m.end())
            if i is None or (keep_cue and not m.group()[0].isupper()):
                continue
            j = run_from(i)
            if j > i:
                yield Finding("name", m.start() if keep_cue else tokens[i].start, tokens[j - 1].end)
    # Uncued names: two or more nameable capitalised words in a row ("Jade Smith"). A
    # sentence's first word counts too ("Jade Smith told me..."): a missed name gets stored,
    # so everyday sentence openers ("Outline", "Can") are in the word lists instead.
    i = 0
    while i < len(tokens):
        j = run_from(i)
        if j - i >= 2:
            yield Finding("name", tokens[i].start, tokens[j - 1].end)
        i = max(j, i + 1)
