"""Weighing the rules and the learned readers: is this a described case, a general question or a
statement; is a child in danger now; which facts does a case state.

The rules (``facts``, ``urgency``, ``intent``) read what they were written for; the learned readers
(``learned``) read the message whole. Neither decides alone, and the costs are not symmetric:
- a learned fact is used only for a described case, confidently read, and only where the rules
  read nothing, except that a plainly stated harm outweighs the rules' "unsure" (missing a risk is
  the costly mistake);
- a learned reading can add urgency or keep a question from being declined, never remove them;
The thresholds are probabilities of the learned readers; each says what it guards.

May import: ``understand`` modules and the top-level modules.
"""

from __future__ import annotations

from assistant.understand.case_question import about_recipient, asks_recipient, managed, managed_purpose, requested_without_need, service_help, service_purpose
from assistant.understand.learned import Reading
from assistant.understand.unstated import presumed

CASE_P = 0.7  # the message describes a particular case: walk the flowchart
CASE_AT_RISK_P, AT_RISK_CASE_P = 0.5, 0.4  # ... or reads more as a case than not (a risk read: 0.4), and states a risk
OTHER_P = 0.75  # not about sharing information about children at all (adult-only, HR, other nations)
OTHER_SURE_P, OTHER_FIRM_P = 0.9, 0.8  # ... so plainly that a matching passage keeps nothing in scope (firmly: unless asked like a line)
STATEMENT_P = 0.5  # plainly a statement of belief, not a report of a child in danger
STATEMENT_SURE_P = 0.9  # ... so plainly that words asking for a decision do not make it a case
NOT_NOW_P = 0.35  # hardly urgent, as the urgency reader (trained on the rounds too) reads it: a rule's urgency set aside
NOT_URGENT_P = 0.9  # plainly not urgent: with risk "no" at 0.6 a rule's urgency is set aside (rounds 1-26: 13, none needed)
URGENT_P = 0.6  # danger now, read alone (0.5 until the head trained on rounds: out of sample on 41-55, 2 of 15 false, 0 of 60)
URGENT_FRESH_P = 0.35  # ... with words of now and plain harm (rounds 1-27: 2 more, an overdose, an abuser at pick-up today)
RISK_P = 0.6  # the case states a risk of significant harm (or, with "unsure", a worry); 0.75 -> 0.65 -> 0.6 (rounds 1-16)
NO_RISK_P = 0.7  # plainly no risk: the guidance on early help and consent comes first
NO_HARM_P, NO_HARM_YES_P = 0.5, 0.25  # no risk asking a service's help: risk "no" (``case_question.service_purpose``)
POSSIBLE_RISK_P = 0.5  # harm more likely read than not: at least a worry (missing a risk costs more)
# WORRY_P 0.9 -> 0.75 (sixth examples file): a worry read in 11 of 22 needing "seek advice" (0.9: 8), 124 of 142
# needing "share" (119), 26 of 70 needing "do not share" (18; the cost: a needless "talk to your safeguarding lead").
WORRY_P = 0.75  # ... or at least a worry about the child ("unsure"), read as yes-or-unsure together
RISK_SURE_P = 0.8  # ... so plainly that it outweighs the rules' "unsure"
# Harm read in a message neither plainly a case nor a general question: the referral advice first (0.8 before the ninth
# examples file; rounds 1-19: 0.65 reads 9 of 15 needing "share" or urgent, 0.8: 6; 9 of 571 others, none "do not share").
HARM_READ_P = 0.65
BELIEF_HARM_P = 0.3  # a statement of belief naming harm: the rules' harm only where the reader reads it this likely
TOPIC_P = 0.5  # a message read at least this much as a general question: harm only the reader reads is its topic
# ... not where the rules read harm the reader reads plainly as none (NO_RISK_P) in a message hardly a case (rounds
NOT_A_CASE_P = 0.25  # 1-20: sets aside 26 principles, 7 questions, 6 out of scope; the 2 needing "share" read 0.36, 0.45)
CONSENT_P = 0.8  # the case states consent given, refused, not asked or unsafe to ask
GENERAL_P = 0.8  # a general question, not a statement: nothing to say "Yes" to
POSSIBLE_WORRY_P = 0.4  # risk yes + unsure: a possible risk to a child, never declined
SHARING_OTHER_P = 0.09  # a general question about sharing: at most this likely to be about something else
ASKER_P = 0.7  # who asks for, or would receive, the information: without a need to know
NO_NEED_WORRY_P = 0.5  # ... no possible risk learned where no need to know is read this likely (rounds 1-21: 4 curious askers)
DOUBTFUL_P, ASKS_RECIPIENT_P = 0.5, 0.5  # ... or doubtful, read more readily (missing it can hand a child's
# whereabouts to a risk), and a risk stated: "purpose unsure" where the case asks about the recipient this likely
SURE_DOUBTFUL_P = 0.9  # ... so plainly doubtful that there is no legitimate purpose in sharing with them
URGENT_DOUBTFUL_P = 0.8  # a request from a doubtful asker is an emergency only when the urgency reader is this sure
ABOUT_P = 0.5  # a statement about sharing, or a described case, more likely than not: never declined
# Consent is never learned as given: a misread "given" leads to "share" (rounds 1-19: both such readings
# needed "do not share"). Only the rules' "yes" counts, and not in a case the reader reads as plainly
# without it (NO_CONSENT_P; rounds 1-27: 5 such, "Fraser competent", "asked me to tell her ex nothing", none needing "share").
NO_CONSENT_P = 0.1
_CONSENT_FACTS = {"refused": {"consent": "no"}, "not_asked": {"consent": "no"},
                  "unsafe": {"seeking_consent_unsafe": "yes"}}


