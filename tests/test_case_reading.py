"""What the learned readings decide, with readings given by hand (no model): when a message is never
declined, and when the guidance's cautions go last."""

from __future__ import annotations

import pytest

from assistant.decision.engine import decide as walk
from assistant.understand import case_reading as reading_of, verdict_safety
from assistant.understand.learned import Reading


def _reading(kind: dict[str, float], risk: dict[str, float], urgent: float = 0.0) -> Reading:
    return Reading({"kind": kind, "risk": risk, "urgent": {"yes": urgent, "no": 1 - urgent},
                    "consent": {"none": 1.0}})


@pytest.mark.parametrize(
    ("other", "plainly_about_sharing"),
    [(0.02, True), (0.09, True), (0.1, False), (0.5, False)],
)
def test_a_message_read_plainly_as_about_sharing_is_never_declined(other, plainly_about_sharing):
    reading = _reading({"general": 1 - other, "other": other}, {"no": 1.0})
    assert reading_of.asks_about_sharing(reading) is plainly_about_sharing


@pytest.mark.parametrize(
    ("kind", "about"),
    [({"case": 0.6, "general": 0.27, "other": 0.13}, True),  # a foster carer posting a child's history to a group
     ({"case": 0.3, "claim": 0.21, "general": 0.49}, True),  # a case or a statement together, more likely than not
     ({"case": 0.45, "general": 0.4, "other": 0.15}, False)],
)
def test_a_described_case_or_statement_more_likely_than_not_is_about_sharing(kind, about):
    assert reading_of.about_sharing(_reading(kind, {"no": 1.0})) is about


@pytest.mark.parametrize(
    ("yes", "unsure", "possible"),
    [(0.41, 0.0, True), (0.2, 0.2, True), (0.2, 0.19, False), (0.0, 0.0, False)],
)
def test_a_possible_risk_to_a_child_counts_yes_and_unsure_together(yes, unsure, possible):
    reading = _reading({"case": 1.0}, {"yes": yes, "unsure": unsure, "no": 1 - yes - unsure})
    assert reading_of.possible_risk(reading) is possible


def test_cautions_do_not_lead_where_a_child_may_be_at_risk_but_not_about_something_else():
    worried = _reading({"case": 0.9, "other": 0.1}, {"yes": 0.55, "no": 0.45})
    elsewhere = _reading({"other": 0.9, "case": 0.1}, {"yes": 0.55, "no": 0.45})
    calm = _reading({"case": 0.9, "other": 0.1}, {"no": 1.0})
    assert reading_of.may_be_at_risk(worried)
    assert not reading_of.may_be_at_risk(elsewhere)
    assert not reading_of.may_be_at_risk(calm)
    assert not reading_of.asks_about_sharing(None) and not reading_of.possible_risk(None)


def _asked(asker: dict[str, float], kind: dict[str, float] | None = None, risk_yes: float = 0.3,
           unsure: float | None = None) -> Reading:
    unsure = 1 - risk_yes if unsure is None else unsure
    reading = _reading(kind or {"case": 1.0}, {"yes": risk_yes, "unsure": unsure, "no": 1 - risk_yes - unsure})
    return Reading({**reading.probabilities, "asker": asker})


@pytest.mark.parametrize(
    ("asker", "read", "purpose"),
    [({"doubtful": 0.55, "agency": 0.45}, "doubtful", "unsure"),  # doubtful is read readily: missing it costs more
     ({"doubtful": 0.95, "agency": 0.05}, "doubtful", "no"),  # plainly doubtful: no purpose in telling them
     ({"doubtful": 0.45, "agency": 0.55}, None, None),
     ({"no_need": 0.75, "none": 0.25}, "no_need", "no"),
     ({"no_need": 0.65, "none": 0.35}, None, None),
     ({"family": 0.9, "none": 0.1}, "family", None),  # a parent asking: the opening, no fact
     ({"family": 0.6, "none": 0.4}, None, None),
     ({"agency": 0.9, "none": 0.1}, None, None)],
)
def test_who_asks_sets_the_purpose_of_sharing_with_them(asker, read, purpose):
    reading = _asked(asker, unsure=0.2)  # no worry about the child read (yes and unsure together 0.5)
    assert reading_of.asker(reading) == read
    stated, learned = reading_of.case_facts({}, reading, urgent=False)
    assert learned.get("legitimate_purpose") == purpose
    told, learned = reading_of.case_facts({"legitimate_purpose": "yes"}, reading, urgent=False)
    assert "legitimate_purpose" not in learned  # a stated purpose is never overridden


