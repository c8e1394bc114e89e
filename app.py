"""The Streamlit app: `make app` (or `streamlit run app.py`).

This file and pages/ only draw. Retrieval, routing, the flowcharts and every other decision live in
assistant/ and are tested without Streamlit. The model and index are loaded once per server
(st.cache_resource in pages/common.py); each user's chat lives in st.session_state.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # pages/ holds shared drawing code imported by the pages
    sys.path.insert(0, str(HERE))

from assistant.config import offline_environment  # noqa: E402
from assistant.ui_text import ui  # noqa: E402

offline_environment()
st.set_page_config(page_title=ui("app", "title"), page_icon=ui("app", "icon"), layout="wide",
                   initial_sidebar_state="expanded")


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
