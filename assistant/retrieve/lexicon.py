"""The domain lexicon: practitioners' words mapped to the documents' words (data in data/lexicon.yaml)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from assistant.datafiles import DATA_DIR
from assistant.datafiles import load_yaml

LEXICON_FILE = DATA_DIR / "lexicon.yaml"


@dataclass(frozen=True)
class Entry:
    word: str  # the everyday word or phrase, lower case
    pattern: re.Pattern  # it, as a whole word or phrase
    target: str  # the documents' words it stands for
    is_name: bool  # a name for a scheme, test or body that the documents call something else


@cache
def entries(path: Path = LEXICON_FILE) -> tuple[Entry, ...]:
    data = load_yaml(path)
    out = []
    for section, is_name in (("names", True), ("words", False)):
        for target, words in data[section].items():
            for word in words:
                lowered = str(word).lower()
                pattern = re.compile(r"(?<![\w'])" + re.escape(lowered) + r"(?![\w'])")
                out.append(Entry(lowered, pattern, str(target), is_name))
    return tuple(out)


def expansions(question: str) -> list[str]:
    """Document words for the everyday words in ``question``, each target once, in lexicon order."""
    lowered = question.lower()
    found: list[str] = []
    for entry in entries():
        if entry.target not in found and entry.pattern.search(lowered):
            found.append(entry.target)
    return found


def expand(question: str) -> str:
    extra = expansions(question)
    return f"{question} {' '.join(extra)}" if extra else question


def unmatched_names(question: str, corpus_has: Callable[[str], bool]) -> list[Entry]:
    """Names in ``question`` that the documents never use ("Sarah's law", "CSE"): only the lexicon
    connects them to the documents' words. ``corpus_has(term)`` says whether the corpus uses a term."""
    lowered = question.lower()
    return [e for e in entries() if e.is_name and e.pattern.search(lowered) and not corpus_has(e.word)]


@cache
def vocabulary(path: Path = LEXICON_FILE) -> frozenset[str]:
    """Every everyday word or phrase the lexicon knows, and the words of its targets (lower case)."""
    words: set[str] = set()
    for entry in entries(path):
        words.add(entry.word)
        words.update(re.sub(r"['’]s?\b", "", token) for token in entry.word.split())  # "clare's law" -> clare, law
        words.update(entry.target.split())
    return frozenset(words)
