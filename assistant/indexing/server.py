"""The index on a Chroma server (``CHROMA_HOST``/``CHROMA_PORT``): the same builds as the embedded
index, with collections in place of folders.

Each build fills new collections ``guidance_passages-<build id>`` and ``...-sentences``; only when
they are complete does the small pointer collection ``guidance_passages-current`` switch to them, so
a build killed at any moment leaves readers on the previous build, and every replica reading the
server sees one complete build. The build before is kept for replicas that still have it open; older
ones, and the leftovers of killed builds, are removed by the next build. Connection failures come out
as ``StoreUnavailable``, a missing index as ``IndexMissing``, both one line.
"""

from __future__ import annotations

import json

from assistant.config import COLLECTION_NAME, Settings
from assistant.errors import REBUILD_HINT, IndexMissing
from assistant.indexing.collections import SENTENCES, SERVER_POINTER, damaged_error, fill_collections, new_collections
from assistant.indexing.store import ServerCollection, open_server, server_address, server_errors, unavailable


def build_on_server(settings: Settings, embedder, passages, texts: dict, manifest: dict, build_id: str,
                    progress: bool, questions: dict | None = None) -> tuple[str, int]:
    """Fill new collections for this build, then switch the pointer collection to them."""

    client = open_server(settings, for_build=True)
    name = f"{COLLECTION_NAME}-{build_id}"
    try:
        collections = tuple(ServerCollection(c, settings) for c in new_collections(client, name, manifest))
        embedded = fill_collections(collections, passages, texts, embedder, settings.embed_batch_size, progress, questions)
        # The switch: readers follow this pointer, so until it changes they keep the previous build.
        pointer = client.get_or_create_collection(SERVER_POINTER, embedding_function=None)
        previous = (pointer.metadata or {}).get("active")
        pointer.modify(metadata={"active": name, "previous": previous or ""})
        for old in client.list_collections():
            old_name = getattr(old, "name", old)
            base = old_name.removesuffix(SENTENCES)
            if base.startswith(f"{COLLECTION_NAME}-2") and base not in (name, previous):
                client.delete_collection(old_name)
    except server_errors() as exc:
        raise unavailable(settings, f"stopped answering during the build ({type(exc).__name__})") from None
    return f"{settings.chroma_host}:{settings.chroma_port}/{name}", embedded


def read_server(settings: Settings):
    """The active build's manifest and collections, named by the pointer collection."""

    client = open_server(settings)
    where = server_address(settings)
    try:
        pointer = client.get_collection(SERVER_POINTER)
        name = (pointer.metadata or {})["active"]
        collections = client.get_collection(name), client.get_collection(name + SENTENCES)
    except server_errors() as exc:
        raise unavailable(settings, f"stopped answering ({type(exc).__name__})") from None
    except Exception:  # noqa: BLE001 - chromadb raises several types for "not there"
        raise IndexMissing(f"No index on the Chroma server at {where}; {REBUILD_HINT}") from None
    try:
        recorded = json.loads((collections[0].metadata or {})["manifest"])
    except (KeyError, ValueError):
        raise damaged_error(f"{where}/{name}", "no manifest") from None
    return recorded, tuple(ServerCollection(c, settings) for c in collections), f"{where}/{name}"
