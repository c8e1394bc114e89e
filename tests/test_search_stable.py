"""Searches are stable and cheap: every process that opens a build gets the same nearest neighbours,
a search asked again within an answer is not asked of Chroma again, and a sentence record's id says
which passage it belongs to without its metadata being fetched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.indexing.collections import sentence_record_of, sentence_records
from assistant.indexing.index import build_index, open_index
from assistant.ingest.documents import load_documents
from assistant.ingest.passages import passages_for
from assistant.retrieve.memo import Memo
from assistant.retrieve.retriever import Retriever

TESTS = Path(__file__).parent
QUESTIONS = [
    "Can I share information without consent if a child is at risk of significant harm?",
    "What should a teacher do when a pupil discloses abuse?",
    "Do I need the parents' agreement before an early help assessment?",
    "Who is the designated safeguarding lead and when do I tell them?",
    "How do I record a decision not to share?",
    "Can a health visitor tell the school about domestic abuse at home?",
    "What is the Child Sex Offender Disclosure Scheme?",
    "Is a 15 year old able to give consent to sharing?",
    "What counts as a legitimate purpose for sharing information?",
    "Should I tell the family I am making a referral to children's social care?",
]

_NEIGHBOURS = """
import json, sys
sys.path.insert(0, {tests!r})
from fakes import HashingEmbedder
from assistant.config import Settings
from assistant.indexing.index import open_index
settings = Settings(**{{k: __import__("pathlib").Path(v) for k, v in json.loads(sys.argv[1]).items()}})
embedder = HashingEmbedder()
index = open_index(settings, embedder.name)
found = []
for vector in embedder.embed(json.loads(sys.argv[2])):
    for collection in (index.collection, index.sentences):
        result = collection.query(query_embeddings=[vector], n_results=min(300, collection.count()),
                                  include=["distances"])
        found.append([result["ids"][0], [round(d, 6) for d in result["distances"][0]]])
print(json.dumps(found))
"""


def test_memo_keeps_the_most_recent_results_and_makes_each_once() -> None:
    memo: Memo[str] = Memo(2)
    made: list[str] = []

    def make(key: str):
        return lambda: made.append(key) or key.upper()

    assert memo.get("a", make("a")) == "A"
    assert memo.get("b", make("b")) == "B"
    assert memo.get("a", make("a")) == "A"  # kept: not made again, and now the most recent
    assert memo.get("c", make("c")) == "C"  # "b", the least recently used, is dropped
    assert memo.get("b", make("b")) == "B"
    assert made == ["a", "b", "c", "b"]
    assert len(memo) == 2
    with pytest.raises(ValueError):
        Memo(0)


def test_a_sentence_records_id_names_its_passage_kind_and_position(tmp_settings) -> None:
    docs = load_documents(tmp_settings.corpus_dir)
    doc = docs[0]
    checked = 0
    for passage in passages_for(doc)[:20]:
        rows = sentence_records(passage, doc.text, questions=("Who do I tell?", "Can I share?"))
        for position, (record_id, _, meta) in enumerate(rows):
            passage_id, kind, at = sentence_record_of(record_id)
            assert (passage_id, kind) == (meta["passage_id"], meta["kind"])
            assert at == (None if kind == "question" else position)
            checked += 1
    assert checked > 40


def test_a_search_asked_again_is_not_asked_of_chroma_again(tmp_settings, fake_embedder) -> None:
    build_index(tmp_settings, fake_embedder, progress=False)
    retriever = Retriever(open_index(tmp_settings, fake_embedder.name), fake_embedder)
    asked: list[int] = []
    query = retriever.index.sentences.query

    def counted(*args, **kwargs):
        asked.append(1)
        return query(*args, **kwargs)

    retriever.index.sentences.query = counted
    first = retriever.search(QUESTIONS[0], k=8)
    again = retriever.search(QUESTIONS[0], k=8)
    other = retriever.search(QUESTIONS[1], k=8)
    assert first == again and first is not again  # the same hits, in a list of the caller's own
    assert [h.passage.id for h in other] != [h.passage.id for h in first]
    assert len(asked) == 2  # the first question and the second, once each
    retriever.search(QUESTIONS[0], k=5)  # another k is another search
    assert len(asked) == 3


def test_every_process_opening_a_build_gets_the_same_neighbours(tmp_settings, fake_embedder) -> None:
    # Chroma rebuilds the part of a graph it has not yet written to disk, on several threads, each
    # time a collection is opened: neighbours then differ from one process to the next
    # (chroma-core/chroma#2675), and so do answers. Three fresh processes must agree exactly.
    build_index(tmp_settings, fake_embedder, progress=False)
    paths = {"corpus_dir": str(tmp_settings.corpus_dir), "index_dir": str(tmp_settings.index_dir),
             "data_dir": str(tmp_settings.data_dir), "model_cache_dir": str(tmp_settings.model_cache_dir)}
    runs = [
        subprocess.run([sys.executable, "-c", _NEIGHBOURS.format(tests=str(TESTS)), json.dumps(paths),
                        json.dumps(QUESTIONS)], capture_output=True, text=True, timeout=300, check=True).stdout
        for _ in range(3)
    ]
    found = json.loads(runs[0])
    assert len(found) == 2 * len(QUESTIONS) and all(ids for ids, _ in found)
    assert runs[1] == runs[0] and runs[2] == runs[0]
