"""Thumbs up / down on an answer, kept locally as JSON lines for whoever maintains the guidance data.

Why a separate module: feedback is the one thing the app writes to disk, and the product promises
that nothing a practitioner types is written unredacted. So the record is built here from a fixed
list of fields: the question goes through ``assistant.privacy.screen.redact`` again (even though the
assistant already redacted it: a caller may pass raw text), and the answer text itself is never
stored, only which passages it cited. Nothing here imports Streamlit; the app calls
``record_feedback`` from its ``st.feedback`` callback.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from assistant.config import Settings
from assistant.errors import BadInput
from assistant.privacy.screen import redact

FEEDBACK_FILE = "feedback.jsonl"
FEEDBACK_FORMAT = 1
# st.feedback("thumbs") gives 0 for thumbs down and 1 for thumbs up.
_RATINGS = {0: "down", 1: "up", "down": "down", "up": "up"}
_lock = threading.Lock()  # one server, many sessions: keep each line whole


def feedback_path(settings: Settings) -> Path:
    return Path(settings.data_dir) / FEEDBACK_FILE


def _rating(rating: object) -> str:
    if isinstance(rating, bool) or rating not in _RATINGS:
        raise BadInput(f"Feedback rating must be 'up' or 'down' (or 1 / 0), not {rating!r}")
    return _RATINGS[rating]  # type: ignore[index]


def _cited(answer: Mapping) -> list[str]:
    """Where each cited passage is: ``doc_id@start-end`` offsets into the corpus file."""
    refs = []
    for citation in answer.get("citations") or []:
        ref = f"{citation['doc_id']}@{citation['passage_start']}-{citation['passage_end']}"
        if ref not in refs:
            refs.append(ref)
    return refs


def feedback_entry(answer: Mapping | str, rating: object, *, now: datetime | None = None) -> dict:
    """The line that would be written: redacted question, mode, rating, time and cited passages.

    ``answer`` is an ``Answer.to_dict()`` (or any mapping with a ``question``), or a bare question.
    """

    data: Mapping = {"question": answer} if isinstance(answer, str) else answer
    question = data.get("question")
    if not isinstance(question, str):
        raise BadInput("Feedback needs the question the answer was for")
    decision = data.get("decision") or {}
    return {
        "format": FEEDBACK_FORMAT,
        "at": (now or datetime.now().astimezone()).isoformat(timespec="seconds"),
        "rating": _rating(rating),
        "mode": data.get("mode") if isinstance(data.get("mode"), str) else None,
        "question": redact(" ".join(question.split())),
        "cited_passages": _cited(data),
        "flowchart": decision.get("flowchart"),
        "outcome": decision.get("outcome"),
    }


def record_feedback(settings: Settings, answer: Mapping | str, rating: object, *,
                    now: datetime | None = None) -> dict:
    """Append one feedback line to ``settings.data_dir / feedback.jsonl``; returns what was written."""
    entry = feedback_entry(answer, rating, now=now)
    path = feedback_path(settings)
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    with _lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line)
    return entry


def read_feedback(settings: Settings) -> list[dict]:
    """Every feedback line written so far (for maintainers and tests)."""
    path = feedback_path(settings)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
