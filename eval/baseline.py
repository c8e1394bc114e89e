"""The naive llama-index RAG baseline every report is measured against.

As a newcomer would build it: SimpleDirectoryReader over the raw corpus files, the default
SentenceSplitter, the same packaged embedding model (through llama-index's HuggingFaceEmbedding), an
in-memory vector index, top-5, and "the answer" is the top passage. No LLM is ever configured.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from assistant.config import Settings, offline_environment


@dataclass
class NaiveBaseline:
    retriever: object
    build_seconds: float
    chunks: int

    @classmethod
    def build(cls, settings: Settings) -> "NaiveBaseline":
        offline_environment()
        from llama_index.core import Settings as LlamaSettings, SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding

        from assistant.embedding import packaged_model_dir

        started = time.perf_counter()
        LlamaSettings.llm = None  # never the default OpenAI LLM
        embed = HuggingFaceEmbedding(model_name=str(packaged_model_dir()), device="cpu")
        docs = SimpleDirectoryReader(str(settings.corpus_dir), required_exts=[".txt"]).load_data()
        nodes = SentenceSplitter().get_nodes_from_documents(docs)
        index = VectorStoreIndex(nodes, embed_model=embed)
        return cls(index.as_retriever(similarity_top_k=5), time.perf_counter() - started, len(nodes))

    def search(self, question: str, k: int = 5) -> list[str]:
        return [n.node.get_content() for n in self.retriever.retrieve(question)[:k]]
