"""What the app shows and keeps between reruns, decided without Streamlit.

The app's pages only draw; the choices behind them live here and are unit-tested:
- the chat: an answer's body without its urgent banner (the banner is drawn apart, in red), the
  myth verdict, a turn as it is kept in ``st.session_state`` (redacted, as the assistant returned it);
- the decision flow: ``FlowState`` holds the facts (read from the question, or answered with the
  Yes / No / Not sure buttons, or changed afterwards) and every change walks the flowchart again
  with the pure engine; the conversation is told, so a typed follow-up continues from there;
- "Compare documents": one row per flowchart, marking the ones whose outcome differs;
- the decision record files (Markdown, JSON, and PDF when fpdf2 is installed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from assistant.ui.text import ui
from assistant.decision.models import FACTS
from assistant.decision.engine import validate_facts
from assistant.decision.engine import decide
from assistant.messages import text as msg
from assistant.decision.compare import compare
from assistant.decision.models import OUTCOME_LABELS
from assistant.outputs import records
from assistant.privacy.screen import redact, screen

OUTCOME_STYLES = {"share": "success", "do_not_share": "error", "seek_advice": "warning", "need_more_facts": "info"}


# ---------------------------------------------------------------- chat turns
def answer_body(answer: Mapping) -> str:
    """The answer's Markdown without the urgent banner at its head (the app shows that with st.error)."""
    text, banner = str(answer.get("answer") or ""), answer.get("banner")
    if banner and text.startswith(banner):
        text = text[len(banner):]
    return text.strip()


def verdict(answer: Mapping) -> dict | None:
    """For a myth answer: whether the statement is a myth, the label to show big, and the statement."""
    myth = answer.get("myth")
    if answer.get("mode") != "myth" or not myth:
        return None
    is_myth = myth.get("verdict") == "myth"
    return {"is_myth": is_myth, "label": ui("ask", "myth_verdict" if is_myth else "true_verdict"),
            "statement": myth.get("statement", "")}


# ---------------------------------------------------------------- the decision flow
@dataclass(frozen=True)
class FlowState:
    """The facts of one decision being walked in the chat, and where each came from."""

    turn: int  # index of the chat turn the decision belongs to
    facts: tuple[tuple[str, str], ...] = ()
    sources: tuple[tuple[str, str], ...] = ()  # fact -> "question" | "answer"
    revision: int = 0  # bumped on every change, so the app's fact widgets start from the new values

    @property
    def fact_map(self) -> dict[str, str]:
        return dict(self.facts)


def _ordered(facts: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((name, facts[name]) for name in FACTS if name in facts)


def start_flow(answer: Mapping, turn: int) -> FlowState | None:
    """A flow for a decision answer, starting from the facts the assistant read; None otherwise."""
    decision = answer.get("decision")
    if answer.get("mode") != "decision" or not decision:
        return None
    facts = dict(decision.get("facts") or {})
    return FlowState(turn=turn, facts=_ordered(facts), sources=tuple((f, "question") for f in facts))


def set_fact(state: FlowState, fact: str, value: str | None, source: str = "answer") -> FlowState:
    """The flow with one fact answered or changed (``None`` forgets it); checked by the engine's rules."""

    facts = state.fact_map
    facts[fact] = value
    facts = validate_facts(facts)  # unknown facts or answers raise BadFacts; None drops the fact
    sources = {k: v for k, v in state.sources if k in facts}
    if fact in facts:
        sources[fact] = source
    return replace(state, facts=_ordered(facts), sources=tuple(sources.items()), revision=state.revision + 1)


def decide_flow(state: FlowState, flowchart: str):
    """The engine's decision on the flow's facts (a ``Decision``)."""

    return decide(state.fact_map, flowchart)


def sync_history(conversation, state: FlowState, flowchart: str) -> None:
    """Tell the conversation the flow's current facts, so a typed follow-up carries on from them."""
    last = conversation.last if conversation is not None else None
    if last is None or last.mode != "decision":
        return
    decision = decide_flow(state, flowchart)
    conversation.turns[-1] = replace(last, facts=state.fact_map, flowchart=flowchart,
                                     decision_open=decision.outcome == "need_more_facts")


# ---------------------------------------------------------------- compare documents
def comparison_rows(facts: Mapping[str, str], reference: str = "default") -> list[dict]:
    """One row per flowchart (the reference first): its outcome, the question that settled it,
    and whether (and why) it differs from the reference."""

    data = compare(facts, reference=reference).to_dict()
    why = {d["flowchart"]: d["explanation"] for d in data["differences"]}
    ref_outcome = data["outcomes"][reference]
    rows = []
    for chart in data["flowcharts"]:
        last = chart["path"][-1] if chart["path"] else None
        nq = chart["next_question"]
        rows.append({
            "flowchart": chart["flowchart"], "title": chart["title"], "documents": chart["documents"],
            "outcome": chart["outcome"], "outcome_label": _outcome_label(chart["outcome"]),
            "style": OUTCOME_STYLES[chart["outcome"]],
            "settled_by": (f"{last['question']} \u2014 {last['answer']}" if last and not nq
                           else ui("decision", "still_open", question=nq["question"]) if nq else ""),
            "is_reference": chart["flowchart"] == reference,
            "differs": chart["outcome"] != ref_outcome, "why": why.get(chart["flowchart"]),
            "next_fact": nq["fact"] if nq else None,
        })
    return rows


def _outcome_label(outcome: str) -> str:
    titles = ui("decision", "outcome_titles")
    return titles.get(outcome, OUTCOME_LABELS[outcome])


def outcome_title(outcome: str) -> str:
    return _outcome_label(outcome)


# ---------------------------------------------------------------- decision records
@dataclass(frozen=True)
class RecordFile:
    label: str
    data: bytes | str
    file_name: str
    mime: str


def record_files(decision, *, corpus_dir: Path, fields: Mapping[str, str] | None = None,
                 fact_sources: Mapping[str, str] | None = None, now: datetime | None = None) -> list[RecordFile]:
    """The decision record as Markdown and JSON, and PDF when fpdf2 is installed. ``fields`` (what
    the practitioner typed into the record's fields) are redacted before they are written;
    ``fact_sources`` keeps what they confirmed apart from what was read from their words."""

    now = now or datetime.now().astimezone()
    typed = {key: value for key, value in (fields or {}).items() if value and value.strip()}
    options = {"practitioner_notes": typed or None, "now": now, "corpus_dir": corpus_dir, "redact": redact,
               "fact_sources": fact_sources}
    stem = f"decision-record-{decision.flowchart}-{now.strftime('%Y%m%d-%H%M')}"
    files = [RecordFile(ui("decision", "download_md"), records.render_markdown(decision, **options),
                        f"{stem}.md", "text/markdown"),
             RecordFile(ui("decision", "download_json"), records.render_json(decision, **options),
                        f"{stem}.json", "application/json")]
    try:
        files.append(RecordFile(ui("decision", "download_pdf"), records.render_pdf(decision, **options),
                                f"{stem}.pdf", "application/pdf"))
    except ImportError:  # fpdf2 not installed: Markdown and JSON only
        pass
    return files


def record_warnings(fields: Mapping[str, str]) -> list[str]:
    """One warning per record field that holds something identifying (it is removed when written)."""
    found = [screen(value) for value in fields.values() if value and value.strip()]
    return list(dict.fromkeys(s.warning() for s in found if s.has_personal_data))
