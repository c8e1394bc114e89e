"""The Streamlit app's own wording, loaded from data/ui.yaml (one place for every label and hint).

Kept apart from ``assistant.messages`` (the assistant's answers) so the app's labels can change
without touching what the assistant says, and vice versa.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from assistant.datafiles import DATA_DIR, load_yaml

UI_FILE = DATA_DIR / "ui.yaml"


@cache
def _data() -> dict:
    return load_yaml(UI_FILE)


def ui(*path: str, **values):
    """The entry at ``path``: a string (white space folded, ``{name}`` filled from ``values``),
    or the list / mapping stored there."""
    node = _data()
    for key in path:
        node = node[key]
    if isinstance(node, str):
        return " ".join(node.split()).format(**values)
    return node
