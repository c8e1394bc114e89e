"""What the five documents cannot answer (declined, saying what would answer it), and what must
never be declined (a question about a child's safety, abuse or a disclosure gets the closest
guidance instead).

Both are topic word lists in ``data/outside.yaml``, read over the lower-cased question. Declining is
the costly mistake for a safety question, and answering is the costly one for a question the
documents cannot answer, so the two lists are kept apart and the caller weighs them: a declined
topic wins, unless a child in this case is in danger now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.datafiles import DATA_DIR, Strict, compile_patterns, load_model
from assistant.errors import CorpusError

OUTSIDE_FILE = DATA_DIR / "outside.yaml"


class _TopicSpec(Strict):
    decline: bool
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    none: tuple[str, ...] = ()


class _OutsideFile(Strict):
    topics: dict[str, _TopicSpec]
    never_decline: tuple[str, ...]
    child_harmed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    id: str
    decline: bool
    any: tuple[re.Pattern, ...]
    all: tuple[re.Pattern, ...]
    none: tuple[re.Pattern, ...]

    def matches(self, text: str) -> bool:
        if self.any and not any(p.search(text) for p in self.any):
            return False
        if self.all and not all(p.search(text) for p in self.all):
            return False
        return not any(p.search(text) for p in self.none)


@dataclass(frozen=True)
class Outside:
    topics: tuple[Topic, ...]
    safety: tuple[re.Pattern, ...]
    child_harmed: tuple[re.Pattern, ...] = ()

    def declined_topic(self, question: str) -> str | None:
        """The id of a topic the documents cannot answer that the question is about, or None (never
        for a question that names a child harmed or at risk)."""
        text = question.lower()
        if self.names_a_child_harmed(question):
            return None
        return next((t.id for t in self.topics if t.decline and t.matches(text)), None)

    def pointer(self, question: str) -> str | None:
        """The id of any listed topic the question is about (to say what would answer it), or None."""
        text = question.lower()
        return next((t.id for t in self.topics if t.matches(text)), None)

    def about_safety(self, question: str) -> bool:
        """True when the question is about a child's safety, so it is never declined."""
        text = question.lower()
        return any(p.search(text) for p in self.safety)

    def names_a_child_harmed(self, question: str) -> bool:
        """True when a child is named as harmed or at risk ("the client's children may be neglected"):
        never declined, however plainly the rest reads as about something else (an adult's care)."""
        text = question.lower()
        return any(p.search(text) for p in self.child_harmed)


@cache
def load_outside(path: Path = OUTSIDE_FILE) -> Outside:
    data = load_model(_OutsideFile, path)
    topics = []
    for name, spec in data.topics.items():
        if not (spec.any or spec.all):
            raise CorpusError(f"{path.name}: topics.{name}: needs 'any' or 'all' patterns")
        topics.append(Topic(name, spec.decline, *(compile_patterns(path, getattr(spec, k)) for k in ("any", "all", "none"))))
    return Outside(tuple(topics), compile_patterns(path, data.never_decline), compile_patterns(path, data.child_harmed))
