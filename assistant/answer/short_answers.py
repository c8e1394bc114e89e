"""Short answers: fixed plain-English lines, written and reviewed like the flowcharts, that open an
answer when a question is about one of them.

Each line is kept as data (``data/short_answers.yaml``) with the verbatim quotes that support it
(a test checks every quote) and the ways practitioners ask it. Lines are written so that they read
correctly whether the practitioner asked the question or stated the opposite belief ("I need
consent to refer" and "I don't need consent to refer" both get "You do not need consent to
refer ..."), so a misread polarity can never turn one into a wrong verdict. Which line opens an
answer is chosen in ``answer.guidance`` (retrieval and these wordings must agree).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from assistant.datafiles import DATA_DIR, Strict, load_model
from assistant.decision.models import FACTS
from assistant.errors import CorpusError
from assistant.myths.claim_vectors import claim_vectors

SHORT_ANSWERS_FILE = DATA_DIR / "short_answers.yaml"
# More ways of asking each line: the graded fresh rounds' questions, each labelled by a safeguarding trainer
# with the line that should open its answer (``python -m eval statements``). Kept apart from
# short_answers.yaml, whose wordings train the domain embedder: these only widen what a line is matched on.
ROUND_ASKS_FILE = DATA_DIR / "short_answer_asks_rounds.yaml"
CASE_FIT_FILE = DATA_DIR / "short_answer_facts.yaml"


class _Quote(Strict):
    doc_id: str = Field(min_length=1)
    quote: str = Field(min_length=8)


class ShortAnswer(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    line: str = Field(min_length=10)
    kind: Literal["rule", "myth", "how"]
    # Opens the answer whenever the learned reader reads the person asking for (or receiving) the
    # information as this, whatever the wording (understand.case_reading.asker).
    asker: Literal["doubtful", "no_need", "family"] | None = None
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


@cache
def load_short_answers(path: Path = SHORT_ANSWERS_FILE) -> tuple[ShortAnswer, ...]:
    """The short answers, checked (one line naming the file and field)."""
    return load_model(_ShortAnswersFile, path).short_answers


class _RoundAsksFile(Strict):
    asks: dict[str, tuple[str, ...]]


@cache
def load_round_asks(path: Path = ROUND_ASKS_FILE) -> dict[str, tuple[str, ...]]:
    """The graded rounds' questions per short answer id, checked against the short answers."""
    asks = load_model(_RoundAsksFile, path).asks
    unknown = set(asks) - {a.id for a in load_short_answers()}
    if unknown:
        raise CorpusError(f"{path.name}: {sorted(unknown)} not short answers")
    return asks


def with_round_asks(answers: tuple[ShortAnswer, ...], asks: dict[str, tuple[str, ...]]) -> tuple[ShortAnswer, ...]:
    """The short answers, each also matched on the rounds' questions labelled with it."""
    return tuple(a.model_copy(update={"asks": a.asks + asks[a.id]}) if a.id in asks else a for a in answers)


_Value = Literal["yes", "no", "unsure"]


class _FactsFile(Strict):
    presumes: dict[str, dict[str, tuple[_Value, ...]]]
    opens: dict[str, dict[_Value, str]] = Field(default_factory=dict)
    scopes: dict[Literal["amount", "recipient"], str] = Field(default_factory=dict)


class CaseFit(Strict):
    """What each short answer presumes of a case (short answer id -> fact -> the values it fits),
    the line that opens a case by what it states (fact -> value -> short answer id), and the line
    for a case asking how much to share or whether this person should have it (scope -> id)."""

    presumes: dict[str, dict[str, frozenset[str]]]
    opens: dict[str, dict[str, str]]
    scopes: dict[str, str] = Field(default_factory=dict)

    def fits(self, answer_id: str, facts: dict[str, str] | None) -> bool:
        """True unless a fact of the case contradicts what the line presumes."""
        wanted = self.presumes.get(answer_id, {})
        return all((facts or {}).get(fact) in values for fact, values in wanted.items()
                   if (facts or {}).get(fact) is not None)


@cache
def load_case_fit(path: Path = CASE_FIT_FILE) -> CaseFit:
    """``short_answer_facts.yaml``, checked against the short answers and the flowchart facts (one
    line naming the file)."""
    data = load_model(_FactsFile, path)
    ids = {a.id for a in load_short_answers()}
    named = [(answer_id, set(facts)) for answer_id, facts in data.presumes.items()]
    named += [(answer_id, {fact}) for fact, by_value in data.opens.items() for answer_id in by_value.values()]
    named += [(answer_id, set()) for answer_id in data.scopes.values()]
    for answer_id, facts in named:
        if answer_id not in ids:
            raise CorpusError(f"{path.name}: {answer_id!r} is not a short answer")
        if facts - set(FACTS):
            raise CorpusError(f"{path.name}: {answer_id}: {sorted(facts - set(FACTS))} not flowchart facts")
    presumes = {a: {f: frozenset(v) for f, v in facts.items()} for a, facts in data.presumes.items()}
    return CaseFit(presumes=presumes, opens={f: dict(v) for f, v in data.opens.items()}, scopes=dict(data.scopes))


class ShortAnswers:
    """Scores a question against each short answer's wordings. Immutable, so one instance serves every thread."""

    def __init__(self, embedder, answers: tuple[ShortAnswer, ...] | None = None, cache_dir: Path | None = None) -> None:
        reviewed = answers if answers is not None else load_short_answers()
        self.answers = with_round_asks(reviewed, load_round_asks()) if answers is None else answers
        texts, owners, own = [], [], []
        for i, (entry, kept) in enumerate(zip(self.answers, reviewed)):
            for n, text in enumerate(entry.asks):
                texts.append(text)
                owners.append(i)
                own.append(n < len(kept.asks))
        self._matrix = claim_vectors(embedder, texts, cache_dir) if texts else np.zeros((0, 1), np.float32)
        self._owners = np.asarray(owners, dtype=np.int64)
        self._own = np.asarray(own, dtype=bool)  # the reviewed wordings, not the rounds' questions

    def similarities(self, vector: np.ndarray, own: bool = False) -> np.ndarray:
        """Per short answer: the best cosine between the question and one of its wordings (``own``: of its
        reviewed wordings only, as whether the guidance answers a question at all is judged)."""
        best = np.full(len(self.answers), -1.0, dtype=np.float32)
        if len(self._owners):
            # einsum, not BLAS: with the rounds' questions the matrix is large enough for a BLAS product to
            # start threads that keep spinning after it, and slow the embedder and Chroma on a 2-core machine
            # (warm p95 35 -> 90 ms when it did; see ``learned._near_share``)
            sims = np.einsum("ij,j->i", self._matrix, np.asarray(vector, dtype=np.float32).reshape(-1))
            keep = self._own if own else slice(None)
            np.maximum.at(best, self._owners[keep], sims[keep])
        return best
