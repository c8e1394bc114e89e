"""Local guidance end to end with the real packaged model: a PDF, a Word file and a web page made in
the test go through ``add-document``; ``search`` finds the sentence unique to each; ``ask`` quotes it
verbatim against the stored text, with its section and date; ``remove-document`` takes it out again.

The index reuses the session index's vectors for the five documents (tests/stored_vectors.py) and
embeds only the new text with the real model.
"""

from __future__ import annotations

import io
import json
import shutil

import pytest

from assistant.cli import documents as cli_documents
from assistant.cli.main import main
from assistant.indexing.index import build_index
from assistant.ingest.documents import documents_by_id
from assistant.verbatim import matches_span
from conftest import CORPUS
from made_files import MAKERS, UNIQUE
from stored_vectors import StoredVectors

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
QUESTIONS = {
    "pdf": "Who do I telephone in Exampleshire when a child is at risk of significant harm?",
    "docx": "Who does a health visitor in Wordshire ask before passing on a family's housing history?",
    "html": "Where do Webshire schools send attendance concerns about a child?",
}
IDS = {"pdf": "exampleshire", "docx": "wordshire", "html": "webshire"}


def run(argv, settings):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(""), stdout=out, stderr=err, settings=settings)
    assert code == 0, err.getvalue()
    return out.getvalue()


def test_added_files_are_searched_quoted_with_section_and_date_and_removed(tmp_path, real_settings, real_retriever,
                                                                           real_embedder, monkeypatch):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    settings = real_settings.with_(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index",
                                   data_dir=tmp_path / "var")
    stored = StoredVectors(real_retriever.index, real_embedder)
    build_index(settings, stored, progress=False)
    monkeypatch.setattr(cli_documents.models, "load", lambda _settings: stored)
    for kind, make in MAKERS.items():
        source = make(tmp_path / f"local.{kind}")
        run(["add-document", str(source), "--id", IDS[kind], "--publisher", "Local partnership",
             "--area", IDS[kind].title(), "--law-cited", "Data Protection Act 2018", "--quiet"], settings)
    docs = documents_by_id(settings.corpus_dir)

    for kind, doc_id in IDS.items():
        found = json.loads(run(["search", UNIQUE[kind], "--json"], settings))["passages"]
        assert found[0]["doc_id"] == doc_id and UNIQUE[kind] in found[0]["text"]

        answer = json.loads(run(["ask", QUESTIONS[kind], "--json"], settings))
        local = [c for c in answer["citations"] if c["doc_id"] == doc_id]
        assert answer["mode"] == "answer" and local, (answer["mode"], answer["answer"][:300])
        text = docs[doc_id].text
        for citation in local:
            assert matches_span(text, citation["quote_start"], citation["quote_end"], citation["quote"])
            assert citation["section"] and citation["date"] == docs[doc_id].date
        assert any(c["quote"] in UNIQUE[kind] or UNIQUE[kind].startswith(c["quote"][:40]) for c in local), local

    for kind, doc_id in IDS.items():
        run(["remove-document", doc_id, "--quiet"], settings)
        found = json.loads(run(["search", UNIQUE[kind], "--json"], settings))["passages"]
        assert all(p["doc_id"] != doc_id for p in found)
    assert set(documents_by_id(settings.corpus_dir)) == set(documents_by_id(CORPUS))
