"""Practitioners' chat: ask a question, read the cited answer, follow a decision through its flowchart.

Rendering only: answers come from assistant.answer.assistant.Assistant; what to show from assistant.ui.state.
"""

from __future__ import annotations

import streamlit as st

from assistant import BadInput, conversation_markdown, list_flowcharts, record_feedback
from assistant.messages import text as msg
from assistant.ui.markdown import md_escape
from assistant.ui.state import start_flow
from assistant.ui.text import ui
from assistant.ui.draw import flow
from assistant.ui.draw import widgets
from assistant.ui.draw.common import assistant, settings, state

ss = state()
helper = assistant()


def _ask(question: str) -> None:
    try:
        with st.spinner(ui("ask", "thinking")):
            answer = helper.answer(question, ss.conversation, flowchart=ss.guidance)
    except BadInput as err:
        st.warning(str(err))
        return
    helper.remember(ss.conversation, answer)
    ss.turns.append(answer.to_dict())
    ss.flow = start_flow(ss.turns[-1], len(ss.turns) - 1)
    if ss.flow is not None:
        ss.turns[-1]["flow_decision"] = ss.turns[-1]["decision"]


def _example(question: str) -> None:
    ss.pending = question


def _feedback(index: int) -> None:
    rating = st.session_state.get(f"feedback_{index}")
    if rating is not None:
        record_feedback(settings(), ss.turns[index], rating)
        st.toast(ui("ask", "feedback_thanks"), icon=":material/check_circle:")


def _clear() -> None:
    for key in ("turns", "conversation", "flow", "pending"):
        ss.pop(key, None)


heading, choice = st.columns([3, 2], vertical_alignment="bottom")
heading.header(ui("ask", "heading"))
charts = {chart.id: ui("app", "guidance_names").get(chart.id, chart.title) for chart in list_flowcharts()}
# kept under a plain key as well: callbacks run before this widget is drawn again
ss.guidance = choice.selectbox(ui("app", "guidance_label"), list(charts), format_func=charts.get,
                               key="guidance_select", help=ui("app", "guidance_help"))
st.info(msg("privacy_notice"), icon=":material/lock:")

prompt = st.chat_input(ui("ask", "placeholder"), max_chars=settings().max_question_chars)
pending, ss.pending = ss.pending, None
if prompt or pending:
    _ask(prompt or pending)

if not ss.turns:
    st.markdown(ui("ask", "empty"))
    for n, example in enumerate(ui("ask", "examples")):
        st.button(example, key=f"example_{n}", on_click=_example, args=(example,), icon=":material/chat_bubble:")

for index, turn in enumerate(ss.turns):
    with st.chat_message("user"):
        st.markdown(md_escape(turn["question"]))
        for warning in turn.get("warnings") or []:
            st.warning(warning, icon=":material/lock:")
    with st.chat_message("assistant"):
        open_flow = ss.flow is not None and ss.flow.turn == index == len(ss.turns) - 1
        if open_flow:
            if turn.get("banner"):
                st.error(turn["banner"], icon=":material/emergency:")
            flow.render()
        else:
            widgets.answer(turn)
            if turn.get("flow_decision") and turn["flow_decision"] != turn.get("decision"):
                st.caption(md_escape(f"→ {turn['flow_decision']['outcome_label']} "
                                     f"({turn['flow_decision']['flowchart_title']})"))
        st.caption(ui("ask", "feedback_caption"))
        st.feedback("thumbs", key=f"feedback_{index}", on_change=_feedback, args=(index,))

if ss.turns:
    with st.container(horizontal=True):
        st.download_button(ui("ask", "download_conversation"), conversation_markdown(ss.turns),
                           file_name="conversation.md", mime="text/markdown", icon=":material/download:",
                           key="download_conversation", on_click="ignore")
        st.button(ui("ask", "clear"), key="clear_conversation", on_click=_clear, icon=":material/delete:")
