"""The claims' sentence vectors, cached on disk so the assistant does not embed every claim statement
and paraphrase with the ONNX model at each start (about 1.5-4 s of a 4 s cold-start budget).

The cache file is ``claims-<sha256>.npy`` in the model cache directory, keyed by the exact texts
embedded (the statements and paraphrases of data/claims.yaml, in order) and the embedder's name, so an
edit to the claims or a different model gives a new key and the stale file is simply never read. A
file of the wrong shape or one that cannot be read is embedded again; a directory that cannot be
written to (a read-only install) only means the vectors are embedded at every start, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def cache_file(cache_dir: Path, texts: Sequence[str], embedder_name: str) -> Path:
    """Where the vectors of ``texts`` by the embedder called ``embedder_name`` are kept."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")  # so ("ab", "c") and ("a", "bc") differ
    digest.update(b"\0embedder:" + embedder_name.encode("utf-8"))
    return Path(cache_dir) / f"claims-{digest.hexdigest()}.npy"


def claim_vectors(embedder, texts: Sequence[str], cache_dir: Path | None = None) -> np.ndarray:
    """``embedder.embed(texts)`` as float32, read from / written to ``cache_dir`` when one is given.
    An embedder without a ``name`` cannot be told apart from another, so it is never cached."""
    name = getattr(embedder, "name", None)
    if cache_dir is None or not name:
        return _embed(embedder, texts)
    path = cache_file(cache_dir, texts, name)
    cached = _read(path, len(texts), getattr(embedder, "dimension", None))
    if cached is not None:
        return cached
    matrix = _embed(embedder, texts)
    _write(path, matrix)
    return matrix


def _embed(embedder, texts: Sequence[str]) -> np.ndarray:
    return np.asarray(embedder.embed(list(texts)), dtype=np.float32)


def _read(path: Path, rows: int, dimension: int | None) -> np.ndarray | None:
    try:
        matrix = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):  # missing, truncated or not an .npy file
        return None
    if matrix.dtype != np.float32 or matrix.ndim != 2 or matrix.shape[0] != rows:
        return None
    if dimension is not None and matrix.shape[1] != dimension:
        return None
    return matrix


def _write(path: Path, matrix: np.ndarray) -> None:
    """Atomically (temporary file + rename), so a reader never sees half a file; skipped when the
    directory cannot be created or written."""
    partial = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".partial",
                                         delete=False) as handle:
            partial = Path(handle.name)
            np.save(handle, matrix, allow_pickle=False)
        partial.chmod(0o644)  # a temporary file is private to its owner; the cache is for every user
        os.replace(partial, path)
    except OSError:
        if partial is not None:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
