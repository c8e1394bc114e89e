"""Answer: what the chat shows. ``assistant.Assistant`` routes a question (urgent, myth,
decision, out of scope, general), ``compose`` writes the markdown, ``quotes`` picks and verifies
the quoted sentences, ``conversation`` keeps the turns and ``runtime`` loads the index and models.

May import: every stage below it (understand, retrieve, scope, myths, decision, privacy, indexing,
ingest) and the top-level modules. Never ``assistant.cli`` or ``assistant.ui``.
"""
