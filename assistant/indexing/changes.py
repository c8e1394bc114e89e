"""Adding or removing a document: the corpus and the index change together, or not at all.

``add_document`` reads the file (``assistant.ingest.readers``), plans the change
(``assistant.ingest.adding``), which refuses bad input before anything is written, builds the
index from a staged copy of the changed corpus, and only then commits the change to the corpus. So:

* bad input: nothing is written anywhere;
* the build fails or is interrupted: the unfinished build folder is removed and the corpus was
  never touched, so corpus and index are byte for byte as they were;
* committing the corpus fails after the build: the index pointer is put back to the build that
  was active before.

Texts the active build already embedded are not embedded again (``_Reusing``).

One change at a time: the corpus folder is locked (``flock`` on the folder itself, so no lock file
is left behind). Running replicas notice the new build as with any rebuild (see
``assistant/indexing/index.py``).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.config import COLLECTION_NAME, Settings
from assistant.errors import AssistantError
from assistant.indexing.collections import SENTENCES
from assistant.indexing.index import (BUILDS, MANIFEST, POINTER, BuildReport, active_build, build_index,
                                      read_manifest, write_atomically)
from assistant.indexing.store import open_embedded
from assistant.ingest.adding import CorpusChange, Details, commit, plan_addition, plan_removal, stage
from assistant.ingest.readers import Extracted


@dataclass(frozen=True)
class ChangeReport:
    doc_id: str
    added: bool  # False: removed
    files: tuple[str, ...]  # corpus files written (added) or deleted (removed)
    build: BuildReport


def add_document(settings: Settings, source: Path, extracted: Extracted, details: Details, embedder, *,
                 progress=True) -> ChangeReport:
    """Add ``extracted`` (read from ``source``) to the corpus with ``details`` and rebuild the index."""
    change = plan_addition(settings.corpus_dir, source, extracted, details)
    build = apply_change(settings, change, embedder, progress=progress)
    return ChangeReport(details.id, True, tuple(change.write), build)


def remove_document(settings: Settings, doc_id: str, embedder, *, progress=True) -> ChangeReport:
    """Take document ``doc_id`` (its text, original and questions) out of the corpus and rebuild."""
    change = plan_removal(settings.corpus_dir, doc_id)
    build = apply_change(settings, change, embedder, progress=progress)
    return ChangeReport(doc_id, False, change.delete, build)


def apply_change(settings: Settings, change: CorpusChange, embedder, *, progress=True) -> BuildReport:
    """Build the index for the corpus as ``change`` leaves it, then commit ``change``: both or neither."""
    with _locked(settings.corpus_dir), tempfile.TemporaryDirectory(prefix="assistant-corpus-") as staged:
        staged_settings = settings.with_(corpus_dir=stage(settings.corpus_dir, change, Path(staged)))
        before = _IndexState.read(settings)
        try:
            report = build_index(staged_settings, _Reusing(embedder, settings), progress=progress)
        except BaseException:
            before.restore(settings)
            raise
        try:
            commit(settings.corpus_dir, change)
        except BaseException:
            before.restore(settings)
            raise
    return report


class _Reusing:
    """The embedder, handing back the vectors the active build already holds for texts it embedded
    (the same model, the same texts): a change embeds only what is new, in seconds, not the whole
    corpus again. With no usable active build, everything is embedded."""

    def __init__(self, embedder, settings: Settings) -> None:
        self.embedder, self.name, self.dimension = embedder, embedder.name, embedder.dimension
        try:
            self.vectors = _stored_vectors(settings, embedder.name)
        except (AssistantError, OSError, KeyError, TypeError, ValueError):
            self.vectors = {}

    def embed(self, texts):
        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            self.vectors.update(zip(missing, self.embedder.embed(missing)))
        return np.asarray([self.vectors[t] for t in texts], dtype=np.float32).reshape(len(texts), self.dimension)


def _stored_vectors(settings: Settings, model: str) -> dict:
    """Text -> vector of everything the active build embedded with ``model``. An embedded build is
    read from a copy: opening Chroma's files writes to them, and the index must stay as it was."""
    if settings.uses_server:
        recorded, collections, _ = read_manifest(settings)
        return _vectors(collections) if recorded.get("embedding_model") == model else {}
    build = active_build(settings.index_dir)
    if build is None:
        return {}
    folder = settings.index_dir / BUILDS / build
    if json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("embedding_model") != model:
        return {}
    with tempfile.TemporaryDirectory(prefix="assistant-vectors-") as copy:
        shutil.copytree(folder / "chroma", Path(copy) / "chroma")
        client = open_embedded(Path(copy) / "chroma")
        return _vectors((client.get_collection(COLLECTION_NAME), client.get_collection(COLLECTION_NAME + SENTENCES)))


def _vectors(collections) -> dict:
    passages, sentences = collections
    stored = passages.get(include=["embeddings", "metadatas"])
    vectors = dict(zip((m["index_text"] for m in stored["metadatas"]), stored["embeddings"]))
    stored = sentences.get(include=["embeddings", "documents"])
    vectors.update(zip(stored["documents"], stored["embeddings"]))
    return vectors


@contextmanager
def _locked(corpus_dir: Path):
    handle = os.open(corpus_dir, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


@dataclass(frozen=True)
class _IndexState:
    """What an embedded index folder holds before a build: its entries, build folders and pointer."""

    present: bool  # whether the index folder existed
    existed: frozenset[str]  # top-level names in the index folder
    builds: frozenset[str]
    pointer: str | None

    @classmethod
    def read(cls, settings: Settings) -> "_IndexState":
        root = settings.index_dir
        names = frozenset(p.name for p in root.iterdir()) if root.is_dir() else frozenset()
        builds = frozenset(p.name for p in (root / BUILDS).iterdir()) if (root / BUILDS).is_dir() else frozenset()
        return cls(root.is_dir(), names, builds, active_build(root))

    def restore(self, settings: Settings) -> None:
        """Remove what a build added and put the pointer back (a Chroma server keeps its own pointer,
        and an unfinished collection there is removed by its next build)."""
        root = settings.index_dir
        if settings.uses_server or not root.exists():
            return
        if self.pointer is not None and active_build(root) != self.pointer:
            write_atomically(root / POINTER, self.pointer + "\n")
        if (root / BUILDS).is_dir():
            for path in (root / BUILDS).iterdir():
                if path.name not in self.builds:
                    shutil.rmtree(path, ignore_errors=True)
        for path in root.iterdir():
            if path.name not in self.existed:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        if not self.present:
            shutil.rmtree(root, ignore_errors=True)
