"""The index: atomic builds, manifest checks (missing, stale, damaged), and crash safety."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from assistant.ingest.documents import load_documents
from assistant.errors import IndexMissing, IndexStale
from assistant.indexing.index import BUILDS, POINTER, build_index, index_problem, open_index
from assistant.verbatim import normalise_ws
from fakes import kill_build_midway


def test_build_then_open_gives_every_passage_verbatim(tmp_settings, fake_embedder):
    report = build_index(tmp_settings, fake_embedder, progress=False)
    index = open_index(tmp_settings, fake_embedder.name)
    assert len(index.passages) == report.passages == index.manifest["passage_count"]
    docs = {d.id: d for d in load_documents(tmp_settings.corpus_dir)}
    assert {p.doc_id for p in index.passages} == set(docs)
    for p in index.passages:
        assert normalise_ws(docs[p.doc_id].text[p.start : p.end]) == p.text
    manifest = index.manifest
    assert manifest["embedding_model"] == fake_embedder.name
    assert set(manifest["corpus"]) == set(docs)
    assert manifest["corpus"]["calderdale"]["sha256"] == docs["calderdale"].sha256
    assert {"scheme", "min_words", "max_words", "max_wordpieces"} <= set(manifest["passages"])


def test_missing_index_says_how_to_build(tmp_settings, fake_embedder):
    with pytest.raises(IndexMissing, match="build-index"):
        open_index(tmp_settings, fake_embedder.name)
    assert "No index" in index_problem(tmp_settings, fake_embedder.name)


def test_changed_document_makes_index_stale(tmp_settings, corpus_copy, fake_embedder):
    settings = tmp_settings.with_(corpus_dir=corpus_copy)
    build_index(settings, fake_embedder, progress=False)
    assert index_problem(settings, fake_embedder.name) is None
    path = corpus_copy / "hmg-2006.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    with pytest.raises(IndexStale, match=r"documents changed \(hmg-2006\).*build-index"):
        open_index(settings, fake_embedder.name)


def test_added_document_makes_index_stale_and_rebuild_makes_it_searchable(tmp_settings, corpus_copy, fake_embedder):
    settings = tmp_settings.with_(corpus_dir=corpus_copy)
    build_index(settings, fake_embedder, progress=False)
    (corpus_copy / "local.txt").write_text(
        "Local protocol\n\nIn Exampleshire, practitioners must telephone the Exampleshire Front Door "
        "on the same working day when they share information about a child at risk of significant "
        "harm, and record the name of the person they spoke to.\n",
        encoding="utf-8",
    )
    with open(corpus_copy / "manifest.toml", "a", encoding="utf-8") as manifest:
        manifest.write(
            '\n[[document]]\nid = "exampleshire"\nfile = "local.txt"\ntitle = "Local protocol"\n'
            'short_title = "Exampleshire"\npublisher = "Exampleshire partnership"\narea = "Exampleshire"\n'
            'date = "2025-01"\nversion = "1"\nlaw_cited = "Data Protection Act 2018"\n'
        )
    with pytest.raises(IndexStale, match="documents were added"):
        open_index(settings, fake_embedder.name)
    build_index(settings, fake_embedder, progress=False)
    index = open_index(settings, fake_embedder.name)
    local = [p for p in index.passages if p.doc_id == "exampleshire"]
    assert local and "Exampleshire Front Door" in local[0].text


def test_other_embedding_model_is_refused(tmp_settings, fake_embedder):
    build_index(tmp_settings, fake_embedder, progress=False)
    with pytest.raises(IndexStale, match="another embedding model"):
        open_index(tmp_settings, "some-other-model")


def test_damaged_index_is_detected(tmp_settings, fake_embedder):
    build_index(tmp_settings, fake_embedder, progress=False)
    build_id = (tmp_settings.index_dir / POINTER).read_text().strip()
    build_dir = tmp_settings.index_dir / BUILDS / build_id
    (build_dir / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexStale, match="damaged"):
        open_index(tmp_settings, fake_embedder.name)
    build_index(tmp_settings, fake_embedder, progress=False)  # a rebuild mends it
    assert index_problem(tmp_settings, fake_embedder.name) is None
    build_id = (tmp_settings.index_dir / POINTER).read_text().strip()
    (tmp_settings.index_dir / BUILDS / build_id / "chroma" / "chroma.sqlite3").unlink()
    with pytest.raises(IndexStale, match="damaged"):
        open_index(tmp_settings, fake_embedder.name)


def test_rebuild_swaps_and_keeps_only_recent_builds(tmp_settings, fake_embedder):
    for _ in range(3):
        build_index(tmp_settings, fake_embedder, progress=False)
    builds = sorted(p.name for p in (tmp_settings.index_dir / BUILDS).iterdir())
    active = (tmp_settings.index_dir / POINTER).read_text().strip()
    assert active == builds[-1]
    assert len(builds) == 2, "the active build and the one before it are kept"
    assert open_index(tmp_settings, fake_embedder.name).manifest["passage_count"] > 100


def test_kill_9_during_build_leaves_previous_index_usable(tmp_settings, fake_embedder):
    build_index(tmp_settings, fake_embedder, progress=False)
    before = open_index(tmp_settings, fake_embedder.name)
    assert kill_build_midway(tmp_settings) == -signal.SIGKILL
    after = open_index(tmp_settings, fake_embedder.name)
    assert after.location == before.location
    assert [p.id for p in after.passages] == [p.id for p in before.passages]
    build_index(tmp_settings, fake_embedder, progress=False)  # the next build succeeds and tidies up
    assert open_index(tmp_settings, fake_embedder.name).location != before.location
    unfinished = [p for p in (tmp_settings.index_dir / BUILDS).iterdir() if not (p / "manifest.json").exists()]
    assert unfinished == []


def test_changed_vector_index_settings_make_index_stale(tmp_settings, fake_embedder):
    from assistant.indexing.manifest import differences, expected_manifest

    docs = load_documents(tmp_settings.corpus_dir)
    expected = expected_manifest(docs, tmp_settings.corpus_dir, fake_embedder.name)
    recorded = json.loads(json.dumps(expected))
    assert differences(recorded, expected) == []
    recorded["vector_index"]["hnsw:search_ef"] = 10
    assert differences(recorded, expected) == ["the vector-index settings have changed"]


def test_passage_code_fingerprint_follows_the_modules_wherever_they_are(tmp_path, monkeypatch) -> None:
    """Editing passage-splitting code stales the index; moving a module to another package does not,
    and a module can never drop out of the fingerprint because its file is not where it was."""
    from assistant.indexing import manifest as manifest_module
    from assistant.ingest import layout

    before = manifest_module.passage_scheme()
    assert all(Path(m.__file__).is_file() for m in manifest_module._PASSAGE_CODE)
    moved = tmp_path / "elsewhere" / "layout.py"
    moved.parent.mkdir()
    moved.write_bytes(Path(layout.__file__).read_bytes())
    monkeypatch.setattr(layout, "__file__", str(moved))
    monkeypatch.setattr(layout, "__name__", "assistant.elsewhere.layout")
    assert manifest_module.passage_scheme() == before
    moved.write_text(moved.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert manifest_module.passage_scheme() != before
