"""``GuidanceRetriever``: the assistant's verified hybrid retrieval as a llama-index retriever.

A team that runs its own LLM can build on our passages and citations::

    from llama_index.core.query_engine import RetrieverQueryEngine
    from assistant.integrations.llama_index import GuidanceRetriever

    retriever = GuidanceRetriever.from_settings()  # the index built by `make index`
    engine = RetrieverQueryEngine.from_args(retriever, llm=my_llm)
    response = engine.query("Can I share without consent?")

Each node is one passage. ``node.text`` is the passage exactly as the index holds it: the document's
text between ``metadata["start"]`` and ``metadata["end"]`` with white space folded, so
``normalise_ws(document_text[start:end]) == node.text`` verifies it. The metadata names the
document, its section and paragraph, its date, and a note when it cites superseded law; the
offsets and ids are kept out of what the LLM and any embedding see.
"""

from __future__ import annotations

from llama_index.core.callbacks import CallbackManager
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from assistant.answer.runtime import load_retriever
from assistant.config import Settings
from assistant.ingest.documents import documents_by_id
from assistant.ingest.legal_currency import notes_for
from assistant.understand.inputs import clean_question

_HIDDEN = ["doc_id", "passage_id", "start", "end", "file", "score_dense", "score_bm25"]


class GuidanceRetriever(BaseRetriever):
    """The best passages for a query from the assistant's hybrid retriever (BM25 + dense, fused)."""

    def __init__(self, retriever, documents: dict, *, top_k: int = 5, max_query_chars: int = 2000,
                 callback_manager: CallbackManager | None = None) -> None:
        self._retriever = retriever
        self._documents = documents
        self._top_k = top_k
        self._max_chars = max_query_chars
        super().__init__(callback_manager=callback_manager)

    @classmethod
    def from_settings(cls, settings: Settings | None = None, *, top_k: int | None = None) -> "GuidanceRetriever":
        """Load the index and model named by ``settings`` (default: the environment, as the app does)."""
        settings = settings or Settings.from_env()
        return cls(load_retriever(settings), documents_by_id(settings.corpus_dir),
                   top_k=top_k or settings.top_k, max_query_chars=settings.max_question_chars)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        question = clean_question(query_bundle.query_str, self._max_chars).text
        return [self._node(hit) for hit in self._retriever.search(question, k=self._top_k)]

    def _node(self, hit) -> NodeWithScore:
        passage = hit.passage
        doc = self._documents[passage.doc_id]
        notes = notes_for(doc)
        metadata = {
            "doc_id": doc.id,
            "document": doc.title,
            "short_title": doc.short_title,
            "publisher": doc.publisher,
            "date": doc.date,
            "section": passage.section,
            "paragraph": passage.paragraph or "",
            "currency_note": " ".join(note.note for note in notes),
            "passage_id": passage.id,
            "file": doc.file,
            "start": passage.start,
            "end": passage.end,
            "score_dense": round(float(hit.dense), 4),
            "score_bm25": round(float(hit.bm25), 4),
        }
        node = TextNode(id_=passage.id, text=passage.text, metadata=metadata,
                        excluded_llm_metadata_keys=list(_HIDDEN), excluded_embed_metadata_keys=list(metadata))
        return NodeWithScore(node=node, score=float(hit.score))