def is_case(reading: Reading | None) -> bool:
    return reading is not None and reading.p("kind", "case") >= CASE_P


def is_statement(reading: Reading | None) -> bool:
    """Read plainly as a statement of belief to check (STATEMENT_SURE_P), not a case or a question:
    its words asking "whether I'm allowed to share" belong to the belief, not to a decision."""
    return reading is not None and reading.p("kind", "claim") >= STATEMENT_SURE_P


def is_general_question(reading: Reading | None) -> bool:
    return reading is not None and reading.p("kind", "general") >= GENERAL_P


def is_other(reading: Reading | None, sure: bool = False) -> bool:
    """Not about sharing information about children (adult-only safeguarding, HR, other nations'
    procedures), unless the reader also sees a risk to a child. ``sure``: so plainly that it is
    declined even when some passage of the guidance seems to match."""
    if reading is None:
        return False
    if sure:  # so plainly about something else that the risk reader's view (often an adult's risk) is moot
        return reading.p("kind", "other") >= OTHER_SURE_P
    return reading.p("kind", "other") >= OTHER_P and reading.p("risk", "yes") < 0.5


def states_a_case_at_risk(reading: Reading | None, rules_risk: str | None) -> bool:
    """A particular child at risk: the message reads more as a case than not, and the rules or the learned reader
    read a risk of significant harm, or at least a worry (``may_be_at_risk``) in a message read more as a case than a
    general question. Such a message is walked through the flowchart whatever its wording ("what do I do with this?").
    A risk read plainly takes one read a little less as a case (AT_RISK_CASE_P; rounds 1-50: 3 more, all right)."""
    if reading is None or reading.p("kind", "case") < AT_RISK_CASE_P:
        return False
    worry = reading.p("kind", "case") > reading.p("kind", "general") and may_be_at_risk(reading)
    at_risk = rules_risk == "yes" or reading.p("risk", "yes") >= RISK_P
    return at_risk or (worry and reading.p("kind", "case") >= CASE_AT_RISK_P)


def urgent_case(reading: Reading | None, urgent: bool) -> bool:
    """A child in danger now, in a message that reads more as a case than as a general question
    ("...she is scared to go home tonight. What do I do?"): walked through the flowchart (danger
    now is a risk of significant harm), never answered with passages alone."""
    return urgent and reading is not None and reading.p("kind", "case") > reading.p("kind", "general")


