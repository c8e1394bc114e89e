"""Read the decision facts a question states, so the engine does not ask for them again.

Why conservative: a fact read wrongly changes a share/don't-share outcome, while a fact left out
is only asked for. So ``extract_facts`` returns a fact only when the text states it (or, for
``identifiable``, clearly implies it), using the phrase lists in ``assistant/data/routing.yaml``
(section ``facts``), and each match is read in its clause:

- asked, not stated: in a question sentence that opens with an auxiliary and a few words up to
  the phrase ("is there a court order?", "is she at risk of significant harm?") it gives nothing;
- hedged ("not sure if", "might", "maybe", "could be", "whether") gives "unsure";
- negated ("no court order", "not confidential", "hasn't agreed", "without identifying her",
  "nobody could work out who", "I don't think she's at risk", "no evidence that ...") turns a
  "yes" phrase into "no"; a negated "no" phrase ("she didn't refuse") gives nothing, because
  the opposite is not stated; nor does a negated purpose ("asked me not to get social services
  involved" is a wish, not a purpose denied).

When one fact gets several answers, the fact's ``priority`` decides, chosen for safety: for
consent a refusal or withdrawal beats an earlier agreement (no > unsure > yes); for harm,
identifiability, confidentiality, legal duty, public interest and unsafe-to-ask any "yes"
wins; for legitimate purpose a "no" (curiosity, gossip, a journalist) wins.

Decisions recorded here (tested in tests/test_facts_from_text.py):
- consent: "hasn't been asked" is "no" (facts.yaml: answer no "if consent was not asked for");
  "not sure if they'd agree" and agreement limited to someone else ("agreed ... but not with")
  are "unsure"; "changed her mind" is "no"; implied consent is "yes" (HMG 2006).
- significant_harm_risk: being abused/hit/neglected, sexual abuse, exploitation, domestic
  abuse, threats to kill or hurt, a police investigation, a serious crime, a section 47 enquiry
  are "yes"; "failing to thrive" is "unsure", because the guidance's own example says such a baby
  "could be suffering Significant Harm but equally could have an undiagnosed medical condition"
  (Calderdale; HMG 2006); bruises or injuries with no account of how, self-harm, parental drug or
  alcohol misuse, "worried about her" and low-level concerns are also "unsure".
- identifiable: anonymised, statistics, aggregate, names removed are "no"; a small village or
  school, initials, pseudonymised data are "unsure"; otherwise a text about a particular person
  ("her", "mum", "a pupil", "[NAME]") is "yes", since facts.yaml says to answer "no" only when
  the information is truly anonymised.
- confidential: "in confidence", counselling, "keep it secret", health records, what a
  patient or client told their practitioner are "yes"; public, common knowledge are "no".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from assistant.decision.models import FACTS as FACT_NAMES
from assistant.datafiles import Strict, validate
from assistant.understand.negation import negated_before
from assistant.understand.normalise import normalise
from assistant.understand.rules import DATA_FILE, Rule, compile_rule, load_data

_ENDS = ".!?\n"


class _FactRules(Strict):
    priority: list[Literal["yes", "no", "unsure"]]
    yes: list[str] = []
    no: list[str] = []
    unsure: list[str] = []

    @model_validator(mode="after")
    def _priority_is_a_ranking(self) -> _FactRules:
        if sorted(self.priority) != ["no", "unsure", "yes"]:
            raise ValueError("priority must rank yes, no and unsure once each")
        return self


class _Facts(Strict):
    hard_boundary: list[str] = Field(min_length=1)
    soft_boundary: str
    negation: str
    negation_ignore: str
    negation_across: str
    hedge: str
    question: str
    window_words: int = Field(gt=0)
    identifies_person: list[str] = Field(min_length=1)
    rules: dict[str, _FactRules]

    @model_validator(mode="after")
    def _all_facts(self) -> _Facts:
        if set(self.rules) != set(FACT_NAMES):
            raise ValueError(f"rules must cover exactly {FACT_NAMES}")
        return self


@dataclass(frozen=True)
class FactRules:
    """The compiled ``facts`` section. Immutable, so safe to share between threads."""

    hard_boundary: tuple[Rule, ...]
    soft_boundary: Rule
    negation: Rule
    negation_ignore: Rule
    negation_across: Rule
    hedge: Rule
    question: Rule
    window_words: int
    identifies_person: tuple[Rule, ...]
    priority: dict[str, tuple[str, ...]]
    # Every phrase pattern as (fact, answer, rule), in file order. They stay separate, because
    # one big alternation is slower in Python's re than its parts; and to keep within 0.2 ms a
    # call, ``needles`` maps each string a rule needs (Rule.needs) to the rules needing it, so
    # a text is searched only with the rules whose needs it meets (plus ``ungated`` ones).
    patterns: tuple[tuple[str, str, Rule], ...]
    needles: tuple[tuple[str, tuple[int, ...]], ...]
    ungated: frozenset[int]


@cache
def fact_rules(path: Path = DATA_FILE) -> FactRules:
    """The ``facts`` section of ``routing.yaml``, checked and compiled once."""
    x = validate(_Facts, load_data(path).facts, path)

    def c(*patterns: str) -> Rule:
        return compile_rule(path, *patterns)

    patterns = tuple(
        (name, v, c(p))
        for name in FACT_NAMES
        for v in ("yes", "no", "unsure")
        for p in getattr(x.rules[name], v)
    )
    index: dict[str, list[int]] = {}
    for i, (_, _, rule) in enumerate(patterns):
        for needle in rule.needs or ():
            index.setdefault(needle, []).append(i)
    return FactRules(
        hard_boundary=tuple(c(p) for p in x.hard_boundary), soft_boundary=c(x.soft_boundary),
        negation=c(x.negation), negation_ignore=c(x.negation_ignore),
        negation_across=c(x.negation_across), hedge=c(x.hedge), question=c(x.question),
        window_words=x.window_words, identifies_person=tuple(c(p) for p in x.identifies_person),
        priority={name: tuple(fr.priority) for name, fr in x.rules.items()},
        patterns=patterns,
        needles=tuple((n, tuple(ids)) for n, ids in index.items()),
        ungated=frozenset(i for i, (_, _, rule) in enumerate(patterns) if rule.needs is None),
    )


# Facts a negated "yes" phrase never answers "no": a purpose is denied only in words that say so
# (curiosity, gossip, "no legitimate reason"); a negated purpose phrase is usually someone's wish.
_NO_NEGATED_NO = frozenset({"legitimate_purpose"})


def extract_facts(text: str) -> dict[str, str]:
    """The facts ``text`` states, as {fact name: "yes" | "no" | "unsure"}; absent facts are left out."""
    t, r = normalise(text), fact_rules()
    active = set(r.ungated)
    for needle, ids in r.needles:
        if needle in t:
            active.update(ids)
    hard = sorted(m.end() for rule in r.hard_boundary for m in rule.finditer(t))
    soft = [m.end() for m in r.soft_boundary.finditer(t)]
    answers: dict[str, set[str]] = {}
    for i in sorted(active):
        name, value, rule = r.patterns[i]
        for m in rule.finditer(t, checked=True):
            answer = _read(t, m.start(), value, hard, soft, r)
            if answer == "no" and value == "yes" and name in _NO_NEGATED_NO:
                continue  # "mum asked me not to get social services involved" says nothing of the purpose
            if answer is not None:
                answers.setdefault(name, set()).add(answer)
    found = {
        name: next(v for v in r.priority[name] if v in answers[name])
        for name in FACT_NAMES
        if name in answers
    }
    if "identifiable" not in found and any(p.search(t) for p in r.identifies_person):
        found["identifiable"] = "yes"
    partner = _ADULT_PARTNER.search(t) if _CHILD_AGE.search(t) and found.get("significant_harm_risk") != "yes" else None
    if partner is not None and _read(t, partner.start(), "yes", hard, soft, r) == "yes":
        found["significant_harm_risk"] = "yes"  # a child under 16 and an adult "boyfriend": see _ADULT_PARTNER
    return found


# A child under 16 (an age of 4 to 15) and an adult (18 or over) called their boyfriend, girlfriend or partner, not a
# parent's ("mum's boyfriend"): sexual activity with a child under 16 is a crime and the relationship a sign of sexual
# exploitation, a risk of significant harm however the child sees it. Rounds 1-58: 29 such messages, all needing a
# referral; the learned reader missed one (a "competent" 13-year-old whose "boyfriend" is 24, read as a worry).
_CHILD_AGE = re.compile(r"\b(?:1[0-5]|[4-9])\s*-?\s*(?:yo|y/o|yrs? old|years? old|year-old|yr-old)\b|\baged? (?:1[0-5])\b")
_ADULT_PARTNER = re.compile(
    r"(?<!mum['’]s )(?<!mum )(?<!mother['’]s )(?<!dad['’]s )(?<!father['’]s )(?<!mums )(?<!dads )"
    r"\b(?:boyfriend|girlfriend|partner|bf|gf)\b['’\"]?\s*(?:\S+\s+){0,4}?(?:is|who['’]?s|who is|aged?|,|\()\s*"
    r"(?:about |around |nearly |like |maybe |at least )?(?:1[89]|[2-6]\d)\b(?!\s*(?:min|hour|day|week|month|%|times|miles))"
    r"|\b(?:1[89]|[2-6]\d)\s*-?\s*(?:yo|y/o|yrs? old|years? old|year-old|yr-old)\s+(?:boyfriend|girlfriend|man|guy|bloke)\b")


def _read(t: str, start: int, value: str, hard: list[int], soft: list[int], r: FactRules) -> str | None:
    """What a phrase matched at ``start`` says, given the words before it in its clause."""
    if _asks(t, start, r):
        return None
    clause_start = max((b for b in hard if b <= start), default=0)
    inner_start = max((b for b in soft if clause_start <= b <= start), default=clause_start)
    hedge_window = _last_words(t[clause_start:start], r.window_words)
    if r.hedge.search(hedge_window):
        return "unsure"
    near = _last_words(t[inner_start:start], r.window_words)
    if negated_before(near, hedge_window, r.negation, r.negation_ignore, r.negation_across):
        return "no" if value == "yes" else None
    return value


def _asks(t: str, start: int, r: FactRules) -> bool:
    """True when the match sits in a short question about it: "is there a court order?"."""
    opening = max(t.rfind(c, 0, start) for c in _ENDS + ";:") + 1
    ends = [i for i in (t.find(c, start) for c in _ENDS) if i >= 0]
    return bool(ends) and t[min(ends)] == "?" and bool(r.question.match(t[opening:start]))


def _last_words(text: str, n: int) -> str:
    return " ".join(text.split()[-n:])
