"""Which embedder the assistant runs, and getting it ready: the packaged model or the domain model
trained from it (``assistant/indexing/tuning.py``).

``Settings.embedder`` chooses: ``"tuned"`` (the default) or ``"base"`` (the packaged model as it
ships, for ablations). The domain model's name carries a fingerprint of the base weights, its
training code and settings and the data it trains on; the index manifest records the name, so any
change to those makes the index stale and the next ``build-index`` retrains and reindexes. Computing the name reads the questions files and hashes them with the claims' and short answers'
training pairs (parsing those two files: 28–44 ms here, once per start).
``prepare`` (build time: torch, sentence-transformers) trains and exports what is missing; ``load``
(query time: onnxruntime only) refuses with a rebuild hint when it is missing.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from assistant.config import Settings
from assistant.errors import IndexMissing, REBUILD_HINT
from assistant.indexing import tuning
from assistant.indexing.embedder import OnnxEmbedder, export_onnx, model_fingerprint, onnx_path, packaged_model_dir
from assistant.ingest.documents import load_documents
from assistant.ingest.passages import build_passages
from assistant.ingest.passage_questions import load_questions, questions_dir

BASE, TUNED = "base", "tuned"


def _inputs_digest(corpus_dir: Path) -> str:
    """A hash of the base weights, the training data (the passage questions with their anchors, the
    claims' and the short answers' wordings and quotes, not their cues or notes) and the code and
    settings that train on it. The
    documents' text is not part of it: a
    question's positive is read from its passage at training time, so adding or editing a document
    re-indexes (the index manifest hashes the corpus) without retraining; a new questions file
    retrains."""
    h = hashlib.sha256(model_fingerprint().encode())  # the weights it starts from
    files = [*sorted(questions_dir(corpus_dir).glob("*.yaml")), Path(tuning.__file__)]
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for pair in tuning.training_pairs([], []):  # the claims' and short answers' pairs (no passages needed)
        h.update("\0".join((pair.anchor, pair.positive, pair.group, pair.kind)).encode() + b"\n")
    settings = (tuning.SEED, tuning.EPOCHS, tuning.BATCH_SIZE, tuning.LEARNING_RATE, tuning.WARMUP_RATIO,
                tuning.MAX_WORDPIECES, tuning.WINDOW_CHARS)
    h.update(repr(settings).encode())
    return h.hexdigest()[:12]


def _tuned_name(digest: str) -> str:
    return f"{model_fingerprint()}+tuned@{digest}"


def embedder_name(settings: Settings) -> str:
    """The name an index built for these settings records (``Embedder.name``)."""
    return _tuned_name(_inputs_digest(settings.corpus_dir)) if settings.embedder == TUNED else model_fingerprint()


def tuned_paths(settings: Settings, digest: str | None = None) -> tuple[Path, Path]:
    """The trained model's folder (weights and tokenizer) and its ONNX export, named by the digest
    of everything it was trained from (base weights included)."""
    digest = digest or _inputs_digest(settings.corpus_dir)
    folder = Path(settings.model_cache_dir) / f"{tuning.TUNED_PREFIX}{digest}"
    return folder, folder.with_suffix(".onnx")


def _trained(folder: Path, onnx_file: Path) -> bool:
    return (folder / "tokenizer.json").exists() and onnx_file.exists()


def is_ready(settings: Settings) -> bool:
    if settings.embedder == BASE:
        return onnx_path(settings.model_cache_dir).exists()
    return _trained(*tuned_paths(settings))


def load(settings: Settings) -> OnnxEmbedder:
    """The configured embedder, on onnxruntime; ``IndexMissing`` when ``build-index`` has not made it."""
    if settings.embedder == BASE:
        path = onnx_path(settings.model_cache_dir)
        if not path.exists():
            raise IndexMissing(f"The embedding model has not been prepared in {settings.model_cache_dir}; {REBUILD_HINT}")
        return OnnxEmbedder(path)
    digest = _inputs_digest(settings.corpus_dir)  # hashed once per load
    folder, onnx_file = tuned_paths(settings, digest)
    if not _trained(folder, onnx_file):
        raise IndexMissing(f"The domain embedding model has not been trained in {settings.model_cache_dir}; {REBUILD_HINT}")
    return OnnxEmbedder(onnx_file, folder, name=_tuned_name(digest))


def prepare(settings: Settings, *, progress: bool = True) -> OnnxEmbedder:
    """Make the configured embedder ready (export, and for the domain model train first: seeded,
    a few minutes on two cores), then load it. Build time only: imports torch."""
    base_onnx = onnx_path(settings.model_cache_dir)
    if not base_onnx.exists():
        export_onnx(base_onnx)
    if settings.embedder == TUNED and not is_ready(settings):
        folder, onnx_file = tuned_paths(settings)
        if not (folder / "tokenizer.json").exists():
            passages = build_passages(load_documents(settings.corpus_dir))
            pairs = tuning.training_pairs(passages, load_questions(questions_dir(settings.corpus_dir)))
            if progress:
                print(f"Training the domain embedder on {len(pairs)} pairs ({tuning.EPOCHS} epoch(s), seeded; "
                      "once per change of its data)", flush=True)
            tuning.train(packaged_model_dir(), pairs, folder, progress=progress)
        export_onnx(onnx_file, folder)
        _remove_stale(settings, keep=folder)
    return load(settings)


def _remove_stale(settings: Settings, keep: Path) -> None:
    """Older trained models (their data has changed); the newest previous one stays for running readers."""
    old = sorted((p for p in Path(settings.model_cache_dir).glob(f"{tuning.TUNED_PREFIX}*") if p.is_dir() and p != keep),
                 key=lambda p: p.stat().st_mtime)
    for folder in old[:-1]:
        shutil.rmtree(folder, ignore_errors=True)
        folder.with_suffix(".onnx").unlink(missing_ok=True)