def urgent_now(reading: Reading | None, rules_risk: str | None = None, fresh: bool = False, disclosed: bool = False) -> bool:
    """Danger now, as the learned reader reads it, in a message read more as a case than a general question, nor plainly a
    statement to check (STATEMENT_P). A doubtful asker ("a woman rang saying she's the aunt...") reads like danger: only when
    read surely so (URGENT_DOUBTFUL_P), unless plain harm is now and the doubt not sure (rounds 1-48: 1 more, none needless).
    ``fresh`` (``urgency.says_now``) with plain harm (RISK_SURE_P) lowers the bar (URGENT_FRESH_P); ``disclosed``
    (``urgency.disclosed_now``) with plain harm is danger now. Never where no risk is stated, nor where harm is read less
    likely than not (POSSIBLE_RISK_P: danger now is a risk of significant harm; rounds 1-50, none of 9 so read was urgent)."""
    if reading is None or rules_risk == "no" or reading.p("kind", "case") <= reading.p("kind", "general") or reading.p(
            "kind", "claim") >= STATEMENT_P or reading.p("risk", "yes") < POSSIBLE_RISK_P:  # a question, a belief, no harm
        return False
    doubtful = reading.p("asker", "doubtful") >= DOUBTFUL_P  # "someone just rang saying they're police"
    if disclosed and reading.p("risk", "yes") >= RISK_SURE_P and not doubtful:  # just told, the harm plain: danger now
        return True
    plain_now = fresh and reading.p("risk", "yes") >= RISK_SURE_P
    if doubtful:  # ... but plain harm now, the doubt not sure, is danger at the usual bar (a father grabbing a baby)
        return reading.p("urgent", "yes") >= (URGENT_P if plain_now and reading.p("asker", "doubtful") < SURE_DOUBTFUL_P
                                              else URGENT_DOUBTFUL_P)
    return reading.p("urgent", "yes") >= (URGENT_FRESH_P if plain_now else URGENT_P)


def about_sharing(reading: Reading | None) -> bool:
    """A statement about the rules of sharing, or a described case: what the guidance exists for,
    so never declined (near-miss general questions, "how do I apply for an emergency protection
    order?", still can be)."""
    return reading is not None and reading.p("kind", "claim") + reading.p("kind", "case") >= ABOUT_P


def asks_about_sharing(reading: Reading | None) -> bool:
    """Read as plainly about sharing information (a question, a statement or a case; at most a 9 in
    100 chance of being about something else): the guidance exists to answer it, so it gets the
    closest guidance rather than a decline. On rounds 1-50, 5 of 527 out-of-scope questions read this
    plainly and 2,311 in-scope messages; of the 22 read between 0.09 and 0.1 none is declined without it
    (0.1 until the domain embedder trained on round 51's session's lines read the Channel panel at 0.1)."""
    return reading is not None and reading.p("kind", "other") <= SHARING_OTHER_P


def not_other(reading: Reading | None) -> bool:
    """More likely about sharing (a question, statement or case) than about something else."""
    return reading is not None and reading.p("kind", "other") < 0.5


def possible_risk(reading: Reading | None) -> bool:
    """The risk reader gives a risk to a child (yes or unsure) at least POSSIBLE_WORRY_P: too likely
    to decline. What the message is otherwise about does not matter here; only a message read
    plainly as about something else (``is_other(sure=True)``) is declined whatever the risk."""
    return reading is not None and reading.p("risk", "yes") + reading.p("risk", "unsure") >= POSSIBLE_WORRY_P


def no_risk(reading: Reading | None) -> bool:
    """The learned reader reads plainly no risk of significant harm (NO_RISK_P): it chooses the guidance
    shown first (a fact for the engine only in a request for a service's help, NO_HARM_P)."""
    return reading is not None and reading.p("risk", "no") >= NO_RISK_P


def harm_stated(reading: Reading | None, rules_risk: str | None, asked: bool = False) -> bool:
    """Harm to a child is read (the rules, or the learned reader at HARM_READ_P), not in a message read plainly as
    a general question (GENERAL_P): the referral advice first, cautions about confidentiality never leading. ``asked``:
    off the flowchart's route, a message read more as a statement of belief than a case has only the rules' harm."""
    if is_general_question(reading):
        return False
    if reading is not None and reading.p("risk", "no") >= NO_RISK_P and reading.p("kind", "case") < NOT_A_CASE_P:
        return False  # the rules' "yes" read a principle or a topic ("where there's a clear risk of significant harm ...")
    belief = asked and reading is not None and reading.p("kind", "claim") >= max(STATEMENT_P, reading.p("kind", "case"))
    if belief and reading.p("risk", "yes") < BELIEF_HARM_P:
        return False  # the harm is the belief's topic ("only once a child has actually been harmed"), not a child's
    # off the route, harm only the reader reads is the topic of a message read mostly as a general question (TOPIC_P) and
    # hardly as a case (NOT_A_CASE_P): "if I see something worrying it's my job to report it, right?" (out of sample, readers
    # on rounds 1-40 read on 41-59: a question, a myth and a true statement lose "Refer now"; no case, no other message)
    topic = asked and reading is not None and reading.p("kind", "case") < NOT_A_CASE_P and reading.p("kind", "general") >= TOPIC_P
    return rules_risk == "yes" or (not belief and not topic and reading is not None and reading.p("risk", "yes") >= HARM_READ_P)


