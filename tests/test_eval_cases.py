"""The evaluation case files are well-formed and honest about the corpus.

The eval scores the assistant (and a naive baseline) against these files, so a typo in a "verbatim"
phrase or a mis-listed document would silently make a case unwinnable. This test checks every case
file against strict schemas, minimum counts, and the corpus itself: every expected phrase, cite
phrase and myth statement must be found verbatim (up to white space) in a document the case lists.
Decision scenarios are checked for consistency with the HM Government 2018 flowchart rules the eval
brief states, so an expected outcome cannot drift from its own facts.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.config import PROJECT_ROOT
from assistant.ingest.documents import documents_by_id
from assistant.verbatim import contains, find_span

CASES_DIR = PROJECT_ROOT / "eval" / "cases"
from assistant.decision.models import FACTS as FACT_NAMES
FLOWCHARTS = ("default", "hmg-2006", "hertfordshire", "buckinghamshire")
FactValue = Literal["yes", "no", "unsure"]
Outcome = Literal["share", "do_not_share", "seek_advice"]
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# ------------------------------------------------------------------ schemas
class RetrievalCase(_Strict):
    id: str
    question: str = Field(min_length=2)
    expect_phrases: list[str] = Field(min_length=1, max_length=3)
    docs: list[str] = Field(min_length=1)
    topic: str


class RetrievalFile(_Strict):
    cases: list[RetrievalCase]


class Phrasing(_Strict):
    style: Literal["statement", "question", "casual"]
    text: str = Field(min_length=5)
    expect_verdict: Literal["myth"]


class Myth(_Strict):
    id: str
    statement: str
    also_stated_as: dict[str, str] = {}
    docs: list[str] = Field(min_length=1)
    cite_phrase: str
    phrasings: list[Phrasing] = Field(min_length=3)


class TrueStatement(_Strict):
    id: str
    statement: str
    expect_verdict: Literal[True]
    docs: list[str] = Field(min_length=1)
    cite_phrase: str


class MythsFile(_Strict):
    myths: list[Myth]
    true_statements: list[TrueStatement]


class OutOfScopeCase(_Strict):
    id: str
    question: str
    why: str = Field(min_length=2)
    absent_terms: list[str] = []


class OutOfScopeFile(_Strict):
    cases: list[OutOfScopeCase]


class Expected(_Strict):
    default: Outcome
    hmg_2006: Outcome | None = Field(default=None, alias="hmg-2006")
    hertfordshire: Outcome | None = None
    buckinghamshire: Outcome | None = None


class Scenario(_Strict):
    id: str
    question: str
    based_on: str | None = None
    facts: dict[str, FactValue]
    full_facts: dict[str, FactValue]
    expected: Expected


class Routing(_Strict):
    id: str
    question: str
    route_to_engine: bool


class DecisionsFile(_Strict):
    scenarios: list[Scenario]
    routing: list[Routing]


class UrgentCase(_Strict):
    id: str
    text: str
    urgent: bool


class UrgentFile(_Strict):
    cases: list[UrgentCase]


# ------------------------------------------------------------------ loading
def _load(name: str, model: type[BaseModel]) -> BaseModel:
    with open(CASES_DIR / name, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return model.model_validate(raw)


@pytest.fixture(scope="module")
def corpus() -> dict:
    return documents_by_id(PROJECT_ROOT / "corpus")


@pytest.fixture(scope="module")
def retrieval() -> RetrievalFile:
    return _load("retrieval.yaml", RetrievalFile)


@pytest.fixture(scope="module")
def myths() -> MythsFile:
    return _load("myths.yaml", MythsFile)


@pytest.fixture(scope="module")
def out_of_scope() -> OutOfScopeFile:
    return _load("out_of_scope.yaml", OutOfScopeFile)


@pytest.fixture(scope="module")
def decisions() -> DecisionsFile:
    return _load("decisions.yaml", DecisionsFile)


@pytest.fixture(scope="module")
def urgent() -> UrgentFile:
    return _load("urgent.yaml", UrgentFile)


def _docs_containing(corpus: dict, phrase: str) -> set[str]:
    return {doc_id for doc_id, doc in corpus.items() if contains(doc.text, phrase)}


def _assert_unique(ids: list[str], label: str) -> None:
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"{label}: duplicate ids {dupes}"


def _assert_known_docs(corpus: dict, docs: list[str], where: str) -> None:
    unknown = set(docs) - set(corpus)
    assert not unknown, f"{where}: unknown doc ids {sorted(unknown)}"
    assert len(docs) == len(set(docs)), f"{where}: a doc is listed twice"


# ------------------------------------------------------------------ retrieval
def test_retrieval_counts_ids_and_topics(retrieval: RetrievalFile, corpus: dict) -> None:
    cases = retrieval.cases
    assert len(cases) >= 90
    _assert_unique([c.id for c in cases], "retrieval")
    per_doc = Counter(d for c in cases for d in c.docs)
    for doc_id in corpus:
        assert per_doc[doc_id] >= 12, f"only {per_doc[doc_id]} retrieval cases list {doc_id}"
    for c in cases:
        assert SNAKE.match(c.topic), f"{c.id}: topic {c.topic!r} is not snake_case"
    topics = {c.topic for c in cases}
    for needed in (
        "consent", "age_competence", "confidentiality", "public_interest", "recording",
        "golden_rules", "six_key_points", "lawful_bases", "special_category", "cross_border",
        "disclosure_schemes", "exploitation", "significant_others", "professionals_meetings",
        "escalation", "breaches", "protocols", "prevent", "mental_capacity", "caldicott",
        "crime_disorder_act", "children_act", "ig_lead", "secure_sharing", "fact_opinion",
        "timeliness",
    ):
        assert needed in topics, f"no retrieval case on {needed}"
    assert len({c.question.lower() for c in cases}) == len(cases), "duplicate questions"


def test_retrieval_phrases_are_verbatim_in_listed_docs(retrieval: RetrievalFile, corpus: dict) -> None:
    problems: list[str] = []
    for c in retrieval.cases:
        _assert_known_docs(corpus, c.docs, c.id)
        found_in: set[str] = set()
        for phrase in c.expect_phrases:
            if any(mark in phrase for mark in ("*", "●", "](", "#")):
                problems.append(f"{c.id}: {phrase!r} carries conversion markup")
            words = len(phrase.split())
            if not 3 <= words <= 12:
                problems.append(f"{c.id}: {words} words in {phrase!r}")
            where = _docs_containing(corpus, phrase)
            if not where & set(c.docs):
                problems.append(f"{c.id}: {phrase!r} not in listed docs {c.docs} (found in {sorted(where)})")
            found_in |= where
        padded = set(c.docs) - found_in
        if padded:
            problems.append(f"{c.id}: listed docs {sorted(padded)} contain none of its phrases")
        missing = found_in - set(c.docs)
        if missing:
            problems.append(f"{c.id}: phrases also occur in unlisted docs {sorted(missing)}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ myths
def test_myths_cover_both_guides_verbatim(myths: MythsFile, corpus: dict) -> None:
    _assert_unique([m.id for m in myths.myths] + [t.id for t in myths.true_statements], "myths")
    assert len(myths.myths) >= 5
    stated_in: Counter[str] = Counter()
    for m in myths.myths:
        _assert_known_docs(corpus, m.docs, m.id)
        assert contains(corpus[m.docs[0]].text, m.statement), f"{m.id}: statement not in {m.docs[0]}"
        for doc_id in m.docs:
            wording = m.also_stated_as.get(doc_id, m.statement)
            assert contains(corpus[doc_id].text, wording), f"{m.id}: {wording!r} not verbatim in {doc_id}"
            stated_in[doc_id] += 1
        assert set(m.also_stated_as) <= set(m.docs), f"{m.id}: also_stated_as names an unlisted doc"
        # Both guides answer each myth in near-identical words, so the cite phrase must be in every one.
        assert set(m.docs) <= _docs_containing(corpus, m.cite_phrase), f"{m.id}: cite_phrase not in all its docs"
        assert 3 <= len(m.cite_phrase.split()) <= 12, f"{m.id}: cite_phrase length"
        styles = {p.style for p in m.phrasings}
        assert styles == {"statement", "question", "casual"}, f"{m.id}: needs all three phrasing styles"
    # Both guides bust five myths each; every one of them must be represented.
    assert stated_in["calderdale"] >= 5 and stated_in["childrens-mars"] >= 5


def test_myth_statements_are_followed_by_a_no(myths: MythsFile, corpus: dict) -> None:
    """A myth in these guides is a heading followed by an answer that starts 'No –'."""
    for m in myths.myths:
        for doc_id in m.docs:
            text = corpus[doc_id].text
            wording = m.also_stated_as.get(doc_id, m.statement)
            pattern = r"\s+".join(map(re.escape, wording.split())) + r"\s+No\s+–"
            match = re.search(pattern, text)
            assert match, f"{m.id}: {wording!r} in {doc_id} is not followed by 'No –'"
            # The cite phrase must come from this myth's own answer, not from elsewhere in the doc.
            cite = find_span(text[match.end():match.end() + 2500], m.cite_phrase)
            assert cite is not None, f"{m.id}: cite_phrase is not in the answer to the myth in {doc_id}"


def test_true_statements_are_cited_verbatim(myths: MythsFile, corpus: dict) -> None:
    assert len(myths.true_statements) >= 10
    for t in myths.true_statements:
        _assert_known_docs(corpus, t.docs, t.id)
        assert _docs_containing(corpus, t.cite_phrase) & set(t.docs), f"{t.id}: cite_phrase not in its docs"
        assert 3 <= len(t.cite_phrase.split()) <= 12, f"{t.id}: cite_phrase length"


# ------------------------------------------------------------------ out of scope
def test_out_of_scope_cases(out_of_scope: OutOfScopeFile, corpus: dict) -> None:
    cases = out_of_scope.cases
    assert len(cases) >= 30
    _assert_unique([c.id for c in cases], "out_of_scope")
    assert sum(1 for c in cases if c.absent_terms) >= 20
    lowered = {doc_id: doc.text.lower() for doc_id, doc in corpus.items()}
    for c in cases:
        for term in c.absent_terms:
            hits = [d for d, text in lowered.items() if term.lower() in text]
            assert not hits, f"{c.id}: {term!r} does occur in {hits}; the case may be answerable"


# ------------------------------------------------------------------ decisions
def _effective_consent(facts: dict[str, str]) -> str:
    return "no" if facts["seeking_consent_unsafe"] == "yes" else facts["consent"]


def _lawful_reason(facts: dict[str, str]) -> str:
    reasons = [facts[k] for k in ("statutory_duty", "significant_harm_risk", "public_interest")]
    if "yes" in reasons:
        return "share"
    return "seek_advice" if "unsure" in reasons else "do_not_share"


def _default_outcome(facts: dict[str, str]) -> str:
    """HM Government 2018 flowchart as the eval brief states it (Calderdale Appendix 1)."""
    if facts["legitimate_purpose"] != "yes":
        return "do_not_share" if facts["legitimate_purpose"] == "no" else "seek_advice"
    consent = _effective_consent(facts)
    if consent != "no":
        return "share" if consent == "yes" else "seek_advice"
    if facts["identifiable"] != "yes":
        return "share" if facts["identifiable"] == "no" else "seek_advice"
    return _lawful_reason(facts)


def _confidential_first_outcome(facts: dict[str, str]) -> str:
    """HMG 2006 / Hertfordshire order: purpose, identifiable, confidential, consent, other reason."""
    if facts["legitimate_purpose"] != "yes":
        return "do_not_share" if facts["legitimate_purpose"] == "no" else "seek_advice"
    for gate in ("identifiable", "confidential"):
        if facts[gate] != "yes":
            return "share" if facts[gate] == "no" else "seek_advice"
    consent = _effective_consent(facts)
    if consent != "no":
        return "share" if consent == "yes" else "seek_advice"
    return _lawful_reason(facts)


def test_decision_scenarios_well_formed(decisions: DecisionsFile) -> None:
    scenarios = decisions.scenarios
    assert len(scenarios) >= 45
    _assert_unique([s.id for s in scenarios] + [r.id for r in decisions.routing], "decisions")
    for s in scenarios:
        assert set(s.facts) <= set(FACT_NAMES), f"{s.id}: unknown fact names {set(s.facts) - set(FACT_NAMES)}"
        assert set(s.full_facts) == set(FACT_NAMES), f"{s.id}: full_facts must name all eight facts"
        for name, value in s.facts.items():
            assert s.full_facts[name] == value, f"{s.id}: facts[{name}] contradicts full_facts"
        assert s.facts, f"{s.id}: the question states no facts"
        assert not (s.full_facts["consent"] == "yes" and s.full_facts["seeking_consent_unsafe"] == "yes")
    outcomes = Counter(s.expected.default for s in scenarios)
    assert min(outcomes[o] for o in ("share", "do_not_share", "seek_advice")) >= 5, outcomes


def test_decision_expected_follows_flowchart_rules(decisions: DecisionsFile) -> None:
    problems = []
    for s in decisions.scenarios:
        want = _default_outcome(s.full_facts)
        if s.expected.default != want:
            problems.append(f"{s.id}: expected default {s.expected.default}, rules give {want}")
        other = _confidential_first_outcome(s.full_facts)
        for name, given in (("hmg-2006", s.expected.hmg_2006), ("hertfordshire", s.expected.hertfordshire)):
            effective = given or s.expected.default
            if effective != other:
                problems.append(f"{s.id}: {name} expected {effective}, its flowchart order gives {other}")
            if given is not None and given == s.expected.default:
                problems.append(f"{s.id}: {name} listed but same as default")
        if s.expected.buckinghamshire is not None and s.expected.buckinghamshire == s.expected.default:
            problems.append(f"{s.id}: buckinghamshire listed but same as default")
    assert not problems, "\n".join(problems)
    assert any(s.expected.hmg_2006 for s in decisions.scenarios), "no scenario where flowcharts differ"


def test_routing_cases(decisions: DecisionsFile) -> None:
    routing = decisions.routing
    assert len(routing) >= 25
    counts = Counter(r.route_to_engine for r in routing)
    assert counts[True] >= 10 and counts[False] >= 10


# ------------------------------------------------------------------ urgent
def test_urgent_cases(urgent: UrgentFile) -> None:
    cases = urgent.cases
    _assert_unique([c.id for c in cases], "urgent")
    counts = Counter(c.urgent for c in cases)
    assert counts[True] >= 18 and counts[False] >= 18
    assert len({c.text for c in cases}) == len(cases)


def test_schemas_reject_bad_data() -> None:
    """The schemas are strict: a bare YAML yes (a boolean) or an unknown key is an error."""
    good = {"legitimate_purpose": "yes"}
    full = dict.fromkeys(FACT_NAMES, "no")
    Scenario.model_validate({"id": "x", "question": "q", "facts": good, "full_facts": full,
                             "expected": {"default": "share"}})
    with pytest.raises(ValidationError):
        Scenario.model_validate({"id": "x", "question": "q", "facts": {"consent": True},
                                 "full_facts": full, "expected": {"default": "share"}})
    with pytest.raises(ValidationError):
        RetrievalCase.model_validate({"id": "x", "question": "qq", "expect_phrases": ["a b c"],
                                      "docs": ["calderdale"], "topic": "t", "extra": 1})
    assert _default_outcome({**full, "legitimate_purpose": "yes", "identifiable": "yes"}) == "do_not_share"
    assert _confidential_first_outcome({**full, "legitimate_purpose": "yes", "identifiable": "yes"}) == "share"


# ------------------------------------------------------------------ held-out cases (eval/heldout/)
HELD_OUT_DIR = PROJECT_ROOT / "eval" / "heldout"


def test_held_out_questions_are_well_formed_and_verbatim(corpus: dict) -> None:
    with open(HELD_OUT_DIR / "retrieval.yaml", encoding="utf-8") as handle:
        held_out = RetrievalFile.model_validate(yaml.safe_load(handle))
    assert len(held_out.cases) >= 30
    shipped = {c.id for c in _load("retrieval.yaml", RetrievalFile).cases}
    assert not shipped & {c.id for c in held_out.cases}, "a held-out id repeats a shipped case's id"
    test_retrieval_phrases_are_verbatim_in_listed_docs(held_out, corpus)


def test_held_out_out_of_scope_cases_are_not_answered_by_the_corpus(corpus: dict) -> None:
    with open(HELD_OUT_DIR / "out_of_scope.yaml", encoding="utf-8") as handle:
        held_out = OutOfScopeFile.model_validate(yaml.safe_load(handle))
    assert len(held_out.cases) >= 20
    lowered = {doc_id: " ".join(doc.text.lower().split()) for doc_id, doc in corpus.items()}
    for c in held_out.cases:
        for term in c.absent_terms:
            assert not [d for d, text in lowered.items() if term.lower() in text], f"{c.id}: {term!r} is in the corpus"
