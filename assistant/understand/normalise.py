"""The one normaliser and sentence splitter for what practitioners type.

Two normal forms, chosen with an explicit ``expand`` argument, because the two kinds of reading
built on them are written for different forms (and their eval results depend on it):

- ``expand=False``, the *rule* form (urgency, decision intent, follow-ups, stated facts: the
  patterns in data/routing.yaml): lower case, plain quotes, dashes and "...", single spaces.
- ``expand=True``, the *claim* form (the claim reader, data/claims.yaml): lower case, plain
  quotes, contractions expanded ("can't" -> "can not"), "=" read as "means", "IT" kept apart
  from "it"; line breaks and dashes are kept, because sentences are split on them.

``sentences`` splits a normalised text the same way for each form.

May import: nothing from ``assistant``.
"""

from __future__ import annotations

import re

_TRANSLATE = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"',
                            "–": "-", "—": "-", "‐": "-", "‑": "-", "…": "..."})
_QUOTES = {0x2019: "'", 0x2018: "'", 0x60: "'", 0x201C: '"', 0x201D: '"'}
_WS = re.compile(r"\s+")
_CONTRACTIONS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bcan'?t\b|\bcannot\b", "can not"), (r"\bwon't\b", "will not"), (r"\bshan'?t\b", "shall not"),
        (r"\bain'?t\b", "is not"),
        (r"\b(do|does|did|is|are|was|were|has|have|had|could|should|would|must|need|might)n'?t\b", r"\1 not"),
        (r"\bi'?m\b", "i am"), (r"'re\b", " are"), (r"'ve\b", " have"), (r"'ll\b", " will"), (r"'d\b", " would"),
        (r"\b(it|that|there|what|who|here|he|she|this|where|how)'s\b", r"\1 is"), (r"'s\b", ""), (r"'", ""),
        (r"\s*=\s*", " means "), (r"\s\+\s|(?<=\w)\+(?=\w)|\s&\s", " and "), (r"\bw/o\b", "without"),
    )
)
# Sentence ends: in the rule form any stop, "?", "!", ";" or line break; in the claim form a stop,
# "?", "!" or ":" before a space, a line break, a "?" run into the next word, or a dash aside.
_RULE_SENTENCE = re.compile(r"[.!?;\n]+")
_CLAIM_SENTENCE = re.compile(r"(?<=[.!?:])\s+|\n+|(?<=\?)(?=[^\s?])|\s[-–—]\s|—")


def normalise(text: str, *, expand: bool = False) -> str:
    """``text`` in the rule form, or with ``expand=True`` in the claim form (see the module doc)."""
    if not expand:
        return _WS.sub(" ", text.translate(_TRANSLATE)).strip().lower()
    if re.search(r"[a-z]", text):  # "IT" in mixed-case text is the abbreviation, not the pronoun
        text = re.sub(r"\bIT\b", "it-systems", text)
    text = text.lower().translate(_QUOTES)
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def sentences(normalised: str, *, expand: bool = False) -> list[str]:
    """The sentences of a text already normalised in the same form."""
    return (_CLAIM_SENTENCE if expand else _RULE_SENTENCE).split(normalised)