def test_a_plainly_doubtful_asker_with_a_worry_about_the_child_means_seek_advice_not_do_not_share():
    """Round 42: a 15-year-old registered by a man who says he is her uncle, answers for her and keeps her
    passport. He is plainly doubtful, but the worry is about her: advice, never a flat "do not share"."""
    worried = _asked({"doubtful": 0.97, "none": 0.03}, risk_yes=0.46, unsure=0.53)
    assert reading_of.case_facts({}, worried, urgent=False)[1]["legitimate_purpose"] == "unsure"
    calm = _asked({"doubtful": 0.97, "none": 0.03}, risk_yes=0.1, unsure=0.2)
    assert reading_of.case_facts({}, calm, urgent=False)[1]["legitimate_purpose"] == "no"


@pytest.mark.parametrize("asker", [{"doubtful": 0.6, "agency": 0.4}, {"no_need": 0.85, "agency": 0.15}, {"family": 0.95}])
def test_who_asks_is_not_read_where_a_child_is_at_risk_or_in_danger_now(asker):
    at_risk = _asked(asker, risk_yes=0.8)  # a risky person involved is not a risky person asking
    assert reading_of.asker(at_risk) is None
    assert "legitimate_purpose" not in reading_of.case_facts({}, at_risk, urgent=False)[1]
    assert reading_of.asker(_asked(asker), urgent=True) is None
    assert "legitimate_purpose" not in reading_of.case_facts({}, _asked(asker), urgent=True)[1]
    assert "legitimate_purpose" not in reading_of.case_facts({"significant_harm_risk": "yes"}, _asked(asker), urgent=False)[1]


def test_a_request_from_a_doubtful_asker_is_an_emergency_only_when_surely_read_so():
    def urgent(p: float, doubtful: float) -> bool:
        reading = _asked({"doubtful": doubtful, "none": 1 - doubtful}, risk_yes=0.6)  # harm read: danger now is possible
        return reading_of.urgent_now(Reading({**reading.probabilities, "urgent": {"yes": p, "no": 1 - p}}))
    assert urgent(0.6, doubtful=0.1) and not urgent(0.6, doubtful=0.6) and urgent(0.85, doubtful=0.6)


def test_plain_harm_now_is_danger_at_the_usual_bar_unless_the_asker_is_surely_doubtful():
    def urgent(doubtful: float, fresh: bool = True) -> bool:  # "dad has just grabbed the baby ... he'll 'end it'"
        reading = _asked({"doubtful": doubtful, "none": 1 - doubtful}, risk_yes=1.0, unsure=0.0)
        return reading_of.urgent_now(Reading({**reading.probabilities, "urgent": {"yes": 0.68, "no": 0.32}}), fresh=fresh)
    assert urgent(0.56) and not urgent(0.56, fresh=False) and not urgent(0.95)  # "someone just rang saying they're police"


def test_who_asks_is_not_read_in_a_message_about_something_else():
    assert reading_of.asker(_asked({"doubtful": 0.9}, kind={"other": 0.8, "case": 0.2})) is None


def test_a_child_in_danger_now_in_a_message_read_more_as_a_case_is_walked_through_the_flowchart():
    case_ish = _reading({"case": 0.6, "general": 0.4}, {"no": 1.0})
    assert reading_of.urgent_case(case_ish, urgent=True)
    assert not reading_of.urgent_case(case_ish, urgent=False)
    assert not reading_of.urgent_case(_reading({"case": 0.3, "general": 0.7}, {"no": 1.0}), urgent=True)
    assert reading_of.urgent_case(_reading({"case": 0.45, "general": 0.4, "other": 0.15}, {"no": 1.0}), urgent=True)


def test_a_doubtful_asker_read_surely_counts_even_where_a_risk_is_read_but_only_as_seek_advice():
    reading = _asked({"doubtful": 0.95, "agency": 0.05}, risk_yes=0.9)
    assert reading_of.asker(reading) == "doubtful"
    stated, learned = reading_of.case_facts({}, reading, urgent=False)
    assert learned["legitimate_purpose"] == "unsure" and learned["significant_harm_risk"] == "yes"


def test_a_stated_no_risk_keeps_the_learned_urgency_alone_from_raising_the_banner():
    reading = _reading({"case": 1.0}, {"yes": 0.55, "unsure": 0.45}, urgent=0.7)
    assert reading_of.urgent_now(reading)
    assert not reading_of.urgent_now(reading, rules_risk="no")  # "no sign of abuse, family are lovely"
    assert reading_of.urgent_now(reading, rules_risk="unsure")


