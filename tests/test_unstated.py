"""What a described case leaves unsaid: no legal duty or court order unless one is told, and no
public interest in sharing without consent once no risk of significant harm is told. Readings given
by hand (no model); the engine decides."""

from __future__ import annotations

from assistant.decision.engine import decide
from assistant.understand import case_reading as reading_of
from assistant.understand.learned import Reading
from assistant.understand.unstated import presumed


def _case(case: float = 0.95) -> Reading:
    return Reading({"kind": {"case": case, "general": 1 - case}, "risk": {"no": 0.9, "yes": 0.1},
                    "consent": {"none": 1.0}, "urgent": {"no": 1.0}, "asker": {"none": 1.0},
                    "asks": {"whether": 1.0}, "known": {"no": 1.0}})


def test_silence_gives_no_legal_duty_and_a_told_no_risk_gives_no_public_interest():
    assert presumed({"significant_harm_risk": "no"}, {}) == {"statutory_duty": "no", "public_interest": "no"}
    assert presumed({}, {"significant_harm_risk": "yes"}) == {"statutory_duty": "no"}
    assert presumed({"statutory_duty": "yes"}, {}) == {}  # told always wins
    assert presumed({"significant_harm_risk": "no", "public_interest": "yes"}, {}) == {"statutory_duty": "no"}


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
