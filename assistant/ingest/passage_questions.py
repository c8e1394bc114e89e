"""Questions a passage answers, in practitioners' words: a search aid, never a quote.

The packaged MiniLM model and BM25 both miss a question worded unlike the document ("they never
replied, can I take silence as a yes?" against "consent ... inferred from a lack of response").
For each passage we keep a few questions a teacher, nurse, GP or police officer would ask that the
passage really answers (``corpus/questions/<doc id>.yaml``, beside the documents they belong to;
written from the passages alone, not from the eval cases). Each is embedded beside the passage's
sentences, so a question close to one of them finds the passage, and the index keeps them, so a
loaded index searches with exactly the questions it was built with. They are never shown to a
user: answers still quote only the documents.

A file names its passage by an anchor, a phrase copied from the passage, rather than by passage id,
so the questions survive a change in how documents are split. An anchor that no longer matches
exactly one passage of its document is skipped at build time (and a test holds the shipped files
to matching).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import Field

from assistant.errors import CorpusError
from assistant.datafiles import Strict, load_model
from assistant.verbatim import normalise_ws

QUESTIONS = "questions"  # the folder of question files inside the corpus folder


def questions_dir(corpus_dir: Path) -> Path:
    return Path(corpus_dir) / QUESTIONS


class _Entry(Strict):
    anchor: str = Field(min_length=10)
    questions: list[str] = Field(min_length=1)


class _File(Strict):
    doc: str
    passages: list[_Entry]


@dataclass(frozen=True)
class Anchored:
    doc_id: str
    anchor: str
    questions: tuple[str, ...]


def load_questions(directory: Path) -> tuple[Anchored, ...]:
    """Every anchored entry of every file, file by file (sorted by name), in file order (none when
    the folder does not exist: the questions are optional)."""
    return _load(Path(directory).resolve(), _stamp(Path(directory)))


def _stamp(directory: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(directory.glob("*.yaml")))


@cache
def _load(directory: Path, _stamp: tuple) -> tuple[Anchored, ...]:
    entries: list[Anchored] = []
    for path in sorted(Path(directory).glob("*.yaml")):
        data = load_model(_File, path)
        if data.doc != path.stem:
            raise CorpusError(f"{path.name}: names document {data.doc!r}; the file must be named after it")
        for entry in data.passages:
            questions = tuple(q.strip() for q in entry.questions if q.strip())
            entries.append(Anchored(data.doc, entry.anchor, questions))
    return tuple(entries)


def digest(directory: Path) -> str:
    """A hash of the question files, for the index manifest: editing them makes an index stale."""
    h = hashlib.sha256()
    for path in sorted(Path(directory).glob("*.yaml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def resolve(entry: Anchored, passages: Sequence) -> list[str]:
    """Ids of the passages of the entry's document whose text contains its anchor."""

    texts = [(p.id, normalise_ws(p.text)) for p in passages if p.doc_id == entry.doc_id]
    return _matching(normalise_ws(entry.anchor), texts)


def _matching(anchor: str, texts: Sequence[tuple[str, str]]) -> list[str]:
    return [pid for pid, text in texts if anchor in text]


def questions_by_passage(passages: Sequence, entries: Iterable[Anchored]) -> dict[str, tuple[str, ...]]:
    """Passage id -> its questions, for the anchors that match exactly one passage."""

    by_doc: dict[str, list[tuple[str, str]]] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append((p.id, normalise_ws(p.text)))
    found: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        ids = _matching(normalise_ws(entry.anchor), by_doc.get(entry.doc_id, ()))
        if len(ids) == 1:
            found[ids[0]] = found.get(ids[0], ()) + entry.questions
    return found
