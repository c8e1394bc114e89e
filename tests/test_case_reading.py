"""What the learned readings decide, with readings given by hand (no model): when a message is never
declined, and when the guidance's cautions go last."""

from __future__ import annotations

import pytest

from assistant.understand import case_reading as reading_of
from assistant.understand.learned import Reading


def _reading(kind: dict[str, float], risk: dict[str, float], urgent: float = 0.0) -> Reading:
    return Reading({"kind": kind, "risk": risk, "urgent": {"yes": urgent, "no": 1 - urgent},
                    "consent": {"none": 1.0}})


@pytest.mark.parametrize(
    ("other", "plainly_about_sharing"),
    [(0.02, True), (0.1, True), (0.11, False), (0.5, False)],
)
def test_a_message_read_plainly_as_about_sharing_is_never_declined(other, plainly_about_sharing):
    reading = _reading({"general": 1 - other, "other": other}, {"no": 1.0})
    assert reading_of.asks_about_sharing(reading) is plainly_about_sharing


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
