""""Download conversation": the chat as a Markdown file a practitioner can keep or attach to a record.

Why here and not in the app: what leaves the app must follow the same privacy rule as everything
else, so the export is built from answer dicts (``Answer.to_dict()``) only, and every question is
run through ``assistant.privacy.screen.redact`` again, defensively, even though the assistant already
redacted it. The answers themselves are composed from the guidance and the assistant's own wording,
so they are written as they were shown, followed by the numbered list of cited passages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from assistant.errors import BadInput
from assistant.privacy.screen import redact

TITLE = "Conversation with the information-sharing guidance assistant"
PRIVACY_LINE = ("Questions are shown as stored: with names and other identifying details removed. "
                "Every quotation is verbatim from the guidance document cited.")
MODE_LABELS = {"answer": "Answer", "myth": "Myth check", "decision": "Decision", "out_of_scope": "Not covered"}


def _quote_block(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines() or [""])


def citation_line(citation: Mapping) -> str:
    """``[n] Short title, section (paragraph), date: "quote"`` on one line."""
    where = citation.get("section") or ""
    if citation.get("paragraph"):
        where = f"{where} (paragraph {citation['paragraph']})" if where else f"paragraph {citation['paragraph']}"
    parts = [citation.get("doc_short_title") or citation.get("doc_id", "")]
    if where:
        parts.append(where)
    if citation.get("date"):
        parts.append(str(citation["date"]))
    quote = " ".join(str(citation.get("quote", "")).split())
    return f"[{citation.get('n', '?')}] {', '.join(parts)}: \u201c{quote}\u201d"


def _decision_lines(decision: Mapping) -> list[str]:
    lines = [f"**Decision after your answers: {decision.get('outcome_label', decision.get('outcome'))}** "
             f"({decision.get('flowchart_title', decision.get('flowchart'))})", ""]
    for n, step in enumerate(decision.get("path") or [], 1):
        lines.append(f"{n}. {step['question']} \u2014 {step['answer']}")
    nxt = decision.get("next_question")
    if nxt:
        lines.append(f"- Still to answer: {nxt['question']}")
    return lines + [""]


def turn_markdown(n: int, turn: Mapping) -> str:
    """One question and its answer; ``turn`` is an ``Answer.to_dict()`` (plus an optional
    ``flow_decision``: the decision as it stood after the practitioner answered its questions)."""

    question = turn.get("question")
    if not isinstance(question, str):
        raise BadInput(f"Turn {n} has no question to export")
    label = MODE_LABELS.get(str(turn.get("mode")), "Answer")
    lines = [f"## {n}. Question", "", _quote_block(redact(question)), "", f"**{label}**", ""]
    for warning in turn.get("warnings") or []:
        lines += [f"_Note: {warning}_", ""]
    lines += [str(turn.get("answer", "")).strip(), ""]
    flow = turn.get("flow_decision")
    if flow:
        lines += _decision_lines(flow)
    citations = turn.get("citations") or []
    if citations:
        lines += ["**Sources**", ""] + [f"- {citation_line(c)}" for c in citations] + [""]
    return "\n".join(lines)


def conversation_markdown(turns: Sequence[Mapping], *, now: datetime | None = None) -> str:
    """The whole conversation as Markdown: redacted questions, answers and their citations."""
    stamp = (now or datetime.now().astimezone()).isoformat(timespec="minutes")
    parts = [f"# {TITLE}", "", f"Exported {stamp}.", "", f"> {PRIVACY_LINE}", ""]
    if not turns:
        parts += ["(No questions asked yet.)", ""]
    parts += [turn_markdown(n, turn) for n, turn in enumerate(turns, 1)]
    return "\n".join(parts).rstrip() + "\n"
