"""The form of a statement of belief, beside the claim it matched: wording that makes a claim of its own.

A statement can match a claim in meaning and still say more than it does. Two forms are read here, from
the wordings kept as data (``data/restrictive.yaml``); neither is a cue for a particular claim:
- restrictive or absolute ("you can ONLY share if parents agree", "never ... unless a court order"):
  a "Yes" to it would back a restriction the guidance does not make;
- over-broad permission ("I can go ahead WHENEVER I think it'll help", "confidentiality doesn't apply
  any more, so just send it"): a "Yes" would back a licence the guidance does not give (a refusal of
  consent can be overridden where justified, not whenever one likes). "The whole file" and "everyone"
  are not among them: the rounds' true statements use them too ("not the whole file").
Either, in a statement whose claim's own wordings lack it, means the claim's verdict may not be this
statement's. A third form guards a "No": a statement hedged as the guidance hedges its own rules ("where
there's no risk of significant harm I generally need the family's agreement") may be that rule, not the
myth its words match.

May import: the top-level modules.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from assistant.datafiles import DATA_DIR, Strict, compile_patterns, load_model

RESTRICTIVE_FILE = DATA_DIR / "restrictive.yaml"


class _Forms(Strict):
    restrictive: tuple[str, ...]
    broad: tuple[str, ...] = ()
    qualified: tuple[str, ...] = ()


@cache
def _forms(path: Path) -> _Forms:
    return load_model(_Forms, path)


def _rules(form: str, path: Path) -> tuple[re.Pattern, ...]:
    return compile_patterns(path, getattr(_forms(path), form))


@cache
def restrictive_rules(path: Path = RESTRICTIVE_FILE) -> tuple[re.Pattern, ...]:
    """Restrictive or absolute wording ("only if", "can't ... without"): see data/restrictive.yaml."""
    return _rules("restrictive", path)


@cache
def broad_rules(path: Path = RESTRICTIVE_FILE) -> tuple[re.Pattern, ...]:
    """Over-broad permission ("whenever I think", "just go ahead"): see data/restrictive.yaml."""
    return _rules("broad", path)


@cache
def qualified_rules(path: Path = RESTRICTIVE_FILE) -> tuple[re.Pattern, ...]:
    """Hedged as the guidance hedges its rules ("generally", "where there's no risk of significant harm")."""
    return _rules("qualified", path)


def _in_form(rules: tuple[re.Pattern, ...], text: str, claim_texts: str) -> bool:
    t, claim = text.lower(), claim_texts.lower()
    return any(rule.search(t) and not rule.search(claim) for rule in rules)


def restrictive_form(text: str, claim_texts: str) -> bool:
    """The statement is restrictive or absolute in a way the claim (its wordings ``claim_texts``)
    is not: it makes a restrictive claim of its own."""
    return _in_form(restrictive_rules(), text, claim_texts)


def broad_form(text: str, claim_texts: str) -> bool:
    """The statement grants a broader licence to share than the claim (its wordings ``claim_texts``)
    does: a "Yes" to the claim is not a "Yes" to it."""
    return _in_form(broad_rules(), text, claim_texts)


def qualified_form(text: str, claim_texts: str) -> bool:
    """The statement is hedged as the guidance hedges its rules, and the claim (its wordings
    ``claim_texts``) is not: a "No" to the claim may be a "No" to the guidance's own rule."""
    return _in_form(qualified_rules(), text, claim_texts)
