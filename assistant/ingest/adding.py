"""Adding a document to the corpus, or removing one: checked in full before anything is written.

``plan_addition`` and ``plan_removal`` read the corpus and return a ``CorpusChange`` (the manifest's
new text, the files to write and the files to delete) or raise one ``BadDocument`` line: a bad id
or one already used, a date in the wrong form, a missing field, text already in the corpus, a
document the assistant's own data cites. Nothing is written while planning.

``stage`` lays out what the index reads (manifest, texts, questions) with the change applied, in
another folder, so the index can be built before the corpus changes; ``commit`` then applies the
change to the corpus: new files under temporary names renamed into place, the manifest replaced
last (that replacement is the moment the corpus changes), removed files deleted after it.
``assistant.indexing.changes`` runs the three in order, with the rebuild between stage and commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assistant.datafiles import DATA_DIR, load_yaml
from assistant.errors import BadDocument
from assistant.ingest.documents import MANIFEST_NAME, load_documents
from assistant.ingest.passage_questions import QUESTIONS
from assistant.ingest.readers import Extracted

ID_FORM = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?")
DATE_FORM = re.compile(r"(?:19|20)\d\d(?:-(?:0[1-9]|1[0-2]))?")
REQUIRED = ("title", "short_title", "publisher", "area", "date", "version", "law_cited")
ORDER = ("title", "date", "id", "short_title", "publisher", "area", "version", "law_cited")  # as asked
_SHINGLE = 8  # words per shingle when looking for text already in the corpus
_ALREADY_THERE = 0.8  # share of a new text's shingles found in one document that makes it a copy
_WORD = re.compile(r"\w+")
# Shipped data that quotes documents by id: such a document cannot be removed.
_CITING = (*sorted(DATA_DIR.glob("*.yaml")), *sorted((DATA_DIR.parent / "decision" / "flowcharts").glob("*.yaml")))


@dataclass(frozen=True)
class Details:
    """A document's manifest entry, as given (flags, questions asked, or the upload form)."""

    id: str
    title: str
    short_title: str
    publisher: str
    area: str
    date: str
    version: str
    law_cited: str
    aliases: tuple[str, ...] = ()
    law_superseded: tuple[str, ...] = ()


@dataclass(frozen=True)
class CorpusChange:
    doc_id: str
    manifest: str  # the manifest's new text
    write: dict[str, bytes] = field(default_factory=dict)  # corpus-relative name -> content (new files only)
    delete: tuple[str, ...] = ()  # corpus-relative names removed once the manifest no longer names them
    base_sha256: str = ""  # the manifest this change was planned on: a change planned on another is refused


