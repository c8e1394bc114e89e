"""The assistant's own wording, loaded from data/messages.yaml (one place for every sentence we write)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

MESSAGES_FILE = Path(__file__).with_name("data") / "messages.yaml"


@cache
def messages() -> dict:
    from assistant.datafiles import load_yaml

    return load_yaml(MESSAGES_FILE)


def text(*path: str, **values) -> str:
    """The message at ``path`` (e.g. ``text("answer", "one_says", doc=...)``), white space folded."""
    node = messages()
    for key in path:
        node = node[key]
    return " ".join(str(node).split()).format(**values)
