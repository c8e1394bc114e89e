"""The deterministic share / don't-share engine: walk a guidance flowchart over given facts.

Every concrete decision the assistant gives comes from ``decide``: it walks the flowchart data (``flowcharts/*.yaml``)
node by node, so the outcome, the path and every citation can be traced to a question in a guidance document.
Nothing here reads free text or loads a model; importing it must not load torch, chromadb, llama_index or streamlit.

Facts are "yes", "no", "unsure" or absent (booleans accepted, None absent, so a JSON form can send either). A fact the walk needs but does not have
gives ``need_more_facts`` with the next question, unless a yes and a no to it lead to the same
outcome (then it is not asked, and the path marks it not needed); a reached outcome does not change
when absent facts are filled in as yes or no (one exception, by design below).

Two generic node rules, written in the data rather than special-cased here:
- ``any_of`` (e.g. "lawful reason to share without consent"): yes if any part is yes; otherwise
  the first absent part is asked next; otherwise unsure if any part is unsure; otherwise no.
- ``unless`` (consent): when seeking_consent_unsafe is yes, consent is treated as "no" (not
  sought), even if consent was given as yes, and the conditions say consent was not sought.
  When consent is absent, seeking_consent_unsafe is asked first, then consent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from assistant.decision.models import (
    ANSWERS, ENDPOINTS, FACTS, OUTCOME_LABELS, Citation, Flowchart, Node, condition_texts, fact_wording,
    load_flowchart,
)
from assistant.errors import BadFacts, UnknownFlowchart

_BOOLS = {True: "yes", False: "no"}
EITHER_WAY = "Not needed to decide: a yes or a no here leads to the same outcome ({outcome})."


def validate_facts(raw: Mapping) -> dict[str, str]:
    """Facts as {name: "yes"|"no"|"unsure"}; None values are dropped (absent)."""
    if not isinstance(raw, Mapping):
        raise BadFacts(f"Facts must be an object of name: yes/no/unsure, not {type(raw).__name__}")
    facts: dict[str, str] = {}
    for key, value in raw.items():
        if key not in FACTS:
            raise BadFacts(f"Unknown fact {key!r}; the facts are: {', '.join(FACTS)}")
        if value is None:
            continue
        if isinstance(value, bool):
            facts[key] = _BOOLS[value]
            continue
        answer = value.strip().lower() if isinstance(value, str) else None
        if answer not in ANSWERS:
            raise BadFacts(f"Fact {key!r} must be yes, no or unsure (or true/false), not {value!r}")
        facts[key] = answer
    return facts


@dataclass(frozen=True)
class Step:
    """One question on the path: the answer taken and where it led."""

    node: str
    question: str
    fact: str  # the fact that settled the answer
    answer: str
    citation: Citation
    facts_used: tuple[tuple[str, str], ...]
    to: str
    implied: str | None = None  # why, when the answer follows from other facts rather than being told
    waived: bool = False  # passed without its fact: the answer would not change the outcome

    def to_dict(self) -> dict:
        return {"node": self.node, "question": self.question, "fact": self.fact, "answer": self.answer,
                "citation": self.citation.to_dict(), "facts_used": dict(self.facts_used), "to": self.to,
                "implied": self.implied, "waived": self.waived}


@dataclass(frozen=True)
class NextQuestion:
    fact: str
    node: str
    question: str
    help: str
    citation: Citation
    node_question: str

    def to_dict(self) -> dict:
        return {"fact": self.fact, "node": self.node, "question": self.question, "help": self.help,
                "citation": self.citation.to_dict(), "node_question": self.node_question}


@dataclass(frozen=True)
class Condition:
    id: str
    kind: str
    text: str
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "text": self.text,
                "citation": self.citations[0].to_dict(), "citations": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True)
class Decision:
    outcome: str
    flowchart: str
    flowchart_title: str
    flowchart_version: str
    documents: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    path: tuple[Step, ...]
    next_question: NextQuestion | None
    conditions: tuple[Condition, ...]
    citations: tuple[Citation, ...]
    reasons: tuple[str, ...]
    lawful_basis: str | None
    referral: tuple[Condition, ...] | None
    consent_not_sought: bool
    implied: tuple[tuple[str, str, str, Citation], ...] = ()  # (fact, answer, because, citation)
    # For a decision still missing a fact: what each answer to it would lead to, as
    # (answer, outcome, the question after it or None), from walking the same flowchart again.
    if_answered: tuple[tuple[str, str, str | None], ...] = ()

    def to_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "outcome_label": OUTCOME_LABELS[self.outcome],
            "flowchart": self.flowchart,
            "flowchart_title": self.flowchart_title,
            "flowchart_version": self.flowchart_version,
            "documents": list(self.documents),
            "facts": dict(self.facts),
            "path": [step.to_dict() for step in self.path],
            "next_question": self.next_question.to_dict() if self.next_question else None,
            "conditions": [condition.to_dict() for condition in self.conditions],
            "citations": [citation.to_dict() for citation in self.citations],
            "reasons": list(self.reasons),
            "lawful_basis": self.lawful_basis,
            "referral": [c.to_dict() for c in self.referral] if self.referral is not None else None,
            "consent_not_sought": self.consent_not_sought,
            "implied": {fact: {"answer": answer, "because": because, "citation": citation.to_dict()}
                        for fact, answer, because, citation in self.implied},
            "if_answered": [{"answer": answer, "outcome": outcome, "outcome_label": OUTCOME_LABELS[outcome],
                             "then_asks": then_asks} for answer, outcome, then_asks in self.if_answered],
        }


@cache
def _compiled(flowchart_id: str) -> tuple[Flowchart, dict[str, Node], dict[str, tuple[Condition, ...]]]:
    chart = load_flowchart(flowchart_id)
    texts = condition_texts()
    conditions = {
        kind: tuple(Condition(ref.id, kind, texts[ref.id], ref.citations) for ref in refs)
        for kind, refs in chart.conditions
    }
    return chart, {node.id: node for node in chart.nodes}, conditions


def _implications(chart: Flowchart, told: Mapping[str, str]):
    """The told facts with what follows from them (never overriding one told), the implied facts as
    {fact: implication}, and the nodes passed without their fact as {fact: implication}."""
    facts, implied = dict(told), {}
    changed = True
    while changed:  # implications may chain; each fills a missing fact once, so this ends
        changed = False
        for rule in chart.implies:
            if rule.then and all(facts.get(f) == v for f, v in rule.when.items()):
                for fact, value in rule.then.items():
                    if fact not in facts:
                        facts[fact], implied[fact], changed = value, rule, True
    waived = {rule.waive: rule for rule in chart.implies
              if rule.waive and all(facts.get(f) == v for f, v in rule.when.items())}
    return facts, implied, waived


def _answer(node: Node, facts: Mapping[str, str], waived: Mapping | None = None):
    """(answer, deciding fact, facts used, missing fact, overridden) for one node."""
    if node.fact is not None:
        own = facts.get(node.fact)
        unless = node.unless
        waiver = (waived or {}).get(node.fact) if own is None else None
        if waiver is not None and not (unless is not None and facts.get(unless.fact) == "yes"):
            deciding = next(iter(waiver.when))
            return waiver.treat_as, deciding, tuple(waiver.when.items()), None, False
        if unless is None:
            if own is None:
                return None, None, (), node.fact, False
            return own, node.fact, ((node.fact, own),), None, False
        guard = facts.get(unless.fact)
        if guard == "yes":
            return unless.treat_as, unless.fact, ((unless.fact, "yes"),), None, True
        if own is not None:
            used = ((unless.fact, guard),) if guard else ()
            return own, node.fact, used + ((node.fact, own),), None, False
        if guard is None:  # ask whether seeking consent is safe before asking for consent
            return None, None, (), unless.fact, False
        return None, None, ((unless.fact, guard),), node.fact, False
    values = [(part.fact, facts.get(part.fact)) for part in node.any_of or ()]
    used = tuple((fact, value) for fact, value in values if value is not None)
    for fact, value in values:
        if value == "yes":
            return "yes", fact, used, None, False
    for fact, value in values:
        if value is None:
            return None, None, used, fact, False
    for fact, value in values:
        if value == "unsure":
            return "unsure", fact, used, None, False
    return "no", values[-1][0], used, None, False


def _next_question(node: Node, fact: str) -> NextQuestion:
    if fact == node.fact:
        return NextQuestion(fact, node.id, node.question, node.help, node.citations[0], node.question)
    wording = fact_wording()[fact]
    if node.unless is not None and fact == node.unless.fact:
        citation = node.unless.citation
    else:
        citation = next(part.citation for part in node.any_of or () if part.fact == fact)
    return NextQuestion(fact, node.id, wording.question, wording.help, citation, node.question)


def _basis(node: Node, step: Step) -> str:
    if step.answer in node.basis:
        return node.basis[step.answer]
    wording = fact_wording()
    yes_facts = [fact for fact, value in step.facts_used if value == "yes" and wording[fact].basis]
    bases = [(wording[fact].basis or "").rstrip(". ") for fact in yes_facts]
    return "; ".join(bases) + "." if bases else ""


def decide(facts: Mapping, flowchart: str = "default") -> Decision:
    """Walk one flowchart over the facts; see the module docstring for the rules."""
    told = validate_facts(facts)
    if not isinstance(flowchart, str):
        raise UnknownFlowchart(f"A flowchart id is a name such as 'default', not {flowchart!r}")
    chart, nodes, conditions = _compiled(flowchart)
    given, implied, waived = _implications(chart, told)
    path: list[Step] = []
    node_id, next_q, not_sought = chart.start, None, False
    while node_id not in ENDPOINTS:
        node = nodes[node_id]
        answer, fact, used, missing, overridden = _answer(node, given, waived)
        settled = _either_way(frozenset(told.items()), missing, flowchart) if missing and missing == node.fact and not node.unless else None
        if missing is not None and settled is None:
            next_q = _next_question(node, missing)
            break
        if settled is not None:  # yes and no lead to the same outcome: not asked, the walk with more reasons followed
            node_id = node.edge(settled[0])
            path.append(Step(node.id, node.question, missing, settled[0], node.citations[0], (), node_id, EITHER_WAY.format(outcome=OUTCOME_LABELS[settled[1]].lower()), True))
            continue
        not_sought = not_sought or overridden
        waiver = waived.get(node.fact) if node.fact and node.fact not in given else None
        because = waiver.because if waiver is not None and not overridden else None
        if because is None:
            because = next((implied[f].because for f, _ in used if f in implied and f == fact), None)
        if overridden:
            citation = node.unless.citation  # type: ignore[union-attr]
        elif because is not None:
            citation = (waiver if waiver is not None and not overridden else implied[fact]).citation
        elif answer == "yes" and node.any_of:  # cite the reason that applied, not just "if yes"
            citation = next(part.citation for part in node.any_of if part.fact == fact)
        else:
            citation = node.citation_for(answer)
        path.append(Step(node.id, node.question, fact, answer, citation, used, node.edge(answer), because,
                         waiver is not None and not overridden))
        node_id = node.edge(answer)
    outcome = "need_more_facts" if next_q else node_id
    harm = given.get("significant_harm_risk") == "yes"
    chosen = _chosen(chart.id, outcome, not_sought, harm)
    return Decision(
        outcome=outcome,
        flowchart=chart.id,
        flowchart_title=chart.title,
        flowchart_version=chart.version,
        documents=chart.documents,
        facts=tuple((name, told[name]) for name in FACTS if name in told),
        path=tuple(path),
        next_question=next_q,
        conditions=chosen,
        citations=_citations(path, nodes, next_q, chosen),
        reasons=_reasons(chart, path, outcome, told, next_q, not_sought),
        lawful_basis=next((b for step in reversed(path) if (b := _basis(nodes[step.node], step))), None) if outcome == "share" else None,
        referral=conditions["referral"] if harm else None,
        consent_not_sought=not_sought,
        implied=tuple((f, given[f], rule.because, rule.citation) for f, rule in implied.items()),
        if_answered=_look_ahead(told, next_q, flowchart) if next_q else (),
    )


@cache
def _either_way(told: frozenset, fact: str | None, flowchart: str) -> tuple[str, str] | None:
    """(the answer whose walk to follow, the outcome) when a case reaches one outcome whether ``fact`` is yes or no
    (its other facts as told); else None. Such a fact is not asked (told as "unsure", it still means seek advice)."""
    walks = {answer: decide({**dict(told), fact: answer}, flowchart) for answer in ("yes", "no")} if fact else {}
    outcomes = {walk.outcome for walk in walks.values()}
    if len(outcomes) != 1 or not outcomes <= set(ENDPOINTS):
        return None
    return max(walks, key=lambda answer: len(walks[answer].path)), outcomes.pop()  # the walk that shows more reasons


def _look_ahead(told: Mapping[str, str], next_q: NextQuestion, flowchart: str) -> tuple[tuple[str, str, str | None], ...]:
    """Where each answer to the missing fact leads (the outcome, or the question still open after it), the
    told facts kept: a stalled case shows what hangs on the question ("if no: do not share")."""
    afters = [(answer, decide({**told, next_q.fact: answer}, flowchart)) for answer in ANSWERS]
    return tuple((answer, after.outcome, after.next_question.question if after.next_question else None) for answer, after in afters)


@cache
def _chosen(flowchart_id: str, outcome: str, not_sought: bool, harm: bool) -> tuple[Condition, ...]:
    """The conditions for an outcome: its own, consent not sought, referral, then recording."""
    conditions = _compiled(flowchart_id)[2]
    kinds = ([outcome] if outcome in ENDPOINTS else []) + (["consent_not_sought"] if not_sought else [])
    kinds += (["referral"] if harm else []) + ["always"]
    return tuple(condition for kind in kinds for condition in conditions[kind])


def _citations(path, nodes, next_q, chosen) -> tuple[Citation, ...]:
    found: dict[tuple[str, str], Citation] = {}
    for step in path:
        for citation in (step.citation, nodes[step.node].citation_for(step.answer)):
            found.setdefault((citation.doc_id, citation.quote), citation)
    if next_q is not None:
        found.setdefault((next_q.citation.doc_id, next_q.citation.quote), next_q.citation)
    for condition in chosen:
        for citation in condition.citations:
            found.setdefault((citation.doc_id, citation.quote), citation)
    return tuple(found.values())


def _reasons(chart, path, outcome, given, next_q, not_sought) -> tuple[str, ...]:
    wording = fact_wording()
    reasons: list[str] = []
    for step in path:
        for fact, value in step.facts_used:
            said = wording[fact].says[value]
            if said not in reasons:
                reasons.append(said)
    if not_sought and given.get("consent") == "yes":
        reasons.append("Consent was given as yes, but asking for consent was marked unsafe, so the flowchart treats consent as not sought.")
    if given.get("significant_harm_risk") == "yes" and given.get("legitimate_purpose") == "no":
        reasons.append("A risk of significant harm was given, but no legitimate purpose: protecting a child from harm is a purpose for sharing - seek advice.")
    if next_q is not None:
        reasons.append(f"No decision yet: the {chart.title} needs an answer to: {next_q.question}")
    elif path:
        last = path[-1]
        reasons.append(f"{OUTCOME_LABELS[outcome]}: the {chart.title} ends there when the answer to "
                       f"\"{last.question}\" is {last.answer}.")
    return tuple(reasons)
