"""What each document says: topics as data, and which passages count as being about a topic."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from assistant.config import PROJECT_ROOT
from assistant.ingest.passages import build_passages
from assistant.ingest.documents import load_documents
from assistant.errors import BadInput
from assistant.ui.topics import get_topic, load_topics, passages_by_document

CORPUS = PROJECT_ROOT / "corpus"
_WORD = re.compile(r"[a-z]+")


@dataclass
class _Hit:
    passage: object


class KeywordRetriever:
    """Real passages, searched by shared words: enough to test the choosing, not the ranking."""

    def __init__(self) -> None:
        self.passages = build_passages(load_documents(CORPUS))
        self.calls: list[tuple[str, int, str | None]] = []

    def search(self, query: str, k: int = 5, *, doc_id: str | None = None):
        self.calls.append((query, k, doc_id))
        words = set(_WORD.findall(query.lower()))
        scored = [(len(words & set(_WORD.findall(p.text.lower()))), n, p) for n, p in enumerate(self.passages)
                  if doc_id is None or p.doc_id == doc_id]
        scored = [s for s in scored if s[0] > 0]
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [_Hit(p) for _, _, p in scored[:k]]


@pytest.fixture(scope="module")
def retriever() -> KeywordRetriever:
    return KeywordRetriever()


def test_the_six_topics_of_the_issue():
    assert [t.id for t in load_topics()] == ["consent", "confidentiality", "recording", "golden-rules", "myths",
                                             "public-interest"]


def test_each_document_searched_once_with_its_id(retriever):
    retriever.calls.clear()
    found = passages_by_document(retriever, "consent", per_doc=2)
    doc_ids = [d.id for d in load_documents(CORPUS)]
    assert sorted(d.doc_id for d in found) == sorted(doc_ids)
    assert sorted(call[2] for call in retriever.calls) == sorted(doc_ids)
    assert all(call[0] == get_topic("consent").query for call in retriever.calls)


@pytest.mark.parametrize("topic_id", [t.id for t in load_topics()])
def test_shown_passages_belong_to_their_document_and_the_topic(retriever, topic_id):
    topic = get_topic(topic_id)
    for entry in passages_by_document(retriever, topic, per_doc=2):
        assert len(entry.passages) <= 2
        for passage in entry.passages:
            assert passage.doc_id == entry.doc_id
            assert passage.kind in topic.kinds or topic.mentions(passage.text)


def test_topic_kinds_come_first(retriever):
    found = {e.doc_id: e.passages for e in passages_by_document(retriever, "golden-rules", per_doc=2)}
    assert found["calderdale"] and found["calderdale"][0].kind == "golden_rule"


def test_a_passage_of_the_topics_kind_outranks_better_scored_ones(retriever):
    topic = get_topic("golden-rules")
    calderdale = [p for p in retriever.passages if p.doc_id == "calderdale"]
    rule = next(p for p in calderdale if p.kind == "golden_rule")
    unrelated = next(p for p in calderdale if p.kind == "paragraph" and not topic.mentions(p.text))

    class Fixed:
        passages = retriever.passages

        def search(self, query, k=5, *, doc_id=None):
            return [_Hit(unrelated), _Hit(rule)]  # the unrelated passage scored higher

    (entry,) = passages_by_document(Fixed(), topic, per_doc=2, doc_ids=["calderdale"])
    assert entry.passages == (rule,)


def test_a_document_with_nothing_on_the_topic_gets_nothing(retriever):
    found = {e.doc_id: e.passages for e in passages_by_document(retriever, "myths")}
    assert found["hmg-2006"] == ()  # the 2006 guide has no myth-busting guide
    assert found["calderdale"]


def test_order_follows_the_ids_given(retriever):
    ids = ["hmg-2006", "calderdale"]
    assert [e.doc_id for e in passages_by_document(retriever, "recording", doc_ids=ids)] == ids


def test_bad_arguments(retriever):
    with pytest.raises(BadInput):
        passages_by_document(retriever, "weather")
    with pytest.raises(BadInput):
        passages_by_document(retriever, "consent", per_doc=0)


def test_mentions_matches_whole_words_only():
    topic = get_topic("recording")
    assert topic.mentions("Keep a Record of your decision")
    assert not topic.mentions("a recordable event")
