"""What a described case asks (how much, or whether this person should have it) and whether its
concern is already known, with readings given by hand (no model): which lines lead, and when the
flowchart's question of purpose is left to advice."""

from __future__ import annotations

import pytest

from assistant.understand import case_question, case_reading as reading_of
from assistant.understand.learned import Reading


def _reading(asks: dict[str, float], known: float, asker: dict[str, float] | None = None, risk_yes: float = 0.9,
             case: float = 0.95) -> Reading:
    return Reading({"kind": {"case": case, "general": 1 - case}, "risk": {"yes": risk_yes, "no": 1 - risk_yes},
                    "consent": {"none": 1.0}, "urgent": {"no": 1.0}, "asker": asker or {"none": 1.0},
                    "asks": asks, "known": {"yes": known, "no": 1 - known}})


@pytest.mark.parametrize(
    ("asks", "urgent", "case", "scope"),
    [({"amount": 0.7, "whether": 0.3}, False, 0.95, "amount"),
     ({"recipient": 0.65, "whether": 0.35}, False, 0.95, "recipient"),
     ({"recipient": 0.55, "whether": 0.45}, False, 0.95, None),  # not plainly enough
     ({"whether": 0.9, "amount": 0.1}, False, 0.95, None),  # whether to pass a worry on: the referral advice
     ({"how": 0.9, "amount": 0.1}, False, 0.95, None),
     ({"amount": 0.9, "whether": 0.1}, True, 0.95, None),  # an emergency: what to do now comes first
     ({"amount": 0.9, "whether": 0.1}, False, 0.3, None)],  # a general question names nobody
)
def test_what_a_case_asks_is_read_only_plainly_and_never_in_an_emergency(asks, urgent, case, scope):
    assert case_question.scoped(_reading(asks, 0.9, case=case), urgent) == scope


def test_the_known_line_needs_a_known_concern_a_scoped_question_and_nobody_doubtful_asking():
    amount = {"amount": 0.8, "whether": 0.2}
    assert case_question.known_line(_reading(amount, 0.8))
    assert not case_question.known_line(_reading(amount, 0.4))  # not known: "Refer now" as before
    assert not case_question.known_line(_reading({"whether": 0.9, "amount": 0.1}, 0.9))  # a new worry on a known child
    assert not case_question.known_line(_reading(amount, 0.9, {"doubtful": 0.4, "agency": 0.6}))  # a caller who may not be who they say


@pytest.mark.parametrize(
    ("asker", "purpose"),
    [({"none": 0.5, "no_need": 0.45, "agency": 0.05}, "unsure"),  # nobody's need read: advice, not the risk's implication
     ({"agency": 0.8, "none": 0.2}, None),  # an agency asking: the flowchart as before
     ({"family": 0.6, "none": 0.4}, None)],  # a parent asking: the flowchart's consent question
)
def test_a_known_risk_asked_about_by_someone_else_does_not_imply_a_purpose_in_telling_them(asker, purpose):
    managed = _reading({"recipient": 0.8, "whether": 0.2}, 0.8, asker)
    stated, learned = reading_of.case_facts({"significant_harm_risk": "yes"}, managed, urgent=False)
    assert learned.get("legitimate_purpose") == purpose
    new_worry = _reading({"whether": 0.8, "recipient": 0.2}, 0.8, asker)
    assert "legitimate_purpose" not in reading_of.case_facts({"significant_harm_risk": "yes"}, new_worry, urgent=False)[1]


def test_someone_with_no_need_asking_about_a_known_risk_is_read_as_where_no_risk_is():
    asked = {"no_need": 0.75, "none": 0.25}
    managed = _reading({"recipient": 0.8, "whether": 0.2}, 0.8, asked)
    unmanaged = _reading({"whether": 0.8, "recipient": 0.2}, 0.8, asked)
    assert reading_of.asker(managed, managed=case_question.managed(managed)) == "no_need"
    assert reading_of.asker(unmanaged, managed=case_question.managed(unmanaged)) is None  # a risk read: CSC first
    assert reading_of.case_facts({}, managed, urgent=False)[1]["legitimate_purpose"] == "no"  # the risk is known: no purpose
    assert reading_of.case_facts({}, unmanaged, urgent=False)[1].get("legitimate_purpose") is None


def test_someone_plainly_without_need_asking_about_a_known_child_is_what_the_case_turns_on():
    gate = _reading({"how": 0.5, "recipient": 0.5}, 0.85, {"no_need": 0.95, "none": 0.05}, risk_yes=0.55)
    assert case_question.managed(gate) and case_question.known_line(gate)
    assert reading_of.case_facts({"significant_harm_risk": "unsure"}, gate, urgent=False)[1]["legitimate_purpose"] == "no"
    unknown = _reading({"how": 0.5, "recipient": 0.5}, 0.3, {"no_need": 0.95, "none": 0.05}, risk_yes=0.55)
    assert not case_question.managed(unknown)


