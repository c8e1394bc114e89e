"""Learned readers: what kind of message a practitioner wrote, and what it states about risk, consent
and urgency, read from the sentence embedding by small linear models.

Why learned: hand-written patterns read the phrasings they were written for. These models are
trained on labelled examples in practitioners' own words (``data/understanding_examples*.yaml``,
written without sight of any evaluation case), so they also read wordings nobody wrote a rule for.
They sit beside the rules, never instead of them (``understand.case_reading`` weighs the two), and
free text still never decides: what they read goes to the flowchart engine as facts, shown as read.

Training is multinomial logistic regression (scikit-learn, seeded), run when the index is built;
the weights are cached as ``readers-<sha256>.npy`` in the model folder, keyed by the examples, the
embedder and the settings, so the query path only multiplies a vector by a small matrix (numpy).
The risk head also weighs the nearest labelled examples (``neighbours-<sha256>.npy``: their vectors
and risk labels), so a close paraphrase of a labelled risk is read as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import model_validator

from assistant.arrays import digest, read_matrix, write_matrix
from assistant.datafiles import DATA_DIR, Strict, load_model

EXAMPLES_GLOB = "understanding_examples*.yaml"  # every file of examples, read in name order
HEADS = {
    "kind": ("general", "case", "claim", "other"),
    "risk": ("no", "unsure", "yes"),
    "consent": ("none", "given", "refused", "not_asked", "unsafe"),
    "urgent": ("no", "yes"),
    # Who wants the information or would receive it; labelled only in later examples files, and
    # trained on the examples that carry it. "doubtful": identity or entitlement unchecked, or may
    # be the risk; "no_need": no need to know (curiosity, other parents, the press).
    "asker": ("none", "agency", "family", "no_need", "doubtful"),
    # What a described case's question turns on: whether to pass a worry on at all, how much to
    # share, whether this particular person should have it, or how to go about it. And whether the
    # concern is already known to children's social care or the police (a child on a plan, a
    # section 47 under way, the request from them). Labelled for cases only ("none" otherwise).
    "asks": ("none", "whether", "amount", "recipient", "how"),
    "known": ("none", "no", "yes"),
    # Whether a statement of belief says what the guidance says ("true") or a myth. Trained only on
    # statements (``understanding_examples_statements.yaml``: the graded rounds' statements, each with
    # the verdict its writer gave it) and read only of a message the claim reader reads as a statement;
    # it confirms or withholds a claim's verdict, never gives one alone (``answer.verdict``).
    "stance": ("myth", "true"),
}
PARTIAL_HEADS = ("asker", "asks", "known", "stance")  # heads not every example is labelled for
BASE_HEADS = ("kind", "risk", "consent", "urgent")  # labelled on every example of a file that trains them
SEED = 0
EMBED_BATCH = 64  # examples embedded per call when training (memory: see ``embed_in_batches``)
REGULARISATION = 4.0  # scikit-learn's C: 5-fold cross-validation on the examples chose 4 over 1 and 16


class _Example(Strict):
    text: str
    kind: Literal["general", "case", "claim", "other"] | None = None
    risk: Literal["no", "unsure", "yes"] | None = None
    consent: Literal["none", "given", "refused", "not_asked", "unsafe"] | None = None
    urgent: bool | None = None
    stance: Literal["myth", "true"] | None = None
    asker: Literal["none", "agency", "family", "no_need", "doubtful"] | None = None
    asks: Literal["whether", "amount", "recipient", "how"] | None = None
    known: Literal["no", "yes"] | None = None


class _ExamplesFile(Strict):
    # the heads this file's examples train (all when absent): a file written for new heads need
    # not move the readers the earlier files trained, whose thresholds were set on them
    trains: tuple[Literal["kind", "risk", "consent", "urgent", "asker", "asks", "known", "stance"], ...] | None = None
    examples: tuple[_Example, ...]

    @model_validator(mode="after")
    def _labelled(self) -> "_ExamplesFile":
        """Every example carries each base head its file trains (all four when it names none)."""
        for head in (h for h in BASE_HEADS if self.trains is None or h in self.trains):
            if any(getattr(e, head) is None for e in self.examples):
                raise ValueError(f"every example needs {head!r}")
        return self


@dataclass(frozen=True)
class Example:
    text: str
    labels: dict[str, str]


@cache
def load_examples(folder: Path = DATA_DIR) -> tuple[Example, ...]:
    """The labelled examples of every examples file, checked (one line naming file and field)."""
    return tuple(e for path in sorted(folder.glob(EXAMPLES_GLOB)) for e in read_examples(path))


def read_examples(path: Path) -> list[Example]:
    data = load_model(_ExamplesFile, path)
    examples = [Example(r.text.strip(), {**_base(r), **({"asker": asker} if (asker := _asker(r)) else {}),
                                         **({"stance": r.stance} if r.stance else {}),
                                         **(_case_only(r) if r.kind else {})}) for r in data.examples]
    if data.trains is None:
        return examples
    return [Example(e.text, {h: v for h, v in e.labels.items() if h in data.trains}) for e in examples]


def _base(row: _Example) -> dict[str, str]:
    """The base heads' labels the example carries."""
    labels = {head: getattr(row, head) for head in ("kind", "risk", "consent") if getattr(row, head) is not None}
    return labels | ({"urgent": "yes" if row.urgent else "no"} if row.urgent is not None else {})


