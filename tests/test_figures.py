"""A question that asks for a figure is answered only by a quote stating one of the kind asked."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.understand.asked_figures import answers_with_a_number, asks_for_a_number


def _quote(text: str, section: str = "Principles", passage_text: str | None = None):
    return SimpleNamespace(text=text, passage=SimpleNamespace(section=section, text=passage_text or text))


@pytest.mark.parametrize(
    ("question", "quote", "answered"),
    [
        ("How many days do I have to reply?", "A decision should be made within 15 days of the referral.", True),
        ("Within how many working days must we decide?", "A decision should be made within 15 working days.", True),
        ("Within how many hours must a breach be reported?", "A decision should be made within 15 days.", False),
        ("How many golden rules are there?", "Keep these seven golden rules in mind.", True),
        ("How many golden rules are there?", "A young person aged 16 or 17 may consent.", False),
        ("How much is the fee for registering?", "Every one of the 12 partners pays a fee.", False),
        ("How much is the fee for registering?", "The fee is £40 a year.", True),
        ("What percentage of reviews found poor sharing?", "Reviews in 2 areas found poor sharing.", False),
        ("What percentage of reviews found poor sharing?", "In 40% of reviews sharing was poor.", True),
        ("How long do we have to answer a request?", "There are 3 partners who answer requests.", False),
        ("How long do we have to answer a request?", "Answer the request within one month.", True),
    ],
)
def test_the_figure_must_be_of_the_kind_asked(question, quote, answered):
    assert asks_for_a_number(question)
    assert answers_with_a_number([_quote(quote)], question) is answered


def test_a_figure_in_the_heading_counts_for_its_kind():
    quote = _quote("Keep a record of your decision.", "3. Seven Golden Rules For Information Sharing")
    assert answers_with_a_number([quote], "How many golden rules are there?") is True
    assert answers_with_a_number([quote], "How many hours must I wait?") is False


@pytest.mark.parametrize("question", ["What percentage of referrals are shared?", "Do I tell them, and by when?"])
def test_more_ways_of_asking_for_a_figure(question):
    assert asks_for_a_number(question)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Health visitor here: how much do I actually have to tell the school nurse?", False),
        ("how much should I share with the GP", False),
        ("How much does the ICO fee cost for a charity?", True),
        ("how much is the maximum fine", True),
    ],
)
def test_how_much_to_tell_asks_how_much_information_not_for_a_figure(question, asks):
    assert asks_for_a_number(question) is asks
