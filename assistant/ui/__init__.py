"""UI: what the Streamlit pages need that is not drawing (wording in ``text``, markdown in
``markdown``, flow state in ``state``, document browsing in ``browse``, topics in ``topics``,
adding an uploaded document in ``uploads``), and
the shared drawing code in ``ui.draw``. Nothing here except ``ui.draw`` imports streamlit.

May import: ``assistant.answer`` and every stage below it.
"""
