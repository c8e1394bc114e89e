"""Shared by the app's pages: settings, the assistant loaded once per server, and the session's state.

Not a page itself (app.py lists the pages with st.navigation). Rendering only: every choice is made
in assistant/ (ui.state, ui.markdown, decision.scenarios, ui.topics, ui.browse).
"""

from __future__ import annotations

import streamlit as st

from assistant.config import Settings
from assistant.answer.conversation import Conversation
from assistant.errors import AssistantError
from assistant.answer.assistant import Assistant
from assistant.ingest.documents import documents_by_id


def settings() -> Settings:
    """Read from the environment on every run (cheap), so tests can point the app at a tmp index."""
    return Settings.from_env()


@st.cache_resource(show_spinner="Loading the guidance index and model…")
def _load_assistant(key: str, _settings: Settings):
    return Assistant.load(_settings)


def assistant():
    """The shared Assistant, or an st.error with the fix and a stopped page."""
    current = settings()
    try:
        return _load_assistant(repr(current), current)
    except AssistantError as err:
        st.error(str(err), icon=":material/error:")
        st.stop()


@st.cache_resource
def _documents(corpus_dir: str) -> dict:
    return documents_by_id(corpus_dir)


def documents() -> dict:
    try:
        return _documents(str(settings().corpus_dir))
    except AssistantError as err:
        st.error(str(err), icon=":material/error:")
        st.stop()


def state():
    """The session's state, with the chat's defaults filled in."""
    ss = st.session_state
    ss.setdefault("turns", [])  # Answer.to_dict() of each question, redacted; plus "flow_decision"
    ss.setdefault("conversation", Conversation())
    ss.setdefault("flow", None)  # assistant.ui.state.FlowState of the open decision
    ss.setdefault("flows", {})  # turn index -> the FlowState each decision turn ended with
    ss.setdefault("pending", None)  # an example question clicked on the empty state
    ss.setdefault("guidance", "default")  # the local guidance chosen on the Ask page
    return ss
