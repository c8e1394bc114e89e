"""What to say to a child who asks for a promise of secrecy: read whenever a child asks (now or not), shown
first or after the referral advice, with the citation marks renumbered to run in reading order."""

from __future__ import annotations

import re

import pytest

from assistant.answer.compose import Citations, in_reading_order, with_secrecy_line
from assistant.ingest.documents import load_documents
from assistant.messages import text as msg
from assistant.understand.urgency import SECRECY_RULE, secrecy_asked, urgent_reason
from conftest import CORPUS


@pytest.mark.parametrize(("text", "asked"), [
    ("When a kid says 'can I tell you something but you have to promise not to tell anyone' - what do I say?", True),
    ("youth worker, a 16yo made me promise not to tell before she told me about her boyfriend (22)", True),
    ("Do I need to tell parents before I refer?", False),
    ("I promised the family I'd keep their address off the letter", False),
])
def test_a_child_asking_for_secrecy_is_read_now_or_not(text, asked):
    assert secrecy_asked(text) is asked
    assert urgent_reason(text) != SECRECY_RULE  # none of these is a child asking right now


@pytest.fixture(scope="module")
def citations() -> Citations:
    documents = {d.id: d for d in load_documents(CORPUS)}
    return Citations(documents, ())


def test_the_line_leads_unless_the_referral_advice_does_and_marks_run_in_reading_order(citations):
    first = citations.add_text("calderdale", "3. Do you have consent to share?")
    body = f"**Some opening line.** [{first}]\n\nMore guidance."
    shown = in_reading_order(with_secrecy_line(body, citations), citations)
    assert shown.startswith(msg("urgent", "secrecy").split("**")[1], 2)
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", shown)]
    assert numbers == sorted(numbers) and numbers[0] == 1
    assert [item["n"] for item in citations.items] == list(range(1, len(citations.items) + 1))
    referral = f"{msg('risk_first', 'yes')} [1]\n\nThe outcome."
    assert with_secrecy_line(referral, citations).startswith(msg("risk_first", "yes"))  # the referral advice first
