"""The decision card inside the chat: the referral advice first when a child may be at risk, then
the outcome (large, at the top) or the next question with Yes / No / Not sure, the path beneath
with where each answer came from, the conditions and their sources, the record, and the flowchart.

Every turn keeps its card: earlier turns are drawn read-only from the facts they ended with, so a
finished decision never reverts. Rendering only: facts change through assistant.ui.state and the
engine decides (assistant.decision.engine); what the card shows is chosen in assistant.ui.card.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from assistant.decision.dot import to_dot
from assistant.ui.card import card_sources, fact_rows, path_rows, risk_first
from assistant.ui.markdown import locate, md_escape
from assistant.ui.state import decide_flow, record_files, record_warnings, set_fact, start_flow, sync_history
from assistant.ui.text import ui
from assistant.ui.draw import widgets
from assistant.ui.draw.common import documents, settings, state

ANSWERS = ("yes", "no", "unsure")
RECORD_FIELDS = ("reference", "shared_what", "shared_with", "purpose", "shared_when", "notes")
_SCROLL = """<script>
// revision {revision}: bring the card into view, and again while late elements (the flowchart) still
// move it; stop once it has stayed in place for three checks, so a reader's own scrolling is left alone.
(function () {{
  const doc = window.parent.document;
  let tries = 40, still = 0;
  function go() {{
    const el = doc.querySelector('.st-key-{key}');
    if (el) {{
      const top = el.getBoundingClientRect().top;
      if (top < 0 || top > 120) {{ el.style.scrollMarginTop = '64px'; el.scrollIntoView({{block: 'start', behavior: 'instant'}}); still = 0; }}
      else {{ still += 1; }}
    }}
    if (still < 3 && --tries > 0) {{ setTimeout(go, 150); }}
  }}
  go();
}})();
</script>"""


def _changed() -> None:
    ss = state()
    sync_history(ss.conversation, ss.flow, ss.guidance)
    turn = ss.turns[ss.flow.turn]
    turn["flow_decision"] = decide_flow(ss.flow, ss.guidance).to_dict()
    turn["flow_sources"] = dict(ss.flow.sources)
    ss.flows[ss.flow.turn] = ss.flow


def _answer(fact: str, value: str) -> None:
    state().flow = set_fact(state().flow, fact, value, source="answer")
    _changed()


def _edit(fact: str, key: str) -> None:
    ss = state()
    ss.flow = set_fact(ss.flow, fact, ss[key], source="answer")
    _changed()


def _restart() -> None:
    ss = state()
    fresh = start_flow(ss.turns[ss.flow.turn], ss.flow.turn)
    ss.flow = fresh.__class__(fresh.turn, fresh.facts, fresh.sources, ss.flow.revision + 1)
    _changed()


def _risk(facts, urgent: bool, docs, index: int) -> None:
    advice = risk_first(facts, urgent)
    if advice is None:
        return
    box = st.error if advice["level"] == "yes" else st.warning
    box(advice["text"], icon=":material/call:")
    _sources([locate(docs[d], q) for d, q in advice["citations"]], anchor=f"risk-{index}")


def _sources(cited, anchor: str) -> None:
    """The sources of advice shown above the card, folded into one small button so the card stays in view."""
    with st.popover(ui("decision", "advice_sources", n=len(cited)), icon=":material/menu_book:"):
        widgets.citations(cited, anchor=anchor)


def _question(decision, docs, revision: int, live: bool) -> None:
    nq = decision.next_question
    st.caption(ui("decision", "next") if live else ui("decision", "still_needed_heading"))
    st.markdown(f"#### {md_escape(nq.question)}")
    if nq.node_question != nq.question:
        st.caption(md_escape(ui("decision", "part_of", question=nq.node_question)))
    st.markdown(md_escape(nq.help))
    if live:
        labels = ui("decision", "buttons")
        for column, value in zip(st.columns(3), ANSWERS):  # none pre-selected: all look the same
            column.button(labels[value], key=f"flow_{value}_{revision}", on_click=_answer, args=(nq.fact, value),
                          type="secondary", width="stretch")
    widgets.citations([locate(docs[nq.citation.doc_id], nq.citation.quote)], caption=ui("decision", "source"))


def _path_and_conditions(decision, flow, docs) -> None:
    """The path walked (question, answer, where the answer came from), the referral route and the
    conditions, with one source number per passage."""
    rows = path_rows(decision, flow)
    referral = list(decision.referral or ()) if decision.next_question is None else []
    conditions = list(decision.conditions) if decision.next_question is None else []
    groups = ([[row["citation"]] for row in rows] + [[(c.doc_id, c.quote) for c in item.citations]
                                                     for item in referral + conditions])
    numbers, sources = card_sources(groups, lambda d, q: locate(docs[d], q))
    marks = ["".join(f"[\\[{n}\\]](#card-{flow.turn}-{n})" for n in mine) for mine in numbers]  # each links to its source
    if rows:
        heading = ui("decision", "path_heading" if decision.next_question is None else "path_so_far")
        st.markdown(f"**{heading}**")
        st.markdown("\n".join(
            f"{n}. " + ui("decision", "answer_as", question=md_escape(row["question"]), answer=row["answer"],
                          how=md_escape(row["how"])) + f" {mark}"
            for n, (row, mark) in enumerate(zip(rows, marks), 1)))
    marks = marks[len(rows):]
    if referral:
        st.warning(f"**{ui('decision', 'referral')}**\n\n" + "\n".join(
            f"- {md_escape(item.text)} {mark}" for item, mark in zip(referral, marks)), icon=":material/call:")
    if conditions:
        st.markdown(f"**{ui('decision', 'conditions')}**")
        st.markdown("\n".join(f"- {md_escape(item.text)} {mark}"
                              for item, mark in zip(conditions, marks[len(referral):])))
    widgets.citations(sources, anchor=f"card-{flow.turn}")


def _record(decision, flow) -> None:
    with st.expander(ui("decision", "record_expander"), icon=":material/description:"):
        st.caption(ui("decision", "record_help"))
        if decision.lawful_basis:
            st.markdown(f"**{ui('decision', 'record_basis')}** {md_escape(decision.lawful_basis)}")
        else:
            st.caption(ui("decision", "record_no_basis"))
        labels = ui("decision", "record_fields")
        fields = {}
        for name in RECORD_FIELDS:
            widget = st.text_area if name in ("shared_what", "purpose", "notes") else st.text_input
            options = {"height": 68} if widget is st.text_area else {}
            fields[name] = widget(labels[name], key=f"record_{name}", **options)
        for warning in record_warnings(fields):
            st.warning(warning, icon=":material/lock:")
        files = record_files(decision, corpus_dir=settings().corpus_dir, fields=fields,
                             fact_sources=dict(flow.sources))
        with st.container(horizontal=True):
            for file in files:
                st.download_button(file.label, file.data, file_name=file.file_name, mime=file.mime,
                                   on_click="ignore", key=f"record_{file.file_name.rsplit('.', 1)[1]}",
                                   icon=":material/download:")


def _known(flow, decision, live: bool) -> None:
    st.markdown(f"**{ui('decision', 'known')}**")
    rows, labels = fact_rows(flow, decision), ui("decision", "buttons")
    if not rows:
        st.caption(ui("decision", "no_facts"))
        return
    st.markdown("\n".join(f"- {md_escape(row['label'])}: **{labels[row['value']]}** "
                          f":gray[({md_escape(row['source'])})]" for row in rows))
    if not live:
        return
    with st.expander(ui("decision", "change")):
        st.caption(ui("decision", "known_help"))
        for row in rows:
            if row["implied"]:
                continue
            key = f"fact_{row['fact']}_{flow.revision}"
            st.segmented_control(row["label"], ANSWERS, default=row["value"], key=key, format_func=labels.get,
                                 on_change=_edit, args=(row["fact"], key))


def render(index: int) -> None:
    """Draw the decision card of chat turn ``index``: live (buttons, record, flowchart) for the open
    decision, read-only for earlier turns, each from the facts it ended with."""
    ss = state()
    turn, docs = ss.turns[index], documents()
    live = ss.flow is not None and ss.flow.turn == index == len(ss.turns) - 1
    flow = ss.flow if live else ss.flows[index]
    chart = ss.guidance if live else turn["flow_decision"]["flowchart"]
    decision = decide_flow(flow, chart)
    top = st.container(key=f"decision_{index}")  # what a click brings into view: advice first, then the card
    with top:
        if turn.get("banner"):
            cited = [c for c in turn.get("citations") or [] if f"[{c['n']}]" in turn["banner"]]
            st.error(turn["banner"], icon=":material/emergency:")
            _sources(cited, anchor=f"src-{index}")
        _risk(flow.fact_map, bool(turn.get("urgent")), docs, index)
        if turn.get("changes"):
            st.info(f"**{ui('decision', 'changed_heading')}**\n\n" + "\n".join(f"- {line}" for line in turn["changes"]),
                    icon=":material/change_circle:")
        st.markdown(ui("decision", "intro", flowchart=md_escape(decision.flowchart_title)))
        card = f"decision_card_{index}"
        left, right = st.columns([3, 2], gap="medium") if live else (st.container(), None)
        with left:
            with st.container(border=True, key=card):
                if decision.next_question is None:
                    widgets.outcome(decision)
                else:
                    _question(decision, docs, flow.revision, live)
                _path_and_conditions(decision, flow, docs)
                if live and decision.next_question is None:
                    _record(decision, flow)
        if right is not None:
            with right:
                _known(flow, decision, live)
                st.button(ui("decision", "start_over"), key=f"flow_restart_{flow.revision}", on_click=_restart,
                          type="tertiary", icon=":material/restart_alt:")
            with st.expander(ui("decision", "flowchart"), expanded=True):  # full width: legible on a projector
                st.graphviz_chart(to_dot(decision.flowchart, decision), width="stretch")
                st.caption(ui("decision", "flowchart_caption"))
        else:
            _known(flow, decision, live)
    if live:  # on each change: bring the advice and the card (its outcome or next question) into view
        components.html(_SCROLL.format(key=f"decision_{index}", revision=f"{index}.{flow.revision}"), height=0)
    if live and st.toggle(ui("decision", "compare"), key="flow_compare"):
        widgets.compare(flow.fact_map, ss.guidance, key="flow_compare_col", on_answer=_answer)