def _case_only(row: _Example) -> dict[str, str]:
    """The labels given for described cases only: as written for a case (unlabelled when not
    given), "none" for any other message."""
    if row.kind != "case":
        return {"asks": "none", "known": "none"}
    return {head: value for head, value in (("asks", row.asks), ("known", row.known)) if value is not None}


def _asker(row: _Example) -> str | None:
    """The asker label: as written; else "none" for a message that is not a described case (a
    question, statement or other message names nobody who asks), and unlabelled for a case."""
    return row.asker or ("none" if row.kind not in ("case", None) else None)


@dataclass(frozen=True)
class Reading:
    """Probabilities per head, as {class: p}."""

    probabilities: dict[str, dict[str, float]]

    def p(self, head: str, label: str) -> float:
        return self.probabilities.get(head, {}).get(label, 0.0)

    def risk_from_neighbours(self, threshold: float) -> bool:
        """The risk head's "yes" was raised by the nearest labelled examples: read alone, the message's linear
        reading is below ``threshold``. Such a risk is often a worry for the safeguarding lead."""
        linear = self.probabilities.get("risk_linear")
        return linear is not None and linear["yes"] < threshold

    def label(self, head: str, threshold: float) -> str | None:
        """The most probable class of ``head`` when it reaches ``threshold``, else None."""
        scores = self.probabilities.get(head)
        if not scores:
            return None
        best = max(scores, key=scores.get)
        return best if scores[best] >= threshold else None


# The risk head also asks the nearest labelled examples: a linear model over a general-purpose
# embedding misses paraphrases ("his dad's friend touches him when he stays over") that a close
# labelled example catches. The share of risk "yes" among the NEIGHBOURS nearest examples, each
# weighted by how far its cosine is above NEIGHBOUR_FLOOR, raises the risk reading (never lowers
# it: missing a risk is the costly mistake). On the graded rounds' cases that need "share" or are
# urgent, risk read at 0.65: linear alone 68 %, with the neighbours 83 %; of those needing "do not
# share", 6 % either way.
NEIGHBOURS = 7
NEIGHBOUR_FLOOR = 0.5


