"""Everyone: the five documents (title, publisher, date, law cited) and a reader, section by section.

Rendering only: rows and sections come from assistant.ui.browse.
"""

from __future__ import annotations

import streamlit as st

from assistant.ui.browse import document_rows, passage_markdown, sections
from assistant.ui.markdown import legal_badges, locate, md_escape
from assistant.ui.text import ui
from assistant.ui.draw.common import documents

st.header(ui("documents", "heading"))
st.markdown(ui("documents", "intro"))

docs = documents()
st.table(document_rows(docs.values()), hide_index=True)

st.subheader(ui("documents", "browse"))
pick, section_pick = st.columns([2, 3])
doc = docs[pick.selectbox(ui("documents", "choose_doc"), list(docs), key="browse_doc",
                          format_func=lambda d: f"{docs[d].short_title} — {docs[d].title}")]
parts = sections(doc)
titles = [title for title, _ in parts]
chosen = section_pick.selectbox(ui("documents", "choose_section"), range(len(parts)), key=f"browse_section_{doc.id}",
                                format_func=lambda i: titles[i])
first = parts[chosen][1][0]
st.markdown(" ".join(legal_badges(locate(doc, first.text))))
with st.container(border=True):
    st.markdown(f"##### {md_escape(titles[chosen])}")
    for passage in parts[chosen][1]:
        st.markdown(passage_markdown(passage))
