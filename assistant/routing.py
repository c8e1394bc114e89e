"""Question routing: is a child in danger now, is this one concrete sharing decision, is it a follow-up.

Why deterministic: these routes decide whether the answer leads with "contact the police /
children's social care now" and whether the decision engine runs, so they must be predictable,
testable and explainable. All wording lives in ``assistant/data/routing.yaml``; this module
loads it once (``functools.cache``, thread-safe, no mutable state) and applies it. Texts are
normalised first (lower case, plain quotes and dashes, folded white space).

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

Decision (``wants_decision``): a first-person frame ("can I", "should we", "am I allowed to",
"is it OK to", "do I need ... to", "I want to", "whether to", "who should I") or a passive one
("should her GP be told?") followed within four words by a sharing verb (share, tell, pass on,
refer, email, ring, inform, report, let ... know ...). It is specific, and routes, when the
text names a case object ("this", "her", "his mum", "a pupil", "the family", "my client",
"[NAME]", "what she told me"), or when it names none but also no general cue (information,
data, consent, agencies, bare plurals like "parents"): "Should I tell the police?" routes,
"Can I share information without consent?" does not. Impersonal questions ("can information
be shared", "can practitioners share") have no first-person frame. "Ever", "always", "in
general", "under what circumstances" and imagined cases ("if a child ...") never route.

Follow-up (``is_follow_up``): openers that lean on the previous turn ("what if", "and if",
"what about", "but", "does that change", "is that right", "for a GP?") in a short text; "same
question but ..." at any length; a longer opener text only if it refers back (she, it, that)
and introduces nobody new ("a child", "information"); or a very short text that is mostly
pronouns ("Can I share it?"). Bare noun fragments ("consent?") are not follow-ups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.errors import CorpusError

DATA_FILE = Path(__file__).resolve().parent / "data" / "routing.yaml"
FACT_NAMES: tuple[str, ...] = (
    "legitimate_purpose", "consent", "identifiable", "confidential",
    "statutory_duty", "significant_harm_risk", "public_interest", "seeking_consent_unsafe",
)
_REF = re.compile(r"<<(\w+)>>")
_SENTENCE = re.compile(r"[.!?;\n]+")
_TRANSLATE = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"',
                            "–": "-", "—": "-", "‐": "-", "‑": "-", "…": "..."})
_WS = re.compile(r"\s+")
Answer = Literal["yes", "no", "unsure"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _UrgentRule(_Strict):
    name: str = Field(min_length=1)
    all: list[str] = Field(min_length=1)
    scope: Literal["text", "sentence"] = "text"
    person: str | None = None


class _Urgent(_Strict):
    veto_hypothetical: str
    veto_abstract: str
    anchor: str
    specific: str
    stale: str
    fresh: str
    rules: list[_UrgentRule] = Field(min_length=1)


class _Decision(_Strict):
    frame: str
    gap: str
    share_verb: str
    passive: str
    general_marker: str
    hypothetical: str
    case_object: list[str] = Field(min_length=1)
    general_cue: str


class _FollowUp(_Strict):
    opener: list[str] = Field(min_length=1)
    always: list[str] = Field(min_length=1)
    anaphor: str
    pronoun: str
    indefinite: str
    max_words_opener: int = Field(gt=0)
    max_words_anaphor: int = Field(gt=0)
    max_words_pronoun: int = Field(gt=0)


class _FactRules(_Strict):
    priority: list[Answer]
    yes: list[str] = []
    no: list[str] = []
    unsure: list[str] = []

    @model_validator(mode="after")
    def _priority_is_a_ranking(self) -> _FactRules:
        if sorted(self.priority) != ["no", "unsure", "yes"]:
            raise ValueError("priority must rank yes, no and unsure once each")
        return self


class _Facts(_Strict):
    hard_boundary: str
    soft_boundary: str
    negation: str
    negation_ignore: str
    negation_across: str
    hedge: str
    question: str
    window_words: int = Field(gt=0)
    rules: dict[str, _FactRules]

    @model_validator(mode="after")
    def _all_facts(self) -> _Facts:
        if set(self.rules) != set(FACT_NAMES):
            raise ValueError(f"rules must cover exactly {FACT_NAMES}")
        return self


class _Data(_Strict):
    vocab: dict[str, str]
    urgent: _Urgent
    decision: _Decision
    follow_up: _FollowUp
    facts: _Facts


@dataclass(frozen=True)
class UrgentRule:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    per_sentence: bool
    person: re.Pattern[str] | None


@dataclass(frozen=True)
class FactPatterns:
    """One fact's combined pattern per answer (None when the answer has no pattern)."""

    priority: tuple[str, ...]
    by_value: tuple[tuple[str, re.Pattern[str]], ...]


