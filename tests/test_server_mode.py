"""Scale-out on a real Chroma server: the same build and answers as the embedded store, a killed build
that leaves the previous index in use, and one clear error within 5 s when the server is down, hung,
silent, or not a Chroma server.

A real ``chroma run`` is started on a free loopback port with its data under tmp_path and killed by
its process id at the end.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import threading
import time
import tomllib
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.config import Settings
from assistant.errors import IndexMissing, StoreUnavailable
from assistant.indexing.index import COLLECTION_NAME, SERVER_POINTER, build_index, open_index
from chroma_server import free_port, start_server
from fakes import kill_build_midway
from stored_vectors import StoredVectors
from eval.cases import retrieval_cases

pytestmark = pytest.mark.integration

UNREACHABLE_WITHIN_S = 5.0  # the bound for a server that is down or not answering


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("chroma") / "data")
    try:
        yield running
    finally:
        running.stop()


def _server_settings(base: Settings, server) -> Settings:
    return base.with_(chroma_host=server.host, chroma_port=server.port)


# ---------------------------------------------------------------- same answers as the embedded store
@pytest.fixture(scope="module")
def both_stores(server, real_settings, real_retriever, real_embedder):
    from assistant.answer.assistant import Assistant

    on_server = _server_settings(real_settings, server)
    stored = StoredVectors(real_retriever.index, real_embedder)
    report = build_index(on_server, stored, progress=False)
    assert report.location.startswith(f"{server.host}:{server.port}/{COLLECTION_NAME}-")
    assert stored.misses == 0, "the server index holds exactly the embedded index's vectors"
    return Assistant.load(real_settings), Assistant.load(on_server), real_settings, on_server


def test_server_index_has_the_same_passages_and_manifest(both_stores):
    local, remote, _, _ = both_stores
    assert remote.retriever.index.location.startswith("http://127.0.0.1:")
    assert remote.retriever.passages == local.retriever.passages
    drop = {"built_at"}
    assert {k: v for k, v in remote.retriever.index.manifest.items() if k not in drop} == {
        k: v for k, v in local.retriever.index.manifest.items() if k not in drop
    }


QUESTIONS = [case["question"] for case in retrieval_cases()[::5]] + [
    "Is it a myth that data protection law stops me sharing information?",
    "I am worried a child is in immediate danger tonight, what do I do?",
    "Should I share? There is a statutory duty and a risk of significant harm, no consent.",
    "What is the weather in Leeds?",
]


def test_server_answers_are_identical_to_embedded_answers(both_stores):
    local, remote, _, _ = both_stores
    for question in QUESTIONS:
        assert remote.answer(question).to_dict() == local.answer(question).to_dict(), question
        near = remote.retriever.search(question, k=5)
        here = local.retriever.search(question, k=5)
        assert [h.passage.id for h in near] == [h.passage.id for h in here], question
        # float32 on two stores, and approximate neighbours: the last of Chroma's candidates, which sets the
        # floor of the dense scale (retriever._spread), may differ between them; the ranking may not
        assert [h.score for h in near] == pytest.approx([h.score for h in here], abs=5e-3)


def test_cli_on_the_server_sees_an_up_to_date_index_and_answers_the_same(both_stores):
    local, _, _, on_server = both_stores
    out, err = io.StringIO(), io.StringIO()
    assert main(["build-index", "--if-needed", "--quiet"], stdout=out, stderr=err, settings=on_server) == 0
    assert out.getvalue() == "Index is up to date.\n"
    question = QUESTIONS[0]
    out = io.StringIO()
    assert main(["ask", "--json", question], stdout=out, stderr=err, settings=on_server) == 0, err.getvalue()
    assert json.loads(out.getvalue()) == local.answer(question).to_dict()


# ---------------------------------------------------------------- crash safety on the server
def _collection_names(settings: Settings) -> set[str]:
    from assistant.indexing.store import open_server

    return {getattr(c, "name", c) for c in open_server(settings).list_collections()}


def test_kill_9_during_a_server_build_leaves_the_previous_index_in_use(server, tmp_settings, fake_embedder):
    settings = _server_settings(tmp_settings, server)
    build_index(settings, fake_embedder, progress=False)
    before = open_index(settings, fake_embedder.name)
    existing = _collection_names(settings)
    assert kill_build_midway(settings) == -signal.SIGKILL  # killed while filling its new collections
    orphans = _collection_names(settings) - existing
    assert orphans, "the killed build had started writing its own collections"
    after = open_index(settings, fake_embedder.name)
    assert after.location == before.location
    assert [p.id for p in after.passages] == [p.id for p in before.passages]

    build_index(settings, fake_embedder, progress=False)  # the next build succeeds and removes the orphans
    current = open_index(settings, fake_embedder.name)
    assert current.location != before.location
    names = _collection_names(settings)
    assert not orphans & names
    active, previous = current.location.rsplit("/", 1)[1], before.location.rsplit("/", 1)[1]
    assert names == {SERVER_POINTER, active, active + "-sentences", previous, previous + "-sentences"}


# ---------------------------------------------------------------- down, silent, gone mid-session
def _tiny_corpus(target: Path, source: Path, doc_id: str = "childrens-mars") -> Path:
    """A one-document corpus (a copy of the real file and its manifest entry), quick to index."""
    entries = tomllib.loads((source / "manifest.toml").read_text(encoding="utf-8"))["document"]
    entry = next(e for e in entries if e["id"] == doc_id)
    target.mkdir()
    (target / entry["file"]).write_bytes((source / entry["file"]).read_bytes())
    lines = ["[[document]]"] + [f"{key} = {json.dumps(value)}" for key, value in entry.items()]
    (target / "manifest.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def test_server_hanging_or_stopping_mid_session_is_one_clear_error_within_5_s(tmp_path, tmp_settings, fake_embedder):
    from assistant.retrieve.retriever import Retriever

    own = start_server(tmp_path / "own-chroma")
    try:
        settings = _server_settings(tmp_settings, own).with_(corpus_dir=_tiny_corpus(tmp_path / "c", tmp_settings.corpus_dir))
        with pytest.raises(IndexMissing, match="No index on the Chroma server"):
            open_index(settings, fake_embedder.name)
        build_index(settings, fake_embedder, progress=False)
        retriever = Retriever(open_index(settings, fake_embedder.name), fake_embedder)
        assert retriever.search("consent", k=3)

        os.kill(own.process.pid, signal.SIGSTOP)  # hung: the connection is open, nothing answers
        try:
            started = time.monotonic()
            with pytest.raises(StoreUnavailable, match=r"Chroma server at http://127\.0\.0\.1:\d+ stopped answering"):
                retriever.search("consent of the parent", k=3)  # a new search: a repeated one is not asked again
            assert time.monotonic() - started < UNREACHABLE_WITHIN_S
        finally:
            os.kill(own.process.pid, signal.SIGCONT)
        assert retriever.search("consent of the child", k=3), "it answers again once the server does"
    finally:
        own.stop()
    started = time.monotonic()  # gone
    with pytest.raises(StoreUnavailable, match=r"Chroma server at http://127\.0\.0\.1:\d+ stopped answering"):
        retriever.search("consent to share", k=3)
    assert time.monotonic() - started < UNREACHABLE_WITHIN_S


def _unreachable(kind: str, stack):
    """Settings naming a server that is down (closed port), silent (accepts TCP, never answers),
    not a Chroma server, or a host that does not exist."""
    if kind == "closed port":
        return Settings(chroma_host="127.0.0.1", chroma_port=free_port())
    if kind == "unknown host":
        return Settings(chroma_host="no-such-host.invalid", chroma_port=8000)
    if kind == "silent":
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)  # the kernel completes the handshake; nobody ever reads or answers
        stack.append(sock.close)
        return Settings(chroma_host="127.0.0.1", chroma_port=sock.getsockname()[1])

    class NotChroma(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), NotChroma)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    stack.extend([httpd.server_close, httpd.shutdown])
    return Settings(chroma_host="127.0.0.1", chroma_port=httpd.server_address[1])


WHY = {
    "closed port": "cannot be reached",
    "unknown host": "cannot be reached",
    "silent": "did not answer within",
    "not chroma": "is it a Chroma server",
}


@pytest.mark.parametrize("kind", list(WHY))
def test_unreachable_server_is_one_clear_error_within_5_s(kind, tmp_settings):
    from assistant.answer.assistant import Assistant

    cleanup: list = []
    try:
        settings = _unreachable(kind, cleanup).with_(corpus_dir=tmp_settings.corpus_dir, data_dir=tmp_settings.data_dir)
        started = time.monotonic()
        with pytest.raises(StoreUnavailable) as caught:
            Assistant.load(settings)
        assert time.monotonic() - started < UNREACHABLE_WITHIN_S
        message = str(caught.value)
        assert WHY[kind] in message and "\n" not in message
        assert "chroma run" in message and "CHROMA_HOST" in message

        for argv in (["ask", "Can I share without consent?"], ["build-index", "--if-needed", "--quiet"]):
            out, err = io.StringIO(), io.StringIO()
            started = time.monotonic()
            assert main(argv, stdout=out, stderr=err, settings=settings) == 2
            assert time.monotonic() - started < UNREACHABLE_WITHIN_S
            assert err.getvalue().startswith("error: The Chroma server at ") and err.getvalue().count("\n") == 1
            assert "Traceback" not in err.getvalue() and out.getvalue() == ""
    finally:
        for close in reversed(cleanup):
            close()
