"""Trainers: step through a scenario in front of a room, one flowchart question at a time.

Rendering only: the scenarios are data (assistant/data/scenarios.yaml); the questions, answers and
outcome come from the engine through assistant.decision.scenarios.
"""

from __future__ import annotations

import streamlit as st

from assistant import list_flowcharts, to_dot
from assistant.decision.scenarios import get_scenario, load_scenarios, outcome, reveal_next, revealed, step
from assistant.ui.markdown import locate, md_escape
from assistant.ui.text import ui
from assistant.ui.draw import widgets
from assistant.ui.draw.common import documents

ss = st.session_state
ss.setdefault("trainer", {})  # (scenario id, flowchart) -> {"answered": {...}, "revealed": bool}

st.header(ui("scenarios", "heading"))
st.markdown(ui("scenarios", "intro"))

scenarios = {s.id: s for s in load_scenarios()}
charts = {f.id: f.title for f in list_flowcharts()}
pick, chart_pick = st.columns([3, 2])
scenario = get_scenario(pick.selectbox(ui("scenarios", "choose"), list(scenarios), key="scenario_id",
                                       format_func=lambda sid: scenarios[sid].title))
flowchart = chart_pick.selectbox(ui("scenarios", "flowchart"), list(charts), format_func=charts.get,
                                 index=list(charts).index(scenario.flowchart), key=f"scenario_chart_{scenario.id}")
slot = ss.trainer.setdefault(f"{scenario.id}|{flowchart}", {"answered": {}, "revealed": False})


def _reveal_answer() -> None:
    slot["answered"] = reveal_next(scenario, slot["answered"], flowchart)


def _reveal_outcome() -> None:
    slot["revealed"] = True


def _restart() -> None:
    slot.update(answered={}, revealed=False)


with st.container(border=True):
    st.subheader(md_escape(scenario.title))
    st.markdown(f"**{ui('scenarios', 'story')}** {md_escape(scenario.story)}")

current = step(scenario, slot["answered"], flowchart)
left = st.container()
with left:
    for n, done in enumerate(revealed(scenario, slot["answered"], flowchart), 1):
        st.markdown(f"{md_escape(ui('scenarios', 'asked', n=n, question=done['question']))}  \n"
                    + ui("scenarios", "answer", answer=ui("decision", "buttons")[done["answer"]]))
        if done["note"]:
            st.caption(md_escape(done["note"]))
    if not current.done:
        with st.container(border=True):
            st.caption(ui("decision", "question_of", n=current.number + 1))
            st.markdown(f"#### {md_escape(current.question['question'])}")
            st.markdown(md_escape(current.question["help"]))
            st.button(ui("scenarios", "reveal_answer"), key="reveal_answer", on_click=_reveal_answer, type="primary")
    elif not slot["revealed"]:
        st.info(ui("scenarios", "ready"))
        st.button(ui("scenarios", "reveal_outcome"), key="reveal_outcome", on_click=_reveal_outcome, type="primary")
    else:
        decision = outcome(scenario, flowchart)
        widgets.outcome(decision)
        docs = documents()
        widgets.citations([locate(docs[q.doc_id], q.quote) for q in scenario.passages],
                          caption=ui("scenarios", "passages"))
        widgets.conditions(decision, docs)
    st.button(ui("scenarios", "restart"), key="scenario_restart", on_click=_restart, type="tertiary", icon=":material/restart_alt:")
with st.expander(ui("decision", "flowchart"), expanded=True):  # full width: legible on a projector
    shown = current.decision if not slot["revealed"] else outcome(scenario, flowchart)
    st.graphviz_chart(to_dot(flowchart, shown), width="stretch")


def _compare_answer(fact: str, value: str) -> None:
    slot.setdefault("extra", {})[fact] = value


if st.toggle(ui("decision", "compare"), key="scenario_compare"):
    widgets.compare({**slot.get("extra", {}), **scenario.facts}, flowchart, key="scenario_compare_col",
                    on_answer=_compare_answer)