@dataclass(frozen=True)
class Rules:
    """Every routing pattern, compiled. Immutable, so safe to share between threads."""

    urgent: tuple[UrgentRule, ...]
    veto_hypothetical: re.Pattern[str]
    veto_abstract: re.Pattern[str]
    anchor: re.Pattern[str]
    specific: re.Pattern[str]
    stale: re.Pattern[str]
    fresh: re.Pattern[str]
    frame_verb: re.Pattern[str]
    passive: re.Pattern[str]
    general_marker: re.Pattern[str]
    decision_hypothetical: re.Pattern[str]
    case_object: re.Pattern[str]
    general_cue: re.Pattern[str]
    fu_opener: re.Pattern[str]
    fu_always: re.Pattern[str]
    fu_anaphor: re.Pattern[str]
    fu_pronoun: re.Pattern[str]
    fu_indefinite: re.Pattern[str]
    fu_limits: tuple[int, int, int]
    hard_boundary: re.Pattern[str]
    soft_boundary: re.Pattern[str]
    negation: re.Pattern[str]
    negation_ignore: re.Pattern[str]
    negation_across: re.Pattern[str]
    hedge: re.Pattern[str]
    question: re.Pattern[str]
    window_words: int
    facts: dict[str, FactPatterns]


def normalise(text: str) -> str:
    """The form every rule is written for: lower case, plain quotes and dashes, single spaces."""
    return _WS.sub(" ", text.translate(_TRANSLATE)).strip().lower()


@cache
def rules(path: Path = DATA_FILE) -> Rules:
    """Load, validate and compile ``routing.yaml`` once."""
    try:
        data = _Data.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path.name} cannot be read: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CorpusError(f"{path.name}: {where}: {first['msg']}") from None

    def c(*patterns: str) -> re.Pattern[str]:
        return _compile(path, data.vocab, "|".join(f"(?:{p})" for p in patterns))

    u, d, f, x = data.urgent, data.decision, data.follow_up, data.facts
    frame_verb = f"(?:{d.frame}){d.gap}(?:{d.share_verb})\\b"
    return Rules(
        urgent=tuple(
            UrgentRule(r.name, tuple(c(p) for p in r.all), r.scope == "sentence",
                       c(r.person) if r.person else None)
            for r in u.rules
        ),
        veto_hypothetical=c(u.veto_hypothetical), veto_abstract=c(u.veto_abstract),
        anchor=c(u.anchor), specific=c(u.specific), stale=c(u.stale), fresh=c(u.fresh),
        frame_verb=c(frame_verb), passive=c(d.passive),
        general_marker=c(d.general_marker), decision_hypothetical=c(d.hypothetical),
        case_object=c(*d.case_object), general_cue=c(d.general_cue),
        fu_opener=c(*f.opener), fu_always=c(*f.always), fu_anaphor=c(f.anaphor),
        fu_pronoun=c(f.pronoun), fu_indefinite=c(f.indefinite),
        fu_limits=(f.max_words_opener, f.max_words_anaphor, f.max_words_pronoun),
        hard_boundary=c(x.hard_boundary), soft_boundary=c(x.soft_boundary),
        negation=c(x.negation), negation_ignore=c(x.negation_ignore),
        negation_across=c(x.negation_across), hedge=c(x.hedge), question=c(x.question),
        window_words=x.window_words,
        facts={
            name: FactPatterns(
                tuple(fr.priority),
                tuple((v, c(*getattr(fr, v))) for v in ("yes", "no", "unsure") if getattr(fr, v)),
            )
            for name, fr in x.rules.items()
        },
    )


def _compile(path: Path, vocab: dict[str, str], pattern: str) -> re.Pattern[str]:
    for _ in range(5):  # vocabulary entries may use other entries
        if not _REF.search(pattern):
            break
        try:
            pattern = _REF.sub(lambda m: f"(?:{vocab[m.group(1)]})", pattern)
        except KeyError as exc:
            raise CorpusError(f"{path.name}: unknown vocabulary name {exc}") from None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise CorpusError(f"{path.name}: bad pattern ({exc}): {pattern[:80]}") from None


# --- urgent ----------------------------------------------------------------------------------


def urgent_reason(text: str) -> str | None:
    """The name of the urgency rule that fires on ``text``, or None. For tests and debugging:
    never shown to users together with what they typed."""
    t, r = normalise(text), rules()
    if not r.anchor.search(t):
        if r.veto_hypothetical.search(t):
            return None
        if r.veto_abstract.search(t) and not r.specific.search(t):
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
    if not (r.frame_verb.search(t) or r.passive.search(t)):
        return False
    if r.general_marker.search(t):  # "ever", "always": general even inside a real case
        return False
    if r.decision_hypothetical.search(t) and not r.anchor.search(t):
        return False
    return bool(r.case_object.search(t)) or not r.general_cue.search(t)


# --- follow-up -------------------------------------------------------------------------------


def is_follow_up(text: str) -> bool:
    """True when ``text`` only makes sense together with the previous question."""
    t, r = normalise(text), rules()
    words = len(t.split())
    if not words:
        return False
    if r.fu_always.search(t):
        return True
    short, anaphor, tiny = r.fu_limits
    new_subject = r.fu_indefinite.search(t)
    if r.fu_opener.search(t):
        if words <= short:
            return True
        if words <= anaphor and r.fu_anaphor.search(t) and not new_subject:
            return True
    return words <= tiny and bool(r.fu_pronoun.search(t)) and not new_subject
