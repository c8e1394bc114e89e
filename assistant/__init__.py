"""Information-sharing guidance assistant: cited answers and flowchart decisions, offline.

The public API. ``import assistant`` is light: each name below is imported on first use, so the
package loads none of torch, chromadb, streamlit, llama_index or sentence_transformers until a
name that needs one is used (tests/test_layout.py keeps it so).

A question flows top-down through the subpackages, and imports only flow down:

    cli/, ui/          the edges: the command line and what the Streamlit pages need
    answer/            Assistant: routes a question, composes the answer, quotes the passages
    understand/        reads practitioners' words: urgency, decision intent, follow-ups, facts
    retrieve/, scope/, myths/, decision/
                       passages found, is it answerable, myth verdicts, the flowchart engine
    indexing/, ingest/ the index and the passages it holds; privacy/, outputs/ beside them
    config, errors, datafiles, messages, verbatim, stemming   shared by every stage
"""

from __future__ import annotations

from importlib import import_module

_API = {
    "Assistant": "assistant.answer.assistant",
    "Answer": "assistant.answer.assistant",
    "Conversation": "assistant.answer.conversation",
    "load_retriever": "assistant.answer.runtime",
    "Settings": "assistant.config",
    "offline_environment": "assistant.config",
    "AssistantError": "assistant.errors",
    "BadInput": "assistant.errors",
    "BadFacts": "assistant.errors",
    "CorpusError": "assistant.errors",
    "IndexMissing": "assistant.errors",
    "IndexStale": "assistant.errors",
    "StoreUnavailable": "assistant.errors",
    "UnknownFlowchart": "assistant.errors",
    "decide": "assistant.decision.engine",
    "Decision": "assistant.decision.engine",
    "compare": "assistant.decision.compare",
    "Comparison": "assistant.decision.compare",
    "to_dot": "assistant.decision.dot",
    "list_flowcharts": "assistant.decision.models",
    "load_flowchart": "assistant.decision.models",
    "FACTS": "assistant.decision.models",
    "OUTCOME_LABELS": "assistant.decision.models",
    "load_scenarios": "assistant.decision.scenarios",
    "screen": "assistant.privacy.screen",
    "redact": "assistant.privacy.screen",
    "clean_question": "assistant.understand.inputs",
    "wants_decision": "assistant.understand.intent",
    "is_urgent": "assistant.understand.urgency",
    "is_follow_up": "assistant.understand.follow_up",
    "extract_facts": "assistant.understand.facts",
    "relevance": "assistant.scope.answerable",
    "load_documents": "assistant.ingest.documents",
    "documents_by_id": "assistant.ingest.documents",
    "build_passages": "assistant.ingest.passages",
    "build_index": "assistant.indexing.index",
    "open_index": "assistant.indexing.index",
    "load_embedder": "assistant.indexing.embedder",
    "record_feedback": "assistant.outputs.feedback",
    "conversation_markdown": "assistant.outputs.export",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    """A public name, imported from its module on first use (then cached in this module)."""
    try:
        module = _API[name]
    except KeyError:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}") from None
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
