"""What a described case's question turns on, as the learned readers read it: whether to pass a
worry on at all, how much to share, or whether this particular person should have it; and whether
the concern is already known to children's social care or the police.

Why: a case can state a risk to a child and still not be asking whether to refer. A new teaching
assistant asking for a child protection file, parents wanting to be warned about an offender MAPPA
has told the school of, a grandparent asking whether a grandson is on a plan: the risk is known and
managed, and the question is how much, or whether this person should know. "Refer now ... you can
share" is the wrong lead there; the line on sharing only what is needed, with those who need it,
is the right one. Both readings are learned (``learned``, heads "asks" and "known"), never
decided by words, and both only reorder and choose the reviewed lines, or leave the flowchart's
question of purpose to advice; they never remove the referral advice.

May import: the top-level modules and ``understand.learned``.
"""

from __future__ import annotations

from assistant.understand.learned import Reading

ASKS_P = 0.6  # the case's question is read as this plainly about how much, or about this person
KNOWN_P = 0.6  # the concern is read as this plainly known to children's social care or the police
UNENTITLED_P = 0.6  # someone asking reads at least this likely as without a need to know or doubtful, together
NO_NEED_P = 0.9  # someone asking is read this plainly as having no need to know
# ... and, in a known concern, no risk of significant harm read (risk "yes" under this): no purpose in telling
# them (rounds 1-46: 35 such cases, 32 needing "do not share", 29 already reaching it; 1 "seek advice", a caller
# saying he is a police officer, read doubtful and no need together at 1.0 but doubtful alone at 0.9: asker_facts)
UNENTITLED_RISK_P = 0.2
NO_RISK_YES_P = 0.1  # no risk to a child read: risk "yes" below this
DOUBTFUL_P = 0.3  # someone asking is read at least this likely doubtful: the known line is not shown
SERVICE_CASE_P = 0.75  # ... in a message read plainly as a described case
AGENCY_P = 0.5  # the information would go to a service (a health visitor, a school, a family hub)
HELP_CASE_P = 0.85  # a service's help asked, in a message read this plainly as a described case
HELP_YES_P, HELP_NO_P = 0.2, 0.3  # a service's help asked: harm hardly read, a need read (``service_help``)
UNENTITLED_HELP_P = 0.3  # ... nobody read as without a need to know or doubtful, together, at this
URGENT_HELP_P = 0.5  # ... nor as urgent
DOUBTED_P, DOUBTED_ASKS_P, DOUBTED_RISK_P = 0.35, 0.3, 0.3  # ``recipient_doubted``
SUPPORT_YES_P = 0.5  # a service's help asked, read less plainly (``support_asked``): harm read less likely than this
SCOPES = ("amount", "recipient")


def scoped(reading: Reading | None, urgent: bool = False) -> str | None:
    """"amount" (how much, which parts) or "recipient" (whether this person or body should have it
    at all) when the case's question is read so (ASKS_P); None otherwise, and never in an
    emergency (what to do now comes first)."""
    if reading is None or urgent or reading.p("kind", "case") < 0.5:
        return None
    label = reading.label("asks", ASKS_P)
    return label if label in SCOPES else None


def how_much(reading: Reading | None) -> bool:
    """Read plainly (ASKS_P) as asking how much to share, case or not ("CSC want a report, how much
    do I send?"): not a question asking for a figure."""
    return reading is not None and reading.p("asks", "amount") >= ASKS_P


def known(reading: Reading | None) -> bool:
    """The concern, or the child's situation behind it, is read as already known to children's
    social care or the police (KNOWN_P): a child on a plan, an enquiry under way, the request from
    them."""
    return reading is not None and reading.p("known", "yes") >= KNOWN_P


def requested_without_need(reading: Reading | None, urgent: bool = False) -> bool:
    """A request for the information (asks "recipient" or "whether", ASKS_P together) from someone
    read plainly as having no need to know (NO_NEED_P: a parish councillor wanting the families on
    plans, a dance school wanting parents' emails), with no risk to a child read more likely than
    not: a case to decide, however general its words read (the kind reader reads many such requests
    as general questions, and the answer then never says "do not share")."""
    if reading is None or urgent or reading.p("risk", "yes") >= 0.5:
        return False
    asking = reading.p("asks", "recipient") + reading.p("asks", "whether")
    return reading.p("asker", "no_need") >= NO_NEED_P and asking >= ASKS_P


