"""The domain lexicon: practitioners' words mapped to the documents' words (data in data/lexicon.yaml)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

LEXICON_FILE = Path(__file__).with_name("data") / "lexicon.yaml"


@cache
def _patterns(path: Path = LEXICON_FILE) -> tuple[tuple[re.Pattern, str], ...]:
    from assistant.datafiles import load_yaml

    data = load_yaml(path)
    compiled = []
    for target, words in data.items():
        for word in words:
            pattern = re.compile(r"(?<![\w'])" + re.escape(str(word).lower()) + r"(?![\w'])")
            compiled.append((pattern, str(target)))
    return tuple(compiled)


def expansions(question: str) -> list[str]:
    """Document words for the everyday words in ``question``, each target once, in lexicon order."""
    lowered = question.lower()
    found: list[str] = []
    for pattern, target in _patterns():
        if target not in found and pattern.search(lowered):
            found.append(target)
    return found


def expand(question: str) -> str:
    extra = expansions(question)
    return f"{question} {' '.join(extra)}" if extra else question


@cache
def vocabulary(path: Path = LEXICON_FILE) -> frozenset[str]:
    """Every everyday word or phrase the lexicon knows (lower case)."""
    from assistant.datafiles import load_yaml

    data = load_yaml(path)
    words: set[str] = set()
    for target, listed in data.items():
        words.update(str(target).lower().split())
        words.update(str(w).lower() for w in listed)
    return frozenset(words)
