"""Decision intent: does a text ask whether to share, rather than what the guidance says.

One reader, ``wants_decision``, with two reaches chosen explicitly by the caller, because they
answer different questions and are written for different normal forms:

``reach="case"`` (the default; ``assistant.answer`` routes with it): does this QUESTION ask
whether the writer may or should share in one particular case, so the decision engine should
run? The cues are data/routing.yaml's ``decision`` section, on the rule form of the text.
A strong first-person frame ("can I", "should we", "can our
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

``reach="sentence"`` (``assistant.understand.claim_reader`` uses it): does this one SENTENCE,
already in the claim form, request a share/don't-share decision ("can I tell...", "is it OK to
ring...", "I want to pass on...", "I should pass THIS to the police") rather than state a claim?
Then it gets no myth verdict. A case need not be named here, but a first-person statement must
point at something ("this", "her"). The cues are data/claims.yaml's ``decision_questions``,
``decision_statements`` and ``share_verbs``; a sharing verb must follow within four words.

Why two reaches: the eval's routing and myth cases were tuned on each one; replacing either with
the other changes per-case results, so the difference is kept and written down here.

May import: ``assistant.understand`` modules below it (normalise, route_rules, claim_language).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from re import Pattern
from typing import Literal

from assistant.understand.claim_language import alternation, load_language
from assistant.understand.normalise import normalise
from assistant.understand.route_rules import rules

_DEICTIC = frozenset("this that it him her them these those".split())


@dataclass(frozen=True)
class _SentenceCues:
    question: Pattern[str]
    statement: Pattern[str]
    share: Pattern[str]


@cache
def _sentence_cues() -> _SentenceCues:
    lang = load_language()
    return _SentenceCues(
        alternation(lang.decision_questions, r"^"), alternation(lang.decision_statements, r"^"),
        alternation(lang.share_verbs, r"^", r"$"),
    )


def wants_decision(text: str, reach: Literal["case", "sentence"] = "case") -> bool:
    """True when ``text`` asks for a share/don't-share decision (see the module doc for ``reach``)."""
    return _sentence_asks(text) if reach == "sentence" else _case_asks(text)


def _case_asks(text: str) -> bool:
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


def _sentence_asks(words: str) -> bool:
    cues = _sentence_cues()
    for clause in words.split(" , "):
        if match := cues.question.match(clause):
            if any(cues.share.match(t) for t in clause[match.end() :].split()[:4]):
                return True
        elif match := cues.statement.match(clause):
            following = clause[match.end() :].split()
            for k, token in enumerate(following[:4]):
                if token not in ("do", "does", "did") and cues.share.match(token) and _DEICTIC.intersection(
                    following[k + 1 : k + 3]
                ):
                    return True
    return False
