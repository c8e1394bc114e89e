"""Question routing: is a child in danger now, is this one concrete sharing decision, is it a follow-up.

Why deterministic: these routes decide whether the answer leads with "contact the police /
children's social care now" and whether the decision engine runs, so they must be predictable,
testable and explainable. All wording lives in ``assistant/data/routing.yaml``;
``assistant.understand.rules`` loads and compiles it once (``functools.cache``, thread-safe, no
mutable state) and this module applies it. Texts are normalised first (lower case, plain
quotes and dashes, folded white space).

Urgent (``is_urgent``/``urgent_reason``): a present or imminent danger to a person in THIS case.
Rules need more than an urgent-sounding word: a weapon someone has; harm in progress ("is being
hurt"); a threat of harm ("is going to hurt her", "he'll be beaten"); a fresh disclosure
("has just told me" + a harm word); a child who won't go home or is missing; self-harm now;
abduction; a child left alone; "is at immediate risk"; an assault with a recent time ("this
morning"); an injury with a recent time AND an attribution ("says dad did it an hour ago";
bruises noticed today without an account are not urgent); or, in one sentence, a time marker
("right now", "tonight") with a danger word, about a person. Nothing is urgent when the text
frames an imagined or general case ("if a child...", "scenario", "in general") or is about
texts and rules ("guidance", "training", "counts as") unless it is anchored in a real case ("has
just", "one of my pupils", "I'm on a home visit") or, for the abstract framing, names a
particular person ("he", "her dad"). A case in the past ("last year", "weeks ago") with no
fresh marker is not urgent.

Decision (``wants_decision``): a strong first-person frame ("can I", "should we", "can our
team", "am I allowed to", "is it OK to", "do I need ... to", "do I tell") or a passive one
("should her GP be told?") followed within five words by a sharing verb (share, tell, pass on,
refer, email, ring, inform, report, give, confirm, let ... know ...) routes when the text names
a case object ("this", "her", "his mum", "a pupil", "the family", "my client", "[NAME]", "what
she told me"), or names none but also no general cue (information, data, consent, agencies,
bare plurals like "parents"): "Should I tell the police?" routes, "Can I share information
without consent?" does not. Weak frames ("I want to tell", "not sure whether to", "who should
I") and an elliptical ending after a described case ("... Can I?", "Should I go ahead?") route
only with a case object. Impersonal questions ("can information be shared", "can practitioners
share") and "how should I" have no frame. "Ever", "always", "in general", "under what
circumstances" and imagined cases ("if a child ...") never route.

Follow-up (``is_follow_up``): openers that lean on the previous turn ("what if", "and if",
"what about", "but", "does that change", "is that right?") in a short text; "same question
but ..." at any length; verbless fragments ("for a GP?", "even without consent?"); a longer
opener text only if it refers back (she, it, that) and introduces nobody new ("a child",
"information"); or a very short question leaning on a pronoun ("Can I share it?"). Bare noun
fragments ("consent?") and "is it true that ..." questions are not follow-ups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.understand.rules import DATA_FILE, Rule, compile_rule, load_data, normalise

_SENTENCE = re.compile(r"[.!?;\n]+")


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


# --- urgent ----------------------------------------------------------------------------------


def urgent_reason(text: str) -> str | None:
    """The name of the urgency rule that fires on ``text``, or None. For tests and debugging:
    never shown to users together with what they typed."""
    t, r = normalise(text), rules()
    general = r.veto_hypothetical.search(t) or (
        r.veto_abstract.search(t) and not r.specific.search(t)
    )
    if general and not r.anchor.search(t):
        return None
    if r.stale.search(t) and not r.fresh.search(t):
        return None
    sentences: list[str] | None = None
    for rule in r.urgent:
        if not rule.per_sentence:
            if all(p.search(t) for p in rule.patterns):
                return rule.name
            continue
        if rule.person is not None and not rule.person.search(t):
            continue
        sentences = sentences if sentences is not None else _SENTENCE.split(t)
        if any(all(p.search(s) for p in rule.patterns) for s in sentences):
            return rule.name
    return None


def is_urgent(text: str) -> bool:
    """True when ``text`` says a child (or person) in this case is in danger now or was just hurt."""
    return urgent_reason(text) is not None


# --- decision --------------------------------------------------------------------------------


def wants_decision(text: str) -> bool:
    """True when ``text`` asks whether the writer may or should share in one particular case."""
    t, r = normalise(text), rules()
    strong = bool(r.frame_verb.search(t) or r.passive.search(t))
    weak = bool(r.weak_frame_verb.search(t) or (r.elliptic.search(t) and r.share_verb.search(t)))
    if not (strong or weak):
        return False
    if r.general_marker.search(t):  # "ever", "always": general even inside a real case
        return False
    if r.decision_hypothetical.search(t) and not r.anchor.search(t):
        return False
    if r.case_object.search(t):
        return True
    return strong and not r.general_cue.search(t)


# --- follow-up -------------------------------------------------------------------------------


def is_follow_up(text: str) -> bool:
    """True when ``text`` only makes sense together with the previous question."""
    t, r = normalise(text), rules()
    words = len(t.split())
    if not words:
        return False
    if r.fu_always.search(t):
        return True
    short, anaphor, tiny, fragment = r.fu_limits
    if words <= fragment and r.fu_fragment.search(t):
        return True
    new_subject = r.fu_indefinite.search(t)
    if r.fu_opener.search(t):
        if words <= short:
            return True
        if words <= anaphor and r.fu_anaphor.search(t) and not new_subject:
            return True
    return words <= tiny and bool(r.fu_pronoun.search(t)) and not new_subject
