"""The claims' sentence vectors, cached on disk so the assistant does not embed every claim statement
and paraphrase with the ONNX model at each start (about 1.5-4 s of a 4 s cold-start budget).

The cache file is ``claims-<sha256>.npy`` in the model cache directory, keyed by the exact texts
embedded (the statements and paraphrases of data/claims.yaml, in order) and the embedder's name, so an
edit to the claims or a different model gives a new key and the stale file is simply never read. A
file of the wrong shape or one that cannot be read is embedded again; a directory that cannot be
written to (a read-only install) only means the vectors are embedded at every start, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.arrays import digest, read_matrix, write_matrix


def cache_file(cache_dir: Path, texts: Sequence[str], embedder_name: str) -> Path:
    """Where the vectors of ``texts`` by the embedder called ``embedder_name`` are kept."""
    return Path(cache_dir) / f"claims-{digest([*texts, 'embedder:' + embedder_name])}.npy"


def claim_vectors(embedder, texts: Sequence[str], cache_dir: Path | None = None) -> np.ndarray:
    """``embedder.embed(texts)`` as float32, read from / written to ``cache_dir`` when one is given.
    An embedder without a ``name`` cannot be told apart from another, so it is never cached."""
    name = getattr(embedder, "name", None)
    if cache_dir is None or not name:
        return _embed(embedder, texts)
    path = cache_file(cache_dir, texts, name)
    cached = read_matrix(path, len(texts), getattr(embedder, "dimension", None))
    if cached is not None:
        return cached
    matrix = _embed(embedder, texts)
    write_matrix(path, matrix)
    return matrix


def _embed(embedder, texts: Sequence[str]) -> np.ndarray:
    return np.asarray(embedder.embed(list(texts)), dtype=np.float32)
