"""Myths: the claims of the myth-busting guide, and matching a question to one with a verdict.

Holds ``claims`` (the claims file), ``claim_vectors`` (their embeddings, cached) and ``matcher``
(``ClaimMatcher``).

May import: ``assistant.understand`` (the claim reader) and the top-level modules.
"""