def suggested_id(text: str) -> str:
    """A manifest id made from a title or file name: lower case words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 40:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "document"


def suggested_short_title(title: str, date: str | None) -> str:
    short = " ".join(title.split()[:4])
    return f"{short} {date[:4]}" if date else short


def suggestion(key: str, chosen: dict, extracted: Extracted, ids: set[str]) -> str | None:
    """What to offer for detail ``key`` when it is not given: what the file says, or what follows
    from the details ``chosen`` so far (the id and short title from the title, the version from the
    date). The command line asks in the order title, date, id, short_title, then the rest."""
    if key in ("title", "date"):
        return getattr(extracted, key)
    if key == "id":
        slug = suggested_id(chosen.get("title") or Path(extracted.source).stem)
        return None if slug in ids else slug
    if key == "short_title" and chosen.get("title"):
        return suggested_short_title(chosen["title"], chosen.get("date"))
    if key == "version" and chosen.get("date"):
        return f"{chosen['date']}, added from {extracted.source}"
    return None


def suggested_details(extracted: Extracted, ids: set[str]) -> dict[str, str | None]:
    """Every detail's suggestion from the file alone (the upload form's defaults)."""
    chosen: dict[str, str | None] = {}
    for key in ORDER:
        chosen[key] = suggestion(key, chosen, extracted, ids)
    return chosen


# ---------------------------------------------------------------- planning
def plan_addition(corpus_dir: Path, source: Path, extracted: Extracted, details: Details) -> CorpusChange:
    """The change that adds ``extracted`` (read from ``source``) with ``details``; raises ``BadDocument``."""
    corpus_dir = Path(corpus_dir)
    manifest = _manifest_text(corpus_dir)
    documents = load_documents(corpus_dir)
    _check_details(details, {doc.id for doc in documents})
    copy_of = _already_in_corpus(extracted.text, documents)
    if copy_of:
        raise BadDocument(f"{extracted.source}: its text is already in the corpus, as {copy_of!r}")
    text_name, original_name = f"{details.id}.txt", f"{details.id}.original{extracted.suffix}"
    for name in (text_name, original_name):
        if (corpus_dir / name).exists():
            raise BadDocument(f"{corpus_dir / name} already exists; choose another id or move that file")
    entry = {"id": details.id, "file": text_name, "original": original_name,
             **{key: getattr(details, key) for key in REQUIRED}}
    if details.aliases:
        entry["aliases"] = list(details.aliases)
    entry["law_superseded"] = list(details.law_superseded)
    new_manifest = manifest.rstrip("\n") + "\n\n[[document]]\n" + "".join(
        f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in entry.items())
    _check_manifest(new_manifest, details.id, present=True)
    return CorpusChange(details.id, new_manifest, {text_name: extracted.text.encode("utf-8"),
                                                    original_name: Path(source).read_bytes()},
                        base_sha256=_sha256(manifest))


def plan_removal(corpus_dir: Path, doc_id: str) -> CorpusChange:
    """The change that removes document ``doc_id`` with its files and questions; raises ``BadDocument``."""
    corpus_dir = Path(corpus_dir)
    manifest = _manifest_text(corpus_dir)
    entries = tomllib.loads(manifest).get("document", [])
    entry = next((e for e in entries if e.get("id") == doc_id), None)
    if entry is None:
        raise BadDocument(f"there is no document {doc_id!r} in {corpus_dir / MANIFEST_NAME}")
    if len(entries) == 1:
        raise BadDocument(f"{doc_id!r} is the only document; the corpus cannot be empty")
    cited = re.compile(rf"(?:doc_id:\s*[\"']?|documents:\s*\[[^\]]*?)(?<![\w-]){re.escape(doc_id)}(?![\w-])")
    citing = [p.name for p in _CITING if cited.search(p.read_text(encoding="utf-8"))]
    if citing:
        raise BadDocument(f"{doc_id!r} is quoted by the assistant's own data ({', '.join(citing)}); it cannot be removed")
    blocks = re.split(r"(?m)^(?=\[\[document\]\][ \t]*$)", manifest)
    kept = [b for b in blocks if not (b.startswith("[[document]]") and tomllib.loads(b)["document"][0].get("id") == doc_id)]
    new_manifest = "\n\n".join(b.strip("\n") for b in kept) + "\n"
    _check_manifest(new_manifest, doc_id, present=False)
    files = [entry["file"], entry.get("original"), f"{QUESTIONS}/{doc_id}.yaml"]
    delete = tuple(f for f in files if f and (corpus_dir / f).exists())
    return CorpusChange(doc_id, new_manifest, delete=delete, base_sha256=_sha256(manifest))


def _check_details(details: Details, existing: set[str]) -> None:
    if not ID_FORM.fullmatch(details.id or ""):
        raise BadDocument(f"id {details.id!r} must be lower-case letters, digits and hyphens (at most 48), "
                          "e.g. exampleshire-2025")
    if details.id in existing:
        raise BadDocument(f"a document with id {details.id!r} is already in the corpus; choose another id")
    missing = [key for key in REQUIRED if not str(getattr(details, key) or "").strip()]
    if missing:
        raise BadDocument(f"missing: {', '.join(missing)}")
    if not DATE_FORM.fullmatch(details.date):
        raise BadDocument(f"date must be YYYY-MM or YYYY (e.g. 2024-03), not {details.date!r}")
    for key, value in asdict(details).items():
        for item in value if isinstance(value, tuple) else (value,):
            if "\n" in item or "\r" in item or len(item) > 300:
                raise BadDocument(f"{key} must be one line of at most 300 characters")
    known = load_yaml(DATA_DIR / "legal_currency.yaml")
    unknown = [key for key in details.law_superseded if key not in known]
    if unknown:
        raise BadDocument(f"unknown law_superseded: {', '.join(unknown)} (known: {', '.join(sorted(known))})")


def _already_in_corpus(text: str, documents) -> str | None:
    """The id of a document that already holds most of ``text``, or None."""
    new = _shingles(text)
    if not new:
        return None
    for doc in documents:
        if len(new & _shingles(doc.text)) >= _ALREADY_THERE * len(new):
            return doc.id
    return None


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    if len(words) < _SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def _check_manifest(text: str, doc_id: str, *, present: bool) -> None:
    try:
        ids = [e.get("id") for e in tomllib.loads(text).get("document", [])]
    except tomllib.TOMLDecodeError as exc:  # a bug here, never the user's input: say so plainly
        raise BadDocument(f"the new manifest would not be valid TOML ({exc}); nothing was written") from None
    if (doc_id in ids) != present or len(ids) != len(set(ids)):
        raise BadDocument(f"the new manifest would not list {doc_id!r} correctly; nothing was written")


def _manifest_text(corpus_dir: Path) -> str:
    try:
        return (corpus_dir / MANIFEST_NAME).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadDocument(f"No corpus manifest at {corpus_dir / MANIFEST_NAME}") from None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- staging and committing
def stage(corpus_dir: Path, change: CorpusChange, into: Path) -> Path:
    """What the index reads (manifest, every document's text, the questions), with ``change`` applied,
    laid out in ``into``; returns ``into``. Byte for byte what the corpus will hold after ``commit``."""
    corpus_dir, into = Path(corpus_dir), Path(into)
    (into / QUESTIONS).mkdir(parents=True, exist_ok=True)
    (into / MANIFEST_NAME).write_text(change.manifest, encoding="utf-8")
    for entry in tomllib.loads(change.manifest)["document"]:
        if entry["file"] in change.write:
            (into / entry["file"]).write_bytes(change.write[entry["file"]])
        else:
            shutil.copyfile(corpus_dir / entry["file"], into / entry["file"])
    for path in sorted((corpus_dir / QUESTIONS).glob("*.yaml")):
        if f"{QUESTIONS}/{path.name}" not in change.delete:
            shutil.copyfile(path, into / QUESTIONS / path.name)
    return into


def commit(corpus_dir: Path, change: CorpusChange) -> None:
    """Apply ``change`` to the corpus: new files first, then the manifest (atomically), then deletions.
    Before the manifest is replaced, any failure removes the new files again."""
    corpus_dir = Path(corpus_dir)
    if _sha256(_manifest_text(corpus_dir)) != change.base_sha256:
        raise BadDocument("the corpus manifest changed while this change was prepared; try again")
    written: list[Path] = []
    try:
        for name, data in change.write.items():
            target = corpus_dir / name
            _replace(target, data)
            written.append(target)
        _replace(corpus_dir / MANIFEST_NAME, change.manifest.encode("utf-8"))
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    for name in change.delete:
        (corpus_dir / name).unlink(missing_ok=True)


def _replace(target: Path, data: bytes) -> None:
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