@pytest.mark.parametrize(
    ("asker", "asks", "risk_yes", "urgent", "requested"),
    [({"no_need": 0.92, "none": 0.08}, {"recipient": 0.72, "none": 0.28}, 0.0, False, True),
     ({"no_need": 0.92, "none": 0.08}, {"recipient": 0.4, "whether": 0.3, "how": 0.3}, 0.0, False, True),  # together
     ({"no_need": 0.8, "agency": 0.2}, {"recipient": 0.9, "none": 0.1}, 0.0, False, False),  # not plainly without need
     ({"no_need": 0.95, "none": 0.05}, {"how": 0.8, "recipient": 0.2}, 0.0, False, False),  # asks how, not for it
     ({"no_need": 0.95, "none": 0.05}, {"recipient": 0.9, "none": 0.1}, 0.6, False, False),  # a risk: referral first
     ({"no_need": 0.95, "none": 0.05}, {"recipient": 0.9, "none": 0.1}, 0.0, True, False)],  # never in an emergency
)
def test_a_request_from_someone_plainly_without_need_is_a_case_to_decide_however_general_it_reads(
        asker, asks, risk_yes, urgent, requested):
    reading = _reading(asks, 0.1, asker, risk_yes=risk_yes, case=0.07)  # read as a general question
    assert case_question.requested_without_need(reading, urgent) is requested
    stated, learned = reading_of.case_facts({"identifiable": "yes"}, reading, urgent)
    if requested:  # the case's facts are read though it reads as general: no legitimate purpose
        assert learned.get("legitimate_purpose") == "no"
    elif not urgent:
        assert learned == {}


@pytest.mark.parametrize(("risk_yes", "purpose"), [(0.05, "no"), (0.3, "unsure")])
def test_an_unentitled_request_with_no_risk_read_at_all_has_no_purpose_else_advice(risk_yes, purpose):
    # a worker elsewhere wanting a photo of a sign-in sheet, a tuition company wanting addresses
    request = _reading({"recipient": 0.8, "amount": 0.2}, 0.1, {"doubtful": 0.45, "no_need": 0.35, "agency": 0.2},
                       risk_yes=risk_yes)
    assert case_question.managed_purpose(request) == {"legitimate_purpose": purpose}


@pytest.mark.parametrize(("unentitled", "risk_yes", "purpose"),
                         [({"no_need": 0.7, "doubtful": 0.26, "none": 0.04}, 0.07, "no"),  # a landlord: is she "known"?
                          ({"no_need": 0.5, "doubtful": 0.3, "agency": 0.2}, 0.07, "unsure"),  # not plainly
                          ({"no_need": 0.7, "doubtful": 0.26, "none": 0.04}, 0.3, "unsure")])  # a risk read
def test_a_known_concern_asked_about_by_someone_plainly_without_a_need_to_know_has_no_purpose(unentitled, risk_yes, purpose):
    request = _reading({"recipient": 0.9, "whether": 0.1}, 0.75, unentitled, risk_yes=risk_yes)
    assert case_question.managed(request)
    assert case_question.managed_purpose(request) == {"legitimate_purpose": purpose}


def _help(case: float = 0.95, risk: dict[str, float] | None = None, asker: dict[str, float] | None = None,
          known: float = 0.1, asks: dict[str, float] | None = None, urgent: float = 0.05) -> Reading:
    """A practitioner asking a service's help: a bereaved boy for a bereavement charity, a family for a health visitor."""
    return Reading({"kind": {"case": case, "general": 1 - case}, "risk": risk or {"yes": 0.05, "unsure": 0.55, "no": 0.4},
                    "consent": {"none": 1.0}, "urgent": {"yes": urgent, "no": 1 - urgent},
                    "asker": asker or {"agency": 0.9, "none": 0.1}, "asks": asks or {"whether": 0.8, "how": 0.2},
                    "known": {"yes": known, "no": 1 - known}})


@pytest.mark.parametrize(("reading", "helped"), [
    (_help(), True),
    (_help(risk={"yes": 0.25, "unsure": 0.45, "no": 0.3}), False),  # harm read: a worry for the safeguarding lead
    (_help(risk={"yes": 0.05, "unsure": 0.75, "no": 0.2}), False),  # no need read either
    (_help(case=0.78), False),  # "do I need to ask the parents before I tell our DSL?": a question, not a request
    (_help(asker={"agency": 0.6, "no_need": 0.35, "none": 0.05}), False),  # a coach who wants to know
    (_help(known=0.8), False),  # a child on a plan: how much, or to whom, is the question
    (_help(asks={"recipient": 0.7, "whether": 0.3}), False),
    (_help(urgent=0.6), False),
])
def test_a_need_for_a_services_help_is_read_only_where_harm_is_hardly_read(reading, helped):
    assert case_question.service_help(reading) is helped


