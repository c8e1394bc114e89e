"""Legal currency: which documents cite superseded law, and the note a reader should see.

The facts live in ``data/legal_currency.yaml``; the manifest says which document cites what.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from assistant.datafiles import DATA_DIR
from assistant.datafiles import load_yaml
from assistant.errors import CorpusError

FACTS_FILE = DATA_DIR / "legal_currency.yaml"


@dataclass(frozen=True)
class CurrencyNote:
    key: str
    badge: str
    note: str


@cache
def _facts() -> dict[str, CurrencyNote]:
    data = load_yaml(FACTS_FILE)
    return {key: CurrencyNote(key, value["badge"], " ".join(value["note"].split())) for key, value in data.items()}


def notes_for(document) -> tuple[CurrencyNote, ...]:
    """The notes that apply to ``document`` (an ``assistant.ingest.documents.Document``), in manifest order."""
    facts = _facts()
    unknown = [key for key in document.law_superseded if key not in facts]
    if unknown:
        raise CorpusError(f"Manifest entry {document.id!r} names unknown law_superseded keys: {', '.join(unknown)}")
    return tuple(facts[key] for key in document.law_superseded)
