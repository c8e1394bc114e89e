"""Passages <-> Chroma records, and filling a build's two collections (passages, and their sentences
for sentence-level dense matching, with the questions each passage answers from
``assistant/passage_questions.py``), embedded or on a server alike.

Each distinct text is embedded once (a heading can title many passages), in batches of similar
length capped by ``BATCH_CHARS`` (padding is wasted work, and a batch of long passages costs memory
in proportion to its size times its length squared), then every record is stored.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from assistant.config import COLLECTION_NAME
from assistant.errors import REBUILD_HINT, IndexStale
from assistant.indexing.manifest import HNSW
from assistant.ingest.passages import Passage
from assistant.verbatim import normalise_ws

SENTENCES = "-sentences"  # suffix of the sentence collection beside each passage collection
BATCH_CHARS = 8_000  # texts x longest text per embedding batch (build time and peak memory measured in bench/)
ADD_BATCH = 256  # records per Chroma add (one request each on a server)
SERVER_POINTER = f"{COLLECTION_NAME}-current"  # on a server: names the collections of the active build


def damaged_error(location: str, detail: str) -> IndexStale:
    return IndexStale(f"The index at {location} is damaged ({detail}); {REBUILD_HINT}")


def to_record(passage) -> tuple[str, str, dict]:
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


def from_record(pid: str, text: str, meta: dict):
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


def sentence_records(passage, doc_text: str, questions: Sequence[str] = ()) -> list[tuple[str, str, dict]]:
    """Each quotable sentence (and the title) of a passage, and the questions it answers, for
    sentence-level dense matching. ``kind`` tells a document's words from our questions."""

    texts = [normalise_ws(doc_text[s:e]) for s, e in passage.sentences]
    if passage.title:
        texts.append(passage.title)
    rows = [(f"{passage.id}#{j}", t, {"passage_id": passage.id, "kind": "sentence"}) for j, t in enumerate(texts) if t]
    rows += [(f"{passage.id}#q{j}", q, {"passage_id": passage.id, "kind": "question"}) for j, q in enumerate(questions)]
    return rows


def sentence_record_of(record_id: str) -> tuple[str, str, int | None]:
    """(passage id, kind, sentence position; None for a question) of a ``sentence_records`` id: its
    naming inverted, so a search need not fetch each record's metadata (which costs more than the
    search itself). The title's position is one past the passage's last sentence."""
    passage_id, _, tail = record_id.rpartition("#")
    if tail.startswith("q"):
        return passage_id, "question", None
    return passage_id, "sentence", int(tail)


def _batches(records: list, batch_size: int) -> list[list]:
    """Records in batches of similar length (padding a short text to a long one's length is wasted
    work), at most ``batch_size`` texts and about ``BATCH_CHARS`` characters each: a batch of long
    passages costs memory in proportion to its count times its length squared, short sentences go
    many at a time."""
    ordered = sorted(records, key=lambda r: len(_embedded_text(r)))
    batches: list[list] = []
    for record in ordered:
        size = len(_embedded_text(record))
        if batches and len(batches[-1]) < batch_size and (len(batches[-1]) + 1) * size <= BATCH_CHARS:
            batches[-1].append(record)
        else:
            batches.append([record])
    return batches


def _embedded_text(record: tuple[str, str, dict]) -> str:
    return record[2].get("index_text", record[1])


def _add_embedded(collection, records: list[tuple[str, str, dict]], embedder, batch_size: int, bar) -> None:
    """Embed each distinct text once (a heading can title many passages), then store every record."""
    vectors: dict[str, object] = {}
    distinct = list({_embedded_text(r): r for r in records}.values())
    for chunk in _batches(distinct, batch_size):
        texts = [_embedded_text(r) for r in chunk]
        vectors.update(zip(texts, embedder.embed(texts)))
        bar.update(len(chunk))
    for i in range(0, len(records), ADD_BATCH):
        chunk = records[i : i + ADD_BATCH]
        ids, texts, metas = zip(*chunk)
        embeddings = [vectors[_embedded_text(r)] for r in chunk]
        collection.add(ids=list(ids), documents=list(texts), metadatas=list(metas), embeddings=embeddings)


def all_sentence_records(passages: Sequence, texts: dict, questions: dict) -> list[tuple[str, str, dict]]:
    """Sentence and question records of every passage (``questions``: passage id -> questions)."""
    return [r for p in passages for r in sentence_records(p, texts[p.doc_id], questions.get(p.id, ()))]


def fill_collections(collections, passages: Sequence, texts: dict, embedder, batch_size: int,
                     progress, questions: dict | None = None) -> int:
    """Embed passages, and their sentences and questions, into the two collections; returns how many
    distinct texts were embedded. ``progress``: True for a progress bar on the terminal, or a function
    called with (texts embedded so far, total) after each batch (the app draws its own bar)."""
    from tqdm import tqdm  # deferred: loaded only for a progress bar

    passage_rows = [to_record(p) for p in passages]
    sentence_rows = all_sentence_records(passages, texts, questions or {})
    total = len({_embedded_text(r) for r in passage_rows}) + len({_embedded_text(r) for r in sentence_rows})
    with tqdm(total=total, desc="Embedding passages and sentences", unit="text", disable=progress is not True) as bar:
        counter = _Reported(bar, total, progress) if callable(progress) else bar
        _add_embedded(collections[0], passage_rows, embedder, batch_size, counter)
        _add_embedded(collections[1], sentence_rows, embedder, batch_size * 2, counter)
    return total


class _Reported:
    """A progress bar that also tells a function how far it has got."""

    def __init__(self, bar, total: int, report) -> None:
        self.bar, self.total, self.report, self.done = bar, total, report, 0

    def update(self, n: int) -> None:
        self.bar.update(n)
        self.done += n
        self.report(self.done, self.total)


def new_collections(client, name: str, manifest: dict):
    return _new_collection(client, name, manifest), _new_collection(client, name + SENTENCES, manifest)


# Chroma's defaults (search ef 100, 16 neighbours) miss true nearest neighbours here: with them, 70 of
# the 150 eval questions got a different dense candidate set from an exact search, and two builds from
# the same vectors disagreed. With these, the candidates match an exact search up to ties (measured
# while building issue 7's tests; a query costs under a millisecond more).


def _new_collection(client, name: str, manifest: dict):
    return client.create_collection(
        name=name,
        embedding_function=None,
        metadata={**HNSW, "manifest": json.dumps(manifest, sort_keys=True)},
    )