def test_the_learned_urgency_alone_needs_harm_read_at_least_as_likely_as_not():
    # "a 9-year-old non-verbal passenger seems upset" read urgent at 0.55 with harm at 0.06: a worry, not danger now
    assert not reading_of.urgent_now(_reading({"case": 1.0}, {"yes": 0.1, "unsure": 0.9}, urgent=0.9))
    assert not reading_of.urgent_now(_reading({"case": 1.0}, {"yes": 0.45, "unsure": 0.55}, urgent=0.9))
    assert reading_of.urgent_now(_reading({"case": 1.0}, {"yes": 0.5, "unsure": 0.5}, urgent=0.9))


def test_a_fresh_disclosure_of_plain_harm_is_danger_now_whatever_the_urgency_reader_says():
    reading = _reading({"case": 1.0}, {"yes": 0.85, "unsure": 0.15}, urgent=0.05)  # "daddy squeezed my neck", told just now
    assert not reading_of.urgent_now(reading) and reading_of.urgent_now(reading, disclosed=True)
    worry = _reading({"case": 1.0}, {"yes": 0.6, "unsure": 0.4}, urgent=0.05)
    assert not reading_of.urgent_now(worry, disclosed=True)  # the harm not plain: the rules and the urgency reader decide
    assert not reading_of.urgent_now(reading, rules_risk="no", disclosed=True)
    caller = Reading({**reading.probabilities, "asker": {"doubtful": 0.8, "agency": 0.2}})  # "someone just rang saying..."
    assert not reading_of.urgent_now(caller, disclosed=True)
    question = _reading({"case": 0.3, "general": 0.7}, {"yes": 0.9, "unsure": 0.1})
    assert not reading_of.urgent_now(question, disclosed=True)


@pytest.mark.parametrize("text", [
    "youth worker, a 16yo wants to tell me something but only if I promise not to tell. what should i say to her?",
    "A parent rang about the referral. How do I explain why consent wasn't needed?",
    "so what do we put in the record when we decide not to share?",
])
def test_a_what_or_how_question_after_its_context_gets_no_verdict(text):
    general = _reading({"case": 0.3, "general": 0.4, "claim": 0.3}, {"no": 1.0})
    assert verdict_safety.no_is_unsafe(text, restricts=True, flipped=False, reading=general)
    assert verdict_safety.yes_is_unsafe(text, "consent is not always needed", general)


def test_a_yes_or_no_statement_with_a_what_clause_inside_still_can_get_a_verdict():
    claim = _reading({"claim": 0.9, "general": 0.1}, {"no": 1.0})
    assert not verdict_safety.no_is_unsafe("I can never share what a child tells me without consent", restricts=True,
                                       flipped=False, reading=claim)


def test_a_statement_of_belief_is_not_read_as_an_emergency():
    statement = _reading({"claim": 0.87, "case": 0.1, "general": 0.03}, {"no": 0.5, "unsure": 0.5}, urgent=0.7)
    assert not reading_of.urgent_now(statement)  # "no need to ring CSC, the GP will have reported the bruise"


def test_consent_is_never_learned_as_given_only_as_refused_or_not_asked():
    def learned(label: str, p: float) -> dict:
        reading = Reading({**_reading({"case": 1.0}, {"no": 1.0}).probabilities,
                           "consent": {label: p, "none": 1 - p}})
        return reading_of.case_facts({}, reading, urgent=False)[1]
    assert "consent" not in learned("given", 0.99)  # "can I just send it?" is not the mother's consent
    assert learned("refused", 0.95)["consent"] == "no"
    assert learned("not_asked", 0.95)["consent"] == "no"
    assert learned("unsafe", 0.95)["seeking_consent_unsafe"] == "yes"
    def told(consent: dict[str, float]) -> tuple[dict, dict]:
        reading = Reading({**_reading({"case": 1.0}, {"no": 1.0}).probabilities, "consent": consent})
        return reading_of.case_facts({"consent": "yes"}, reading, urgent=False)
    stated, added = told({"given": 0.3, "refused": 0.65, "none": 0.05})
    assert stated["consent"] == "yes" and "consent" not in added  # what the rules read stands
    # ... unless the reader reads it plainly not given ("Fraser competent" is no consent to tell anyone)
    stated, added = told({"refused": 0.95, "given": 0.01, "none": 0.04})
    assert stated.get("consent") != "yes" and added.get("consent") != "yes"


