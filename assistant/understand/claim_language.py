"""The claim reader's word lists: the ``language`` section of data/claims.yaml, checked and compiled.

May import: ``assistant.datafiles`` only.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from assistant.datafiles import DATA_DIR, Strict, load_yaml, validate

CLAIMS_FILE = DATA_DIR / "claims.yaml"


class Language(Strict):
    """Word lists the reader uses (data/claims.yaml says what each one is for)."""

    fillers: list[str]
    comma_fillers: list[str]
    confirmations: list[str]
    tags: list[str]
    comma_tags: list[str]
    interrogative_prefixes: list[str]
    indirect_yesno: list[str]
    indirect_wh: list[str]
    statement_prefixes: list[str]
    flip_prefixes: list[str]
    flip_suffixes: list[str]
    flip_blockers: list[str]
    wh_words: list[str]
    presupposing_wh: list[str]
    requests: list[str]
    auxiliaries: list[str]
    decision_questions: list[str]
    decision_statements: list[str]
    share_verbs: list[str]
    permission_words: list[str]
    bridge_words: list[str]
    gap_words: list[str]
    restrictive: list[str]
    permissive: list[str]
    hedges: list[str]
    explicit_negators: list[str]
    universal_negators: list[str]
    no_object_words: list[str]
    core_negators: list[str]


def alternation(patterns: list[str], before: str = "", after: str = "") -> re.Pattern:
    """One compiled alternation of data-file phrases (one regex search instead of one per phrase)."""
    return re.compile(before + "(?:" + "|".join(f"(?:{p.strip()})" for p in patterns) + ")" + after)


@cache
def load_language(path: Path = CLAIMS_FILE) -> Language:
    """The word lists of claims.yaml's ``language`` section, read and checked once."""
    data = load_yaml(path)
    return validate(Language, data.get("language") if isinstance(data, dict) else None, path)
