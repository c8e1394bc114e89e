"""The naive llama-index RAG baseline every report is measured against.

As a newcomer would build it: SimpleDirectoryReader over the raw corpus files, the default
SentenceSplitter, the same packaged embedding model (through llama-index's HuggingFaceEmbedding), an
in-memory vector index, top-5, and "the answer" is the top passage. No LLM is ever configured.
``search_many`` embeds a batch of questions in one call (the same query embedding llama-index makes
one question at a time) and hands each vector to the same retriever, so only the waiting changes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from assistant import Settings, offline_environment


@dataclass(frozen=True)
class Chunk:
    text: str
    file_name: str  # the corpus file the chunk was cut from
    score: float


@dataclass
class NaiveBaseline:
    retriever: object
    embed: object
    build_seconds: float
    chunks: int

    @classmethod
    def build(cls, settings: Settings) -> "NaiveBaseline":
        offline_environment()
        from llama_index.core import Settings as LlamaSettings, SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding

        from assistant.indexing.embedder import packaged_model_dir

        started = time.perf_counter()
        LlamaSettings.llm = None  # never the default OpenAI LLM
        embed = HuggingFaceEmbedding(model_name=str(packaged_model_dir()), device="cpu", show_progress_bar=False)
        docs = SimpleDirectoryReader(str(settings.corpus_dir), required_exts=[".txt"]).load_data()
        nodes = SentenceSplitter().get_nodes_from_documents(docs)
        index = VectorStoreIndex(nodes, embed_model=embed)
        return cls(index.as_retriever(similarity_top_k=5), embed, time.perf_counter() - started, len(nodes))

    def search(self, question: str, k: int = 5) -> list[str]:
        return [n.node.get_content() for n in self.retriever.retrieve(question)[:k]]

    def search_many(self, questions: list[str], k: int = 5) -> list[list[Chunk]]:
        """Top-k chunks for each question, best first."""
        from llama_index.core.schema import QueryBundle

        vectors = self.embed._embed(list(questions), prompt_name="query") if questions else []
        results = []
        for question, vector in zip(questions, vectors):
            found = self.retriever.retrieve(QueryBundle(query_str=question, embedding=vector))[:k]
            results.append(
                [Chunk(n.node.get_content(), n.node.metadata.get("file_name", ""), float(n.score or 0.0)) for n in found]
            )
        return results