def child_at_risk(reading: Reading | None) -> bool:
    return reading is not None and reading.p("kind", "case") >= CASE_AT_RISK_P and reading.p("risk", "yes") >= RISK_P


def may_be_at_risk(reading: Reading | None) -> bool:
    """A child in this message may be at risk (as a case or as a worry put in general terms): enough
    that the guidance's cautions about confidentiality should not lead the answer."""
    if reading is None or reading.p("kind", "other") >= OTHER_P:
        return False
    return reading.p("risk", "yes") >= POSSIBLE_RISK_P or reading.p("risk", "yes") + reading.p("risk", "unsure") >= WORRY_P


def urgency_vetoed(reading: Reading | None) -> bool:
    """Not about a child in danger (about something else, or plainly not urgent with no risk to a child, or
    hardly urgent (NOT_NOW_P): a rule's urgency is set aside. The last, with the urgency head trained on rounds 1-40
    and read on rounds 41-53: of the 67 messages a rule read as urgent, 15 of 21 not urgent (a strangulation two days
    ago, a dentist's "seen today as an emergency"), none of 46 urgent (the least read 0.48)."""
    return reading is not None and ((reading.p("kind", "other") >= 0.8 and reading.p("urgent", "yes") < 0.2)
                                    or (reading.p("urgent", "no") >= NOT_URGENT_P and reading.p("risk", "no") >= 0.6)
                                    or reading.p("urgent", "yes") < NOT_NOW_P)


def asked_without_need(reading: Reading | None, urgent: bool = False) -> bool:
    """Someone with no need to know (NO_NEED_WORRY_P, or ``asker``) asks for it (``asks_recipient``): their question
    is what the case turns on, not a worry about the child (a risk read at RISK_P still counts). Not a person of concern
    read as "no need" where nobody asks (rounds 1-48: a drama group volunteer's secret messages to a 13-year-old)."""
    if not asks_recipient(reading):
        return False
    return reading.p("asker", "no_need") >= NO_NEED_WORRY_P or asker(reading, urgent) == "no_need"


def asker(reading: Reading | None, urgent: bool = False, managed: bool = False) -> str | None:
    """Who asks for the information, or would receive it, when that is what the case turns on:
    "doubtful" (identity or entitlement unchecked, or may be the risk; read at DOUBTFUL_P),
    "no_need" (curiosity, other parents, the press; ASKER_P) or "family" (a parent or carer
    asking about a young person; ASKER_P); else None. Never in an emergency. Where the reader
    reads a risk of significant harm (RISK_P) only a doubtful asker read at ASKER_P counts (an
    unchecked caller demanding a child's records: sharing with them is the costly mistake), and
    no other (a possible risk, for "no_need" and "family"): there the sharing that matters is with
    children's social care or the police, and the reader cannot reliably tell "a risky person
    asks" from "a risky person is involved". Not for a message about something else. ``managed``
    (``case_question.managed``): the risk is known to children's social care or the police and the
    case asks whether this person should have it, so who asks is read as where no risk is."""
    if reading is None or urgent or reading.p("kind", "other") >= OTHER_P:
        return None
    at_risk = reading.p("risk", "yes") >= RISK_P and not managed
    if reading.label("asker", ASKER_P if at_risk else DOUBTFUL_P) == "doubtful":
        return "doubtful"
    if at_risk and reading.p("asker", "no_need") >= SURE_DOUBTFUL_P:
        return "no_need"  # plainly no need to know (a club newsletter, the press), whatever the risk involved
    label = reading.label("asker", ASKER_P)
    if not at_risk and label in ("no_need", "family") and (managed or reading.p("risk", "yes") < POSSIBLE_RISK_P):
        return label
    return None


def asker_facts(reading: Reading | None, urgent: bool = False, managed: bool = False) -> dict[str, str]:
    """Sharing with a doubtful asker: no legitimate purpose when plainly doubtful (SURE_DOUBTFUL_P:
    a relative or ex-partner nobody can vouch for, after a child's whereabouts) and no risk is
    read, else unsure (seek advice: a caller who says they are from the police, a solicitor; and
    wherever a risk is read, when the referral advice comes first); with someone with no need to
    know, none. A parent asking sets nothing: whether a young person's confidence holds is the
    flowchart's (consent, and a lawful reason without it). Not implied by a risk: the flowchart's
    first question is about this person. Never "no" where a worry about the child is read (``may_be_at_risk``:
    round 42's 15-year-old registered by an "uncle" who kept her passport got "do not share")."""
    who = asker(reading, urgent, managed)
    at_risk = reading is not None and reading.p("risk", "yes") >= RISK_P
    if who == "doubtful":  # a worry about the child too (a girl brought in by a man who answers for her): advice, never "no"
        sure = reading.p("asker", "doubtful") >= SURE_DOUBTFUL_P and not at_risk and not may_be_at_risk(reading)
        return {"legitimate_purpose": "no" if sure else "unsure"}
    if who == "no_need":  # with a new risk read, seek advice on telling them: the referral advice comes first
        return {"legitimate_purpose": "unsure" if at_risk and not managed else "no"}
    return {}


