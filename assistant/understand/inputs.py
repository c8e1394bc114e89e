"""What a typed question is allowed to be, before anything else looks at it.

Control characters and NUL bytes are removed, white space is folded, and an over-long question is
cut with a warning. An empty question is a ``BadInput`` with a one-line message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from assistant.errors import BadInput

# Control characters, invisible direction/zero-width marks, and lone surrogates (what Python makes of
# invalid UTF-8 bytes in a command-line argument: they crash the tokenizer and cannot be printed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")

TRUNCATED = "Your question was very long, so only its first {limit:,} characters were read."
EMPTY = "Please type a question."


@dataclass(frozen=True)
class CleanQuestion:
    text: str
    warnings: tuple[str, ...] = ()


def clean_question(raw: str | None, max_chars: int = 2000) -> CleanQuestion:
    if raw is None:
        raise BadInput(EMPTY)
    text = _CONTROL.sub(" ", str(raw))
    text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())
    if not text or not any(ch.isalnum() for ch in text):
        raise BadInput(EMPTY if not text else "Please type a question in words.")
    warnings: list[str] = []
    if len(text) > max_chars:
        cut = text[:max_chars]
        text = cut.rsplit(" ", 1)[0] if " " in cut[-50:] else cut
        warnings.append(TRUNCATED.format(limit=max_chars))
    return CleanQuestion(text, tuple(warnings))
