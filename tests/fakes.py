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
