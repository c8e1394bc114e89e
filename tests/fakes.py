"""A deterministic test embedder: hashed word and word-pair features, so different texts differ and
texts sharing words are close. Fast, no model, no download."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    name = "test-hashing-embedder/v1"
    dimension = 384

    def __init__(self) -> None:
        self.calls = 0

    def _features(self, text: str) -> list[str]:
        words = [w[:6] for w in _WORD.findall(text.lower())]  # crude stemming: first six letters
        return words + [f"{a} {b}" for a, b in zip(words, words[1:])]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                slot = int.from_bytes(digest[:4], "little") % self.dimension
                out[row, slot] += 1.0 if digest[4] & 1 else -1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
            else:
                out[row, 0] = 1.0
        return out


_SLOW_BUILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from assistant.config import Settings
from assistant.indexing.index import build_index
from fakes import HashingEmbedder

class Slow(HashingEmbedder):
    def embed(self, texts):
        print("batch", flush=True)
        time.sleep(0.3)
        return super().embed(texts)

fields = json.loads({fields!r})
settings = Settings(**{{k: Path(v) if k.endswith("_dir") else v for k, v in fields.items()}})
build_index(settings, Slow(), progress=False)
"""


def kill_build_midway(settings, batches: int = 3) -> int:
    """Build ``settings``'s index in a child process with a slow test embedder, kill -9 it after a
    few embedding batches, and return its exit status (``-SIGKILL``)."""
    import json
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    fields = {
        "corpus_dir": str(settings.corpus_dir),
        "index_dir": str(settings.index_dir),
        "model_cache_dir": str(settings.model_cache_dir),
        "chroma_host": settings.chroma_host,
        "chroma_port": settings.chroma_port,
    }
    script = _SLOW_BUILD.format(tests=str(Path(__file__).parent), fields=json.dumps(fields))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(batches):  # kill it in the middle of embedding
            line = proc.stdout.readline().strip()
            assert line == "batch", f"the build printed {line!r}"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    return proc.returncode
