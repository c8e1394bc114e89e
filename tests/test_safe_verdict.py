"""Which of the verdicts a statement could get is given (``answer.verdict.safe_verdict``), with matches
given by hand: never one that could be the inverse of the right one."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.answer.verdict import checked_verdict, safe_verdict
from assistant.understand.learned import Reading


def _match(claim_id: str, verdict: str, statement: str, stance: str, flipped: bool = False, score: float = 0.7):
    claim = SimpleNamespace(id=claim_id, statement=statement, paraphrases=(), stance=stance,
                            verdict="myth" if stance == "restrict" else "true")
    return SimpleNamespace(claim=claim, verdict=verdict, polarity_flipped=flipped, score=score)


STATEMENT = {"kind": {"claim": 0.9, "general": 0.1}, "risk": {"no": 1.0}, "consent": {"none": 1.0}, "urgent": {"no": 1.0}}
YOUNG = _match("young-people-can-consent", "true", "Young people can give or refuse consent to sharing.", "permit")
ALWAYS = _match("consent-always-needed", "myth", "Consent is always needed to share personal information", "restrict")


def test_a_yes_set_aside_for_a_restrictive_form_gives_way_to_the_myth_that_fits():
    text = "Once a pupil turns 16 we can't share anything at all without their say-so"
    assert safe_verdict(text, [YOUNG, ALWAYS], Reading(STATEMENT)) is ALWAYS


def test_a_yes_that_fits_is_given_and_nothing_is_guessed_down_the_list():
    assert safe_verdict("Young people can consent to sharing their information", [YOUNG, ALWAYS],
                                   Reading(STATEMENT)) is YOUNG
    what = "What does the guidance say about young people consenting?"  # a what-question: nothing to say yes to
    assert safe_verdict(what, [YOUNG, ALWAYS], Reading(STATEMENT)) is None


def test_a_no_that_rests_on_a_myth_the_statement_does_not_assert_is_not_given():
    text = "Sharing information helps keep children safe"  # nothing restrictive in it
    assert safe_verdict(text, [ALWAYS], Reading(STATEMENT)) is None
    assert safe_verdict("I hold off sharing until the parents agree", [ALWAYS], Reading(STATEMENT)) is ALWAYS
    assert safe_verdict("anything", [], Reading(STATEMENT)) is None


def test_no_yes_to_a_statement_with_a_negation_read_as_denying_a_negative_myth():
    volunteers = _match("volunteers-not-covered", "true", "Volunteers do not need to share concerns.", "negated_core",
                        flipped=True)
    text = "As a volunteer coach it's not really my place to pass worries on"  # asserts the myth in other words
    assert safe_verdict(text, [volunteers], Reading(STATEMENT)) is None
    assert safe_verdict("Volunteers are covered by the guidance too", [volunteers], Reading(STATEMENT)) is volunteers


def test_no_yes_to_a_statement_broader_than_its_claim_whatever_the_stance():
    refusal = _match("refusal-does-not-prevent-sharing", "true", "A refusal of consent does not prevent sharing.", "permit")
    text = "In early help if the parents say no I can just go ahead anyway whenever I think it'll help them"  # round 42
    assert safe_verdict(text, [refusal], Reading(STATEMENT)) is None
    sure = Reading({**STATEMENT, "stance": {"true": 0.99, "myth": 0.01}, "stance_near": {"true": 1.0, "myth": 0.0}})
    assert checked_verdict(text, [refusal], None, sure) is None  # the stance reader cannot give it back
    plain = "A parent saying no doesn't automatically mean I can't share if a child is at risk"
    assert safe_verdict(plain, [refusal], Reading(STATEMENT)) is refusal


def test_no_no_to_a_statement_hedged_as_the_guidance_hedges_its_rules():
    cannot = _match("organisation-cannot-disclose", "myth", "Information collected by one agency cannot be disclosed to another",
                    "restrict")
    text = ("For early help, where there's no risk of significant harm, I generally need the family's agreement "
            "before passing their details to another service.")  # round 44: true, and it got "No"
    assert safe_verdict(text, [cannot], Reading(STATEMENT)) is None
    assert safe_verdict("We can never pass anything to another agency", [cannot], Reading(STATEMENT)) is cannot
    tell_first = _match("must-tell-family-first", "myth", "You must always tell the family before making a referral", "restrict")
    usually = ("Usually you should talk to the family and try to get them on board before referring to social care, "
               "unless that would put the child at more risk or muck up an investigation.")  # round 45: true, got "No"
    assert safe_verdict(usually, [tell_first], Reading(STATEMENT)) is None


def test_after_a_yes_set_aside_a_myth_much_further_off_gives_no_verdict():
    """A true statement ("let the family know we've shared unless it would put the child or someone
    else at risk") whose "Yes" is set aside for a restrictive word of another myth ("someone else")
    must not take that myth's "No" when it fits clearly worse than the true claim."""
    from types import SimpleNamespace

    from assistant.answer.assistant import Assistant
    from assistant.myths.matcher import MYTH_MARGIN

    def match(verdict, claim_verdict, score, statement):
        claim = SimpleNamespace(statement=statement, paraphrases=(), stance="core", verdict=claim_verdict, id=statement[:8])
        return SimpleNamespace(verdict=verdict, claim=claim, score=score, polarity_flipped=False)

    text = "We should let the family know we've shared info unless telling them would put someone else at risk"
    true = match("true", "true", 0.65, "Be open and honest with the family unless it is unsafe to do so.")
    far = match("myth", "myth", 0.65 - MYTH_MARGIN - 0.02, "Someone else will already have reported it.")
    near = match("myth", "myth", 0.65 - MYTH_MARGIN + 0.01, "Someone else will already have reported it.")
    assert safe_verdict(text, [true, far], None) is None
    assert safe_verdict(text, [true, near], None) is near
    hedged = text.replace("We should", "We should normally")  # hedged as the guidance hedges its rules: never a "No"
    assert safe_verdict(hedged, [true, near], None) is None


def test_a_negated_statement_of_several_clauses_gets_its_verdict_only_when_its_clauses_agree():
    """"No" resting on a negation in a statement of more than one clause is set aside (which clause
    does the negation belong to?) unless the clauses, read one by one, give that verdict on that claim
    and no other: "a 15 year old can't refuse consent, only the parents can" is the myth, read either way."""
    from assistant.answer.verdict import by_clauses

    whole = "a 15 year old can't give or refuse consent to sharing, only the parents can"
    denied = _match("young-people-can-consent", "myth", "Young people can give or refuse consent to sharing.", "permit", flipped=True)
    assert safe_verdict(whole, [denied], Reading(STATEMENT)) is None  # set aside: two clauses

    def matcher(by_part):
        return SimpleNamespace(matches=lambda text: by_part.get(text, []))

    agreeing = matcher({whole: [denied], "a 15 year old can't give or refuse consent to sharing": [denied]})
    assert by_clauses(whole, [denied], agreeing, Reading(STATEMENT)) is denied
    split = matcher({whole: [denied], "a 15 year old can't give or refuse consent to sharing": [denied], "only the parents can": [ALWAYS]})
    assert by_clauses(whole, [denied], split, Reading(STATEMENT)) is None  # a clause read as another claim: no verdict
    assert by_clauses(whole, [denied], matcher({whole: [denied]}), Reading(STATEMENT)) is None  # no clause reads it alone


# ---------------------------------------------------------------- weighed with the stance reader
def _stance(verdict: str, p: float, near: float | None, kind: dict | None = None) -> Reading:
    other = {"myth": "true", "true": "myth"}[verdict]
    probabilities = {**STATEMENT, "stance": {verdict: p, other: 1 - p}}
    if kind is not None:
        probabilities["kind"] = kind
    if near is not None:
        probabilities["stance_near"] = {verdict: near, other: 1 - near}
    return Reading(probabilities)


class _Matcher:
    """The two things ``checked_verdict`` asks of the claim matcher: clauses' matches and the nearest claim."""

    def __init__(self, nearest=None):
        self._nearest = nearest

    def matches(self, text):
        return []

    def nearest(self, text, vector=None):
        return self._nearest


def test_a_verdict_the_safety_rules_set_aside_is_given_only_when_both_stance_readings_agree():
    text = "Sharing information helps keep children safe"  # the words assert no restriction: "No" set aside
    assert safe_verdict(text, [ALWAYS], Reading(STATEMENT)) is None
    assert checked_verdict(text, [ALWAYS], _Matcher(), _stance("myth", 0.9, 0.9)) is ALWAYS
    assert checked_verdict(text, [ALWAYS], _Matcher(), _stance("myth", 0.9, 0.5)) is None  # the neighbours disagree
    assert checked_verdict(text, [ALWAYS], _Matcher(), _stance("myth", 0.6, 0.9)) is None  # the head unsure
    assert checked_verdict(text, [ALWAYS], _Matcher(), _stance("true", 0.95, 0.95)) is None  # the other way: none


def test_a_verdict_the_words_give_is_withheld_when_the_stance_is_surely_the_other_way():
    text = "I hold off sharing until the parents agree"
    assert checked_verdict(text, [ALWAYS], _Matcher(), _stance("myth", 0.9, 0.9)) is ALWAYS
    assert checked_verdict(text, [ALWAYS], _Matcher(), _stance("true", 0.95, 0.95)) is None
    assert checked_verdict(text, [ALWAYS], _Matcher(), _stance("true", 0.85, 0.95)) is ALWAYS  # not sure enough to veto


def test_a_statement_no_claim_fits_gets_the_stance_verdict_on_the_claim_nearest_in_meaning():
    claim = ALWAYS.claim
    text = "Early years staff can only pass a worry on once a parent has signed the form"
    got = checked_verdict(text, [], _Matcher((claim, 0.62)), _stance("myth", 0.9, 0.9))
    assert (got.claim, got.verdict, got.polarity_flipped) == (claim, "myth", False)
    assert checked_verdict(text, [], _Matcher((claim, 0.4)), _stance("myth", 0.9, 0.9)) is None  # too far in meaning
    assert checked_verdict(text, [], _Matcher(None), _stance("myth", 0.9, 0.9)) is None  # not a statement
    assert checked_verdict(text, [], _Matcher((claim, 0.62)), _stance("myth", 0.9, None)) is None  # no statement near


def test_the_stance_gives_no_verdict_to_a_question_or_a_described_case():
    text = "Sharing information helps keep children safe"
    question = {"claim": 0.3, "general": 0.7}
    case = {"claim": 0.35, "case": 0.6, "general": 0.05}
    for kind in (question, case):
        assert checked_verdict(text, [ALWAYS], _Matcher(), _stance("myth", 0.95, 0.95, kind)) is None
        assert checked_verdict(text, [], _Matcher((ALWAYS.claim, 0.7)), _stance("myth", 0.95, 0.95, kind)) is None
