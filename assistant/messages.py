"""The assistant's own wording, loaded from data/messages.yaml (one place for every sentence we write)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from assistant.datafiles import DATA_DIR
from assistant.datafiles import load_yaml

MESSAGES_FILE = DATA_DIR / "messages.yaml"


@cache
def messages() -> dict:
    return load_yaml(MESSAGES_FILE)


def section(*path: str):
    """The part of the messages at ``path`` (a mapping, list or string), as stored."""
    node = messages()
    for key in path:
        node = node[key]
    return node


def text(*path: str, **values) -> str:
    """The message at ``path`` (e.g. ``text("answer", "one_says", doc=...)``), white space folded."""
    return " ".join(str(section(*path)).split()).format(**values)
