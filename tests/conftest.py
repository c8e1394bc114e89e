"""Shared fixtures. Everything a test writes goes under tmp_path; the corpus is read in place."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assistant.config import PROJECT_ROOT, Settings  # noqa: E402
from fakes import HashingEmbedder  # noqa: E402

CORPUS = PROJECT_ROOT / "corpus"
PROJECT_MODEL_CACHE = PROJECT_ROOT / "index" / "model"


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    """Settings on the real corpus with the index and data under tmp_path."""
    return Settings(
        corpus_dir=CORPUS,
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "var",
        model_cache_dir=tmp_path / "model",
    )


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the corpus, for tests that change documents."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    """A temporary model folder holding the ONNX export of the packaged model and the domain model
    trained from it: links to the project's (made by `make index`) when they exist, else made once
    per session. Everything the tests write there (the claim vectors) stays under the temporary folder."""
    from assistant.indexing import models
    from assistant.indexing.embedder import onnx_path

    cache = tmp_path_factory.mktemp("model")
    project = Settings(corpus_dir=CORPUS, model_cache_dir=PROJECT_MODEL_CACHE)
    if models.is_ready(project) and onnx_path(PROJECT_MODEL_CACHE).exists():
        onnx_path(cache).symlink_to(onnx_path(PROJECT_MODEL_CACHE))
        for path in models.tuned_paths(project):
            (cache / path.name).symlink_to(path)
    else:
        models.prepare(Settings(corpus_dir=CORPUS, model_cache_dir=cache), progress=False)
    return cache


@pytest.fixture(scope="session")
def real_embedder(model_cache):
    """The embedder the assistant runs (the domain model), on onnxruntime."""
    from assistant.indexing import models

    return models.load(Settings(corpus_dir=CORPUS, model_cache_dir=model_cache))


@pytest.fixture(scope="session")
def base_embedder(model_cache):
    """The packaged model as it ships, on onnxruntime."""
    from assistant.indexing.embedder import load_embedder

    return load_embedder(model_cache, export_if_missing=False)


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory, model_cache) -> Settings:
    """Settings whose index is built once per session with the real packaged model."""
    root = tmp_path_factory.mktemp("real")
    return Settings(corpus_dir=CORPUS, index_dir=root / "index", data_dir=root / "var", model_cache_dir=model_cache)


@pytest.fixture(scope="session")
def real_retriever(real_settings, real_embedder):
    from assistant.indexing.index import build_index, open_index
    from assistant.retrieve.retriever import Retriever

    build_index(real_settings, real_embedder, progress=False)
    return Retriever(open_index(real_settings, real_embedder.name), real_embedder)