def test_a_surely_doubtful_asker_waits_for_advice_even_when_the_risk_is_stated():
    reading = _asked({"doubtful": 0.97, "agency": 0.03}, risk_yes=0.86)
    _, learned = reading_of.case_facts({"significant_harm_risk": "yes"}, reading, urgent=False)
    assert learned["legitimate_purpose"] == "unsure"
    _, learned = reading_of.case_facts({"significant_harm_risk": "yes"}, _asked({"doubtful": 0.75, "agency": 0.25}, risk_yes=0.86),
                                       urgent=False)
    assert "legitimate_purpose" not in learned  # less sure: the referral is the question


def test_someone_with_no_need_to_know_asking_is_not_read_as_a_worry_about_the_child():
    reading = _asked({"no_need": 0.95, "agency": 0.05}, risk_yes=0.3)  # yes + unsure = 1.0
    reading = Reading({**reading.probabilities, "asks": {"recipient": 0.9, "whether": 0.1}})
    assert "significant_harm_risk" not in reading_of.case_facts({}, reading, urgent=False)[1]
    assert reading_of.case_facts({}, _asked({"agency": 0.95, "no_need": 0.05}, risk_yes=0.3), urgent=False)[1][
        "significant_harm_risk"] == "unsure"


def test_no_risk_read_plainly_is_an_engine_fact_only_in_a_request_for_help_from_a_service():
    plainly = _reading({"case": 1.0}, {"no": 0.92, "unsure": 0.08})
    assert reading_of.no_risk(plainly) and not reading_of.no_risk(_reading({"case": 1.0}, {"no": 0.6, "unsure": 0.4}))
    assert "significant_harm_risk" not in reading_of.case_facts({}, plainly, urgent=False)[1]
    service = Reading({**plainly.probabilities, "asker": {"agency": 0.9, "none": 0.1}, "asks": {"whether": 0.9, "none": 0.1}})
    learned = reading_of.case_facts({}, service, urgent=False)[1]
    assert learned["significant_harm_risk"] == "no" and learned["legitimate_purpose"] == "yes"
    assert learned["consent"] == "no"  # presumed: nobody asked yet, and asking is safe
    assert decide(learned)["outcome"] == "do_not_share"  # shown as "ask for their consent first, then share"
    # not with a risk read at all, nor where consent is stated, nor where the case asks how much to share
    for reading, stated in ((Reading({**service.probabilities, "risk": {"no": 0.7, "yes": 0.3}}), {}),
                            (service, {"consent": "no"}),
                            (Reading({**service.probabilities, "asks": {"amount": 0.9, "none": 0.1}}), {})):
        assert "significant_harm_risk" not in reading_of.case_facts(stated, reading, urgent=False)[1]


def test_no_purpose_read_beside_a_worry_about_the_child_means_advice_never_do_not_share():
    worry = Reading({**_reading({"case": 1.0}, {"yes": 0.6, "unsure": 0.4}).probabilities,
                     "asks": {"whether": 0.95, "none": 0.05}, "asker": {"none": 0.9, "agency": 0.1}})
    stated, learned = reading_of.case_facts({"legitimate_purpose": "no"}, worry, urgent=False)  # "... or am I being nosy?"
    assert "legitimate_purpose" not in stated and learned["legitimate_purpose"] == "unsure"
    assert decide({**learned, **stated})["outcome"] == "seek_advice"
    # about the person asking ("the dinner lady keeps asking what he told me"): no purpose in telling them stands
    nosy = Reading({**worry.probabilities, "asks": {"recipient": 0.9, "none": 0.1}})
    assert reading_of.case_facts({"legitimate_purpose": "no"}, nosy, urgent=False)[0]["legitimate_purpose"] == "no"


def test_a_rules_urgency_is_set_aside_only_where_the_urgency_head_reads_it_hardly_urgent():
    assert reading_of.urgency_vetoed(_reading({"case": 1.0}, {"unsure": 0.86, "yes": 0.08, "no": 0.06}, urgent=0.12))
    # serious harm, but not now as the head trained on the rounds reads it ("strangled her two days ago")
    assert reading_of.urgency_vetoed(_reading({"case": 1.0}, {"yes": 0.95, "unsure": 0.05}, urgent=0.07))
    assert not reading_of.urgency_vetoed(_reading({"case": 1.0}, {"yes": 0.95, "unsure": 0.05}, urgent=0.4))
    assert not reading_of.urgency_vetoed(_reading({"case": 1.0}, {"unsure": 0.86, "yes": 0.08, "no": 0.06}, urgent=0.5))


