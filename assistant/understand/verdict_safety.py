"""May a statement get a verdict: a "Yes" or a "No" is withheld whenever it could be the inverse of the
right one (a restrictive statement read as a claim that is not, a what/how question, a negation that
cannot be placed). The guidance's own words are given then, without a verdict.

May import: ``understand`` modules and the top-level modules.
"""
from __future__ import annotations

import re

from assistant.understand.case_reading import is_general_question
from assistant.understand.learned import Reading
from assistant.understand.statement_form import restrictive_form, restrictive_rules

# A question asking what, how or who (in any sentence, as practitioners write after a sentence of
# context: "a 16yo wants to tell me something. what should i say to her?"): nothing to say yes or no to.
_ASKS_WHAT = re.compile(r"(?:^|[.!?;:,]\s+|\n)\W*(?:(?:so|and|but|ok|okay|then)\W+)?(?:what|which|who|whose|how|why|when|where)\b"
                        r"|\bexplain\b|\bwhat (?:is|are|does|counts)\b|\b(?:what|how) (?:should|do|can|would|could) (?:i|we)\b")
_CLAUSES = re.compile(r"\b(?:and|but|while|whereas|although|because)\b|[;,]")
_PROHIBITIVE = re.compile(r"\b(?:stops?|stopping|prevents?|preventing|prohibit\w*|bans?|forbid\w*|barriers?|block\w*|"
                          r"can.?t|cannot|can not|won.?t|must not|mustn.?t|not allowed|illegal|unlawful|breach\w*|"
                          r"never|only|always|need\w*|requires?|have to|has to|in the way|get in trouble|sued|hindrance|obstacle|"
                          r"keep (?:it|this|that|things) to (?:myself|ourselves)|hands are tied|off limits|"
                          r"hold(?:ing)? (?:off|back)|wait(?:ing)? (?:until|till|for)|until|unless|first|end of (?:it|the matter)|final)\b")

def yes_is_unsafe(text: str, claim_texts: str, reading: Reading | None) -> bool:
    """True when a "Yes" to ``text`` about a claim worded ``claim_texts`` could be the inverse of
    the right verdict, so none is given:
    - the statement is restrictive or absolute in a way the claim is not ("you can ONLY share if
      parents agree" is not "young people can consent"; "never ... unless a court order" is not
      "a court order allows sharing"): it makes a restrictive claim of its own, which the claim's
      quotes would contradict;
    - it is a question asking what or how ("explain the public interest test"), or the learned
      reader reads it more as a general question than a statement: there is nothing to say yes to."""
    asked = text.rstrip().endswith("?")
    if is_general_question(reading) or (asked and reading is not None
                                        and reading.p("kind", "general") > reading.p("kind", "claim")):
        return True
    if _ASKS_WHAT.search(text.lower()) and (asked or "explain" in text.lower()):
        return True
    return restrictive_form(text, claim_texts)


_NEGATION = re.compile(r"\b(?:not|no|never|nothing|none|nobody|cannot)\b|n['’]t\b")


def denial_unreadable(text: str, stance: str, flipped: bool) -> bool:
    """A "Yes" that rests on reading the statement as denying a myth that is itself negative
    ("volunteers do not need to share"): the denial is a positive statement ("volunteers are
    covered"), so a statement with a negation in it ("it's not really my place to pass concerns
    on") more likely asserts the myth in words its core does not catch. No verdict then."""
    return flipped and stance == "negated_core" and bool(_NEGATION.search(text.lower()))


def no_is_unsafe(text: str, restricts: bool, flipped: bool, reading: Reading | None) -> bool:
    """True when a "No" to ``text`` could be the inverse of the right verdict, so none is given:
    - a what/how question, or one the learned reader reads as general: nothing to say no to;
    - the "No" rests on reading a negation, and the statement has more than one clause ("delays
      can put a child at risk", "not sharing can put children at risk"): which clause the
      negation belongs to cannot be read safely;
    - the claim is a myth that holds sharing back (``restricts``), but the statement says nothing
      restrictive or prohibitive: it does not assert the myth."""
    t = text.lower()
    asked = t.rstrip().endswith("?")
    if _ASKS_WHAT.search(t) and (asked or "explain" in t):
        return True
    if is_general_question(reading):
        return True
    if flipped and _CLAUSES.search(t):
        return True
    return restricts and not flipped and not any(rule.search(t) for rule in (*restrictive_rules(), _PROHIBITIVE))
