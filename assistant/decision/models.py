"""The decision flowcharts as data: strict models and the loader.

Each guidance document's share/don't-share questions live in ``assistant/decision/flowcharts/<id>.yaml``;
the plain-words wording of the eight facts in ``facts.yaml`` and of the conditions in
``conditions.yaml``. Loading checks the structure (unknown keys, dangling edges, cycles,
unreachable nodes, citations to documents the flowchart does not name) so that a broken file
fails at load time, not half-way through a practitioner's decision. Whether each quote is found
verbatim in the corpus is checked by ``check_citations`` (tests and the doctor command), because
that needs the corpus and ``load_flowchart`` must stay cheap and pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from assistant.datafiles import M, Strict, load_yaml, validate
from assistant.errors import CorpusError, UnknownFlowchart
from assistant.ingest.documents import documents_by_id
from assistant.verbatim import contains

FLOWCHART_DIR = Path(__file__).resolve().parent / "flowcharts"
FACTS: tuple[str, ...] = (
    "legitimate_purpose",
    "consent",
    "identifiable",
    "confidential",
    "statutory_duty",
    "significant_harm_risk",
    "public_interest",
    "seeking_consent_unsafe",
)
ANSWERS: tuple[str, ...] = ("yes", "no", "unsure")
OUTCOMES: tuple[str, ...] = ("share", "do_not_share", "seek_advice", "need_more_facts")
ENDPOINTS: tuple[str, ...] = ("share", "do_not_share", "seek_advice")  # outcomes an edge can lead to
OUTCOME_LABELS = {
    "share": "Share",
    "do_not_share": "Do not share",
    "seek_advice": "Seek advice before deciding",
    "need_more_facts": "More facts needed - no decision yet",
}
CONDITION_KINDS: tuple[str, ...] = (
    "share", "do_not_share", "seek_advice", "always", "referral", "consent_not_sought",
)
_DATA_FILES = {"facts.yaml", "conditions.yaml"}

Fact = Literal[
    "legitimate_purpose", "consent", "identifiable", "confidential",
    "statutory_duty", "significant_harm_risk", "public_interest", "seeking_consent_unsafe",
]
Answer = Literal["yes", "no", "unsure"]




class Citation(Strict):
    doc_id: str = Field(min_length=1)
    quote: str = Field(min_length=8)

    def to_dict(self) -> dict[str, str]:
        return {"doc_id": self.doc_id, "quote": self.quote}


class Override(Strict):
    """A fact that, when yes, fixes this node's answer (seeking consent unsafe -> consent 'no')."""

    fact: Fact
    treat_as: Answer
    citation: Citation


class Implication(Strict):
    """What follows from told facts, as the guidance itself says (cited). It never overrides a told
    fact: ``then`` fills facts that were not told; ``waive`` passes a node whose fact was not told
    as if answered ``treat_as`` (a lawful reason to share without consent makes consent not needed).
    """

    when: dict[Fact, Answer] = Field(min_length=1)
    then: dict[Fact, Answer] = Field(default_factory=dict)
    waive: Fact | None = None
    treat_as: Answer | None = None
    because: str = Field(min_length=10)
    citation: Citation

    @model_validator(mode="after")
    def _one_effect(self) -> "Implication":
        if bool(self.then) == (self.waive is not None):
            raise ValueError("an implication needs exactly one of 'then' or 'waive'")
        if (self.waive is None) != (self.treat_as is None):
            raise ValueError("'waive' and 'treat_as' go together")
        if set(self.then) & set(self.when):
            raise ValueError("an implication cannot imply a fact it depends on")
        return self


class Part(Strict):
    """One fact of a composite question; any part answered yes makes the question yes."""

    fact: Fact
    citation: Citation


