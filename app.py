"""The Streamlit app: `make app` (or `streamlit run app.py`).

This file and pages/ only draw. Retrieval, routing, the flowcharts and every other decision live in
assistant/ and are tested without Streamlit. The model and index are loaded once per server
(st.cache_resource in assistant/ui/draw/common.py); each user's chat lives in st.session_state.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assistant import offline_environment
from assistant.ui.text import ui

HERE = Path(__file__).resolve().parent

offline_environment()
st.set_page_config(page_title=ui("app", "title"), page_icon=ui("app", "icon"), layout="wide",
                   initial_sidebar_state="auto")


def _page(name: str, default: bool = False) -> st.Page:
    label = ui("pages", name)
    return st.Page(str(HERE / "pages" / f"{name}.py"), title=label["title"], icon=label["icon"],
                   url_path=name, default=default)


navigation = st.navigation([_page("ask", default=True), _page("scenarios"), _page("topics"), _page("documents")])

with st.sidebar:
    st.markdown(f"### {ui('app', 'mark')} {ui('app', 'title')}")
    st.caption(ui("app", "tagline"))
    st.caption(ui("app", "offline_note"))

navigation.run()
