"""Everyone: the documents (title, publisher, date, law cited) and a reader, section by section; and,
when ASSISTANT_ALLOW_UPLOAD=1, a form that adds a document.

Rendering only: rows and sections come from assistant.ui.browse, reading and adding an upload from
assistant.ui.uploads (the same code path as ``python -m assistant add-document``).
"""

from __future__ import annotations

import streamlit as st

from assistant.ui.browse import document_rows, passage_markdown, sections
from assistant.ui.markdown import legal_badges, locate, md_escape
from assistant.ui.text import ui
from assistant.ui.draw.common import documents, settings
from assistant.errors import AssistantError
from assistant.ui.uploads import UPLOAD_TYPES, add_upload, read_upload

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

if settings().allow_upload:  # ASSISTANT_ALLOW_UPLOAD=1: see the README on why it is off by default
    st.subheader(ui("documents", "upload", "heading"))
    st.markdown(ui("documents", "upload", "intro"))
    file = st.file_uploader(ui("documents", "upload", "file"), type=UPLOAD_TYPES, key="upload_file")
    if file is not None:
        try:
            upload = read_upload(settings(), file.name, file.getvalue())
        except AssistantError as err:
            st.error(str(err), icon=":material/error:")
            st.stop()
        st.info(ui("documents", "upload", "read", chars=f"{len(upload.extracted.text):,}",
                   passages=upload.passages, sections=len(upload.sections)))
        with st.expander(ui("documents", "upload", "sections")):
            st.markdown("\n".join(f"- {md_escape(title)}" for title in upload.sections))
        st.text_area(ui("documents", "upload", "text"), upload.extracted.text, height=300, disabled=True)
        with st.form("upload_details"):
            st.markdown(ui("documents", "upload", "details"))
            labels = ui("documents", "upload", "fields")
            values = {key: st.text_input(labels[key], value=default or "", key=f"upload_{key}")
                      for key, default in upload.suggested.items()}
            if st.form_submit_button(ui("documents", "upload", "submit"), type="primary"):
                bar = st.progress(0.0)
                try:
                    report = add_upload(settings(), upload, values, progress=lambda done, total: bar.progress(
                        done / total, text=ui("documents", "upload", "progress", done=done, total=total)))
                except AssistantError as err:
                    st.error(str(err), icon=":material/error:")
                else:
                    st.cache_resource.clear()  # the documents and the assistant are read again
                    st.success(ui("documents", "upload", "added", doc_id=report.doc_id,
                                  passages=report.build.passages, documents=report.build.documents))
