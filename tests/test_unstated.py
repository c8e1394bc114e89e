"""What a described case leaves unsaid: no legal duty or court order unless one is told, and no
public interest in sharing without consent, nor consent itself, once no risk of significant harm is
told. Readings given by hand (no model); the engine decides."""

from __future__ import annotations

from assistant.decision.engine import decide
from assistant.understand import case_reading as reading_of
from assistant.understand.learned import Reading
from assistant.understand.unstated import Presumed, presumed


def _case(case: float = 0.95) -> Reading:
    return Reading({"kind": {"case": case, "general": 1 - case}, "risk": {"no": 0.9, "yes": 0.1},
                    "consent": {"none": 1.0}, "urgent": {"no": 1.0}, "asker": {"none": 1.0},
                    "asks": {"whether": 1.0}, "known": {"no": 1.0}})


def test_silence_gives_no_legal_duty_and_a_told_no_risk_gives_no_public_interest_nor_consent():
    assert presumed({"significant_harm_risk": "no"}, {}) == {"statutory_duty": "no", "public_interest": "no", "consent": "no"}
    assert presumed({}, {"significant_harm_risk": "yes"}) == {"statutory_duty": "no"}
    assert presumed({"significant_harm_risk": "unsure"}, {}) == {"statutory_duty": "no"}  # a worry: never "no consent"
    assert presumed({"statutory_duty": "yes"}, {}) == {}  # told always wins
    assert presumed({"significant_harm_risk": "no", "public_interest": "yes", "consent": "yes"}, {}) == {"statutory_duty": "no"}
    assert presumed({"significant_harm_risk": "no"}, {"seeking_consent_unsafe": "yes"}) == {
        "statutory_duty": "no", "public_interest": "no"}  # consent not to be sought is not "none yet"
    assert all(isinstance(v, Presumed) for v in presumed({"significant_harm_risk": "no"}, {}).values())


def test_an_early_help_case_that_mentions_no_consent_is_told_to_ask_for_it_first():
    """No risk told, nothing said of consent: do not share yet (seek consent), the purpose not asked
    because either answer leads there; the record says consent was not mentioned."""
    stated, learned = reading_of.case_facts({"significant_harm_risk": "no", "identifiable": "yes"}, _case(), urgent=False)
    assert learned["consent"] == "no" and isinstance(learned["consent"], Presumed)
    decision = decide({**learned, **stated})
    assert decision.outcome == "do_not_share"
    assert decision.path[0].fact == "legitimate_purpose" and "Not needed to decide" in decision.path[0].implied


def test_only_a_described_case_is_read_for_its_silence():
    stated, learned = reading_of.case_facts({"significant_harm_risk": "no", "consent": "no"}, _case(), urgent=False)
    assert learned["statutory_duty"] == "no" and learned["public_interest"] == "no"
    assert "statutory_duty" not in reading_of.case_facts({"consent": "no"}, _case(0.45), urgent=False)[1]


def test_a_competent_young_persons_refusal_with_no_risk_reaches_do_not_share():
    stated, learned = reading_of.case_facts({"significant_harm_risk": "no", "consent": "no", "identifiable": "yes"},
                                            _case(), urgent=False)
    decision = decide({**learned, **stated})
    assert decision.outcome == "do_not_share"
    assert decide({**stated}).outcome == "need_more_facts"  # the question-by-question flow still asks
