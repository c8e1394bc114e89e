"""Outputs: what leaves the assistant. Decision records (``records``), conversation export
(``export``) and feedback (``feedback``), all redacted.

May import: ``assistant.privacy``, ``assistant.decision``, ``assistant.ingest`` and the top-level modules.
"""
