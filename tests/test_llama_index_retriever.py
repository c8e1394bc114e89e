"""The retriever for llama-index applications: inside a ``RetrieverQueryEngine`` with llama-index's
``MockLLM``, the source nodes are our passages with citation metadata and offsets that verify against
the stored documents; and the app's own query path never imports llama-index."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.indexing.index import build_index, open_index
from assistant.ingest.documents import documents_by_id
from assistant.retrieve.retriever import Retriever
from assistant.verbatim import normalise_ws
from conftest import CORPUS


@pytest.fixture(scope="module")
def guidance_retriever(tmp_path_factory):
    from assistant.config import Settings
    from assistant.integrations.llama_index import GuidanceRetriever
    from fakes import HashingEmbedder

    root = tmp_path_factory.mktemp("llama")
    settings = Settings(corpus_dir=CORPUS, index_dir=root / "index", model_cache_dir=root / "model")
    embedder = HashingEmbedder()
    build_index(settings, embedder, progress=False)
    retriever = Retriever(open_index(settings, embedder.name), embedder)
    return GuidanceRetriever(retriever, documents_by_id(CORPUS), top_k=5)


def test_source_nodes_from_a_query_engine_carry_verifiable_citations(guidance_retriever):
    from llama_index.core.llms import MockLLM
    from llama_index.core.query_engine import RetrieverQueryEngine
    from llama_index.core.schema import NodeWithScore

    engine = RetrieverQueryEngine.from_args(guidance_retriever, llm=MockLLM(max_tokens=8))
    response = engine.query("Do I need consent to share information about a child at risk of significant harm?")
    assert len(response.source_nodes) == 5
    documents = documents_by_id(CORPUS)
    scores = [n.score for n in response.source_nodes]
    assert scores == sorted(scores, reverse=True)
    for found in response.source_nodes:
        assert isinstance(found, NodeWithScore)
        meta = found.node.metadata
        doc = documents[meta["doc_id"]]
        assert normalise_ws(doc.text[meta["start"]:meta["end"]]) == found.node.text  # verbatim at its offsets
        assert meta["document"] == doc.title and meta["date"] == doc.date and meta["section"]
        assert meta["file"] == doc.file
    assert any("consent" in n.node.text.lower() for n in response.source_nodes)
    # The LLM is shown the citation (document, section, date), never the offsets.
    shown = response.source_nodes[0].node.get_content(metadata_mode="llm")
    assert response.source_nodes[0].node.metadata["section"] in shown and "start:" not in shown


def test_a_document_citing_superseded_law_carries_its_currency_note(guidance_retriever):
    nodes = guidance_retriever.retrieve("Data Protection Act 1998 eight principles")
    notes = {n.node.metadata["doc_id"]: n.node.metadata["currency_note"] for n in nodes}
    assert any(notes[d] for d in notes if d in {"hertfordshire", "hmg-2006", "buckinghamshire"}), notes
    assert all(not note for d, note in notes.items() if d == "childrens-mars")


def test_the_app_and_the_command_line_never_import_llama_index() -> None:
    code = ("import json, sys\n"
            "import assistant.cli.main, assistant.answer.assistant, assistant.ui.state, assistant.ui.browse\n"
            "import assistant.ui.uploads, assistant.indexing.changes\n"
            "print(json.dumps('llama_index' in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) is False
    code = "import sys, assistant.integrations.llama_index as m; print('llama_index' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "True"
