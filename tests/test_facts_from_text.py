"""Tests for reading stated facts from a question (assistant/understand/facts.py).

Each case gives the whole expected dict, so a fact read that the text does not state fails too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.errors import CorpusError
from assistant.understand.facts import extract_facts, fact_rules
from assistant.understand.rules import DATA_FILE
from assistant.decision.models import ANSWERS, FACTS

Y, N, U = "yes", "no", "unsure"

CASES = [
    # consent
    ("The parents said no when I asked about the referral.", {"identifiable": Y, "consent": N, "seeking_consent_unsafe": N}),
    ("She agreed that I could talk to her GP.", {"identifiable": Y, "consent": Y}),
    ("Mum is happy for me to let the nursery know.", {"identifiable": Y, "consent": Y}),
    ("With the family's consent, can I share the assessment?", {"identifiable": Y, "consent": Y}),
    ("He refuses to give permission for anything to go to school.", {"identifiable": Y, "consent": N}),
    ("She doesn't want anyone to know about the pregnancy.", {"identifiable": Y, "consent": N, "confidential": Y}),
    ("Dad won't give permission.", {"identifiable": Y, "consent": N}),
    ("The young person hasn't been asked yet.", {"identifiable": Y, "consent": N}),
    ("I'm not sure if they'd agree to it.", {"consent": U}),
    ("She agreed last week but has now withdrawn her consent.", {"identifiable": Y, "consent": N}),
    ("The GP assumed implied consent for the hospital referral.", {"consent": Y, "legitimate_purpose": Y}),
    ("Can I do it without her consent?", {"identifiable": Y, "consent": N}),
    ("She didn't refuse, she just hasn't answered.", {"identifiable": Y}),
    ("Does the mother consent?", {"identifiable": Y}),
    # confidentiality
    ("A pupil told me in confidence that her dad drinks.", {"identifiable": Y, "confidential": Y}),
    ("He mentioned it in a counselling session.", {"identifiable": Y, "confidential": Y}),
    ("It isn't confidential - it's all over Facebook.", {"confidential": N}),
    ("I'm not sure whether what she said is confidential.", {"identifiable": Y, "confidential": U}),
    ("Everyone in the village already knows.", {"confidential": N}),
    # identifiable
    ("The data is anonymised.", {"identifiable": N}),
    ("I'd only share statistics with no names.", {"identifiable": N}),
    ("Aggregate figures for the whole school.", {"identifiable": N}),
    ("It's a small village so people might work out who it is.", {"identifiable": U}),
    ("The report has her name and address on it.", {"identifiable": Y}),
    ("The case study hasn't been anonymised.", {"identifiable": Y}),
    # legal duty
    ("There is a court order for the records.", {"statutory_duty": Y}),
    ("There's no court order.", {"statutory_duty": N}),
    ("Is there a legal duty to share this?", {}),
    ("I don't know whether there's a legal duty to tell them.", {"statutory_duty": U}),
    ("The police have a warrant.", {"statutory_duty": Y}),
    # significant harm
    ("She is at risk of significant harm.", {"identifiable": Y, "significant_harm_risk": Y}),
    ("I think he is being abused at home.", {"identifiable": Y, "significant_harm_risk": Y}),
    ("The child is not at risk.", {"identifiable": Y, "significant_harm_risk": N}),
    ("There are no concerns about harm or neglect.", {"significant_harm_risk": N}),
    ("There is no evidence that she is being hurt.", {"identifiable": Y, "significant_harm_risk": N}),
    ("I'm not sure if she is at risk.", {"identifiable": Y, "significant_harm_risk": U}),
    ("He has some bruises on his arm.", {"identifiable": Y, "significant_harm_risk": U}),
    ("His dad hits him when he's drunk.", {"identifiable": Y, "significant_harm_risk": Y}),
    ("The baby is failing to thrive and the parents refuse further tests.",
     {"identifiable": Y, "significant_harm_risk": U, "consent": N}),
    ("There's a police investigation into the uncle.",
     {"identifiable": Y, "significant_harm_risk": Y, "legitimate_purpose": Y}),
    ("I'm a bit worried about her but nothing specific.", {"identifiable": Y, "significant_harm_risk": U}),
    ("Is she at risk of significant harm?", {"identifiable": Y}),
    ("Mum has disclosed domestic abuse.", {"identifiable": Y, "significant_harm_risk": Y}),
    ("She might be being groomed online.", {"identifiable": Y, "significant_harm_risk": U}),
    # public interest
    ("Sharing is in the public interest.", {"public_interest": Y}),
    ("It's not in the public interest.", {"public_interest": N}),
    ("I need to share it to prevent a serious crime.",
     {"public_interest": Y, "significant_harm_risk": Y, "legitimate_purpose": Y}),
    # seeking consent unsafe
    ("Asking dad would warn him.", {"identifiable": Y, "seeking_consent_unsafe": Y}),
    ("If I ask mum she might tip him off.", {"identifiable": Y, "seeking_consent_unsafe": Y}),
    ("Asking for consent would put her at greater risk.", {"identifiable": Y, "seeking_consent_unsafe": Y}),
    ("Seeking consent could prejudice the police enquiry.",
     {"seeking_consent_unsafe": Y, "significant_harm_risk": Y, "legitimate_purpose": Y}),
    ("It's perfectly safe to ask the parents.", {"identifiable": Y, "seeking_consent_unsafe": N}),
    ("Waiting for consent would cause an unjustified delay.", {"seeking_consent_unsafe": Y}),
    # legitimate purpose
    ("A journalist rang asking about the family.", {"identifiable": Y, "legitimate_purpose": N}),
    ("The neighbour wants to know out of curiosity.", {"identifiable": Y, "legitimate_purpose": N}),
    ("She only wants it for gossip.", {"identifiable": Y, "legitimate_purpose": N}),
    # how a worry reached me is not the purpose of passing it on
    ("Two mums were gossiping that the new helper got done for something to do with kids.", {}),
    ("It's for a child protection enquiry.", {"legitimate_purpose": Y}),
    ("I need to make a referral.", {"legitimate_purpose": Y}),
    ("They wouldn't tell me what they want it for.", {"legitimate_purpose": U}),
    ("Dad has changed his mind about the referral.", {"identifiable": Y, "consent": N}),
    ("She doesn't want her teachers told.", {"identifiable": Y, "consent": N}),
    ("Mum agreed to the school knowing but not to the GP being told.",
     {"identifiable": Y, "consent": U}),
    ("A patient told me during an appointment that he drinks before driving the kids.",
     {"identifiable": Y, "confidential": Y}),
    ("He has threatened to stab his girlfriend.", {"identifiable": Y, "significant_harm_risk": Y}),
    ("Names taken out, the report is just numbers only.", {"identifiable": N}),
    ("I'd like to refer him to CAMHS.", {"identifiable": Y, "legitimate_purpose": Y}),
    # nothing stated
    ("What are the seven golden rules?", {}),
    ("Can I share information with the police?", {}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_extract_facts(text: str, expected: dict[str, str]) -> None:
    assert extract_facts(text) == expected


def test_several_facts_in_one_question() -> None:
    text = (
        "A 14-year-old told me in confidence that her stepdad hits her. She begged me not to "
        "tell anyone and asking her mum would tip him off. Can I refer to social care?"
    )
    assert extract_facts(text) == {
        "legitimate_purpose": Y,  # a referral to social care
        "identifiable": Y,
        "consent": N,
        "confidential": Y,
        "significant_harm_risk": Y,
        "seeking_consent_unsafe": Y,
    }


def test_redacted_text() -> None:
    assert extract_facts("[NAME] has refused consent and [NAME] is being neglected.") == {
        "identifiable": Y,
        "consent": N,
        "significant_harm_risk": Y,
    }


def test_priority_consent_refusal_beats_agreement() -> None:
    assert extract_facts("Mum agreed but dad refused consent.") == {"consent": N, "identifiable": Y}


def test_priority_harm_yes_beats_unsure() -> None:
    assert extract_facts("He has bruises and says his mum hit him.") == {
        "significant_harm_risk": Y,
        "identifiable": Y,
    }


def test_identifiable_by_default_only_for_a_particular_person() -> None:
    # facts.yaml: answer "no" only if truly anonymised, so a text about one person is
    # identifiable unless it says otherwise; a general question states nothing.
    assert extract_facts("Can I tell her teacher?") == {"identifiable": Y}
    assert extract_facts("Can I share an anonymised summary of her case?") == {"identifiable": N}
    assert extract_facts("Names removed, can I present the family's case?") == {"identifiable": N}
    assert extract_facts("Can practitioners share information about children?") == {}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_known_facts_and_answers(text: str) -> None:
    facts = extract_facts(text)
    assert set(facts) <= set(FACTS)
    assert set(facts.values()) <= set(ANSWERS)


def test_bad_facts_section_is_a_corpus_error(tmp_path: Path) -> None:
    good = DATA_FILE.read_text(encoding="utf-8")
    bad_priority = tmp_path / "priority.yaml"
    bad_priority.write_text(good.replace('priority: ["no", "unsure", "yes"]', 'priority: ["no", "no", "yes"]', 1))
    with pytest.raises(CorpusError, match="priority"):
        fact_rules(bad_priority)
    missing_fact = tmp_path / "missing.yaml"
    missing_fact.write_text(good.replace("    public_interest:\n", "    public_interest_typo:\n", 1))
    with pytest.raises(CorpusError, match="rules must cover"):
        fact_rules(missing_fact)


def test_a_wish_that_services_not_be_involved_does_not_deny_the_purpose():
    facts = extract_facts("Toddlers hungry and in dirty nappies on three visits. Mum asked me 'not to get social services "
                          "involved'. Can I still tell them?")
    assert facts.get("legitimate_purpose") != "no"


def test_not_wanting_the_content_shared_is_a_refusal_even_after_agreeing_to_something_else():
    facts = extract_facts("She's happy for the SW to know she's having counselling but really doesn't want the content of "
                          "sessions shared.")
    assert facts["consent"] == "no"


@pytest.mark.parametrize("text, risk", [
    # "or" before a clause of its own ends the negation's reach (round 29: read as no risk, "do not share")
    ("He says don't tell anyone or he'll get hurt.", "yes"),
    ("She begged me not to say anything, otherwise she'll get beaten.", "yes"),
    # ... but not "or" between two nouns: the negation reaches both
    ("no concerns about abuse or neglect", "no"),
])
def test_or_before_a_clause_of_its_own_ends_a_negations_reach(text, risk):
    assert extract_facts(text).get("significant_harm_risk") == risk


@pytest.mark.parametrize(("text", "risk"), [
    ("GP. 13 year old came in for the pill, competent. Her 'boyfriend' is 24 and picks her up from school.", "yes"),
    ("youth worker - 14yo in my group has a 22 year old boyfriend who buys her vapes", "yes"),
    ("A 12 year old lives with mum and mum's boyfriend, who is 35. Can I send his care plan to school?", None),
    ("My 15yo says her boyfriend is 16 and they're going to the cinema", None),  # no adult
    ("A 17 year old's boyfriend is 19", None),  # not under 16
])
def test_a_child_under_16_with_an_adult_partner_is_a_risk_of_significant_harm(text, risk):
    assert extract_facts(text).get("significant_harm_risk") == risk