def test_plainly_no_need_to_know_is_read_whatever_the_risk_and_telling_them_waits_for_advice():
    reading = _asked({"no_need": 0.93, "agency": 0.07}, risk_yes=0.95)  # naming a suspended coach in a newsletter
    assert reading_of.asker(reading) == "no_need"
    assert reading_of.case_facts({}, reading, urgent=False)[1]["legitimate_purpose"] == "unsure"
    assert reading_of.case_facts({"significant_harm_risk": "yes"}, reading, urgent=False)[1]["legitimate_purpose"] == "unsure"
    assert reading_of.case_facts({}, _asked({"no_need": 0.93, "agency": 0.07}), urgent=False)[1]["legitimate_purpose"] == "no"


def test_harm_is_stated_by_the_rules_or_a_sure_reader_but_not_in_a_plainly_general_question():
    question_like = _reading({"general": 0.55, "case": 0.4, "claim": 0.05}, {"yes": 0.88, "no": 0.12})
    assert reading_of.harm_stated(question_like, None)  # the reader is sure of harm
    unsure = _reading({"general": 0.55, "case": 0.4, "claim": 0.05}, {"yes": 0.6, "unsure": 0.3, "no": 0.1})
    assert not reading_of.harm_stated(unsure, None) and reading_of.harm_stated(unsure, "yes")  # or the rules read it
    general = _reading({"general": 0.9, "case": 0.1}, {"yes": 0.95, "no": 0.05})
    assert not reading_of.harm_stated(general, "yes")  # "what if a child is at risk?" asks, it does not state


def test_harm_the_rules_read_in_a_principle_or_a_topic_is_not_a_harm_stated():
    principle = _reading({"claim": 0.8, "general": 0.2}, {"no": 0.97, "yes": 0.03})
    assert not reading_of.harm_stated(principle, "yes")  # "where there's a clear risk of significant harm, the public interest ..."
    scheme_question = _reading({"general": 0.56, "other": 0.3, "case": 0.14}, {"no": 0.92, "yes": 0.08})
    assert not reading_of.harm_stated(scheme_question, "yes")  # "what is the Domestic Violence Disclosure Scheme?"
    request_in_a_case = _reading({"general": 0.52, "case": 0.45}, {"no": 0.78, "yes": 0.22})
    assert reading_of.harm_stated(request_in_a_case, "yes")  # read partly as a case: the rules' "yes" stands
    unsure_reader = _reading({"claim": 0.8, "general": 0.2}, {"no": 0.6, "yes": 0.4})
    assert reading_of.harm_stated(unsure_reader, "yes")  # the reader not plainly reading no risk


def test_no_worry_is_learned_from_a_question_asked_out_of_curiosity():
    curious = _asked({"no_need": 0.55, "family": 0.3, "agency": 0.15}, risk_yes=0.55)  # another parent at the gate
    curious = Reading({**curious.probabilities, "asks": {"recipient": 0.8, "whether": 0.2}})  # ... asking about a child
    assert "significant_harm_risk" not in reading_of.case_facts({}, curious, urgent=False)[1]
    parent = _asked({"family": 0.63, "none": 0.37}, risk_yes=0.55)  # about a 15-year-old's older boyfriend
    assert reading_of.case_facts({}, parent, urgent=False)[1]["significant_harm_risk"] == "unsure"
    stated = _asked({"no_need": 0.55, "agency": 0.45}, risk_yes=0.7)  # a risk read plainly still counts
    assert reading_of.case_facts({}, stated, urgent=False)[1]["significant_harm_risk"] == "yes"


def test_a_child_in_danger_now_is_a_case_where_asking_for_consent_would_delay():
    """Urgent: consent is not sought (asking would cause unjustified delay), so no line on getting the
    family's agreement first can open the answer; a consent the rules read still stands."""
    reading = _reading({"case": 0.95, "general": 0.05}, {"yes": 0.9, "no": 0.1}, urgent=0.9)
    stated, learned = reading_of.case_facts({}, reading, urgent=True)
    assert learned["seeking_consent_unsafe"] == "yes" and learned["significant_harm_risk"] == "yes"
    agreed = Reading({**reading.probabilities, "consent": {"given": 0.9, "none": 0.1}})
    assert "seeking_consent_unsafe" not in reading_of.case_facts({"consent": "yes"}, agreed, urgent=True)[1]
    assert "seeking_consent_unsafe" not in reading_of.case_facts({}, reading, urgent=False)[1]


