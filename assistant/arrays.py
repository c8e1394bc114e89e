"""Float32 matrices cached in the model folder (claim and short-answer vectors, learned weights):
read back only when they have the expected shape, written atomically.

A file that is missing, truncated or of the wrong shape reads as None, so the caller computes it
again; a folder that cannot be written to (a read-only install) only means computing it at every
start, never an error.

May import: nothing of ours.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np


def digest(parts: Iterable[str]) -> str:
    """A SHA-256 of the parts, each ended by a NUL so ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


def read_matrix(path: Path, rows: int | None = None, columns: int | None = None) -> np.ndarray | None:
    """The float32 matrix in ``path``, or None when it is missing, unreadable or the wrong shape."""
    try:
        matrix = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):  # missing, truncated or not an .npy file
        return None
    if matrix.dtype != np.float32 or matrix.ndim != 2:
        return None
    if (rows is not None and matrix.shape[0] != rows) or (columns is not None and matrix.shape[1] != columns):
        return None
    return matrix


def write_matrix(path: Path, matrix: np.ndarray) -> None:
    """Atomically (temporary file + rename), so a reader never sees half a file; skipped when the
    folder cannot be created or written."""
    partial = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".partial",
                                         delete=False) as handle:
            partial = Path(handle.name)
            np.save(handle, np.asarray(matrix, dtype=np.float32), allow_pickle=False)
        partial.chmod(0o644)  # a temporary file is private to its owner; the cache is for every user
        os.replace(partial, path)
    except OSError:
        if partial is not None:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
