"""Practitioners' chat: ask a question, read the cited answer, follow a decision through its flowchart.

Rendering only: answers come from assistant.answer.assistant.Assistant; what to show from assistant.ui.state.
"""

from __future__ import annotations

import streamlit as st

from assistant import BadInput, conversation_markdown, list_flowcharts, record_feedback
from assistant.outputs.export import turn_markdown
from assistant.messages import text as msg
from assistant.ui.markdown import md_escape
from assistant.ui.card import follow_flow, what_changed
from assistant.ui.text import ui
from assistant.ui.draw import flow
from assistant.ui.draw import widgets
from assistant.ui.draw.common import assistant, settings, state

ss = state()
if ss.pop("open_documents", False):  # a source's "Read it in the Documents page" was clicked
    st.switch_page("pages/documents.py")
helper = assistant()


def _ask(question: str) -> None:
    try:
        with st.spinner(ui("ask", "thinking")):
            answer = helper.answer(question, ss.conversation, flowchart=ss.guidance)
    except BadInput as err:
        st.warning(str(err))
        return
    helper.remember(ss.conversation, answer)
    before = ss.flows.get(len(ss.turns) - 1) if answer.follow_up else None
    ss.turns.append(answer.to_dict())
    index = len(ss.turns) - 1
    ss.flow = follow_flow(ss.turns[-1], index, before)
    if ss.flow is not None:
        turn = ss.turns[-1]
        turn["flow_decision"], turn["flow_sources"] = turn["decision"], dict(ss.flow.sources)
        ss.flows[index] = ss.flow
        if before is not None:  # a follow-up to a decision: say what it changed
            was = ss.turns[before.turn]["flow_decision"]
            turn["changes"] = what_changed(before.fact_map, was["outcome"], ss.flow.fact_map,
                                           turn["decision"]["outcome"])


def _example(question: str) -> None:
    ss.pending = question


def _feedback(index: int) -> None:
    rating = st.session_state.get(f"feedback_{index}")
    if rating is not None:
        record_feedback(settings(), ss.turns[index], rating)
        st.toast(ui("ask", "feedback_thanks"), icon=":material/check_circle:")


def _clear() -> None:
    for key in ("turns", "conversation", "flow", "flows", "pending"):
        ss.pop(key, None)


heading, choice, fresh = st.columns([5, 3, 2], vertical_alignment="bottom")
heading.header(ui("ask", "heading"))
charts = {chart.id: ui("app", "guidance_names").get(chart.id, chart.title) for chart in list_flowcharts()}
# kept under a plain key as well: callbacks run before this widget is drawn again
ss.guidance = choice.selectbox(ui("app", "guidance_label"), list(charts), format_func=charts.get,
                               key="guidance_select", help=ui("app", "guidance_help"))
fresh.button(ui("ask", "clear"), key="new_conversation", on_click=_clear, icon=":material/add_comment:",
             width="stretch")
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
        if index in ss.flows:
            flow.render(index)  # every decision keeps its card, with the outcome it reached
        else:
            widgets.answer(turn, anchor=f"src-{index}")
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(ui("ask", "feedback_caption"))
            st.feedback("thumbs", key=f"feedback_{index}", on_change=_feedback, args=(index,))
            with st.popover(ui("ask", "copy"), icon=":material/content_copy:", help=ui("ask", "copy_help")):
                st.code(turn_markdown(index + 1, turn), language=None, wrap_lines=True)

if ss.turns:
    st.download_button(ui("ask", "download_conversation"), conversation_markdown(ss.turns),
                       file_name="conversation.md", mime="text/markdown", icon=":material/download:",
                       key="download_conversation", on_click="ignore")
