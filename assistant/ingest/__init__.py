"""Ingest: the guidance documents and their manifest become passages with sections and offsets.

Holds the corpus manifest and documents (``documents``), the layout of a document (``layout``), its
numbered outline (``outline``), passages (``passages``), the questions each passage answers
(``passage_questions``) and notes on superseded law (``legal_currency``); and a file as partnerships
publish it read into corpus text (``readers``, through llama-index, with ``pdf_headings``), and a
document added to or removed from the corpus, checked before anything is written (``adding``).

May import: ``assistant.config``, ``assistant.errors``, ``assistant.datafiles``, ``assistant.verbatim``.
"""
