"""The decision flow inside the chat: next question with Yes / No / Not sure, what is known so far
(changeable), the flowchart with the path drawn, the outcome, its record, and "Compare documents".

Rendering only: facts change through assistant.ui.state and the engine decides (assistant.decision.engine).
"""

from __future__ import annotations

import streamlit as st

from assistant.decision.dot import to_dot
from assistant.ui.markdown import locate, md_escape
from assistant.ui.state import (
    decide_flow, fact_rows, record_files, set_fact, start_flow, sync_history,
)
from assistant.ui.text import ui
from assistant.ui.draw import widgets
from assistant.ui.draw.common import documents, settings, state

ANSWERS = ("yes", "no", "unsure")


def _changed() -> None:
    ss = state()
    sync_history(ss.conversation, ss.flow, ss.guidance)
    ss.turns[ss.flow.turn]["flow_decision"] = decide_flow(ss.flow, ss.guidance).to_dict()


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


def _question(decision, docs, revision: int) -> None:
    nq = decision.next_question
    with st.container(border=True):
        st.caption(ui("decision", "next"))
        st.markdown(f"#### {md_escape(nq.question)}")
        if nq.node_question != nq.question:
            st.caption(md_escape(ui("decision", "part_of", question=nq.node_question)))
        st.markdown(md_escape(nq.help))
        labels = ui("decision", "buttons")
        for column, value in zip(st.columns(3), ANSWERS):
            column.button(labels[value], key=f"flow_{value}_{revision}", on_click=_answer, args=(nq.fact, value),
                          type="primary" if value == "yes" else "secondary", width="stretch")
        widgets.citations([locate(docs[nq.citation.doc_id], nq.citation.quote)], caption=ui("decision", "source"))


def _end(decision, docs) -> None:
    widgets.outcome(decision)
    with st.expander(ui("decision", "reasons")):
        st.markdown("\n".join(f"- {md_escape(reason)}" for reason in decision.reasons))
    widgets.conditions(decision, docs)
    st.markdown(f"**{ui('decision', 'record_heading')}**")
    st.caption(ui("decision", "record_help"))
    notes = st.text_area(ui("decision", "notes_label"), key="record_notes", height=80)
    files = record_files(decision, corpus_dir=settings().corpus_dir, notes=notes)
    with st.container(horizontal=True):
        for file in files:
            st.download_button(file.label, file.data, file_name=file.file_name, mime=file.mime, on_click="ignore",
                               key=f"record_{file.file_name.rsplit('.', 1)[1]}", icon=":material/download:")


def _known(flow) -> None:
    st.markdown(f"**{ui('decision', 'known')}**")
    rows, labels = fact_rows(flow), ui("decision", "buttons")
    if not rows:
        st.caption(ui("decision", "no_facts"))
        return
    st.markdown("\n".join(f"- {md_escape(row['label'])}: **{labels[row['value']]}** "
                          f":gray[({md_escape(row['source'])})]" for row in rows))
    with st.expander(ui("decision", "change")):
        st.caption(ui("decision", "known_help"))
        for row in rows:
            key = f"fact_{row['fact']}_{flow.revision}"
            st.segmented_control(row["label"], ANSWERS, default=row["value"], key=key, format_func=labels.get,
                                 on_change=_edit, args=(row["fact"], key))


def render() -> None:
    """Draw the open decision of the chat (``state().flow``) with the chosen local guidance."""
    ss = state()
    flow, docs = ss.flow, documents()
    decision = decide_flow(flow, ss.guidance)
    st.markdown(ui("decision", "intro", flowchart=md_escape(decision.flowchart_title)))
    left, right = st.columns([3, 2], gap="medium")
    with left:
        if decision.next_question is not None:
            _question(decision, docs, flow.revision)
        else:
            _end(decision, docs)
    with right:
        st.graphviz_chart(to_dot(decision.flowchart, decision), width="stretch")
        st.caption(ui("decision", "flowchart_caption"))
        _known(flow)
        st.button(ui("decision", "start_over"), key=f"flow_restart_{flow.revision}", on_click=_restart,
                  type="tertiary", icon=":material/restart_alt:")
    if st.toggle(ui("decision", "compare"), key="flow_compare"):
        widgets.compare(flow.fact_map, ss.guidance, key="flow_compare_col")
