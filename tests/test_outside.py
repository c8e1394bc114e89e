"""What the documents cannot answer is declined with what would; a child's safety never is."""

from __future__ import annotations

import pytest

from assistant.scope.outside import load_outside
from assistant.understand.statement_form import restrictive_rules

OUTSIDE = load_outside()


@pytest.mark.parametrize("question, topic", [
    ("A dad has made a subject access request for his son's file; how long do we have to respond?", "subject_access"),
    ("What does GIRFEC say about sharing in Scotland?", "other_nations"),
    ("An elderly man is being financially abused by his son; can I tell adult social care? No children involved.", "adults_only"),
    ("How do we deal with a Freedom of Information request about a child?", "foi"),
])
def test_topics_the_documents_cannot_answer(question, topic):
    assert OUTSIDE.declined_topic(question) == topic


@pytest.mark.parametrize("question", [
    "How long should we keep information sharing records?",  # answered generally: no longer than necessary
    "A 15 year old told me her mum's boyfriend hits her. Can I tell social care?",
    "What does the guidance say about sharing with adult services when a parent's drinking affects the children?",
])
def test_questions_the_documents_answer_are_not_declined_by_topic(question):
    assert OUTSIDE.declined_topic(question) is None


@pytest.mark.parametrize("question", [
    "I'm worried about a kid in my class but don't know if it's bad enough to refer",
    "a boy told me his brother hurts him",
    "what do I do if a child discloses abuse?",
    "One of my cadets (15) told me he's just been diagnosed with epilepsy. How do I pass that on to the camp medics?",
    "a 13yo at the club told me something about home, what now",  # a child named by age, not by a word
    "When I decide something isn't worth passing on, do I need to write anything down?",  # recording
    "Is recording my reasons really necessary if I don't share?",
])
def test_a_childs_safety_is_never_declined(question):
    assert OUTSIDE.about_safety(question)


def test_restrictive_wording_is_recognised():
    patterns = restrictive_rules()
    for text in ("you can only share if parents agree", "can't refer without telling them",
                 "you must ask first", "no need, someone else will"):
        assert any(p.search(text) for p in patterns), text
    assert not any(p.search("record your decision and the reasons for it") for p in patterns)


@pytest.mark.parametrize("question, harmed", [
    ("adult social care worker: client's children may be neglected - share?", True),
    ("Mental health nurse. My patient says her kids are being hit by her partner.", True),
    ("Probation: my case has moved in with a woman whose toddler is at risk, can I tell CSC?", True),
    ("Can I share concerns about an 80 year old man being financially abused, under the Care Act? No children involved.", False),
    ("How many days of annual leave do teachers get?", False),
])
def test_a_child_named_as_harmed_is_never_declined_by_topic(question, harmed):
    outside = load_outside()
    assert outside.names_a_child_harmed(question) is harmed
    if harmed:
        assert outside.declined_topic(question) is None