class LearnedReader:
    """Linear models over the embedding, one per head, and the labelled examples nearest a message
    for the risk head. Immutable, so one instance serves every thread."""

    def __init__(self, weights: np.ndarray, neighbours: np.ndarray | None = None,
                 stances: np.ndarray | None = None) -> None:
        """``weights``: one row per class of every head, in ``HEADS`` order; the last column is the
        bias. ``neighbours``: one row per labelled example, its unit vector then 1.0 where its
        risk is "yes" (else 0.0); None reads with the linear models alone. ``stances``: the same for
        the examples labelled for stance, 1.0 where a myth."""
        self._weights = np.asarray(weights, dtype=np.float32)
        self._slices, start = {}, 0
        for head, classes in HEADS.items():
            self._slices[head] = slice(start, start + len(classes))
            start += len(classes)
        self._vectors = self._risky = None
        if neighbours is not None and len(neighbours):
            self._vectors = np.ascontiguousarray(neighbours[:, :-1], dtype=np.float32)
            self._risky = np.asarray(neighbours[:, -1], dtype=np.float32)
        self._stance_vectors = self._myths = None
        if stances is not None and len(stances):
            self._stance_vectors = np.ascontiguousarray(stances[:, :-1], dtype=np.float32)
            self._myths = np.asarray(stances[:, -1], dtype=np.float32)

    @classmethod
    def load(cls, embedder, cache_dir: Path | None = None,
             examples: tuple[Example, ...] | None = None) -> "LearnedReader":
        """Read from the model folder's cache, or train (and cache) when it has none."""
        examples = examples if examples is not None else load_examples()
        name = getattr(embedder, "name", None)
        path = _cache_file(cache_dir, examples, name) if cache_dir is not None and name else None
        near_path = path.with_name(path.name.replace("readers-", "neighbours-")) if path is not None else None
        stance_path = path.with_name(path.name.replace("readers-", "stances-")) if path is not None else None
        rows = sum(len(classes) for classes in HEADS.values())
        weights = read_matrix(path, rows) if path is not None else None
        risky = [i for i, e in enumerate(examples) if "risk" in e.labels]  # the neighbours: examples labelled for risk
        neighbours = read_matrix(near_path, len(risky)) if near_path is not None else None
        stanced = [i for i, e in enumerate(examples) if "stance" in e.labels]  # the statements, for the stance neighbours
        stances = read_matrix(stance_path, len(stanced)) if stance_path is not None else None
        if weights is None or neighbours is None or stances is None:
            vectors = embed_in_batches(embedder, [e.text for e in examples])
            weights = train(embedder, examples, vectors)
            neighbours = np.hstack([vectors[risky], np.array([[examples[i].labels["risk"] == "yes"] for i in risky],
                                                             dtype=np.float32)])
            stances = np.hstack([vectors[stanced], np.array([[examples[i].labels["stance"] == "myth"] for i in stanced],
                                                            dtype=np.float32).reshape(-1, 1)])
            if path is not None:
                write_matrix(path, weights)
                write_matrix(near_path, neighbours)
                write_matrix(stance_path, stances)
        return cls(weights, neighbours, stances)

    def read(self, vector: np.ndarray) -> Reading:
        v = np.asarray(vector, dtype=np.float32).reshape(-1)
        logits = self._weights @ np.append(v, np.float32(1.0))
        probabilities = {}
        for head, classes in HEADS.items():
            part = logits[self._slices[head]]
            p = np.exp(part - part.max())
            p /= p.sum()
            probabilities[head] = {label: float(x) for label, x in zip(classes, p)}
        near = self._neighbours_risk(v)
        if near is not None and near > probabilities["risk"]["yes"]:
            probabilities["risk_linear"] = dict(probabilities["risk"])  # as read alone (``Reading.risk_from_neighbours``)
            rest = 1.0 - probabilities["risk"]["yes"]
            scale = (1.0 - near) / rest if rest > 0 else 0.0
            probabilities["risk"] = {label: (near if label == "yes" else p * scale)
                                     for label, p in probabilities["risk"].items()}
        myth = _near_share(self._stance_vectors, self._myths, v)
        if myth is not None:  # the statements nearest: a second, independent reading of the stance
            probabilities["stance_near"] = {"myth": myth, "true": 1.0 - myth}
        return Reading(probabilities)

    def _neighbours_risk(self, v: np.ndarray) -> float | None:
        """The similarity-weighted share of risk "yes" among the nearest labelled examples, or None
        when none is close (above NEIGHBOUR_FLOOR)."""
        return _near_share(self._vectors, self._risky, v)