def managed(reading: Reading | None, urgent: bool = False) -> bool:
    """A known concern, and a case asking whether this person should have the information, or
    someone read plainly as having no need to know asking (NO_NEED_P: another parent at the gate):
    who asks is what it turns on, not the risk (already with children's social care or the police)."""
    if reading is None or urgent or not known(reading):
        return False
    return scoped(reading, urgent) == "recipient" or (reading.p("kind", "case") >= 0.5 and reading.p("asker", "no_need") >= NO_NEED_P)


def managed_purpose(reading: Reading | None, urgent: bool = False) -> dict[str, str]:
    """A case asking whether this person should have the information, who is read as neither an
    agency nor a parent (``asker`` below 0.5 each; a parent's asking is the flowchart's consent
    question), where the concern is known or the person reads as without a need to know or doubtful
    (UNENTITLED_P together: a volunteer coach ringing a school about a child's home life): whether
    they have a legitimate purpose is for advice, not implied by the risk, which is a reason to tell
    children's social care, not them; none, where the concern is known and they plainly have no need to know."""
    if reading is None or max(reading.p("asker", "agency"), reading.p("asker", "family")) >= 0.5:
        return {}
    unentitled = reading.p("asker", "no_need") + reading.p("asker", "doubtful")
    if managed(reading, urgent):  # plainly without a need to know, no risk read: a landlord asking if a family is "known"
        plainly = unentitled >= NO_NEED_P and reading.p("risk", "yes") < UNENTITLED_RISK_P
        return {"legitimate_purpose": "no" if plainly else "unsure"}
    if scoped(reading, urgent) == "recipient" and unentitled >= UNENTITLED_P:
        # with no risk to a child read at all, nothing makes telling them a purpose: none (do not share)
        return {"legitimate_purpose": "no" if reading.p("risk", "yes") < NO_RISK_YES_P else "unsure"}
    return {}


def known_line(reading: Reading | None, urgent: bool = False) -> bool:
    """The line for a child already known to children's social care leads the risk advice, after the
    line for what is asked: a known concern, a case asking how much or about a person (or one who
    asks with no need to know), and nobody doubtful asking. Not for a case asking whether to pass
    a worry on, nor how (on rounds 1-23 "known" misread a church youth leader's Snapchat messages
    and a police officer's domestic abuse call-out as known to children's social care) (a caller who
    may not be who they say must not read "pass it on")."""
    if reading is None or urgent or reading.p("kind", "case") < 0.5 or not known(reading):
        return False
    asked = scoped(reading, urgent) is not None or managed(reading, urgent)
    return asked and reading.p("asker", "doubtful") < DOUBTFUL_P


def service_purpose(reading: Reading) -> dict[str, str]:
    """A case read as without a risk of significant harm (by the caller; trained on rounds 1-30, read on 31-45, none
    so read needed an emergency or a referral) that passes information to a service
    (read as "agency", AGENCY_P: a health visitor, a school, a family hub) to get the child or family help:
    risk "no" and a legitimate purpose, so consent decides (asked first, where it was not). Not where the case
    asks how much or whether this person should have it (``scoped``): there the purpose is the question; nor
    in a message read less plainly as a case (SERVICE_CASE_P: on rounds 1-46 a records request from the
    safeguarding partnership for a practice review, asked as a question, read 0.64 to 0.73)."""
    if reading.p("asker", "agency") >= AGENCY_P and scoped(reading) is None and reading.p("kind", "case") >= SERVICE_CASE_P:
        return {"significant_harm_risk": "no", "legitimate_purpose": "yes"}
    return {}


