"""Adding and removing local guidance: real PDF, Word and HTML files go in through ``add-document``,
are found and come out again through ``remove-document``; bad input is refused in one line with the
corpus and index byte for byte as they were. Deterministic fake embedder (the CLI's seam)."""

from __future__ import annotations

import hashlib
import io
import shutil
import tomllib
from pathlib import Path

import pytest

from assistant.cli import documents as cli_documents
from assistant.cli.main import main
from assistant.config import Settings
from assistant.errors import BadDocument
from assistant.indexing.changes import add_document
from assistant.indexing.index import build_index, open_index
from assistant.ingest.adding import Details, suggested_id
from assistant.ingest.documents import documents_by_id
from assistant.ingest.readers import read_document
from assistant.retrieve.retriever import Retriever
from assistant.verbatim import normalise_ws
from conftest import CORPUS
from fakes import HashingEmbedder
from made_files import MAKERS, TITLES, UNIQUE, make_encrypted_pdf, make_pdf, make_scanned_pdf

FLAGS = ["--publisher", "Exampleshire Safeguarding Children Partnership", "--area", "Exampleshire",
         "--law-cited", "Data Protection Act 2018 and UK GDPR", "--quiet"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Settings:
    """The corpus and its index, built once for the module; each test works on its own copy."""
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(CORPUS, root / "corpus")
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", data_dir=root / "var",
                        model_cache_dir=root / "model")
    build_index(settings, HashingEmbedder(), progress=False)
    return settings