def _near_share(vectors: np.ndarray | None, flags: np.ndarray | None, v: np.ndarray) -> float | None:
    """The similarity-weighted share of ``flags`` among the NEIGHBOURS rows of ``vectors`` nearest ``v``,
    or None when none is close (above NEIGHBOUR_FLOOR)."""
    if vectors is None:
        return None
    # einsum, not BLAS: a BLAS product this size starts threads that keep spinning after it and
    # slow the embedder and Chroma on a 2-core machine (warm p50 18.7 -> 30.9 ms when it did)
    sims = np.einsum("ij,j->i", vectors, v)
    k = min(NEIGHBOURS, len(sims))
    nearest = np.argpartition(-sims, k - 1)[:k]
    weight = np.clip(sims[nearest] - NEIGHBOUR_FLOOR, 0.0, None)
    total = float(weight.sum())
    return float(weight @ flags[nearest]) / total if total > 0 else None


def train(embedder, examples: tuple[Example, ...], vectors: np.ndarray | None = None) -> np.ndarray:
    """One seeded multinomial logistic regression per head over the examples' embeddings
    (``vectors``, when already embedded), as the stacked weight matrix ``LearnedReader`` reads."""
    from sklearn.linear_model import LogisticRegression  # deferred: scikit-learn takes about 1 s; only training needs it

    everything = (np.asarray(vectors, dtype=np.float32) if vectors is not None
                  else embed_in_batches(embedder, [e.text for e in examples]))
    blocks = []
    for head, classes in HEADS.items():
        rows = [i for i, e in enumerate(examples) if head in e.labels]  # a partial head: its labelled examples
        x = everything[rows]
        y = np.array([classes.index(examples[i].labels[head]) for i in rows])
        block = np.zeros((len(classes), everything.shape[1] + 1), dtype=np.float32)
        block[:, -1] = -1e4  # a class with no example is never read
        present = sorted(set(y.tolist()))
        if not present:  # no example labelled: always the first class ("none")
            block[0, -1] = 0.0
        elif len(present) == 1:  # one class only: always that one, nothing to learn
            block[present[0], -1] = 0.0
        else:
            model = LogisticRegression(C=REGULARISATION, max_iter=2000, class_weight="balanced",
                                       random_state=SEED).fit(x, y)
            if len(model.classes_) == 2:  # scikit-learn keeps one row for two classes
                block[model.classes_[0], -1] = 0.0
                block[model.classes_[1], :-1], block[model.classes_[1], -1] = model.coef_[0], model.intercept_[0]
            else:
                for row, cls in enumerate(model.classes_):
                    block[cls, :-1], block[cls, -1] = model.coef_[row], model.intercept_[row]
        blocks.append(block)
    return np.vstack(blocks)


def embed_in_batches(embedder, texts: list[str], batch: int = EMBED_BATCH) -> np.ndarray:
    """The texts' vectors, EMBED_BATCH at a time: the embedder pads a call's texts to its longest and
    runs them at once, so the 4,500 examples in one call took some 20 GB of memory."""
    parts = [np.asarray(embedder.embed(texts[i:i + batch]), dtype=np.float32) for i in range(0, len(texts), batch)]
    return np.vstack(parts) if parts else np.zeros((0, getattr(embedder, "dimension", 0)), dtype=np.float32)


def _cache_file(cache_dir: Path, examples: tuple[Example, ...], embedder_name: str) -> Path:
    parts = [f"{e.text}\t{sorted(e.labels.items())}" for e in examples]
    parts.append(f"embedder:{embedder_name} C:{REGULARISATION} seed:{SEED} heads:{sorted(HEADS.items())} "
                 f"neighbours:{NEIGHBOURS}/{NEIGHBOUR_FLOOR}")
    return Path(cache_dir) / f"readers-{digest(parts)}.npy"