def service_help(reading: Reading | None, urgent: bool = False) -> bool:
    """A case asking a service's help for a child or family (``service_purpose``, read plainly: HELP_CASE_P), where harm
    is hardly read (risk "yes" under HELP_YES_P) though a need is (risk "no" at HELP_NO_P at least: a bereaved boy, a
    mum asking for a health visitor): the need is not a worry for the safeguarding lead, and consent decides. Not for a
    known concern (``known``), an unentitled asker (UNENTITLED_HELP_P), a case asking how much or about a person
    (``scoped``), nor one read as urgent (URGENT_HELP_P). Out of sample (risk trained on rounds 1-40, read on 41-50) it
    takes 11 of 45 cases needing "share with consent" and 4 of 48 needing "do not share" (no consent: "not yet"),
    none needing "seek advice", "share" or urgent action. A question read less plainly as a case ("do I need to ask the
    parents before I tell our DSL?", 0.78 on rounds 1-50) is not asking for help: no "ask first" there."""
    if reading is None or urgent or reading.p("kind", "case") < HELP_CASE_P or known(reading):
        return False
    unentitled = reading.p("asker", "no_need") + reading.p("asker", "doubtful")
    return (reading.p("risk", "yes") < HELP_YES_P and reading.p("risk", "no") >= HELP_NO_P and unentitled < UNENTITLED_HELP_P
            and reading.p("asker", "agency") >= AGENCY_P and reading.p("urgent", "yes") < URGENT_HELP_P and scoped(reading) is None)


def support_asked(reading: Reading | None, urgent: bool = False) -> bool:
    """A case passing information to a service (AGENCY_P) to get a child help, read less plainly than ``service_help``:
    more a case than not, harm read under SUPPORT_YES_P, nobody unentitled (UNENTITLED_HELP_P), not known, not urgent,
    not asking how much or about a person. It decides nothing: where the flowchart still asks whether there is a
    legitimate purpose, and nothing else opens the answer, the line for early help opens it ("where a child is not at
    risk of significant harm, seek informed, explicit consent"), a condition it states. Out of sample (readers trained
    on rounds 1-40, read on 41-57) it opens 12 of the 17 such stalls that had no line and need "share with consent",
    none of the 11 needing anything else ("do not share" 6, "share" 2, advice 1, out of scope 2), and no other answer."""
    if reading is None or urgent or reading.p("kind", "case") < 0.5 or known(reading):
        return False
    unentitled = reading.p("asker", "no_need") + reading.p("asker", "doubtful")
    return (reading.p("asker", "agency") >= AGENCY_P and unentitled < UNENTITLED_HELP_P and scoped(reading) is None
            and reading.p("risk", "yes") < SUPPORT_YES_P and reading.p("urgent", "yes") < URGENT_HELP_P)


def recipient_doubted(reading: Reading | None, urgent: bool = False) -> bool:
    """Whoever would have the information may have no need to know (no need and doubtful together at DOUBTED_P), in a
    case asking, at least in part, whether they should have it (DOUBTED_ASKS_P), harm hardly read (DOUBTED_RISK_P), not
    urgent. It decides nothing: where the flowchart still asks whether there is a legitimate purpose, and nothing else
    opens the answer, the line on sharing only with those who need it opens it. Out of sample (readers trained on rounds
    1-40, read on 41-57) such stalls with no line: 4 of 6 needing "do not share" (a sponsor's spreadsheet, a panel
    member's husband), 2 of 7 needing "share with consent", none needing a referral or advice."""
    if reading is None or urgent:
        return False
    unentitled = reading.p("asker", "no_need") + reading.p("asker", "doubtful")
    return (unentitled >= DOUBTED_P and reading.p("asks", "recipient") >= DOUBTED_ASKS_P
            and reading.p("risk", "yes") < DOUBTED_RISK_P)


def asks_recipient(reading: Reading | None) -> bool:
    """The case asks whether this person should have the information (asks "recipient", ASKS_P), emergency or not."""
    return reading is not None and reading.p("asks", "recipient") >= ASKS_P


def about_recipient(reading: Reading | None) -> bool:
    """The case turns on whether the person asking should have it (``asks_recipient``), or that person
    plainly has no need to know or may be the risk (NO_NEED_P): there "no purpose" is about them."""
    return reading is not None and (asks_recipient(reading) or reading.p("asker", "no_need") >= NO_NEED_P
                                    or reading.p("asker", "doubtful") >= NO_NEED_P)
