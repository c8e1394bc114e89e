"""Shared Streamlit drawing code used by the pages in ``pages/``: the assistant loaded once
(``common``), widgets (``widgets``) and the decision flow (``flow``). Imports streamlit.

May import: ``assistant.ui`` and everything it may import.
"""