@pytest.fixture
def settings(built, tmp_path, fake_embedder, monkeypatch):
    monkeypatch.setattr(cli_documents.models, "load", lambda _settings: fake_embedder)
    shutil.copytree(built.corpus_dir, tmp_path / "corpus")
    shutil.copytree(built.index_dir, tmp_path / "index")
    return built.with_(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", data_dir=tmp_path / "var")


def run(argv, settings, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=stdin or io.StringIO(""), stdout=out, stderr=err, settings=settings)
    return code, out.getvalue(), err.getvalue()


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` with the SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


def search(settings, embedder, question: str):
    return Retriever(open_index(settings, embedder.name), embedder).search(question, k=5)


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_a_file_is_added_found_with_its_section_and_removed_again(kind, settings, fake_embedder, tmp_path):
    source = MAKERS[kind](tmp_path / f"local.{kind}")
    doc_id = suggested_id(TITLES[kind])
    code, out, err = run(["add-document", str(source), *FLAGS], settings)
    assert code == 0, err
    assert f"Added {doc_id!r}" in out

    doc = documents_by_id(settings.corpus_dir)[doc_id]
    assert doc.title == TITLES[kind] and doc.date[:4] in {"2023", "2024", "2025"}
    assert (settings.corpus_dir / f"{doc_id}.original.{kind}").read_bytes() == source.read_bytes()
    hits = search(settings, fake_embedder, UNIQUE[kind])
    top = hits[0].passage
    assert top.doc_id == doc_id and UNIQUE[kind] in top.text
    assert normalise_ws(doc.text[top.start:top.end]) == top.text  # verbatim against the stored text
    assert top.section and top.section != doc.short_title  # the heading survived as its section

    code, out, err = run(["remove-document", doc_id, "--quiet"], settings)
    assert code == 0, err
    assert doc_id not in documents_by_id(settings.corpus_dir)
    assert not list(settings.corpus_dir.glob(f"{doc_id}*"))
    assert all(h.passage.doc_id != doc_id for h in search(settings, fake_embedder, UNIQUE[kind]))


def test_numbered_paragraphs_of_a_pdf_become_citable_paragraphs(settings, fake_embedder, tmp_path):
    source = make_pdf(tmp_path / "protocol.pdf")
    assert run(["add-document", str(source), "--id", "exampleshire", *FLAGS], settings)[0] == 0
    passages = [p for p in open_index(settings, fake_embedder.name).passages if p.doc_id == "exampleshire"]
    assert {"1.1", "1.2"} <= {p.paragraph for p in passages}
    assert all("Contacting the Front Door" in p.section for p in passages if p.paragraph)


def _copy_of_a_document(tmp_path: Path) -> Path:
    text = (Path(__file__).resolve().parent.parent / "corpus" / "childrens-mars-2022.txt").read_text(encoding="utf-8")
    path = tmp_path / "mars-copy.md"
    path.write_text(text.replace("\n\n", "\n"), encoding="utf-8")  # the same words, laid out differently
    return path


BAD = {
    "encrypted PDF": (lambda d: make_encrypted_pdf(d / "locked.pdf"), [], "the PDF is encrypted"),
    "scanned PDF": (lambda d: make_scanned_pdf(d / "scan.pdf"), [], "no text found: this looks like a scan; run OCR first"),
    "empty file": (lambda d: (d / "empty.docx").write_bytes(b"") and None or d / "empty.docx", [], "the file is empty"),
    "unsupported type": (lambda d: (d / "sheet.xlsx").write_bytes(b"PK\x03\x04") and None or d / "sheet.xlsx", [],
                         ".xlsx cannot be read; use PDF, Word (.docx), HTML, Markdown or plain text"),
    "duplicate id": (lambda d: make_pdf(d / "p.pdf"), ["--id", "calderdale"],
                     "a document with id 'calderdale' is already in the corpus"),
    "text already in the corpus": (_copy_of_a_document, ["--id", "mars-again", "--title", "MARS"],
                                   "its text is already in the corpus, as 'childrens-mars'"),
    "date in the wrong form": (lambda d: make_pdf(d / "p.pdf"), ["--date", "03/2025"],
                               "date must be YYYY-MM or YYYY (e.g. 2024-03), not '03/2025'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_in_one_line_and_nothing_changes(case, settings, tmp_path):
    make, extra, says = BAD[case]
    source = make(tmp_path)
    corpus, index = tree(settings.corpus_dir), tree(settings.index_dir)
    code, out, err = run(["add-document", str(source), *extra, *FLAGS], settings)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and says in err, err
    assert tree(settings.corpus_dir) == corpus and tree(settings.index_dir) == index


class _BreaksMidway:
    """An embedder that fails on the new document's text, as a crash or a full disk would mid-build."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.dimension = inner, inner.name, inner.dimension

    def embed(self, texts):
        if any("Exampleshire" in t for t in texts):
            raise OSError("disk full")
        return self.inner.embed(texts)


def test_a_build_that_fails_leaves_corpus_and_index_as_they_were(settings, fake_embedder, tmp_path):
    source = make_pdf(tmp_path / "protocol.pdf")
    extracted = read_document(source)
    details = Details(id="exampleshire", title=extracted.title, short_title="Exampleshire 2025", publisher="P",
                      area="A", date="2025-03", version="1", law_cited="DPA 2018")
    corpus, index = tree(settings.corpus_dir), tree(settings.index_dir)
    with pytest.raises(OSError, match="disk full"):
        add_document(settings, source, extracted, details, _BreaksMidway(fake_embedder), progress=False)
    assert tree(settings.corpus_dir) == corpus and tree(settings.index_dir) == index
    open_index(settings, fake_embedder.name)  # the previous index is still the current one


class _Counting:
    def __init__(self, inner) -> None:
        self.inner, self.name, self.dimension, self.texts = inner, inner.name, inner.dimension, []

    def embed(self, texts):
        self.texts += list(texts)
        return self.inner.embed(texts)


def test_a_change_embeds_only_the_new_texts_and_gives_the_index_a_full_build_would(settings, fake_embedder, tmp_path):
    source = make_pdf(tmp_path / "protocol.pdf")
    counting = _Counting(fake_embedder)
    extracted = read_document(source)
    details = Details(id="exampleshire", title=extracted.title, short_title="Exampleshire 2025", publisher="P",
                      area="A", date="2025-03", version="1", law_cited="DPA 2018")
    add_document(settings, source, extracted, details, counting, progress=False)
    assert counting.texts and all("Exampleshire" in t or "Record what you shared" in t or "March 2025" in t
                                  or "Front Door" in t for t in counting.texts), counting.texts
    added = {p.id: p.text for p in open_index(settings, fake_embedder.name).passages}
    hits = search(settings, fake_embedder, UNIQUE["pdf"])
    build_index(settings, fake_embedder, progress=False)  # everything embedded afresh
    assert {p.id: p.text for p in open_index(settings, fake_embedder.name).passages} == added
    assert [h.passage.id for h in search(settings, fake_embedder, UNIQUE["pdf"])] == [h.passage.id for h in hits]


@pytest.mark.parametrize(("doc_id", "says"), [
    ("narnia", "there is no document 'narnia'"),
    ("calderdale", "'calderdale' is quoted by the assistant's own data"),
])
def test_remove_refuses_an_unknown_or_cited_document_and_changes_nothing(doc_id, says, settings):
    corpus, index = tree(settings.corpus_dir), tree(settings.index_dir)
    code, out, err = run(["remove-document", doc_id], settings)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1
    assert tree(settings.corpus_dir) == corpus and tree(settings.index_dir) == index


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_missing_details_are_asked_for_with_what_the_file_says_as_default(settings, tmp_path):
    source = make_pdf(tmp_path / "protocol.pdf")
    # title, date, id, short title: Enter takes the file's; then publisher, area, version (default), law.
    answers = "\n\n\n\nExampleshire SCP\nExampleshire\n\nDPA 2018\n"
    code, out, err = run(["add-document", str(source), "--quiet"], settings, stdin=_Terminal(answers))
    assert code == 0, err
    assert f"Title [{TITLES['pdf']}]" in err and "Date (YYYY-MM or YYYY) [2025-03]" in err
    entry = tomllib.loads((settings.corpus_dir / "manifest.toml").read_text(encoding="utf-8"))["document"][-1]
    assert entry["title"] == TITLES["pdf"] and entry["date"] == "2025-03" and entry["publisher"] == "Exampleshire SCP"
    assert entry["id"] == suggested_id(TITLES["pdf"]) and entry["file"] == f"{entry['id']}.txt"


def test_without_a_terminal_a_missing_detail_names_its_flag(settings, tmp_path):
    code, out, err = run(["add-document", str(make_pdf(tmp_path / "p.pdf")), "--quiet"], settings)
    assert code == 2 and "--publisher" in err and "--law-cited" in err


def test_show_text_prints_what_would_be_stored_and_writes_nothing(settings, tmp_path):
    corpus = tree(settings.corpus_dir)
    code, out, err = run(["add-document", str(make_pdf(tmp_path / "p.pdf")), "--show-text"], settings)
    assert code == 0 and UNIQUE["pdf"].split(" the same")[0] in out.replace("\n", " ")
    assert tree(settings.corpus_dir) == corpus


def test_plan_refuses_before_writing_even_when_called_directly(settings, tmp_path):
    source = make_pdf(tmp_path / "p.pdf")
    extracted = read_document(source)
    with pytest.raises(BadDocument, match="missing: publisher"):
        add_document(settings, source, extracted, Details(id="x-y", title="T", short_title="S", publisher=" ",
                                                          area="A", date="2025", version="1", law_cited="L"), None)
