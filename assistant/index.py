"""Passages -> Chroma, built atomically, and loaded back with their manifest checked.

Embedded layout (``settings.index_dir``)::

    index/CURRENT            name of the active build (replaced atomically with os.replace)
    index/builds/<id>/       a complete build: chroma/ and manifest.json
    index/model/             the ONNX export of the packaged model

A build writes a new folder and only then points CURRENT at it, so killing a build at any moment
leaves the previous index in use. The previous build is kept for readers that still have it open;
older ones are removed by the next build. On a Chroma server the same happens with collections: a
new collection per build, then a small pointer collection is updated to name it.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.config import COLLECTION_NAME, Settings
from assistant.errors import REBUILD_HINT, IndexMissing, IndexStale
from assistant.manifest import differences, expected_manifest, package_version

POINTER = "CURRENT"
BUILDS = "builds"
MANIFEST = "manifest.json"
SERVER_POINTER = f"{COLLECTION_NAME}-current"
SENTENCES = "-sentences"  # suffix of the sentence collection beside each passage collection
_KEEP_BUILDS = 2


@dataclass(frozen=True)
class BuildReport:
    location: str
    passages: int
    documents: int
    seconds: float


# ---------------------------------------------------------------- passages <-> Chroma records
def _to_record(passage) -> tuple[str, str, dict]:
    meta = {
        "doc_id": passage.doc_id,
        "kind": passage.kind,
        "section": passage.section,
        "paragraph": passage.paragraph or "",
        "start": passage.start,
        "end": passage.end,
        "title": passage.title or "",
        "index_text": passage.index_text,
        "sentences": json.dumps(list(passage.sentences)),
    }
    return passage.id, passage.text, meta


def _from_record(pid: str, text: str, meta: dict):
    from assistant.corpus import Passage

    return Passage(
        id=pid,
        doc_id=meta["doc_id"],
        kind=meta["kind"],
        section=meta["section"],
        paragraph=meta["paragraph"] or None,
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=text,
        index_text=meta["index_text"],
        sentences=tuple(tuple(span) for span in json.loads(meta["sentences"])),
        title=meta["title"] or None,
    )


def _sentence_records(passage, doc_text: str) -> list[tuple[str, str, dict]]:
    """Each quotable sentence (and the title) of a passage, for sentence-level dense matching."""
    from assistant.verbatim import normalise_ws

    texts = [normalise_ws(doc_text[s:e]) for s, e in passage.sentences]
    if passage.title:
        texts.append(passage.title)
    return [(f"{passage.id}#{j}", t, {"passage_id": passage.id}) for j, t in enumerate(texts) if t]


def _add_embedded(collection, records: list[tuple[str, str, dict]], embedder, batch_size: int, bar) -> None:
    # Embed in batches of similar length: padding a short text to a long one's length is wasted work.
    ordered = sorted(records, key=lambda r: len(r[2].get("index_text", r[1])))
    for i in range(0, len(ordered), batch_size):
        chunk = ordered[i : i + batch_size]
        ids, texts, metas = zip(*chunk)
        vectors = embedder.embed([m.get("index_text", t) for _, t, m in chunk])
        collection.add(ids=list(ids), documents=list(texts), metadatas=list(metas), embeddings=vectors)
        bar.update(len(chunk))


def _fill(collections, passages: Sequence, texts: dict, embedder, batch_size: int, progress: bool) -> int:
    """Embed passages and their sentences into the two collections; returns the sentence count."""
    from tqdm import tqdm

    passage_records = [_to_record(p) for p in passages]
    sentence_records = [r for p in passages for r in _sentence_records(p, texts[p.doc_id])]
    total = len(passage_records) + len(sentence_records)
    with tqdm(total=total, desc="Embedding passages and sentences", unit="text", disable=not progress) as bar:
        _add_embedded(collections[0], passage_records, embedder, batch_size, bar)
        _add_embedded(collections[1], sentence_records, embedder, batch_size * 2, bar)
    return len(sentence_records)


def _new_collections(client, name: str, manifest: dict):
    return _new_collection(client, name, manifest), _new_collection(client, name + SENTENCES, manifest)


def _new_collection(client, name: str, manifest: dict):
    return client.create_collection(
        name=name,
        embedding_function=None,
        metadata={"hnsw:space": "cosine", "manifest": json.dumps(manifest, sort_keys=True)},
    )


# ---------------------------------------------------------------- build
def current_manifest(settings: Settings, embedding_model: str) -> dict:
    from assistant.documents import load_documents

    docs = load_documents(settings.corpus_dir)
    return expected_manifest(docs, settings.corpus_dir, embedding_model)


def build_index(settings: Settings, embedder, *, progress: bool = True) -> BuildReport:
    """Build the index for the current corpus and make it the active one, atomically."""
    from assistant.corpus import build_passages
    from assistant.documents import load_documents

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
    manifest["sentence_count"] = sum(len(_sentence_records(p, texts[p.doc_id])) for p in passages)
    if settings.uses_server:
        location = _build_on_server(settings, embedder, passages, texts, manifest, build_id, progress)
    else:
        location = _build_embedded(settings, embedder, passages, texts, manifest, build_id, progress)
    return BuildReport(location, len(passages), len(docs), time.perf_counter() - started)


def _build_embedded(settings, embedder, passages, texts, manifest, build_id, progress) -> str:
    from assistant.store import open_embedded

    root = settings.index_dir
    (root / BUILDS).mkdir(parents=True, exist_ok=True)
    with open(root / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time; released by the kernel on kill -9
        build_dir = root / BUILDS / build_id
        client = open_embedded(build_dir / "chroma")
        collections = _new_collections(client, COLLECTION_NAME, manifest)
        _fill(collections, passages, texts, embedder, settings.embed_batch_size, progress)
        del collections, client
        _write_atomically(build_dir / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        _write_atomically(root / POINTER, build_id + "\n")
        _remove_old_builds(root)
    return str(build_dir)


def _write_atomically(path: Path, text: str) -> None:
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
    active = _active_build(root)
    builds = sorted(p for p in (root / BUILDS).iterdir() if p.is_dir())
    finished = [p for p in builds if (p / MANIFEST).exists()]
    keep = {active} | {p.name for p in finished[-_KEEP_BUILDS:]}
    for path in builds:
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    for stray in root.glob(".*.partial"):
        stray.unlink(missing_ok=True)


def _active_build(root: Path) -> str | None:
    try:
        return (root / POINTER).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def _build_on_server(settings, embedder, passages, texts, manifest, build_id, progress) -> str:
    from assistant.store import open_server

    client = open_server(settings)
    name = f"{COLLECTION_NAME}-{build_id}"
    collections = _new_collections(client, name, manifest)
    _fill(collections, passages, texts, embedder, settings.embed_batch_size, progress)
    pointer = client.get_or_create_collection(SERVER_POINTER, embedding_function=None)
    previous = (pointer.metadata or {}).get("active")
    pointer.modify(metadata={"active": name, "previous": previous or ""})
    for old in client.list_collections():
        old_name = getattr(old, "name", old)
        base = old_name.removesuffix(SENTENCES)
        if base.startswith(f"{COLLECTION_NAME}-2") and base not in (name, previous):
            client.delete_collection(old_name)
    return f"{settings.chroma_host}:{settings.chroma_port}/{name}"


# ---------------------------------------------------------------- load
@dataclass(frozen=True)
class LoadedIndex:
    manifest: dict
    collection: object  # passages
    sentences: object  # their sentences, each with metadata passage_id
    passages: tuple
    location: str


def _damaged(location: str, detail: str) -> IndexStale:
    return IndexStale(f"The index at {location} is damaged ({detail}); {REBUILD_HINT}")


def _read_embedded(settings: Settings):
    from assistant.store import open_embedded

    root = settings.index_dir
    build_id = _active_build(root)
    if build_id is None:
        raise IndexMissing(f"No index in {root}; {REBUILD_HINT}")
    build_dir = root / BUILDS / build_id
    try:
        recorded = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _damaged(str(root), f"manifest unreadable: {type(exc).__name__}") from None
    if not (build_dir / "chroma" / "chroma.sqlite3").exists():
        raise _damaged(str(root), "the Chroma files are missing")
    try:
        client = open_embedded(build_dir / "chroma")
        collections = client.get_collection(COLLECTION_NAME), client.get_collection(COLLECTION_NAME + SENTENCES)
    except Exception as exc:  # noqa: BLE001 - any failure to open means the files are not usable
        raise _damaged(str(root), type(exc).__name__) from None
    return recorded, collections, str(build_dir)


def _read_server(settings: Settings):
    from assistant.store import open_server, server_address

    client = open_server(settings)
    where = server_address(settings)
    try:
        pointer = client.get_collection(SERVER_POINTER)
        name = (pointer.metadata or {})["active"]
        collections = client.get_collection(name), client.get_collection(name + SENTENCES)
    except Exception:  # noqa: BLE001 - chromadb raises several types for "not there"
        raise IndexMissing(f"No index on the Chroma server at {where}; {REBUILD_HINT}") from None
    try:
        recorded = json.loads((collections[0].metadata or {})["manifest"])
    except (KeyError, ValueError):
        raise _damaged(f"{where}/{name}", "no manifest") from None
    return recorded, collections, f"{where}/{name}"


def read_manifest(settings: Settings) -> tuple[dict, tuple, str]:
    return _read_server(settings) if settings.uses_server else _read_embedded(settings)


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
    except Exception as exc:  # noqa: BLE001
        raise _damaged(location, type(exc).__name__) from None
    if len(data["ids"]) != recorded.get("passage_count"):
        raise _damaged(location, f"{len(data['ids'])} passages stored, {recorded.get('passage_count')} built")
    if sentence_count != recorded.get("sentence_count"):
        raise _damaged(location, f"{sentence_count} sentences stored, {recorded.get('sentence_count')} built")
    passages = sorted(
        (_from_record(*row) for row in zip(data["ids"], data["documents"], data["metadatas"])),
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
