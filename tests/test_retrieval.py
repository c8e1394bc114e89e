"""Hybrid retrieval on the real corpus with the test embedder: lexicon, spelling, fusion, diversity."""

from __future__ import annotations

import pytest

from assistant.indexing.index import build_index, open_index
from assistant.retrieve.lexicon import expand, expansions
from assistant.retrieve.retriever import MAX_PER_DOC, Retriever, _diversify, _spread


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    from assistant.config import Settings
    from conftest import CORPUS
    from fakes import HashingEmbedder

    root = tmp_path_factory.mktemp("retrieval")
    settings = Settings(corpus_dir=CORPUS, index_dir=root / "index", model_cache_dir=root / "model")
    embedder = HashingEmbedder()
    build_index(settings, embedder, progress=False)
    return Retriever(open_index(settings, embedder.name), embedder)


@pytest.mark.parametrize(
    ("question", "target"),
    [
        ("Do I need permission from the parents?", "consent"),
        ("does GDPR stop me", "data protection"),
        ("can I ring the social worker", "share information disclose"),
        ("my pupil's mum has a new boyfriend", "significant others"),
        ("is this county lines", "child sexual exploitation child exploitation"),
        ("what about Clare's law", "domestic violence disclosure scheme"),
    ],
)
def test_lexicon_maps_everyday_words_to_the_documents_words(question, target):
    assert target in expansions(question)
    assert expand(question).startswith(question)


def test_lexicon_matches_whole_words_only():
    assert "consent" not in expansions("the agreeable weather")  # "agree" inside another word
    assert expansions("What are the seven golden rules?") == ["seven golden rules"]


def test_spelling_is_corrected_against_the_corpus(retriever):
    corrected = retriever.correct_spelling("can i shair informaton without consnet")
    assert "information" in corrected and "consent" in corrected
    assert retriever.correct_spelling("Caldicott guardian") == "Caldicott guardian"
    assert retriever.correct_spelling("wat r the golden ruls") == "wat r the golden rules"


@pytest.mark.parametrize("question", ["What is Gillick competence?", "Is a 13 year old mature enough?", "gdpr"])
def test_other_forms_of_corpus_words_and_lexicon_words_are_not_typos(retriever, question):
    assert retriever.correct_spelling(question) == question


def test_names_the_documents_never_use_are_recognised():
    from assistant.retrieve.lexicon import unmatched_names

    corpus_has = lambda term: term in {"child sex offender disclosure scheme", "county lines"}  # noqa: E731
    found = unmatched_names("How does Sarah's law work, and is this county lines or CSE?", corpus_has)
    assert [e.word for e in found] == ["sarah's law", "cse"]
    assert found[0].target == "child sex offender disclosure scheme"
    assert unmatched_names("How old is a 14-year-old?", corpus_has) == []  # everyday words are not names


@pytest.mark.parametrize(
    ("question", "doc_id", "phrase"),
    [
        ("What is the Child Sex Offender Disclosure Scheme?", "calderdale", "Child Sex Offender Disclosure Scheme"),
        ("Crime and Disorder Act section 115", "hertfordshire", "Section 115"),
        ("seven golden rules", None, "Keep a record of your decision and the reasons for it"),
    ],
)
def test_keyword_questions_find_their_passage(retriever, question, doc_id, phrase):
    hits = retriever.search(question, k=5)
    assert any(phrase in h.passage.section + h.passage.text and (doc_id is None or h.passage.doc_id == doc_id) for h in hits)


def test_hits_are_ordered_and_scored(retriever):
    hits = retriever.search("sharing information without consent", k=5)
    assert len(hits) == 5
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
    assert all(h.score > 0 for h in hits)
    assert any(h.bm25 > 0 for h in hits) and any(h.dense > 0 for h in hits)


def test_no_document_crowds_out_the_others(retriever):
    hits = retriever.search("golden rules information sharing consent", k=5)
    per_doc = {}
    for h in hits:
        per_doc[h.passage.doc_id] = per_doc.get(h.passage.doc_id, 0) + 1
    assert max(per_doc.values()) <= MAX_PER_DOC
    assert len(per_doc) >= 2


def test_diversify_fills_up_when_few_documents_match():
    class P:
        def __init__(self, doc_id):
            self.doc_id = doc_id

    passages = [P("a"), P("a"), P("a"), P("b")]
    assert _diversify([0, 1, 2, 3], passages, 4, 2) == [0, 1, 3, 2]
    assert _diversify([0, 1, 2], passages, 2, 2) == [0, 1]


def test_dense_scores_are_spread_over_the_candidates_before_fusion():
    import numpy as np

    spread = _spread(np.array([0.62, 0.0, 0.74, 0.68], dtype=np.float32))
    assert spread[2] == pytest.approx(1.0) and spread[0] == pytest.approx(0.0)  # best 1, worst candidate 0
    assert spread[3] == pytest.approx(0.5) and spread[1] == 0.0  # in between; not a candidate stays 0
    # one candidate (or all equal): divided by the best, so it still counts
    assert list(_spread(np.array([0.0, 0.7], dtype=np.float32))) == pytest.approx([0.0, 1.0])
    assert list(_spread(np.array([0.5, 0.5], dtype=np.float32))) == pytest.approx([1.0, 1.0])


def test_modes_differ_and_are_deterministic(retriever):
    q = "Who should I talk to if I am unsure about sharing?"
    dense = [h.passage.id for h in retriever.search(q, mode="dense")]
    bm25 = [h.passage.id for h in retriever.search(q, mode="bm25")]
    hybrid = [h.passage.id for h in retriever.search(q)]
    assert hybrid == [h.passage.id for h in retriever.search(q)]
    assert all(h.dense == 0 for h in retriever.search(q, mode="bm25"))
    assert dense and bm25 and hybrid


def test_question_of_only_stopwords_still_answers(retriever):
    assert len(retriever.search("what is it", k=3)) == 3


def test_inflected_english_words_and_contractions_without_apostrophes_are_not_corrected(retriever, monkeypatch):
    monkeypatch.setattr(retriever, "_english", frozenset({"roast", "wishes", "tablet"}))  # as the model's whole words
    assert "roasting" in retriever.correct_spelling("toddler locked in a car, its roasting out")  # not "raising"
    assert retriever.correct_spelling("shes taken a pack of tablets") == "she's taken a pack of tablets"  # not "wishes"
    assert retriever.correct_spelling("he doesnt want us to know") == "he doesn't want us to know"
