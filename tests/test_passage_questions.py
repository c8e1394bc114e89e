"""The questions each passage answers: the shipped files, their anchors, and how retrieval uses them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.ingest.passage_questions import Anchored, digest, load_questions, questions_by_passage, questions_dir, resolve
from conftest import CORPUS

SHIPPED = questions_dir(CORPUS)


@pytest.fixture(scope="module")
def passages():
    from assistant.ingest.passages import build_passages
    from assistant.ingest.documents import load_documents

    return build_passages(load_documents(CORPUS))


def test_every_shipped_anchor_names_exactly_one_passage_of_its_document(passages):
    entries = load_questions(SHIPPED)
    assert len(entries) > 250
    problems = []
    for entry in entries:
        ids = resolve(entry, passages)
        if len(ids) != 1:
            problems.append(f"{entry.doc_id}: {entry.anchor!r} matches {ids}")
    assert problems == []


def test_shipped_files_cover_every_document_and_nearly_every_passage(passages):
    from assistant.ingest.documents import load_documents

    assert {p.stem for p in SHIPPED.glob("*.yaml")} == {d.id for d in load_documents(CORPUS)}
    found = questions_by_passage(passages, load_questions(SHIPPED))
    assert len(found) >= 0.95 * len(passages)
    assert all(q and len(q.split()) <= 40 for qs in found.values() for q in qs)


def test_two_entries_for_one_passage_add_up_and_unmatched_anchors_are_skipped(passages):
    first = passages[0]
    words = " ".join(first.text.split()[:6])
    entries = [
        Anchored(first.doc_id, words, ("one?",)),
        Anchored(first.doc_id, words, ("two?",)),
        Anchored(first.doc_id, "no passage says this at all, anywhere", ("lost?",)),
        Anchored("another-doc", words, ("elsewhere?",)),
    ]
    assert questions_by_passage(passages, entries) == {first.id: ("one?", "two?")}


def _write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_misspelt_field_is_one_clear_error(tmp_path):
    _write(tmp_path, "calderdale.yaml", "doc: calderdale\npassages:\n  - anchr: some words here ok\n    questions: [a]\n")
    with pytest.raises(CorpusError) as caught:
        load_questions(tmp_path)
    assert "calderdale.yaml" in str(caught.value) and "\n" not in str(caught.value)


def test_a_file_must_be_named_after_its_document(tmp_path):
    _write(tmp_path, "bucks.yaml", "doc: buckinghamshire\npassages: []\n")
    with pytest.raises(CorpusError, match="named after"):
        load_questions(tmp_path)


def test_editing_a_question_changes_the_digest_the_index_manifest_records(tmp_path):
    path = _write(tmp_path, "calderdale.yaml", "doc: calderdale\npassages: []\n")
    before = digest(tmp_path)
    path.write_text("doc: calderdale\npassages:\n  - anchor: some words here ok\n    questions: [a]\n", encoding="utf-8")
    assert digest(tmp_path) != before


def test_an_index_built_before_the_questions_changed_is_stale(tmp_settings, corpus_copy, fake_embedder):
    import dataclasses

    from assistant.indexing.index import build_index, index_problem

    settings = dataclasses.replace(tmp_settings, corpus_dir=corpus_copy)
    build_index(settings, fake_embedder, progress=False)
    assert index_problem(settings, fake_embedder.name) is None
    path = questions_dir(corpus_copy) / "calderdale.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("?", " then?", 1), encoding="utf-8")
    assert "questions" in str(index_problem(settings, fake_embedder.name))


def test_keywords_find_a_passage_by_its_questions_but_the_evidence_of_scope_ignores_them(tmp_settings, fake_embedder):
    from assistant.indexing.index import build_index, open_index
    from assistant.retrieve.retriever import Retriever

    build_index(tmp_settings, fake_embedder, progress=False)
    index = open_index(tmp_settings, fake_embedder.name)
    target = index.passages[40]
    retriever = Retriever(index, fake_embedder, questions={target.id: ("what about the quokka rota?",)})
    hits = retriever.search("quokka rota", k=3, mode="bm25")
    assert hits[0].passage.id == target.id and hits[0].bm25 > 0
    assert hits[0].guidance.bm25 == 0.0  # no document says "quokka": our question found it, not the guidance
    plain = Retriever(index, fake_embedder, questions={})
    assert all(h.bm25 == 0 for h in plain.search("quokka rota", k=3, mode="bm25"))


def test_the_index_stores_each_question_as_a_vector_of_its_passage(tmp_settings, fake_embedder, passages):
    from assistant.indexing.index import build_index, open_index

    build_index(tmp_settings, fake_embedder, progress=False)
    index = open_index(tmp_settings, fake_embedder.name)
    stored = index.sentences.get(where={"kind": "question"}, include=["metadatas", "documents"])
    expected = questions_by_passage(passages, load_questions(SHIPPED))
    assert len(stored["ids"]) == sum(len(q) for q in expected.values()) == index.manifest["question_count"]
    some = stored["metadatas"][0]["passage_id"]
    assert set(expected[some]) >= {d for d, m in zip(stored["documents"], stored["metadatas"]) if m["passage_id"] == some}


def test_a_loaded_index_searches_with_the_questions_it_was_built_with(tmp_settings, corpus_copy, fake_embedder):
    import dataclasses

    from assistant.indexing.index import build_index, open_index
    from assistant.retrieve.retriever import Retriever

    folder = questions_dir(corpus_copy)
    for path in folder.glob("*.yaml"):
        path.unlink()
    doc = "hmg-2006"
    anchor = "Children aged 12 or over may generally be expected to have sufficient understanding"
    (folder / f"{doc}.yaml").write_text(
        f"doc: {doc}\npassages:\n  - anchor: {anchor}\n    questions: [is a wombat old enough?]\n", encoding="utf-8")
    settings = dataclasses.replace(tmp_settings, corpus_dir=corpus_copy)
    build_index(settings, fake_embedder, progress=False)
    retriever = Retriever(open_index(settings, fake_embedder.name), fake_embedder)
    hit = retriever.search("wombat", k=1, mode="bm25")[0]
    assert anchor in " ".join(hit.passage.text.split())


def test_without_a_questions_folder_the_index_builds_with_none(tmp_settings, corpus_copy, fake_embedder):
    import dataclasses
    import shutil

    from assistant.indexing.index import build_index, open_index

    shutil.rmtree(questions_dir(corpus_copy))
    settings = dataclasses.replace(tmp_settings, corpus_dir=corpus_copy)
    build_index(settings, fake_embedder, progress=False)
    assert open_index(settings, fake_embedder.name).manifest["question_count"] == 0
