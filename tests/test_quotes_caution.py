"""The guidance's cautions about confidentiality: which of the documents' sentences are cautions, and
that they go last among a passage's quotes where a child may be at risk."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.answer.quotes import SentencePicker


def test_cautions_are_found_and_enabling_sentences_are_not():
    assert SentencePicker.is_caution("Where possible, respect the wishes of those who do not consent to having their information shared.")
    assert SentencePicker.is_caution("Legal action may be taken if confidentiality is breached.")
    assert SentencePicker.is_caution("All information must not normally be disclosed without the consent of the service user.")
    assert not SentencePicker.is_caution("This does not mean that information cannot be shared.")
    assert not SentencePicker.is_caution("A breach of confidence will not occur if there is a recorded legitimate purpose to share.")
    assert not SentencePicker.is_caution("You may share information without consent if, in your judgement, there is a lawful basis to do so.")


def test_a_caution_loses_the_first_place_only_where_a_child_may_be_at_risk():
    text = ("You should respect the wishes of those who do not consent to having their information shared with others. "
            "You may share information without consent where a child may be at risk of significant harm to others.")
    first_end = text.index(" You may") + 1
    passage = SimpleNamespace(doc_id="d", sentences=((0, first_end - 1), (first_end, len(text))), index_text=text)
    picker = SentencePicker([passage])
    question = "do I need to respect their wishes about consent or can I share?"
    calm = picker.pick(question, passage, text, limit=1)
    worried = picker.pick(question, passage, text, limit=1, at_risk=True)
    assert calm[0].text.startswith("You should respect")
    assert worried[0].text.startswith("You may share")


def test_a_sentence_about_the_document_itself_counts_for_little():
    text = ("This document seeks to give practitioners clear practical guidance on sharing information. "
            "You should share information where a child may be at risk of significant harm.")
    first_end = text.index(" You should") + 1
    passage = SimpleNamespace(doc_id="d", sentences=((0, first_end - 1), (first_end, len(text))), index_text=text)
    picked = SentencePicker([passage]).pick("guidance on sharing information for practitioners", passage, text, limit=1)
    assert picked[0].text.startswith("You should share")


def test_a_plain_direction_to_get_consent_first_is_a_caution_and_one_with_its_exception_is_not():
    """Where a child may be at risk, "seek their agreement" should not lead; the same direction
    with its own exception ("unless it is unsafe") or "when not to seek consent" is no caution."""
    assert SentencePicker.is_caution("Seeking consent should be the first option.")
    assert SentencePicker.is_caution("Where possible, consent should be obtained by the Partner organisation before individual cases are discussed.")
    assert SentencePicker.is_caution("You should explain to families at the outset what will be shared and why, and seek their agreement.")
    assert not SentencePicker.is_caution("Be open and honest with the family, and seek their agreement, unless it is unsafe or inappropriate to do so.")
    assert not SentencePicker.is_caution("There will be some circumstances where you should not seek consent.")
    assert not SentencePicker.is_caution("Professionals need to consider whose consent should be sought.")


def test_an_item_of_a_list_is_never_quoted_alone_and_a_footnote_is_no_item():
    """"Place a child at increased risk" says what it means only under "...not seek consent where to do
    so would:"; the lead-in is quoted with its items, and a footnote set inside the list is left out."""
    from assistant.answer.quotes import Quote, list_items

    sentences = ["You should not seek consent where to do so would:", "Place a child at increased risk of significant harm.",
                 "⁴ Multi-Agency Screening Team", "Prejudice the prevention or detection of a serious crime."]
    text = " ".join(sentences)
    spans, at = [], 0
    for sentence in sentences:
        spans.append((at, at + len(sentence)))
        at += len(sentence) + 1
    passage = SimpleNamespace(doc_id="d", sentences=tuple(spans), index_text=text, start=0, end=len(text))
    picked = SentencePicker([passage]).pick("would asking for consent place a child at increased risk", passage, text,
                                            limit=1, lead_ins=True)
    assert picked[0].text.endswith("would:")
    items = list_items(Quote("d", spans[0][0], spans[0][1], sentences[0], passage), [passage], text, 5)
    assert [i.text for i in items] == [sentences[1], sentences[3]]