class Node(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    fact: Fact | None = None
    any_of: tuple[Part, ...] | None = None
    unless: Override | None = None
    question: str = Field(min_length=5)
    help: str = Field(min_length=5)
    citations: tuple[Citation, ...] = Field(min_length=1)
    answer_citations: dict[Answer, Citation] = Field(default_factory=dict)
    basis: dict[Answer, str] = Field(default_factory=dict)
    if_yes: str
    if_no: str
    if_unsure: str

    @model_validator(mode="after")
    def _one_kind(self) -> "Node":
        if (self.fact is None) == (self.any_of is None):
            raise ValueError(f"node {self.id!r} needs exactly one of 'fact' or 'any_of'")
        if self.any_of is not None and len(self.any_of) < 2:
            raise ValueError(f"node {self.id!r}: 'any_of' needs at least two facts")
        if self.unless is not None and self.fact is None:
            raise ValueError(f"node {self.id!r}: 'unless' only applies to a single-fact node")
        return self

    def edge(self, answer: str) -> str:
        return {"yes": self.if_yes, "no": self.if_no, "unsure": self.if_unsure}[answer]

    @property
    def facts(self) -> tuple[str, ...]:
        """Every fact this node may read, in the order it asks them."""
        own = (self.fact,) if self.fact else tuple(part.fact for part in self.any_of or ())
        return ((self.unless.fact,) if self.unless else ()) + own

    def citation_for(self, answer: str) -> Citation:
        return self.answer_citations.get(answer) or self.citations[0]


class ConditionRef(Strict):
    id: str
    citations: tuple[Citation, ...] = Field(min_length=1)


class Conditions(Strict):
    share: tuple[ConditionRef, ...] = Field(min_length=1)
    do_not_share: tuple[ConditionRef, ...] = Field(min_length=1)
    seek_advice: tuple[ConditionRef, ...] = Field(min_length=1)
    always: tuple[ConditionRef, ...] = Field(min_length=1)
    referral: tuple[ConditionRef, ...] = Field(min_length=1)
    consent_not_sought: tuple[ConditionRef, ...] = Field(min_length=1)


class Flowchart(Strict):
    id: str
    title: str
    version: str
    order: int
    documents: tuple[str, ...] = Field(min_length=1)
    description: str
    start: str
    nodes: tuple[Node, ...] = Field(min_length=1)
    conditions: Conditions
    implies: tuple[Implication, ...] = ()

    @model_validator(mode="after")
    def _graph(self) -> "Flowchart":
        ids = [node.id for node in self.nodes]
        if len(set(ids)) != len(ids):
            raise ValueError("node ids must be unique")
        if set(ids) & set(ENDPOINTS):
            raise ValueError(f"a node may not be called {ENDPOINTS}")
        known = set(ids) | set(ENDPOINTS)
        for node in self.nodes:
            for answer in ANSWERS:
                if node.edge(answer) not in known:
                    raise ValueError(f"node {node.id!r}: {answer} leads to unknown {node.edge(answer)!r}")
            if node.edge("no") == "share" and "no" not in node.basis:
                raise ValueError(f"node {node.id!r}: 'no' leads to share, so give basis for 'no'")
        if self.start not in ids:
            raise ValueError(f"start {self.start!r} is not a node")
        self._check_acyclic_and_reachable({node.id: node for node in self.nodes})
        for citation in self.all_citations():
            if citation.doc_id not in self.documents:
                raise ValueError(f"citation of {citation.doc_id!r}, which is not in documents")
        return self

    def _check_acyclic_and_reachable(self, by_id: dict[str, Node]) -> None:
        state: dict[str, int] = {}

        def visit(node_id: str) -> None:
            if node_id not in by_id:
                return
            if state.get(node_id) == 1:
                raise ValueError(f"the flowchart loops back to {node_id!r}")
            if state.get(node_id) == 2:
                return
            state[node_id] = 1
            for answer in ANSWERS:
                visit(by_id[node_id].edge(answer))
            state[node_id] = 2

        visit(self.start)
        unreachable = sorted(set(by_id) - set(state))
        if unreachable:
            raise ValueError(f"nodes not reachable from the start: {unreachable}")

    def node(self, node_id: str) -> Node:
        return next(node for node in self.nodes if node.id == node_id)

    def all_citations(self) -> list[Citation]:
        found: list[Citation] = []
        for node in self.nodes:
            found.extend(node.citations)
            found.extend(node.answer_citations.values())
            found.extend(part.citation for part in node.any_of or ())
            if node.unless:
                found.append(node.unless.citation)
        found.extend(implication.citation for implication in self.implies)
        for kind in CONDITION_KINDS:
            for ref in getattr(self.conditions, kind):
                found.extend(ref.citations)
        return found


class FactWording(Strict):
    question: str
    help: str
    says: dict[Answer, str]
    basis: str | None = None
    topic: dict[Answer, str] = Field(default_factory=dict)  # what to search the guidance for, given this answer

    @model_validator(mode="after")
    def _all_answers(self) -> "FactWording":
        if set(self.says) != set(ANSWERS):
            raise ValueError("'says' needs yes, no and unsure")
        return self


class FactsFile(Strict):
    facts: dict[Fact, FactWording]


class ConditionsFile(Strict):
    texts: dict[str, str]


@dataclass(frozen=True)
class FlowchartInfo:
    id: str
    title: str
    documents: tuple[str, ...]
    description: str


def _read_yaml(path: Path) -> object:
    if not path.is_file():
        raise UnknownFlowchart(f"No flowchart data file {path.name}")
    return load_yaml(path)


def _parse(model: type[M], path: Path) -> M:
    return validate(model, _read_yaml(path), path)


@cache
def fact_wording() -> dict[str, FactWording]:
    wording = _parse(FactsFile, FLOWCHART_DIR / "facts.yaml").facts  # type: ignore[attr-defined]
    missing = set(FACTS) - set(wording)
    if missing:
        raise CorpusError(f"facts.yaml lacks wording for {sorted(missing)}")
    return dict(wording)


@cache
def condition_texts() -> dict[str, str]:
    return dict(_parse(ConditionsFile, FLOWCHART_DIR / "conditions.yaml").texts)  # type: ignore[attr-defined]


@cache
def flowchart_ids() -> tuple[str, ...]:
    """Every flowchart file, default first (by each file's ``order``)."""
    ids = [path.stem for path in FLOWCHART_DIR.glob("*.yaml") if path.name not in _DATA_FILES]
    return tuple(sorted(ids, key=lambda fid: (load_flowchart(fid).order, fid)))


@cache
def load_flowchart(flowchart_id: str) -> Flowchart:
    """The flowchart with this id, checked against facts.yaml and conditions.yaml (cached)."""
    if not isinstance(flowchart_id, str):
        raise UnknownFlowchart(f"A flowchart id is a name such as 'default', not {flowchart_id!r}")
    path = FLOWCHART_DIR / f"{flowchart_id}.yaml"
    if path.name in _DATA_FILES or path.parent != FLOWCHART_DIR or not path.is_file():
        known = ", ".join(sorted(p.stem for p in FLOWCHART_DIR.glob("*.yaml") if p.name not in _DATA_FILES))
        raise UnknownFlowchart(f"Unknown flowchart {flowchart_id!r}; choose one of: {known}")
    chart = _parse(Flowchart, path)
    assert isinstance(chart, Flowchart)
    if chart.id != flowchart_id:
        raise CorpusError(f"{path.name} says its id is {chart.id!r}")
    texts, wording = condition_texts(), fact_wording()
    for kind in CONDITION_KINDS:
        for ref in getattr(chart.conditions, kind):
            if ref.id not in texts:
                raise CorpusError(f"{path.name}: condition {ref.id!r} has no text in conditions.yaml")
    for node in chart.nodes:
        if node.fact and node.edge("yes") == "share" and "yes" not in node.basis \
                and not wording[node.fact].basis:
            raise CorpusError(f"{path.name}: node {node.id!r} shares on yes but names no basis")
        for part in node.any_of or ():
            if node.edge("yes") == "share" and not wording[part.fact].basis:
                raise CorpusError(f"{path.name}: fact {part.fact!r} shares but facts.yaml gives no basis")
    return chart


def list_flowcharts() -> list[FlowchartInfo]:
    return [
        FlowchartInfo(chart.id, chart.title, chart.documents, chart.description)
        for chart in (load_flowchart(fid) for fid in flowchart_ids())
    ]


def check_citations(corpus_dir: Path) -> list[str]:
    """Every flowchart quote not found verbatim in its document (empty list = all good)."""

    docs = documents_by_id(Path(corpus_dir))
    problems: list[str] = []
    for fid in flowchart_ids():
        for citation in load_flowchart(fid).all_citations():
            doc = docs.get(citation.doc_id)
            if doc is None:
                problems.append(f"{fid}: no document {citation.doc_id!r} in the corpus")
            elif not contains(doc.text, citation.quote):
                problems.append(f"{fid}: not verbatim in {citation.doc_id}: {citation.quote[:80]!r}")
    return problems
