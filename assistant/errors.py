"""Typed errors. Their messages are shown to users as one line, so they say what to do next.

The library raises these; the edges (CLI, app) render them: the CLI prints the message and exits 2,
the app shows it with ``st.error``.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: a problem the user can act on. ``str(err)`` is the one-line message."""

    exit_code = 2


class BadInput(AssistantError):
    """The question, facts or arguments cannot be used as given."""


class BadDocument(BadInput):
    """A file, or the details given for it, that cannot be added to the corpus; nothing was written."""


class CorpusError(AssistantError):
    """The corpus folder or its manifest is missing or inconsistent."""


class IndexMissing(AssistantError):
    """No usable index where the settings say it is."""


class IndexStale(AssistantError):
    """The index was built from another corpus, model or passage settings, or is damaged."""


class StoreUnavailable(AssistantError):
    """The Chroma server named in the settings cannot be reached."""


class UnknownFlowchart(BadInput):
    """A flowchart id that does not exist."""


class BadFacts(BadInput):
    """Unknown fact names or values given to the decision engine."""


REBUILD_HINT = "run: make index (or python -m assistant build-index)"
