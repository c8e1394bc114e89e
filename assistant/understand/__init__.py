"""Understand: the ONE place that reads practitioners' words.

Holds the question checks (``inputs``), the one normaliser (``normalise``), the routing rules as
data (``rules``), the urgency reader (``urgency``), the decision-intent reader (``intent``), the
follow-up reader (``follow_up``), the negation reader (``negation``), the claim reader
(``claim_reader``), the facts a question states (``facts``) and the figures it asks for
(``asked_figures``).

May import: ``assistant.decision.models`` (the fact names), ``assistant.scope`` data paths and the
top-level modules. Never ``assistant.answer``, ``assistant.cli`` or ``assistant.ui``.
"""
