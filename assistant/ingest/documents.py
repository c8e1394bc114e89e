"""The corpus manifest: which documents there are, what each one is, and their text.

``load_documents(corpus_dir)`` reads ``corpus/manifest.toml`` and the files it names. The text is
returned exactly as stored (no newline translation), so character offsets into ``Document.text``
are offsets into the file a user can open.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.errors import CorpusError

MANIFEST_NAME = "manifest.toml"
_REQUIRED = ("id", "file", "title", "short_title", "publisher", "area", "date", "version", "law_cited")


@dataclass(frozen=True)
class Document:
    id: str
    file: str
    title: str
    short_title: str
    publisher: str
    area: str
    date: str
    version: str
    law_cited: str
    law_superseded: tuple[str, ...]
    flowchart: str | None
    aliases: tuple[str, ...]
    text: str
    sha256: str

    @property
    def year(self) -> str:
        return self.date[:4]


def _read_text(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        raise CorpusError(f"The manifest names {path.name}, but it is not in {path.parent}") from None
    except UnicodeDecodeError:
        raise CorpusError(f"{path} is not UTF-8 text; save it as UTF-8 and rebuild") from None


def _parse_manifest(corpus_dir: Path) -> list[dict]:
    path = corpus_dir / MANIFEST_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(f"No corpus manifest at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path} is not valid TOML: {exc}") from None
    entries = data.get("document")
    if not isinstance(entries, list) or not entries:
        raise CorpusError(f"{path} lists no [[document]] entries")
    return entries


def load_documents(corpus_dir: Path) -> tuple[Document, ...]:
    """All documents named in the manifest, in manifest order."""
    corpus_dir = Path(corpus_dir)
    return _load_cached(corpus_dir.resolve(), _manifest_stamp(corpus_dir))


def _manifest_stamp(corpus_dir: Path) -> tuple:
    """Cheap change detector so a rebuilt corpus is re-read (manifest and file mtimes/sizes)."""
    stamp = []
    for path in sorted(corpus_dir.glob("*")):
        try:
            st = path.stat()
        except OSError:
            continue
        stamp.append((path.name, st.st_mtime_ns, st.st_size))
    return tuple(stamp)


@lru_cache(maxsize=8)
def _load_cached(corpus_dir: Path, _stamp: tuple) -> tuple[Document, ...]:
    docs: list[Document] = []
    seen: set[str] = set()
    for entry in _parse_manifest(corpus_dir):
        missing = [key for key in _REQUIRED if not entry.get(key)]
        if missing:
            raise CorpusError(f"Manifest entry {entry.get('id', '?')!r} lacks: {', '.join(missing)}")
        if entry["id"] in seen:
            raise CorpusError(f"Manifest lists document id {entry['id']!r} twice")
        seen.add(entry["id"])
        text = _read_text(corpus_dir / entry["file"])
        docs.append(
            Document(
                id=entry["id"],
                file=entry["file"],
                title=entry["title"],
                short_title=entry["short_title"],
                publisher=entry["publisher"],
                area=entry["area"],
                date=str(entry["date"]),
                version=entry["version"],
                law_cited=entry["law_cited"],
                law_superseded=tuple(entry.get("law_superseded", ())),
                flowchart=entry.get("flowchart"),
                aliases=tuple(entry.get("aliases", ())),
                text=text,
                sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            )
        )
    return tuple(docs)


def documents_by_id(corpus_dir: Path) -> dict[str, Document]:
    return {doc.id: doc for doc in load_documents(corpus_dir)}
