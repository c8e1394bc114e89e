"""Scoring (question, sentence) pairs with the trained cross-encoder on onnxruntime (no torch).

The model is trained by ``assistant/indexing/cross_encoder.py``; this side only reads its ONNX file
and ``tokenizer.json``. ``CrossScorer`` is the seam: tests pass a deterministic fake.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np


MAX_WORDPIECES = 64  # as trained (assistant/indexing/cross_encoder.py)


class CrossScorer(Protocol):
    """Anything that gives, for each (question, sentence) pair, the probability that it answers."""

    def score(self, question: str, sentences: Sequence[str]) -> np.ndarray: ...


class OnnxCrossScorer:
    def __init__(self, onnx_file: Path, model_dir: Path, threads: int = 2) -> None:
        from assistant.indexing.embedder import onnx_model  # deferred: onnxruntime loads only to score

        self._tokenizer, self._session = onnx_model(onnx_file, model_dir, MAX_WORDPIECES, threads)
        self._lock = threading.Lock()

    def score(self, question: str, sentences: Sequence[str]) -> np.ndarray:
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        with self._lock:
            encodings = self._tokenizer.encode_batch([(question, s) for s in sentences])
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        logits = self._session.run(None, feeds)[0].reshape(-1)
        return (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
