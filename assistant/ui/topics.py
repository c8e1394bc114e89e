"""Trainers' "What each document says": for one topic, the passages of each document side by side.

Why a module: which passages count as "about" a topic is a decision, so it lives here and is tested
without Streamlit. A topic is data (``data/topics.yaml``): a query searched within each document,
words a shown passage must use, and passage kinds that are the topic itself (a golden rule, a myth
entry). A document with nothing on the topic gets no passages, and the page says so, rather than
showing its nearest miss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import Field

from assistant.errors import BadInput
from assistant.datafiles import DATA_DIR, Strict, load_model

TOPICS_FILE = DATA_DIR / "topics.yaml"
CANDIDATES_PER_SHOWN = 6  # passages searched per passage shown, before filtering


class Topic(Strict):

    id: str
    label: str
    query: str
    words: tuple[str, ...] = Field(min_length=1)
    kinds: tuple[str, ...] = ()

    def mentions(self, text: str) -> bool:
        return any(_word(word).search(text) for word in self.words)


class _File(Strict):
    topics: tuple[Topic, ...] = Field(min_length=1)


@cache
def _word(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(word) + r"(?![\w])", re.IGNORECASE)


@cache
def load_topics() -> tuple[Topic, ...]:
    return load_model(_File, TOPICS_FILE).topics


def get_topic(topic_id: str) -> Topic:
    for topic in load_topics():
        if topic.id == topic_id:
            return topic
    raise BadInput(f"No topic called {topic_id!r}; the topics are: {', '.join(t.id for t in load_topics())}")


@dataclass(frozen=True)
class DocumentPassages:
    doc_id: str
    passages: tuple  # assistant.ingest.passages.Passage, best first


def _ranked(topic: Topic, hits) -> list:
    """Passages of the topic's own kind first, then those using its words; others are dropped."""
    own = [h.passage for h in hits if h.passage.kind in topic.kinds]
    worded = [h.passage for h in hits if h.passage.kind not in topic.kinds and topic.mentions(h.passage.text)]
    return own + worded


def passages_by_document(retriever, topic: Topic | str, per_doc: int = 2,
                         doc_ids: list[str] | None = None) -> list[DocumentPassages]:
    """Up to ``per_doc`` passages on ``topic`` from each document (all documents by default, in
    the retriever's order), searched with ``retriever.search(query, k=..., doc_id=...)``."""
    topic = get_topic(topic) if isinstance(topic, str) else topic
    if per_doc < 1:
        raise BadInput("per_doc must be at least 1")
    if doc_ids is None:
        doc_ids = list(dict.fromkeys(p.doc_id for p in retriever.passages))
    found = []
    for doc_id in doc_ids:
        hits = retriever.search(topic.query, k=per_doc * CANDIDATES_PER_SHOWN, doc_id=doc_id)
        found.append(DocumentPassages(doc_id, tuple(_ranked(topic, hits)[:per_doc])))
    return found
