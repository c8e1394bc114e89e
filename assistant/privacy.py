"""Personal-data guard: find UK identifiers in what a practitioner types, and redact them.

Why: the guidance's golden rule is to seek advice "without disclosing the identity of the
individual where possible". The assistant warns when a message looks identifying and makes
sure only ``redact``-ed text is ever written anywhere (logs, feedback, exports).

Why not presidio-analyzer: importing any part of it imports its NLP engines, which pull in
transformers and torch (about 4.3 s, more than the app's whole cold-start budget), and its
email recogniser asks the network for the public-suffix list. So this is a small module:
``phonenumbers`` for phone numbers, regular expressions for the rest, the NHS mod-11 check,
and word lists (assistant/data/privacy.yaml) for names.

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
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

Kind = Literal["name", "nhs_number", "ni_number", "postcode", "phone", "email", "date_of_birth"]
# Order of precedence when two findings overlap: the first kind wins.
KINDS: tuple[Kind, ...] = (
    "email", "nhs_number", "ni_number", "date_of_birth", "phone", "postcode", "name"
)
_DATA_FILE = Path(__file__).resolve().parent / "data" / "privacy.yaml"


@dataclass(frozen=True)
class Finding:
    """Where an identifier is, never what it says (so findings are safe to log)."""

    kind: Kind
    start: int
    end: int


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
        *_regex_findings(text, rules),
        *_phone_findings(text),
        *_union(tuple(_name_findings(text, rules))),
    ]
    return _resolve_overlaps(candidates)


def _apply(text: str, findings: tuple[Finding, ...], rules: _Rules) -> str:
    pieces, pos = [], 0
    for f in findings:
        pieces += [text[pos : f.start], rules.labels[f.kind].placeholder]
        pos = f.end
    pieces.append(text[pos:])
    return "".join(pieces)


# --- checks ---------------------------------------------------------------------------------


def nhs_number_is_valid(digits: str) -> bool:
    """NHS number mod-11: weights 10..2 on the first nine digits; the check digit is
    11 - (sum mod 11), where 11 means 0 and 10 means the number is invalid."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    return (0 if check == 11 else check) == int(digits[9])


def _valid_numeric_date(a: str, b: str) -> bool:
    """Day and month in either order (UK or US writing)."""
    x, y = int(a), int(b)
    return (1 <= x <= 31 and 1 <= y <= 12) or (1 <= x <= 12 and 1 <= y <= 31)


# --- regex detectors -------------------------------------------------------------------------

