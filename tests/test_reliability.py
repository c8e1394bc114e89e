"""Reliability of the index on disk: ``make index`` (``python -m assistant build-index --if-needed``)
rebuilds a missing, damaged or stale index and leaves a current one alone, and local guidance added
to ``corpus/`` is answered from and cited after a rebuild (the README's "Adding local guidance").

The CLI runs use the real packaged model on a one-document corpus (quick to index); the sixth-document
test reuses the session index's vectors for the five documents and embeds only the new one.
"""

from __future__ import annotations

import io
import json
import shutil
import tomllib
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.config import PROJECT_ROOT, Settings
from assistant.indexing.index import BUILDS, MANIFEST, POINTER, build_index
from assistant.verbatim import matches_span
from stored_vectors import StoredVectors

CORPUS = PROJECT_ROOT / "corpus"


def _one_document_corpus(target: Path, doc_id: str = "childrens-mars", chars: int = 6000) -> Path:
    """The first ``chars`` characters (to a paragraph end) of one document, with its manifest entry."""
    entries = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))["document"]
    entry = next(e for e in entries if e["id"] == doc_id)
    target.mkdir()
    text = (CORPUS / entry["file"]).read_text(encoding="utf-8")
    (target / entry["file"]).write_text(text[: text.find("\n\n", chars)] + "\n", encoding="utf-8")
    lines = ["[[document]]"] + [f"{key} = {json.dumps(value)}" for key, value in entry.items()]
    (target / "manifest.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The project's passage questions too: the domain embedder is named by its training data, so the
    # trained model is reused rather than trained again for this corpus (questions for passages it
    # lacks are skipped, as for any passage question whose anchor is not found).
    (target / "questions").symlink_to(CORPUS / "questions", target_is_directory=True)
    return target


def _build_if_needed(settings: Settings) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = main(["build-index", "--if-needed", "--quiet"], stdout=out, stderr=err, settings=settings)
    assert code == 0 and err.getvalue() == "", err.getvalue()
    return out.getvalue()


def _active(settings: Settings) -> Path:
    return settings.index_dir / BUILDS / (settings.index_dir / POINTER).read_text().strip()


def test_build_index_if_needed_rebuilds_only_a_missing_damaged_or_stale_index(tmp_path, model_cache):
    corpus = _one_document_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "var",
                        model_cache_dir=model_cache)

    assert _build_if_needed(settings).startswith("Built ")  # missing
    first = _active(settings)
    assert _build_if_needed(settings) == "Index is up to date.\n"
    assert _active(settings) == first, "an up-to-date index is left alone"

    def ask() -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(["search", "--json", "consent"], stdout=out, stderr=err, settings=settings)
        return code, err.getvalue()

    damage = {
        "manifest garbled": lambda build: (build / MANIFEST).write_text("{not json", encoding="utf-8"),
        "store half deleted": lambda build: shutil.rmtree(build / "chroma"),
    }
    for what, do in damage.items():
        do(_active(settings))
        code, message = ask()
        assert code == 2 and "damaged" in message and "make index" in message and message.count("\n") == 1, what
        assert _build_if_needed(settings).startswith("Built "), what
        assert ask() == (0, ""), what

    (settings.index_dir / POINTER).unlink()  # a lost pointer is a missing index
    assert "No index" in ask()[1] and _build_if_needed(settings).startswith("Built ")

    document = next(corpus.glob("*.txt"))
    document.write_text(document.read_text(encoding="utf-8") + "\nA paragraph added later.\n", encoding="utf-8")
    code, message = ask()
    assert code == 2 and "out of date" in message and "documents changed (childrens-mars)" in message
    assert _build_if_needed(settings).startswith("Built ")
    assert _build_if_needed(settings) == "Index is up to date."+"\n"
    assert ask() == (0, "")


LOCAL_TEXT = """Exampleshire Safeguarding Children Partnership
Local information sharing protocol

1. Contacting the Exampleshire Children's Front Door
When you are worried that a child is at risk of significant harm, telephone the Exampleshire
Children's Front Door on the same working day. Outside office hours, call the Emergency Duty Team.
Follow up every telephone referral in writing within 48 hours using the Exampleshire multi-agency
referral form, and record the name of the person you spoke to in your own agency's records.

2. Sharing with schools in Exampleshire
Designated safeguarding leads in Exampleshire schools may receive information from health visitors
about children starting reception where this is needed to keep the child safe. Share only the
information the school needs, record what you shared, with whom and why, and tell the family unless
doing so would place the child at increased risk of harm.
"""
LOCAL_ENTRY = {
    "id": "exampleshire",
    "aliases": ["Exampleshire"],
    "file": "exampleshire-2025.txt",
    "title": "Exampleshire local information sharing protocol",
    "short_title": "Exampleshire 2025",
    "publisher": "Exampleshire Safeguarding Children Partnership",
    "area": "Exampleshire",
    "date": "2025-01",
    "version": "Version 1, January 2025",
    "law_cited": "Data Protection Act 2018 and UK GDPR",
}


def test_a_sixth_document_is_answered_from_and_cited_after_a_rebuild(tmp_path, real_settings, real_retriever,
                                                                      real_embedder):
    from assistant.answer.assistant import Assistant
    from assistant.errors import IndexStale

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = real_settings.with_(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "var")
    stored = StoredVectors(real_retriever.index, real_embedder)
    build_index(settings, stored, progress=False)
    assert stored.misses == 0
    (corpus / LOCAL_ENTRY["file"]).write_text(LOCAL_TEXT, encoding="utf-8")
    with open(corpus / "manifest.toml", "a", encoding="utf-8") as manifest:
        manifest.write("\n[[document]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in LOCAL_ENTRY.items()))
    with pytest.raises(IndexStale, match=r"documents were added \(exampleshire\)"):
        Assistant.load(settings)

    build_index(settings, stored, progress=False)
    assert stored.misses > 0, "only the new document was embedded"
    assistant = Assistant.load(settings)
    answer = assistant.answer("Who do I phone in Exampleshire when a child is at risk of significant harm?").to_dict()
    assert answer["mode"] == "answer", answer["answer"]
    local = [c for c in answer["citations"] if c["doc_id"] == "exampleshire"]
    assert local, [c["doc_id"] for c in answer["citations"]]
    for citation in local:
        assert citation["doc_short_title"] == "Exampleshire 2025"
        assert matches_span(LOCAL_TEXT, citation["quote_start"], citation["quote_end"], citation["quote"])
        assert f"[{citation['n']}]" in answer["answer"]
    assert any("Front Door" in c["quote"] for c in local)
