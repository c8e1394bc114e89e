"""The Documents page's upload: off unless ASSISTANT_ALLOW_UPLOAD=1; the same reading, checks and
atomic rebuild as ``add-document``; the text shown for review before it is added; a progress bar."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from assistant.config import PROJECT_ROOT, Settings
from assistant.errors import BadDocument
from assistant.ingest.documents import documents_by_id
from assistant.ui import uploads
from conftest import CORPUS
from made_files import TITLES, UNIQUE, make_pdf, make_scanned_pdf
from test_adding import tree

PAGE = PROJECT_ROOT / "pages" / "documents.py"
DETAILS = {"publisher": "Exampleshire SCP", "area": "Exampleshire", "law_cited": "Data Protection Act 2018"}


def test_upload_is_off_unless_the_setting_says_1() -> None:
    assert Settings.from_env(environ={}).allow_upload is False
    assert Settings.from_env(environ={"ASSISTANT_ALLOW_UPLOAD": "1"}).allow_upload is True
    with pytest.raises(Exception, match="ASSISTANT_ALLOW_UPLOAD must be 1 or 0"):
        Settings.from_env(environ={"ASSISTANT_ALLOW_UPLOAD": "maybe"})


def test_an_upload_is_read_for_review_then_added_with_progress(tmp_settings, corpus_copy, fake_embedder, tmp_path):
    settings = tmp_settings.with_(corpus_dir=corpus_copy)
    data = make_pdf(tmp_path / "protocol.pdf").read_bytes()
    upload = uploads.read_upload(settings, "protocol.pdf", data)
    assert UNIQUE["pdf"][:60] in upload.extracted.text.replace("\n", " ")
    assert upload.suggested["title"] == TITLES["pdf"] and upload.suggested["date"] == "2025-03"
    assert any("Contacting the Front Door" in s for s in upload.sections)
    seen = []
    report = uploads.add_upload(settings, upload, {**upload.suggested, **DETAILS},
                                progress=lambda done, total: seen.append((done, total)), embedder=fake_embedder)
    assert report.doc_id in documents_by_id(corpus_copy)
    assert seen and seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_bad_upload_is_the_same_one_line_refusal(tmp_settings, tmp_path):
    with pytest.raises(BadDocument, match="no text found: this looks like a scan; run OCR first"):
        uploads.read_upload(tmp_settings, "scan.pdf", make_scanned_pdf(tmp_path / "scan.pdf").read_bytes())


@pytest.fixture
def page_env(tmp_path, monkeypatch, fake_embedder):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    for key, value in {"ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(tmp_path / "index"),
                       "ASSISTANT_MODEL_CACHE": str(tmp_path / "model"), "ASSISTANT_DATA_DIR": str(tmp_path / "var")}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(uploads.models, "load", lambda _settings: fake_embedder)
    return corpus


def test_the_page_offers_no_upload_by_default(page_env, monkeypatch):
    monkeypatch.delenv("ASSISTANT_ALLOW_UPLOAD", raising=False)
    app = AppTest.from_file(str(PAGE), default_timeout=60).run()
    assert not app.exception and not app.get("file_uploader")


def test_the_page_shows_the_text_then_adds_the_file(page_env, monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_ALLOW_UPLOAD", "1")
    app = AppTest.from_file(str(PAGE), default_timeout=60).run()
    bad = make_scanned_pdf(tmp_path / "scan.pdf")
    before = tree(page_env)
    app.get("file_uploader")[0].set_value(("scan.pdf", bad.read_bytes(), "application/pdf")).run()
    assert not app.exception and "run OCR first" in app.error[0].value and tree(page_env) == before

    data = make_pdf(tmp_path / "protocol.pdf").read_bytes()
    app.get("file_uploader")[0].set_value(("protocol.pdf", data, "application/pdf")).run()
    assert not app.exception and not app.error
    assert UNIQUE["pdf"][:60] in app.text_area[0].value.replace("\n", " ")
    assert app.text_input(key="upload_title").value == TITLES["pdf"]
    for key, value in DETAILS.items():
        app.text_input(key=f"upload_{key}").input(value)
    app.button[0].click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert "Added" in app.success[0].value
    assert any(d.title == TITLES["pdf"] for d in documents_by_id(page_env).values())
