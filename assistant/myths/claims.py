"""The claims data (data/claims.yaml): the myth-busting guides' myths and the true claims the guidance
supports, each with its citations and the cues the matcher needs, plus the reader's word lists.

Why its own module: the file is validated once (strict pydantic models, so a typo in a field name fails
loudly), compiled once (its phrases become one regex alternation each) and cached, and both the matcher
(``assistant.myths.matcher``) and the reader (``assistant.understand.claim_reader``) start from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.datafiles import load_yaml
from assistant.understand.claim_reader import alternation
from assistant.datafiles import DATA_DIR

CLAIMS_FILE = DATA_DIR / "claims.yaml"

Stance = Literal["restrict", "permit", "core", "negated_core"]


@dataclass(frozen=True)
class Citation:
    doc_id: str
    quote: str


@dataclass(frozen=True)
class Claim:
    """One claim as the matcher uses it: the data-file entry with its phrase lists compiled."""

    id: str
    verdict: str  # "myth" | "true": the verdict on the statement as written
    statement: str
    paraphrases: tuple[str, ...]
    citations: tuple[Citation, ...]
    stance: Stance = "restrict"
    cues: tuple[tuple[re.Pattern, ...], ...] = ()
    core: tuple[re.Pattern, ...] = ()
    contra: tuple[re.Pattern, ...] = ()
    keywords: tuple[re.Pattern, ...] = ()


class _CitationModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    doc_id: str
    quote: str


class _ClaimModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    verdict: Literal["myth", "true"]
    stance: Stance
    statement: str
    paraphrases: list[str]
    cues: list[list[str]]
    core: list[str] = []
    contra: list[str] = []
    keywords: list[str] = []
    citations: list[_CitationModel]


class Language(BaseModel):
    """Word lists the reader uses (data/claims.yaml says what each one is for)."""

    model_config = ConfigDict(extra="forbid")
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


class _ClaimsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    language: Language
    claims: list[_ClaimModel]


@cache
def _load(path: Path = CLAIMS_FILE) -> tuple[Language, tuple[Claim, ...]]:
    data = _ClaimsFile.model_validate(load_yaml(path))
    claims = tuple(
        Claim(
            id=c.id, verdict=c.verdict, statement=c.statement, paraphrases=tuple(c.paraphrases),
            citations=tuple(Citation(x.doc_id, x.quote) for x in c.citations), stance=c.stance,
            cues=tuple((alternation(group),) for group in c.cues),
            core=_patterns(c.core), contra=_patterns(c.contra), keywords=_patterns(c.keywords),
        )
        for c in data.claims
    )
    return data.language, claims


def _patterns(patterns: list[str]) -> tuple[re.Pattern, ...]:
    """One compiled alternation (one regex search per question instead of one per phrase)."""
    return (alternation(patterns),) if patterns else ()


def load_claims() -> tuple[Claim, ...]:
    """Every claim in data/claims.yaml, in file order (read and compiled once per process)."""
    return _load()[1]


def load_language() -> Language:
    """The reader's word lists from data/claims.yaml."""
    return _load()[0]