def decide(facts: dict[str, str]) -> dict:
    return walk(facts, "default").to_dict()


def test_a_person_of_concern_read_as_without_a_need_to_know_keeps_the_worry_where_nobody_asks():
    def worry(asks: dict[str, float]) -> str | None:  # a volunteer's secret messages to a 13-year-old
        reading = _asked({"no_need": 0.57, "family": 0.22, "none": 0.21}, risk_yes=0.57, unsure=0.24)
        reading = Reading({**reading.probabilities, "asks": asks})
        return reading_of.case_facts({}, reading, urgent=False)[1].get("significant_harm_risk")
    assert worry({"recipient": 0.41, "whether": 0.34, "how": 0.25}) == "unsure"
    assert worry({"recipient": 0.9, "whether": 0.1}) is None  # a curious colleague asking: their question, not a worry


def test_a_risk_stated_and_a_request_from_someone_who_may_be_it_waits_for_advice():
    # a father demanding his son's new address after the mother fled abuse (round 55): the risk is stated, the asker
    # read doubtful though not plainly: the referral advice first, and nothing to him until advice is taken
    reading = _asked({"doubtful": 0.62, "family": 0.2, "agency": 0.18}, risk_yes=0.5, unsure=0.2)
    reading = Reading({**reading.probabilities, "asks": {"recipient": 0.54, "whether": 0.46}})
    stated, learned = reading_of.case_facts({"significant_harm_risk": "yes"}, reading, urgent=False)
    assert learned.get("legitimate_purpose") == "unsure"
    unasked = Reading({**reading.probabilities, "asks": {"recipient": 0.3, "whether": 0.7}})  # nobody asks for it
    assert "legitimate_purpose" not in reading_of.case_facts({"significant_harm_risk": "yes"}, unasked, urgent=False)[1]


def test_danger_now_read_alone_needs_the_urgency_head_fairly_sure():
    # the head trained on the rounds reads serious but not immediate cases (a strangulation disclosed at a birth visit,
    # an instructor messaging a 12-year-old) at 0.5-0.6, and danger now at 0.7 and more
    def urgent(p: float, fresh: bool = False) -> bool:
        return reading_of.urgent_now(_reading({"case": 1.0}, {"yes": 0.9, "unsure": 0.1}, urgent=p), fresh=fresh)
    assert not urgent(0.55) and urgent(0.7)
    assert urgent(0.55, fresh=True)  # words of now and plain harm lower the bar


def test_harm_named_in_a_statement_of_belief_is_the_belief_s_topic_unless_the_reader_reads_a_child_harmed():
    """"you can only go to social services once a child has actually been harmed": the rules read harm,
    but the message is a belief about referring (claim over case) and the reader hardly reads a child at risk."""
    belief = _reading({"claim": 0.76, "case": 0.14, "general": 0.1}, {"no": 0.38, "unsure": 0.44, "yes": 0.18})
    assert not reading_of.harm_stated(belief, "yes", asked=True)
    assert reading_of.harm_stated(belief, "yes")  # on the flowchart's route the rules' harm still stands
    harmed = _reading({"claim": 0.6, "case": 0.35, "general": 0.05}, {"no": 0.1, "unsure": 0.3, "yes": 0.6})
    assert reading_of.harm_stated(harmed, "yes", asked=True)  # "I think a child who says dad hits her must be referred"


def test_harm_only_the_reader_reads_in_a_general_question_is_its_topic_off_the_route():
    """"if I see something worrying it's my job to report it, right?": read mostly as a general question, hardly as a
    case, harm only the reader reads does not lead with "Refer now"; the rules' harm, or a message read partly as a
    case, still does."""
    question = _reading({"general": 0.79, "case": 0.01, "claim": 0.2}, {"no": 0.1, "unsure": 0.0, "yes": 0.9})
    assert not reading_of.harm_stated(question, None, asked=True)
    assert reading_of.harm_stated(question, "yes", asked=True)  # the rules read harm in its words
    partly_a_case = _reading({"general": 0.6, "case": 0.36, "claim": 0.04}, {"no": 0.0, "unsure": 0.09, "yes": 0.91})
    assert reading_of.harm_stated(partly_a_case, None, asked=True)
