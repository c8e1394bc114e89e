"""Which verdict a statement may get: one that cannot be the inverse of the right one, or none.

A verdict answers a statement of belief ("no need to ring MASH, the school will have reported it").
Such a statement is sometimes written like a case, with a child and a worry in it, and so goes to
the flowchart; a verdict still answers it there when the learned reader reads it partly as a
statement (``statement_in_a_case``) and a claim matches safely.

May import: ``understand``, ``myths`` and the top-level modules.
"""

from __future__ import annotations

import re

from assistant.myths.matcher import MYTH_MARGIN
from assistant.understand import case_reading as reading_of
from assistant.understand.learned import Reading

# A message the flowchart takes that the kind reader still reads at least this likely a statement of
# belief, and more a statement than a general question, may get a verdict beside the referral advice
# (on rounds 1-26, of the 1,890 messages: 8 such get a safe verdict, all 8 right, none a case's; at
# 0.3 and above, 5, and the 3 between 0.2 and 0.3 are all myths and statements graders wanted a verdict for).
STATEMENT_SEEN_P = 0.2


def statement_in_a_case(reading: Reading | None) -> bool:
    """Read partly as a statement of belief (STATEMENT_SEEN_P), more than as a general question."""
    return reading is not None and reading.p("kind", "claim") >= max(STATEMENT_SEEN_P, reading.p("kind", "general"))


def safe_verdict(text: str, candidates: list, reading: Reading | None):
    """The best verdict that cannot be the inverse of the right one, or None. A "Yes" to a
    statement in a restrictive form its claim does not share is set aside (the statement makes
    a restrictive claim of its own), and so the next claim that fits may answer it: "we can't
    share anything without the 16-year-old's say-so" is not "young people can consent" but "consent is always
    needed" (a myth). Only the best, or after a "Yes" set aside for its restrictive form, a myth that fits as well
    (MYTH_MARGIN); never a guess down the list. No "Yes" denying a negative myth in a negated statement."""
    for n, match in enumerate(candidates):
        if match.verdict == "true" and reading_of.denial_unreadable(text, match.claim.stance, match.polarity_flipped):
            return None  # a "Yes" to a statement that may assert a negative myth: never
        if match.verdict == "true":
            claim_texts = " ".join((match.claim.statement, *match.claim.paraphrases))
            if not reading_of.yes_is_unsafe(text, claim_texts, reading):
                return match
            if not reading_of.restrictive_form(text, claim_texts):
                return None  # unsafe for another reason (a what/how question): no verdict at all
        elif not reading_of.no_is_unsafe(text, match.claim.stance == "restrict", match.polarity_flipped, reading):
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