_NHS = re.compile(r"(?<![\w+])\d{3}[ -]?\d{3}[ -]?\d{4}(?!\w)")
_NI = re.compile(
    r"(?<!\w)(?!BG|GB|NK|KN|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"(?: ?\d{2}){3}(?: ?([A-D]))?(?!\w)",
    re.IGNORECASE,
)
_POSTCODE = re.compile(
    r"(?<![\w-])(?:GIR ?0AA|[A-PR-UWYZ](?:\d[\dA-HJKPSTUW]?|[A-HK-Y]\d[\dABEHMNPRVWXY]?)"
    r" ?\d[ABD-HJLNP-UW-Z]{2})(?![\w-])",
    re.IGNORECASE,
)
_ORDINAL_END = re.compile(r"\d(?:st|nd|rd|th)$", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.%+'-])[\w.%+'-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
_NUMERIC_DATE = re.compile(
    r"(?<![\w./-])(?:(\d{1,2})([/.-])(\d{1,2})\2(\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))(?![\w/-]|\.\d)"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_ANY_DATE = (
    rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}|{_MONTH}\s+{_DAY},?\s+\d{{4}}"
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+{_DAY}(?!\d)|{_MONTH}\s+\d{{4}}|(?:19|20)\d{{2}}"
)
_CUED_DATE = re.compile(
    r"(?<!\w)(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s?date|birthday|born)"
    rf"[\s:,–-]*(?:(?:is|was|on|in|the)\b[\s:,–-]*){{0,3}}({_ANY_DATE})(?![\w/])",
    re.IGNORECASE,
)


def _regex_findings(text: str, rules: _Rules) -> Iterator[Finding]:
    for m in _EMAIL.finditer(text):
        yield Finding("email", m.start(), m.end())
    for m in _NHS.finditer(text):
        if nhs_number_is_valid(re.sub(r"[ -]", "", m.group())):
            yield Finding("nhs_number", m.start(), m.end())
    for m in _NI.finditer(text):
        if m.group()[:2].isupper() or m.group(1):
            yield Finding("ni_number", m.start(), m.end())
    for m in _POSTCODE.finditer(text):
        if m.group().isupper() or not _ORDINAL_END.search(m.group()):
            yield Finding("postcode", m.start(), m.end())
    for m in _NUMERIC_DATE.finditer(text):
        d, _, mo, _, _, mo2, d2 = m.groups()
        if _valid_numeric_date(d, mo) if d else _valid_numeric_date(d2, mo2):
            yield Finding("date_of_birth", m.start(), m.end())
    for m in _CUED_DATE.finditer(text):
        yield Finding("date_of_birth", m.start(1), m.end(1))


# --- phone numbers (phonenumbers) --------------------------------------------------------------

_SEVEN_DIGITS = re.compile(r"\d(?:[\s().-]{0,3}\d){6}")


def _phone_findings(text: str) -> Iterator[Finding]:
    if not _SEVEN_DIGITS.search(text):
        return
    import phonenumbers

    for m in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        raw = m.raw_string.lstrip("(")
        if not raw.startswith(("0", "+")):
            continue  # UK numbers are written with 0 or +44; bare digit runs are other things
        number = m.number
        if number.country_code == 44:
            national = str(number.national_number)
            if national[0] not in "127" or len(national) not in (9, 10):
                continue
        elif not phonenumbers.is_valid_number(number):
            continue
        yield Finding("phone", m.start, m.end)


# --- names -----------------------------------------------------------------------------------

_CUE_GAP = r"(?!\w)(?:[ \t]*[,(][ \t]*|[ \t]+)"  # "her mum Sarah", "her mum (Sarah)"
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_MAX_NAME_WORDS = 4


class _Token(NamedTuple):
    start: int
    end: int  # excludes a possessive 's, which is kept outside [NAME]
    nameable: bool  # capitalised, not all capitals, not a domain or everyday word
    domain: bool  # capitalised domain word: a name-like run just before it names a thing
    joined: bool  # separated from the previous token by spaces only


def _tokens(text: str, rules: _Rules) -> list[_Token]:
    """The capitalised words of ``text`` (other words can't be names, so they are skipped
    cheaply; ``joined`` is false after a skipped word)."""
    out: list[_Token] = []
    prev_end = 0  # end of the previous word of any kind
    prev_kept = -1  # end of the previous capitalised word
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        if not text[start].isupper():
            prev_end = end
            continue
        core = _POSSESSIVE.sub("", m.group())
        if len(core) >= 2 and not core.isupper():
            key = core.lower().replace("’", "'")
            stop = key in rules.stop_words or any(p in rules.stop_words for p in key.split("-"))
            gap = text[prev_end:start]
            out.append(
                _Token(
                    start=start,
                    end=start + len(core),
                    nameable=not stop,
                    domain=key in rules.domain_words,
                    joined=prev_kept == prev_end and gap.isspace() and "\n" not in gap,
                )
            )
            prev_kept = end
        prev_end = end
    return out


def _name_findings(text: str, rules: _Rules) -> Iterator[Finding]:
    tokens = _tokens(text, rules)
    by_start = {t.start: i for i, t in enumerate(tokens)}

    def run_from(i: int) -> int:
        """Index after the run of nameable, space-joined tokens starting at i; i itself when
        there is none or the run goes on into a domain word ("Gillick Competence")."""
        j, limit = i, min(len(tokens), i + _MAX_NAME_WORDS)
        while j < limit and tokens[j].nameable and (j == i or tokens[j].joined):
            j += 1
        if j < len(tokens) and tokens[j].joined and tokens[j].domain:
            return i
        return j

    # Cued names: "called Jade", "Mrs Smith", "my pupil Jade Smith".
    cued = ((rules.introducer, False), (rules.relation, False), (rules.title, True))
    for pattern, keep_cue in cued:
        for m in pattern.finditer(text):
            i = by_start.get(m.end())
            if i is None or (keep_cue and not m.group()[0].isupper()):
                continue
            j = run_from(i)
            if j > i:
                yield Finding("name", m.start() if keep_cue else tokens[i].start, tokens[j - 1].end)
    # Uncued names: two or more nameable capitalised words in a row ("Jade Smith"). A
    # sentence's first word counts too ("Jade Smith told me..."): a missed name gets stored,
    # so everyday sentence openers ("Outline", "Can") are in the word lists instead.
    i = 0
    while i < len(tokens):
        j = run_from(i)
        if j - i >= 2:
            yield Finding("name", tokens[i].start, tokens[j - 1].end)
        i = max(j, i + 1)


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


class _Label(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    singular: str
    plural: str
    placeholder: str


class _PrivacyData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
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
    stop_words: frozenset[str]
    domain_words: frozenset[str]
    introducer: re.Pattern[str]
    relation: re.Pattern[str]
    title: re.Pattern[str]


def _phrase_pattern(phrases: list[str], tail: str) -> re.Pattern[str]:
    alts = sorted((r"\s+".join(map(re.escape, p.split())) for p in phrases), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(alts)}){tail}", re.IGNORECASE)


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
    import phonenumbers
    import yaml

    data = _PrivacyData.model_validate(yaml.safe_load(_DATA_FILE.read_text(encoding="utf-8")))
    missing = set(KINDS) - set(data.kinds)
    if missing:
        raise ValueError(f"{_DATA_FILE} has no wording for {sorted(missing)}")
    phonenumbers.parse("01422 393000", "GB")  # load GB metadata here, under the lock
    domain = frozenset(w.lower() for w in data.domain_words)
    return _Rules(
        warning=" ".join(data.warning.split()),
        labels=dict(data.kinds),  # file order is the order kinds are named in a warning
        stop_words=domain | {w.lower() for w in data.common_words},
        domain_words=domain,
        introducer=_phrase_pattern(data.name_introducers, r"(?!\w)[ \t]+"),
        relation=_phrase_pattern(data.relation_cues, _CUE_GAP),
        title=_phrase_pattern(data.titles, r"\.?[ \t]+"),
    )
