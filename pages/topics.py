"""Trainers: what each of the five documents says on one topic, side by side.

Rendering only: which passages are about the topic is decided by assistant.ui.topics.
"""

from __future__ import annotations

import streamlit as st

from assistant.ui.topics import load_topics, passages_by_document
from assistant.ui.markdown import emphasise, locate, md_escape, where
from assistant.ui.text import ui
from assistant.ui.draw.common import assistant, documents

st.header(ui("topics", "heading"))
st.markdown(ui("topics", "intro"))

topics = {t.id: t for t in load_topics()}
topic = topics[st.pills(ui("topics", "choose"), list(topics), format_func=lambda t: topics[t].label,
                        default="consent", key="topic", required=True)]
docs = documents()
found = passages_by_document(assistant().retriever, topic, per_doc=2, doc_ids=list(docs))

for column, entry in zip(st.columns(len(found), gap="small"), found):
    doc = docs[entry.doc_id]
    with column:
        st.markdown(f"**{doc.short_title}**")
        st.caption(doc.title)
        if not entry.passages:
            st.info(ui("topics", "nothing"))
        for n, passage in enumerate(entry.passages):
            cited = locate(doc, passage.text)
            with st.container(border=True):
                st.caption(md_escape(where(cited)))
                if n == 0 and cited["legal_notes"]:  # a document's currency note once, worded in full (badges clip in narrow columns)
                    st.caption("  \n".join(f":orange[⚠ {md_escape(note['badge'])}]" for note in cited["legal_notes"]))
                st.markdown(f":small[{emphasise(passage.text, topic.words)}]")
