"""Passages -> Chroma, built atomically, and loaded back with their manifest checked.

Embedded layout (``settings.index_dir``)::

    index/CURRENT            name of the active build (replaced atomically with os.replace)
    index/builds/<id>/       a complete build: chroma/ and manifest.json
    index/model/             the ONNX export of the packaged model

A build writes a new folder and only then points CURRENT at it, so killing a build at any moment
leaves the previous index in use. The previous build is kept for readers that still have it open;
older ones are removed by the next build. On a Chroma server the same happens with collections: a
new collection per build, then a small pointer collection is updated to name it
(``assistant/indexing/server.py``). Records and filling the collections: ``assistant/indexing/collections.py``.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.config import COLLECTION_NAME, Settings
from assistant.errors import REBUILD_HINT, AssistantError, IndexMissing, IndexStale
from assistant.indexing.collections import (
    SENTENCES,
    SERVER_POINTER,
    all_sentence_records,
    damaged_error,
    fill_collections,
    from_record,
    new_collections,
)
from assistant.indexing.manifest import differences, expected_manifest, package_version
from assistant.ingest.documents import load_documents
from assistant.ingest.passages import build_passages
from assistant.ingest.passage_questions import load_questions, questions_by_passage, questions_dir
from assistant.indexing.store import open_embedded
from assistant.indexing.server import build_on_server, read_server

POINTER = "CURRENT"
BUILDS = "builds"
MANIFEST = "manifest.json"
_KEEP_BUILDS = 2


@dataclass(frozen=True)
class BuildReport:
    location: str
    passages: int
    documents: int
    seconds: float
    embedded: int = 0  # distinct texts embedded (passages and sentences; repeats are embedded once)


# ---------------------------------------------------------------- build
def current_manifest(settings: Settings, embedding_model: str) -> dict:
    docs = load_documents(settings.corpus_dir)
    return expected_manifest(docs, settings.corpus_dir, embedding_model)


def build_index(settings: Settings, embedder, *, progress=True) -> BuildReport:
    """Build the index for the current corpus and make it the active one, atomically. ``progress``:
    True for a progress bar, False for none, or a function given (texts embedded, total)."""

    started = time.perf_counter()
    docs = load_documents(settings.corpus_dir)
    passages = build_passages(docs)
    manifest = expected_manifest(docs, settings.corpus_dir, embedder.name)
    manifest |= {
        "passage_count": len(passages),
        "package_version": package_version(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    now = time.time_ns()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now / 1e9))
    build_id = f"{stamp}.{now % 1_000_000_000:09d}-{os.getpid()}"  # sorts by time, unique per build
    texts = {doc.id: doc.text for doc in docs}
    questions = questions_by_passage(passages, load_questions(questions_dir(settings.corpus_dir)))
    manifest["sentence_count"] = len(all_sentence_records(passages, texts, questions))
    manifest["question_count"] = sum(len(q) for q in questions.values())
    if settings.uses_server:
        location, embedded = build_on_server(settings, embedder, passages, texts, manifest, build_id, progress, questions)
    else:
        location, embedded = _build_embedded(settings, embedder, passages, texts, manifest, build_id, progress, questions)
    return BuildReport(location, len(passages), len(docs), time.perf_counter() - started, embedded)


def _build_embedded(settings, embedder, passages, texts, manifest, build_id, progress, questions) -> tuple[str, int]:
    root = settings.index_dir
    (root / BUILDS).mkdir(parents=True, exist_ok=True)
    with open(root / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time; released by the kernel on kill -9
        build_dir = root / BUILDS / build_id
        client = open_embedded(build_dir / "chroma")
        collections = new_collections(client, COLLECTION_NAME, manifest)
        embedded = fill_collections(collections, passages, texts, embedder, settings.embed_batch_size, progress, questions)
        del collections, client
        write_atomically(build_dir / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        write_atomically(root / POINTER, build_id + "\n")
        _remove_old_builds(root)
    return str(build_dir), embedded


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _remove_old_builds(root: Path) -> None:
    """Drop unfinished builds and all but the newest finished ones (the active one always stays)."""
    active = active_build(root)
    builds = sorted(p for p in (root / BUILDS).iterdir() if p.is_dir())
    finished = [p for p in builds if (p / MANIFEST).exists()]
    keep = {active} | {p.name for p in finished[-_KEEP_BUILDS:]}
    for path in builds:
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    for stray in root.glob(".*.partial"):
        stray.unlink(missing_ok=True)


def active_build(root: Path) -> str | None:
    try:
        return (root / POINTER).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


# ---------------------------------------------------------------- load
@dataclass(frozen=True)
class LoadedIndex:
    manifest: dict
    collection: object  # passages
    sentences: object  # their sentences, each with metadata passage_id
    passages: tuple
    location: str


def _read_embedded(settings: Settings):
    root = settings.index_dir
    build_id = active_build(root)
    if build_id is None:
        raise IndexMissing(f"No index in {root}; {REBUILD_HINT}")
    build_dir = root / BUILDS / build_id
    try:
        recorded = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise damaged_error(str(root), f"manifest unreadable: {type(exc).__name__}") from None
    if not (build_dir / "chroma" / "chroma.sqlite3").exists():
        raise damaged_error(str(root), "the Chroma files are missing")
    try:
        client = open_embedded(build_dir / "chroma")
        collections = client.get_collection(COLLECTION_NAME), client.get_collection(COLLECTION_NAME + SENTENCES)
    except Exception as exc:  # noqa: BLE001 - any failure to open means the files are not usable
        raise damaged_error(str(root), type(exc).__name__) from None
    return recorded, collections, str(build_dir)


def read_manifest(settings: Settings) -> tuple[dict, tuple, str]:
    if settings.uses_server:
        return read_server(settings)
    return _read_embedded(settings)


def check_manifest(recorded: dict, settings: Settings, embedding_model: str, location: str) -> None:
    reasons = differences(recorded, current_manifest(settings, embedding_model))
    if reasons:
        raise IndexStale(f"The index at {location} is out of date: {'; '.join(reasons)}; {REBUILD_HINT}")


def open_index(settings: Settings, embedding_model: str) -> LoadedIndex:
    """The active index, checked against the current corpus and model; raises IndexMissing/IndexStale."""
    recorded, (collection, sentences), location = read_manifest(settings)
    check_manifest(recorded, settings, embedding_model, location)
    try:
        data = collection.get(include=["documents", "metadatas"])
        sentence_count = sentences.count()
    except AssistantError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise damaged_error(location, type(exc).__name__) from None
    if len(data["ids"]) != recorded.get("passage_count"):
        raise damaged_error(location, f"{len(data['ids'])} passages stored, {recorded.get('passage_count')} built")
    if sentence_count != recorded.get("sentence_count"):
        raise damaged_error(location, f"{sentence_count} sentences stored, {recorded.get('sentence_count')} built")
    passages = sorted(
        (from_record(*row) for row in zip(data["ids"], data["documents"], data["metadatas"])),
        key=lambda p: p.id,
    )
    return LoadedIndex(recorded, collection, sentences, tuple(passages), location)


def index_problem(settings: Settings, embedding_model: str) -> str | None:
    """Why the index cannot be used as it is (missing, damaged, stale), or None when it is fine."""
    try:
        open_index(settings, embedding_model)
    except (IndexMissing, IndexStale) as exc:
        return str(exc)
    return None
