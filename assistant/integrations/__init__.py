"""Integrations: the assistant's retrieval offered to other frameworks.

Holds ``llama_index``: ``GuidanceRetriever``, a llama-index ``BaseRetriever`` returning the hybrid
retriever's passages as ``NodeWithScore`` with their citation metadata. Nothing in the app, the CLI
or ``import assistant`` imports this subpackage: importing it is the only way llama-index reaches
the query path.

May import: anything in ``assistant`` except ``assistant.ui`` and ``assistant.cli``.
"""
