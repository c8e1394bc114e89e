"""Decision: the decision engine. A flowchart is data (``flowcharts/*.yaml``, checked by
``models``); ``engine.decide`` walks it with no I/O. ``compare`` runs every flowchart on the same
facts, ``dot`` draws one, ``scenarios`` are worked examples.

May import: ``assistant.ingest.documents`` (to check citations) and the top-level modules.
"""
