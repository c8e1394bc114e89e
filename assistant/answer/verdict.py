"""Which verdict a statement may get: one that cannot be the inverse of the right one, or none.

A verdict answers a statement of belief ("no need to ring MASH, the school will have reported it").
Such a statement is sometimes written like a case, with a child and a worry in it, and so goes to
the flowchart; a verdict still answers it there when the learned reader reads it partly as a
statement (``statement_in_a_case``) and a claim matches safely.

May import: ``understand``, ``myths`` and the top-level modules.
"""

from __future__ import annotations

import re

from assistant.myths.matcher import MYTH_MARGIN, ClaimMatch
from assistant.understand import verdict_safety
from assistant.understand.learned import Reading
from assistant.understand.statement_form import broad_form, qualified_form, restrictive_form

# A message the flowchart takes that the kind reader still reads at least this likely a statement of
# belief, and more a statement than a general question, may get a verdict beside the referral advice
# (on rounds 1-26, of the 1,890 messages: 8 such get a safe verdict, all 8 right, none a case's; at
# 0.3 and above, 5, and the 3 between 0.2 and 0.3 are all myths and statements graders wanted a verdict for).
STATEMENT_SEEN_P = 0.2
# The stance reader (``learned``: trained on the graded rounds' statements), measured trained on rounds 1-30
# and asked rounds 31-38's 132 statements: verdicts given and right 80 -> 96, none inverted (without the
# nearest statements' agreement, STANCE_NEAR_P, 93 and one inverted: "if I'm not 100% sure ... I'm better off
# keeping it to myself", read "true" at 0.95 by the linear head alone).
STANCE_P = 0.8  # sets a safety rule aside to give the best claim's verdict
STANCE_VETO_P = 0.9  # withholds a verdict the words give
STANCE_ALONE_P = 0.8  # gives a verdict no claim's words fit ...
STANCE_SIM = 0.5  # ... on the claim at least this close in meaning
STANCE_NEAR_P = 0.8  # the nearest graded statements' share that must agree, whichever of the three
_OTHER = {"myth": "true", "true": "myth"}


def statement_in_a_case(reading: Reading | None) -> bool:
    """Read partly as a statement of belief (STATEMENT_SEEN_P), more than as a general question."""
    return reading is not None and reading.p("kind", "claim") >= max(STATEMENT_SEEN_P, reading.p("kind", "general"))


def safe_verdict(text: str, candidates: list, reading: Reading | None):
    """The best verdict that cannot be the inverse of the right one, or None. A "Yes" to a
    statement in a restrictive form its claim does not share is set aside (the statement makes
    a restrictive claim of its own), and so the next claim that fits may answer it: "we can't
    share anything without the 16-year-old's say-so" is not "young people can consent" but "consent is always
    needed" (a myth). Only the best, or after a "Yes" set aside for its restrictive form, a myth that fits as well
    (MYTH_MARGIN); never a guess down the list. No "Yes" denying a negative myth in a negated statement, nor
    to a statement broader than its claim ("I can go ahead whenever I think it'll help" is not "a refusal
    does not prevent sharing"), nor a "No" to a statement hedged as the guidance hedges its rules: no verdict then."""
    for n, match in enumerate(candidates):
        if _out_of_form(text, match):
            return None
        if match.verdict == "true" and verdict_safety.denial_unreadable(text, match.claim.stance, match.polarity_flipped):
            return None  # a "Yes" to a statement that may assert a negative myth: never
        if match.verdict == "true":
            claim_texts = _claim_texts(match)
            if not verdict_safety.yes_is_unsafe(text, claim_texts, reading):
                return match
            if not restrictive_form(text, claim_texts):
                return None  # unsafe for another reason (a what/how question): no verdict at all
        elif not verdict_safety.no_is_unsafe(text, match.claim.stance == "restrict", match.polarity_flipped, reading):
            # after a "Yes" set aside, a myth as close as a rival may be ("someone else at risk" is not "will report")
            return match if n == 0 or (candidates[0].verdict == "true" and match.score >= candidates[0].score - MYTH_MARGIN) else None
        else:
            return None
    return None