def test_a_services_help_asked_for_is_decided_by_consent_not_sent_to_the_safeguarding_lead():
    stated, learned = reading_of.case_facts({}, _help(), urgent=False)
    assert learned["significant_harm_risk"] == "no" and learned["legitimate_purpose"] == "yes"
    assert learned["consent"] == "no"  # not asked yet: the flowchart's "do not share yet — ask for consent first"
    _, refused = reading_of.case_facts({"consent": "no"}, _help(), urgent=False)
    assert "significant_harm_risk" not in refused or refused["significant_harm_risk"] != "no"  # consent told: as before
    _, worry = reading_of.case_facts({}, _help(risk={"yes": 0.3, "unsure": 0.5, "no": 0.2}), urgent=False)
    assert worry["significant_harm_risk"] == "unsure"


@pytest.mark.parametrize(
    ("asker", "risk_yes", "case", "asks", "known", "urgent", "asked"),
    [({"agency": 0.65, "none": 0.35}, 0.1, 0.55, {"how": 0.9, "whether": 0.1}, 0.0, False, True),  # diabetes care plan to leaders
     ({"agency": 0.9, "none": 0.1}, 0.45, 0.95, {"whether": 0.9, "how": 0.1}, 0.0, False, True),  # a need, harm read as less likely
     ({"agency": 0.9, "none": 0.1}, 0.55, 0.95, {"whether": 0.9, "how": 0.1}, 0.0, False, False),  # harm as likely as not: no
     ({"agency": 0.6, "no_need": 0.2, "doubtful": 0.2}, 0.1, 0.95, {"whether": 1.0}, 0.0, False, False),  # someone unentitled
     ({"agency": 0.4, "none": 0.6}, 0.1, 0.95, {"whether": 1.0}, 0.0, False, False),  # not to a service
     ({"agency": 0.9, "none": 0.1}, 0.1, 0.95, {"amount": 0.8, "whether": 0.2}, 0.0, False, False),  # how much: its own line
     ({"agency": 0.9, "none": 0.1}, 0.1, 0.95, {"whether": 1.0}, 0.8, False, False),  # known to social care
     ({"agency": 0.9, "none": 0.1}, 0.1, 0.95, {"whether": 1.0}, 0.0, True, False),  # an emergency
     ({"agency": 0.9, "none": 0.1}, 0.1, 0.4, {"whether": 1.0}, 0.0, False, False)],  # hardly a case
)
def test_a_service_s_help_read_less_plainly_opens_with_the_early_help_line_only(asker, risk_yes, case, asks, known, urgent, asked):
    """``support_asked``: information to a service to get a child help, with harm read less likely than not and
    nobody unentitled; it chooses the opening line of a stalled case, never a fact."""
    assert case_question.support_asked(_reading(asks, known, asker, risk_yes=risk_yes, case=case), urgent) is asked


@pytest.mark.parametrize(
    ("asker", "asks", "risk_yes", "urgent", "doubted"),
    [({"no_need": 0.58, "none": 0.42}, {"recipient": 0.32, "none": 0.68}, 0.0, False, True),  # a sponsor wants a spreadsheet
     ({"no_need": 0.32, "doubtful": 0.07, "agency": 0.61}, {"recipient": 0.47, "whether": 0.53}, 0.03, False, True),
     ({"no_need": 0.2, "doubtful": 0.1, "agency": 0.7}, {"recipient": 0.6, "whether": 0.4}, 0.0, False, False),  # a professional
     ({"no_need": 0.6, "none": 0.4}, {"whether": 0.9, "recipient": 0.1}, 0.0, False, False),  # whether to pass a worry on
     ({"no_need": 0.6, "none": 0.4}, {"recipient": 0.9, "none": 0.1}, 0.4, False, False),  # harm read: the referral first
     ({"no_need": 0.6, "none": 0.4}, {"recipient": 0.9, "none": 0.1}, 0.0, True, False)],  # an emergency
)
def test_a_recipient_who_may_have_no_need_to_know_is_read_only_where_harm_is_hardly_read(asker, asks, risk_yes, urgent, doubted):
    """``recipient_doubted``: chooses the line that opens a stalled case (share only with those who need it), never a fact."""
    assert case_question.recipient_doubted(_reading(asks, 0.0, asker, risk_yes=risk_yes), urgent) is doubted
