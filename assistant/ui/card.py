"""What a decision card in the chat shows, decided without Streamlit.

A card belongs to one chat turn and keeps what happened to it, after later questions too:
- the referral advice first when the facts say a child may be at risk (``risk_first``);
- the outcome, then the path the engine walked: each question with its answer and where that
  answer came from (answered by you, read from your words and unconfirmed, or implied by the
  guidance, with why) (``path_rows``, ``fact_rows``);
- the referral route and conditions, and their sources numbered once per passage (``card_sources``);
- after a follow-up, what it changed (``what_changed``), with each fact keeping where it came from
  (``follow_flow``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from assistant.decision.models import FACTS
from assistant.messages import section, text as msg
from assistant.ui.state import FlowState, outcome_title, start_flow
from assistant.ui.text import ui

ANSWER_SOURCES = ("answer", "question")  # answered by you, read from your words


def risk_first(facts: Mapping[str, str], urgent: bool) -> dict | None:
    """The referral advice to show before anything else when the facts say a child may be at risk
    (None when the urgent banner already says it, or no risk is known)."""
    risk = facts.get("significant_harm_risk")
    if urgent or risk not in ("yes", "unsure"):
        return None
    return {"level": risk, "text": msg("risk_first", risk),
            "citations": [(c["doc_id"], c["quote"]) for c in section("risk_first", "citations", risk)]}


def _how(source: str | None) -> str:
    return ui("decision", "your_answer" if source == "answer" else "from_question")


def fact_rows(state: FlowState, decision=None) -> list[dict]:
    """Every fact known so far, labelled by where it came from; with ``decision``, the facts the
    guidance implies from them too (``source`` says why). Implied rows have ``implied`` True."""
    sources = dict(state.sources)
    rows = [{"fact": fact, "label": msg("decision", "facts_labels", fact), "value": value,
             "source": _how(sources.get(fact)), "implied": False} for fact, value in state.facts]
    known = state.fact_map
    for fact, answer, because, _ in (decision.implied if decision is not None else ()):
        if fact not in known:
            rows.append({"fact": fact, "label": msg("decision", "facts_labels", fact), "value": answer,
                         "source": ui("decision", "implied_by", because=because), "implied": True})
    return rows


def path_rows(decision, state: FlowState) -> list[dict]:
    """The engine's path, one row per question: question, answer, how it was answered, citation."""
    sources = dict(state.sources)
    labels = ui("decision", "buttons")
    rows = []
    for step in decision.path:
        if step.waived:
            answer, how = labels.get(step.answer, step.answer), ui("decision", "not_needed", because=step.implied)
        elif step.implied:
            answer, how = labels[step.answer], ui("decision", "implied_by", because=step.implied)
        else:
            answer, how = labels[step.answer], _how(sources.get(step.fact))
        rows.append({"question": step.question, "answer": answer, "how": how, "fact": step.fact,
                     "citation": (step.citation.doc_id, step.citation.quote)})
    return rows


def card_sources(groups: list[list[tuple[str, str]]], locate: Callable[[str, str], dict]):
    """Numbers for each group of (doc_id, quote) citations, one number per passage, and the
    sources in number order (each with every quote cited from it in ``quotes``)."""
    found: dict[tuple, dict] = {}
    numbers = []
    for group in groups:
        mine: list[int] = []
        for doc_id, quote in group:
            cited = locate(doc_id, quote)
            key = (cited["doc_id"], cited["passage_start"], cited["passage_end"])
            if key not in found:
                found[key] = {**cited, "n": len(found) + 1, "quotes": []}
            item = found[key]
            if cited["quote"] not in item["quotes"]:
                item["quotes"].append(cited["quote"])
            if item["n"] not in mine:
                mine.append(item["n"])
        numbers.append(mine)
    return numbers, list(found.values())


def follow_flow(answer: Mapping, turn: int, before: FlowState | None) -> FlowState | None:
    """The flow of a new decision turn. After a follow-up, a fact with the value it had before keeps
    where it came from (a clicked answer stays "answered by you"); new or changed facts were read
    from the follow-up's words."""
    fresh = start_flow(answer, turn)
    if fresh is None or before is None:
        return fresh
    old, old_sources = before.fact_map, dict(before.sources)
    sources = tuple((fact, old_sources.get(fact, "question") if old.get(fact) == value else "question")
                    for fact, value in fresh.facts)
    return FlowState(turn, fresh.facts, sources)


def what_changed(before: Mapping[str, str], before_outcome: str, after: Mapping[str, str],
                 after_outcome: str) -> list[str]:
    """Markdown lines saying what a follow-up changed: each fact added or changed, then the outcome."""
    labels, answers = section("decision", "facts_labels"), ui("decision", "buttons")
    lines = []
    for fact in FACTS:
        old, new = before.get(fact), after.get(fact)
        if new is None or old == new:
            continue
        if old is None:
            lines.append(ui("decision", "added_fact", fact=labels[fact], new=answers[new]))
        else:
            lines.append(ui("decision", "changed_fact", fact=labels[fact], old=answers[old], new=answers[new]))
    if not lines:
        lines.append(ui("decision", "nothing_changed"))
    if before_outcome != after_outcome:
        lines.append(ui("decision", "outcome_changed", old=_outcome(before_outcome), new=_outcome(after_outcome)))
    else:
        lines.append(ui("decision", "outcome_same", outcome=_outcome(after_outcome)))
    return lines


def _outcome(outcome: str) -> str:
    if outcome == "need_more_facts":
        return ui("decision", "not_decided")
    return outcome_title(outcome)


def numbered_conditions(items, locate: Callable[[str, str], dict]) -> tuple[list[tuple[str, list[int]]], list[dict]]:
    """Conditions (or referral steps) as (text, [n, ...]) and their sources, one number per passage
    (``card_sources``). ``locate(doc_id, quote)`` gives a citation dict (``assistant.ui.markdown.locate``)."""
    numbers, sources = card_sources([[(c.doc_id, c.quote) for c in item.citations] for item in items], locate)
    return [(item.text, mine) for item, mine in zip(items, numbers)], sources
