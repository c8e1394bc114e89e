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

from assistant.datafiles import Strict, load_model
from assistant.understand.claim_language import CLAIMS_FILE, Language, alternation

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


class _CitationModel(Strict):
    doc_id: str
    quote: str


class _ClaimModel(Strict):
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


class _ClaimsFile(Strict):
    language: Language
    claims: list[_ClaimModel]


@cache
def _load(path: Path = CLAIMS_FILE) -> tuple[Language, tuple[Claim, ...]]:
    data = load_model(_ClaimsFile, path)
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
