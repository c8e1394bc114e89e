"""Scope: is a question about what the guidance covers, judged from the documents' own words.

May import: ``assistant.retrieve.lexicon`` and the top-level modules.
"""