_CLAUSE_BREAK = re.compile(r"[;,]|\s[-–—]\s")  # where a statement's clauses part ("can't refuse, only the parents can")


def by_clauses(text: str, candidates: list, matcher, reading: Reading | None):
    """The whole statement's best verdict (``candidates``: the matcher's for it), when it rests on reading a
    negation (``polarity_flipped``) that ``safe_verdict`` set aside because the statement has more than one
    clause (which clause the negation belongs to), and its clauses read one by one agree: at least one gets
    that same verdict on that same claim, and no clause gets any other verdict. Else None. Only such a
    statement costs more embeddings (one per clause)."""
    if not candidates or not candidates[0].polarity_flipped:  # only a verdict resting on a negation ...
        return None
    parts = [p.strip() for p in _CLAUSE_BREAK.split(text) if len(p.split()) >= 3]
    if len(parts) < 2 or safe_verdict(text, candidates, reading) is not None:  # ... in a statement of several clauses
        return None
    best = candidates[0]
    found = [m for part in parts if (m := safe_verdict(part, matcher.matches(part), reading)) is not None]
    if not found or any((m.verdict, m.claim.id) != (best.verdict, best.claim.id) for m in found):
        return None
    return best


def _claim_texts(match) -> str:
    """The matched claim's wordings, as one text: a form the statement shares with them is the claim's own."""
    return " ".join((match.claim.statement, *match.claim.paraphrases))


def _out_of_form(text: str, match) -> bool:
    """A "Yes" to a statement that grants a wider licence than the claim it matched (``broad_form``), or a
    "No" to one hedged as the guidance hedges its own rules (``qualified_form``): never, whatever the stance."""
    if match.verdict == "true":
        return broad_form(text, _claim_texts(match))
    return match.verdict == "myth" and qualified_form(text, _claim_texts(match))


def _reads(reading: Reading, verdict: str, p: float) -> bool:
    """The stance head reads ``verdict`` at ``p`` or more, and the statements nearest agree (STANCE_NEAR_P)."""
    return reading.p("stance", verdict) >= p and reading.p("stance_near", verdict) >= STANCE_NEAR_P


def checked_verdict(text: str, candidates: list, matcher, reading: Reading | None, vector=None):
    """The verdict the words give (``safe_verdict``, ``by_clauses``), weighed with the stance the learned
    reader reads of the statement (``learned``: its stance head and the graded statements nearest it; both
    must agree, each at its threshold). Beyond the words' verdict, only for a message read at least as much a
    statement as a general question or a described case (a what or how question, or a child's case, gets no
    verdict from the stance, whatever it reads):
    - a verdict the words give is withheld when the stance is read surely the other way (STANCE_VETO_P);
    - the best claim's verdict the safety rules set aside is given when the stance reads it (STANCE_P);
    - a statement no claim's words fit (cues, polarity unread) gets the verdict the stance reads
      (STANCE_ALONE_P) on the claim closest in meaning (STANCE_SIM), which ``safe_verdict`` must still pass.
    ``vector``: the statement's embedding, when already made."""
    match = safe_verdict(text, candidates, reading) or by_clauses(text, candidates, matcher, reading)
    if reading is None:
        return match
    if match is not None:
        return None if _reads(reading, _OTHER[match.verdict], STANCE_VETO_P) else match
    if reading.p("kind", "claim") < max(reading.p("kind", "general"), reading.p("kind", "case")):
        return None
    if candidates:
        best = candidates[0]
        return best if _reads(reading, best.verdict, STANCE_P) and not _out_of_form(text, best) else None
    stance = reading.label("stance", STANCE_ALONE_P)
    near = matcher.nearest(text, vector) if stance is not None and _reads(reading, stance, STANCE_ALONE_P) else None
    if near is None or near[1] < STANCE_SIM:
        return None
    read = ClaimMatch(claim=near[0], verdict=stance, score=near[1], polarity_flipped=stance != near[0].verdict)
    return read if safe_verdict(text, [read], reading) is read else None
