"""Loading the heavy parts once: the embedder, the checked index and the retriever.

The CLI, the app and the evaluation all come through here, so models load once per process and an
index problem is reported the same way everywhere.
"""

from __future__ import annotations

from assistant.config import Settings
from assistant.ingest.documents import load_documents
from assistant.indexing import models
from assistant.indexing.index import open_index
from assistant.retrieve.retriever import Retriever
from assistant.indexing.index import build_index, index_problem
from assistant.myths.matcher import ClaimMatcher
from assistant.answer.short_answers import ShortAnswers
from assistant.understand.learned import LearnedReader


def load_retriever(settings: Settings):
    index = open_index(settings, models.embedder_name(settings))  # refuse a missing/stale index before loading a model
    embedder = models.load(settings)
    aliases = {doc.id: doc.aliases for doc in load_documents(settings.corpus_dir)}
    return Retriever(index, embedder, aliases=aliases)


def build(settings: Settings, *, progress: bool = True, only_if_needed: bool = False):
    """Make the embedder ready (training the domain model when its data changed), build (or, with
    ``only_if_needed``, check and build only when missing or stale) the index, then make sure the model folder holds what a fast start reads: the claims' and short answers'
    vectors and the learned readers' weights (each trained or embedded only when its data changed)."""
    built = None
    embedder = models.prepare(settings, progress=progress)  # trains the domain embedder when its data changed
    if not only_if_needed or index_problem(settings, embedder.name) is not None:
        built = build_index(settings, embedder, progress=progress)
    ClaimMatcher(embedder, cache_dir=settings.model_cache_dir)
    ShortAnswers(embedder, cache_dir=settings.model_cache_dir)
    LearnedReader.load(embedder, cache_dir=settings.model_cache_dir)  # trains (seeded) when the examples changed
    return built
