"""Personal-data guard: find UK identifiers in what a practitioner types, and redact them.

Why: the guidance's golden rule is to seek advice "without disclosing the identity of the
individual where possible". The assistant warns when a message looks identifying and makes
sure only ``redact``-ed text is ever written anywhere (logs, feedback, exports).

Why not presidio-analyzer: importing any part of it imports its NLP engines, which pull in
transformers and torch (about 4.3 s, more than the app's whole cold-start budget), and its
email recogniser asks the network for the public-suffix list. So this is a small module:
``phonenumbers`` for phone numbers, regular expressions for the rest, the NHS mod-11 check
(all in ``assistant.privacy.patterns``), and word lists (assistant/data/privacy.yaml) for
names (``assistant.privacy.names``). This module combines their findings and redacts.

What counts (decided here, tested in tests/test_privacy.py):
- nhs_number: 10 digits, optionally 3-3-4 with spaces or hyphens, passing the mod-11 check.
- ni_number: valid two-letter prefix, six digits, suffix A-D (optional when the prefix is in
  capitals), optional spaces.
- postcode: a full UK postcode ("HX1 1UJ", "sw1a 1aa"); an outward code alone is not flagged.
- phone: a UK number written with a leading 0 or +44 whose national number starts 1, 2 or 7
  (landlines and mobiles; 03/08/09 numbers belong to organisations and helplines), or a valid
  international number. 999, 101 and 0800 1111 are never flagged.
- email: anything shaped like local@domain.tld.
- date_of_birth: any date after "DOB", "date of birth", "born", "birthday"; and any full
  numeric date with a four-digit year (12/03/2011, 12-03-2011, 2011-03-12), because in a
  message about a child that is most likely a date of birth. Written dates without such a
  cue ("25 May 2018"), years and paragraph numbers ("4.32") are not flagged.
- name: capitalised words after an introducer ("called", "named", "name is"), a title
  ("Mrs Smith") or a person noun ("my pupil Jade"); and two or more capitalised words in a
  row ("Jade Smith"), also at the start of a sentence, unless one is a domain word
  ("Children's Social Care") or an everyday word ("Outline", "Can"), or the run goes on into
  a domain word ("Gillick Competence", "St Mary's Primary"). Names typed in lower case, or
  as a single word without a cue ("Jade said"), are not caught.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field
from pathlib import Path

from assistant.privacy.names import NameRules, name_findings, name_rules
from assistant.datafiles import DATA_DIR, Strict, load_model
from assistant.errors import CorpusError
from assistant.privacy.patterns import KINDS, Finding, Kind, identifier_findings, phone_findings

_DATA_FILE = DATA_DIR / "privacy.yaml"


@dataclass(frozen=True)
class Screened:
    """A message and its redacted form. ``original`` is kept out of ``repr`` so that
    logging a ``Screened`` by accident does not write the identifiers."""

    original: str = field(repr=False)
    redacted: str
    findings: tuple[Finding, ...]

    @property
    def has_personal_data(self) -> bool:
        return bool(self.findings)

    def warning(self) -> str | None:
        """One plain sentence naming what was found, or None when nothing was."""
        if not self.findings:
            return None
        rules = _rules()
        counts = {k: sum(f.kind == k for f in self.findings) for k in rules.labels}
        parts = [
            rules.labels[k].plural if n > 1 else rules.labels[k].singular
            for k, n in counts.items()
            if n
        ]
        kinds = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return rules.warning.format(kinds=kinds)


def screen(text: str) -> Screened:
    """Find identifiers in ``text`` and return it with each one replaced by a placeholder."""
    if not isinstance(text, str):
        raise TypeError(f"screen() needs a str, not {type(text).__name__}")
    rules = _rules()
    findings = _detect(text, rules)
    redacted = _apply(text, findings, rules)
    # Detectors look at neighbouring characters, so replacing a span can expose another
    # (a name after a number, a phone number cut short by an email). Re-screen the redacted
    # text and fold anything new back into the original until nothing changes: this is what
    # makes redact(redact(x)) == redact(x).
    for _ in range(_MAX_PASSES):
        again = _detect(redacted, rules) if findings else ()
        if not again:
            break
        back = [_to_original(f, findings, rules) for f in again]
        findings = _union(findings + tuple(back))
        redacted = _apply(text, findings, rules)
    return Screened(original=text, redacted=redacted, findings=findings)


def redact(text: str) -> str:
    """The text to store or log in place of what the user typed."""
    return screen(text).redacted


_MAX_PASSES = 4


def _detect(text: str, rules: _Rules) -> tuple[Finding, ...]:
    candidates = [
        *identifier_findings(text),
        *phone_findings(text),
        *_union(tuple(name_findings(text, rules.names))),
    ]
    return _resolve_overlaps(candidates)


def _apply(text: str, findings: tuple[Finding, ...], rules: _Rules) -> str:
    pieces, pos = [], 0
    for f in findings:
        pieces += [text[pos : f.start], rules.labels[f.kind].placeholder]
        pos = f.end
    pieces.append(text[pos:])
    return "".join(pieces)


# --- combining ---------------------------------------------------------------------------------


def _to_original(f: Finding, findings: tuple[Finding, ...], rules: _Rules) -> Finding:
    """Map a finding in the redacted text back to the original: a placeholder it touches
    stands for the whole span that placeholder replaced."""
    start = end = None
    shift = 0  # redacted position minus original position, up to the current placeholder
    for old in findings:
        r_start = old.start + shift
        r_end = r_start + len(rules.labels[old.kind].placeholder)
        if start is None and f.start < r_end:
            start = old.start if f.start >= r_start else f.start - shift
        if end is None and f.end <= r_end:
            end = old.end if f.end > r_start else f.end - shift
        shift = r_end - old.end
    start = f.start - shift if start is None else start
    end = f.end - shift if end is None else end
    return Finding(f.kind, start, end)


def _union(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """Merge overlapping findings of any kind; the merged span takes the stronger kind."""
    merged: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if merged and f.start < merged[-1].end:
            last = merged.pop()
            kind = min(last.kind, f.kind, key=KINDS.index)
            f = Finding(kind, last.start, max(last.end, f.end))
        merged.append(f)
    return tuple(merged)


def _resolve_overlaps(candidates: list[Finding]) -> tuple[Finding, ...]:
    """Keep the strongest kind (then the longest span) wherever findings overlap."""
    kept: list[Finding] = []  # non-overlapping, sorted by start (so also by end)
    starts: list[int] = []
    for f in sorted(candidates, key=lambda f: (KINDS.index(f.kind), f.start - f.end, f.start)):
        i = bisect.bisect_left(starts, f.end)  # kept[:i] start before f ends
        if i == 0 or kept[i - 1].end <= f.start:
            kept.insert(i, f)
            starts.insert(i, f.start)
    return tuple(kept)


# --- data ----------------------------------------------------------------------------------


class _Label(Strict):
    singular: str
    plural: str
    placeholder: str


class _PrivacyData(Strict):
    warning: str
    kinds: dict[Kind, _Label]
    name_introducers: list[str]
    titles: list[str]
    relation_cues: list[str]
    domain_words: list[str]
    common_words: list[str]


@dataclass(frozen=True)
class _Rules:
    warning: str
    labels: dict[Kind, _Label]
    names: NameRules


_LOCK = threading.Lock()
_loaded: list[_Rules] = []


def _rules() -> _Rules:
    """The word lists and patterns, loaded once (thread-safe) on first use so that importing
    this module stays cheap."""
    if not _loaded:
        with _LOCK:
            if not _loaded:
                _loaded.append(_load_rules())
    return _loaded[0]


def _load_rules() -> _Rules:
    import phonenumbers  # deferred: its metadata is large

    data = load_model(_PrivacyData, _DATA_FILE)
    missing = set(KINDS) - set(data.kinds)
    if missing:
        raise CorpusError(f"{_DATA_FILE.name}: kinds: no wording for {sorted(missing)}")
    phonenumbers.parse("01422 393000", "GB")  # load GB metadata here, under the lock
    return _Rules(
        warning=" ".join(data.warning.split()),
        labels=dict(data.kinds),  # file order is the order kinds are named in a warning
        names=name_rules(
            data.name_introducers, data.titles, data.relation_cues, data.domain_words,
            data.common_words,
        ),
    )
