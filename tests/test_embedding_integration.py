"""The real models (integration): the ONNX path agrees with sentence-transformers for the packaged
model and the domain model trained from it, every
passage fits the model's 256 word-pieces, and real retrieval finds the guidance's passages."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.config import MODEL_MAX_WORDPIECES
from assistant.ingest.passages import build_passages
from assistant.ingest.documents import load_documents
from assistant.indexing.embedder import packaged_model_dir
from conftest import CORPUS

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("which", ["base", "tuned"])
def test_onnx_embeddings_match_sentence_transformers(which, base_embedder, real_embedder, model_cache):
    from sentence_transformers import SentenceTransformer

    from assistant.config import Settings
    from assistant.indexing import models

    if which == "base":
        embedder, folder = base_embedder, packaged_model_dir()
    else:
        embedder, folder = real_embedder, models.tuned_paths(Settings(corpus_dir=CORPUS, model_cache_dir=model_cache))[0]

    texts = [
        "Can I share information without consent if a child is at risk of significant harm?",
        "kid",
        "Keep a record of your decision and the reasons for it. " * 40,  # longer than 256 word-pieces
    ]
    reference = SentenceTransformer(str(folder), device="cpu").encode(texts, normalize_embeddings=True)
    ours = embedder.embed(texts)
    assert ours.shape == (3, 384) and ours.dtype == np.float32
    np.testing.assert_allclose((ours * reference).sum(axis=1), 1.0, atol=1e-4)


def test_every_passage_fits_the_model(real_embedder):
    passages = build_passages(load_documents(CORPUS))
    longest = max(real_embedder.count_wordpieces(p.index_text) for p in passages)
    assert longest <= MODEL_MAX_WORDPIECES, f"a passage has {longest} word-pieces; the model reads 256"


def test_embeddings_tell_texts_apart(real_embedder):
    a, b, c = real_embedder.embed(["parents refuse consent", "the parents did not agree", "a recipe for lasagne"])
    assert float(a @ b) > float(a @ c) + 0.2


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("do i need the parents permission to tell social care", "consent"),
        ("what are the golden rules", "Seven Golden Rules"),
        ("our family moved to another county, can we pass info on", "border"),
    ],
)
def test_real_retrieval_finds_the_guidance(real_retriever, question, phrase):
    hits = real_retriever.search(question, k=5)
    assert any(phrase.lower() in (h.passage.section + h.passage.text).lower() for h in hits)