def case_facts(rules_facts: dict[str, str], reading: Reading | None, urgent: bool) -> tuple[dict[str, str], dict[str, str]]:
    """(facts the rules read, from ``understand.facts.extract_facts``; facts the learned reader adds), never both for one."""
    stated = dict(rules_facts)
    learned: dict[str, str] = {}
    if reading is None or (reading.p("kind", "case") < 0.5 and not requested_without_need(reading, urgent)):
        return stated, learned
    if stated.get("consent") == "yes" and reading.p("consent", "given") < NO_CONSENT_P:
        del stated["consent"]  # the rules read "consent" in words that do not give it
    if stated.get("legitimate_purpose") == "yes" and managed(reading, urgent):
        del stated["legitimate_purpose"]  # the rules read the known concern ("on a CP plan"), not this person's need
    if "significant_harm_risk" not in stated:
        if reading.p("risk", "yes") >= RISK_P or urgent:  # a child in danger now is at risk of significant harm
            learned["significant_harm_risk"] = "yes"
        elif service_help(reading, urgent) and "consent" not in stated:  # a need, not a worry: consent decides
            learned.update(service_purpose(reading))
        elif (reading.p("risk", "yes") >= POSSIBLE_RISK_P or reading.p("risk", "yes") + reading.p("risk", "unsure") >= WORRY_P) \
                and not asked_without_need(reading, urgent):
            learned["significant_harm_risk"] = "unsure"  # a possible risk: talk to the safeguarding lead today
        elif reading.p("risk", "no") >= NO_HARM_P and reading.p("risk", "yes") < NO_HARM_YES_P and "consent" not in stated:
            learned.update(service_purpose(reading))  # early help from a service: consent decides
    elif stated["significant_harm_risk"] != "yes" and (reading.p("risk", "yes") >= RISK_SURE_P or urgent) and (
            stated["significant_harm_risk"] == "unsure" or urgent):  # a worry heard, or "no" ("she's safe in her room
        del stated["significant_harm_risk"]  # now"), where the case read whole states harm, or a child is in danger now:
        learned["significant_harm_risk"] = "yes"  # never "do not share" under the urgent banner (round 51's CSE)
    if "identifiable" not in stated and reading.p("kind", "case") >= CASE_AT_RISK_P:
        learned["identifiable"] = "yes"  # a described case is about someone in particular
    consent = reading.label("consent", CONSENT_P)
    if not {"consent", "seeking_consent_unsafe"} & set(stated):  # a child in danger now: asking would delay
        learned.update({"seeking_consent_unsafe": "yes"} if urgent else _CONSENT_FACTS.get(consent or "", {}))
    if "legitimate_purpose" not in stated and (stated.get("significant_harm_risk") != "yes" or managed(reading, urgent)):
        learned.update(asker_facts(reading, urgent, managed(reading, urgent)) or managed_purpose(reading, urgent))
    elif "legitimate_purpose" not in stated and (((who := asker(reading, urgent)) in ("doubtful", "no_need") and reading.p(
            "asker", who) >= SURE_DOUBTFUL_P) or (reading.p("asker", "doubtful") >= DOUBTFUL_P and reading.p("asks", "recipient") >= ASKS_RECIPIENT_P)):
        # the risk is stated and the person asking may be it (an ex-partner after the children's new school),
        # or plainly has no need to know: the referral advice comes first; telling them anything waits for advice
        learned["legitimate_purpose"] = "unsure"
    told = {**learned, **stated}
    if told.get("legitimate_purpose") == "no" and (told.get("significant_harm_risk") in ("yes", "unsure") or may_be_at_risk(reading)) \
            and not about_recipient(reading):
        # "no purpose" read beside a worry about the child ("or am I being nosy?"): never "do not share" on it
        stated.pop("legitimate_purpose", None)
        learned["legitimate_purpose"] = "unsure"
    return stated, {**presumed(stated, learned), **learned}  # a described case's silence too
