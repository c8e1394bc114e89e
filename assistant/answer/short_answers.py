"""Short answers: fixed plain-English lines, written and reviewed like the flowcharts, that open an
answer when a question is about one of them.

Each line is kept as data (``data/short_answers.yaml``) with the verbatim quotes that support it
(a test checks every quote) and the ways practitioners ask it. A question is matched to a line by the
embedding's cosine with those wordings; below ``MIN_SIMILARITY`` no line is given, and the answer
opens by saying what the guidance covers instead. Lines are written so that they read correctly
whether the practitioner asked the question or stated the opposite belief ("I need consent to
refer" and "I don't need consent to refer" both get "You do not need consent to refer ..."), so a
misread polarity can never turn one into a wrong verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from assistant.datafiles import DATA_DIR, Strict, load_model
from assistant.myths.claim_vectors import claim_vectors

SHORT_ANSWERS_FILE = DATA_DIR / "short_answers.yaml"
# Cosine between the question and the closest wording of a line. Set by leave-one-out over the
# wordings themselves (``python -m eval calibrate-short-answers``): at this similarity a wording's
# nearest other wording belongs to the same line at least 90 % of the time.
MIN_SIMILARITY = 0.62
MARGIN = 0.03  # the best line must beat the best other line by this much, else none is sure


class _Quote(Strict):
    doc_id: str = Field(min_length=1)
    quote: str = Field(min_length=8)


class ShortAnswer(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    line: str = Field(min_length=10)
    kind: Literal["rule", "myth", "how"]
    asks: tuple[str, ...] = Field(min_length=4)
    quotes: tuple[_Quote, ...] = Field(min_length=2)


class _ShortAnswersFile(Strict):
    short_answers: tuple[ShortAnswer, ...]

    @model_validator(mode="after")
    def _unique(self) -> "_ShortAnswersFile":
        ids = [a.id for a in self.short_answers]
        if len(set(ids)) != len(ids):
            raise ValueError("short answer ids must be unique")
        return self


@dataclass(frozen=True)
class ShortMatch:
    answer: ShortAnswer
    similarity: float


@cache
def load_short_answers(path: Path = SHORT_ANSWERS_FILE) -> tuple[ShortAnswer, ...]:
    """The short answers, checked (one line naming the file and field)."""
    return load_model(_ShortAnswersFile, path).short_answers


class ShortAnswers:
    """Matches questions to short answers. Immutable, so one instance serves every thread."""

    def __init__(self, embedder, answers: tuple[ShortAnswer, ...] | None = None, cache_dir: Path | None = None) -> None:
        self.answers = answers if answers is not None else load_short_answers()
        texts, owners = [], []
        for i, entry in enumerate(self.answers):
            for text in entry.asks:
                texts.append(text)
                owners.append(i)
        self._matrix = claim_vectors(embedder, texts, cache_dir) if texts else np.zeros((0, 1), np.float32)
        self._owners = np.asarray(owners, dtype=np.int64)

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        """Per short answer: the best cosine between the question and one of its wordings."""
        best = np.full(len(self.answers), -1.0, dtype=np.float32)
        if len(self._owners):
            sims = self._matrix @ np.asarray(vector, dtype=np.float32).reshape(-1)
            np.maximum.at(best, self._owners, sims)
        return best

    def match(self, vector: np.ndarray, min_similarity: float = MIN_SIMILARITY) -> ShortMatch | None:
        if not self.answers:
            return None
        sims = self.similarities(vector)
        order = np.argsort(-sims)
        top = float(sims[order[0]])
        runner_up = float(sims[order[1]]) if len(order) > 1 else -1.0
        unsure = top - runner_up < MARGIN and not _same_gist(self.answers[order[0]], self.answers[order[1]])
        if top < min_similarity or unsure:
            return None
        return ShortMatch(self.answers[int(order[0])], top)


def _same_gist(a: ShortAnswer, b: ShortAnswer) -> bool:
    """Two lines citing the same quote say much the same thing, so a near tie between them is safe."""
    return bool({(q.doc_id, q.quote) for q in a.quotes} & {(q.doc_id, q.quote) for q in b.quotes})
