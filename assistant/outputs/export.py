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
from assistant.messages import text as msg
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


ORIGINS = {"answer": "answered by you", "question": "read from your words, not confirmed"}


def _how(step: Mapping, sources: Mapping[str, str]) -> str:
    if step.get("waived"):
        return f"not needed: {step['implied']}"
    if step.get("implied"):
        return f"implied: {step['implied']}"
    return ORIGINS.get(sources.get(step.get("fact"), "question"), ORIGINS["question"])


def _decision_lines(decision: Mapping, sources: Mapping[str, str], changes: Sequence[str]) -> list[str]:
    """The decision as it stands after the practitioner's answers: outcome first, then what a
    follow-up changed, the path (each answer with where it came from), the referral route and the
    conditions."""
    lines = [f"**Outcome: {decision.get('outcome_label', decision.get('outcome'))}** "
             f"({decision.get('flowchart_title', decision.get('flowchart'))})", ""]
    if changes:
        lines += ["What your follow-up changed:"] + [f"- {_plain(line)}" for line in changes] + [""]
    for n, step in enumerate(decision.get("path") or [], 1):
        lines.append(f"{n}. {step['question']} \u2014 {step['answer']} ({_how(step, sources)})")
    nxt = decision.get("next_question")
    if nxt:
        lines.append(f"- Still to answer: {nxt['question']}")
    if decision.get("outcome") != "need_more_facts":
        referral = decision.get("referral") or []
        if referral:
            lines += ["", "Referral route:"] + [f"- {c['text']}" for c in referral]
        conditions = [c for c in decision.get("conditions") or [] if c.get("kind") != "referral"]
        if conditions:
            lines += ["", "How to share, or what to do next:"] + [f"- {c['text']}" for c in conditions]
    return lines + [""]


def _plain(line: str) -> str:
    return line.replace("**", "")


def turn_markdown(n: int, turn: Mapping) -> str:
    """One question and its answer; ``turn`` is an ``Answer.to_dict()`` (plus, for a decision, the
    app's ``flow_decision``: the decision as it stood after the practitioner's answers, with
    ``flow_sources`` and a follow-up's ``changes``). The decision's outcome comes first; the
    answer first given to the question follows it."""

    question = turn.get("question")
    if not isinstance(question, str):
        raise BadInput(f"Turn {n} has no question to export")
    mode = str(turn.get("mode"))
    label = "Urgent" if turn.get("urgent") and mode == "out_of_scope" else MODE_LABELS.get(mode, "Answer")
    lines = [f"## {n}. Question", "", _quote_block(redact(question)), "", f"**{label}**", ""]
    for warning in turn.get("warnings") or []:
        lines += [f"_Note: {warning}_", ""]
    flow = turn.get("flow_decision")
    if flow:
        risk = (flow.get("facts") or {}).get("significant_harm_risk")
        if turn.get("banner"):
            lines += [str(turn["banner"]).strip(), ""]
        elif risk in ("yes", "unsure"):  # the referral advice first, as on screen
            lines += [msg("risk_first", risk), ""]
        lines += _decision_lines(flow, turn.get("flow_sources") or {}, turn.get("changes") or [])
        lines += ["**The answer to your question, as first given:**", ""]
    lines += [str(turn.get("answer", "")).strip(), ""]
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
