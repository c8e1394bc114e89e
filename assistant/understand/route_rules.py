"""The routing cues of data/routing.yaml (urgency, decision intent, follow-ups), compiled once.

Why deterministic: these routes decide whether the answer leads with "contact the police /
children's social care now" and whether the decision engine runs, so they must be predictable,
testable and explainable. All wording lives in ``assistant/data/routing.yaml``;
``assistant.understand.rules`` loads it and compiles each pattern; this module builds every
pattern once (``functools.cache``, thread-safe, no mutable state). The readers that apply them
are ``urgency``, ``intent`` and ``follow_up``; texts are normalised first in the rule form
(``assistant.understand.normalise``).

May import: ``assistant.understand.rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.understand.rules import DATA_FILE, Rule, compile_rule, load_data


@dataclass(frozen=True)
class UrgentRule:
    name: str
    patterns: tuple[Rule, ...]
    per_sentence: bool
    person: Rule | None


@dataclass(frozen=True)
class Rules:
    """Every routing pattern, compiled. Immutable, so safe to share between threads."""

    urgent: tuple[UrgentRule, ...]
    veto_hypothetical: Rule
    veto_abstract: Rule
    anchor: Rule
    specific: Rule
    stale: Rule
    fresh: Rule
    frame_verb: Rule
    weak_frame_verb: Rule
    elliptic: Rule
    share_verb: Rule
    passive: Rule
    general_marker: Rule
    decision_hypothetical: Rule
    case_object: Rule
    general_cue: Rule
    fu_opener: Rule
    fu_always: Rule
    fu_fragment: Rule
    fu_anaphor: Rule
    fu_pronoun: Rule
    fu_indefinite: Rule
    fu_limits: tuple[int, int, int, int]


@cache
def rules(path: Path = DATA_FILE) -> Rules:
    """The urgency, decision and follow-up patterns of ``routing.yaml``, compiled once."""
    data = load_data(path)

    def c(*patterns: str) -> Rule:
        return compile_rule(path, *patterns)

    u, d, f = data.urgent, data.decision, data.follow_up

    def then_verb(frames: list[str]) -> str:
        return "(?:" + "|".join(frames) + f"){d.gap}(?:{d.share_verb})\\b"

    return Rules(
        urgent=tuple(
            UrgentRule(r.name, tuple(c(p) for p in r.all), r.scope == "sentence",
                       c(r.person) if r.person else None)
            for r in u.rules
        ),
        veto_hypothetical=c(u.veto_hypothetical), veto_abstract=c(u.veto_abstract),
        anchor=c(u.anchor), specific=c(u.specific), stale=c(u.stale), fresh=c(u.fresh),
        frame_verb=c(then_verb(d.frame)), weak_frame_verb=c(then_verb(d.weak_frame)),
        elliptic=c(d.elliptic), share_verb=c(f"\\b(?:{d.share_verb})\\b"), passive=c(d.passive),
        general_marker=c(d.general_marker), decision_hypothetical=c(d.hypothetical),
        case_object=c(*d.case_object), general_cue=c(d.general_cue),
        fu_opener=c(*f.opener), fu_always=c(*f.always), fu_fragment=c(*f.fragment),
        fu_anaphor=c(f.anaphor), fu_pronoun=c(f.pronoun), fu_indefinite=c(f.indefinite),
        fu_limits=(f.max_words_opener, f.max_words_anaphor, f.max_words_pronoun,
                   f.max_words_fragment),
    )
