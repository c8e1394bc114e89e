"""What "found verbatim in the corpus" means, in one place.

Documents are plain text converted from PDFs and web pages: line breaks fall mid-sentence and runs
of spaces vary. A quote is verbatim when it equals the corpus text with runs of white space folded
to one space. Nothing else is forgiven: not punctuation, not case, not markdown marks.
"""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")


def normalise_ws(text: str) -> str:
    """Fold every run of white space to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


def matches_span(doc_text: str, start: int, end: int, quote: str) -> bool:
    """True when ``quote`` is exactly ``doc_text[start:end]`` up to white space."""
    if not (0 <= start < end <= len(doc_text)):
        return False
    return normalise_ws(doc_text[start:end]) == normalise_ws(quote)


def find_span(doc_text: str, quote: str) -> tuple[int, int] | None:
    """Offsets of the first place ``quote`` occurs in ``doc_text`` up to white space, or None."""
    words = normalise_ws(quote).split(" ")
    if not words or words == [""]:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.search(pattern, doc_text)
    return (match.start(), match.end()) if match else None


def contains(doc_text: str, quote: str) -> bool:
    return find_span(doc_text, quote) is not None
