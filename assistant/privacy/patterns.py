"""Identifier detectors of the personal-data guard: NHS and NI numbers, postcodes, phone
numbers, email addresses and dates of birth, and the ``Finding`` every detector reports.

Why a module of its own: these are fixed formats, checked by regular expressions, the NHS
mod-11 check and ``phonenumbers``; names (``assistant.privacy.names``) are guessed from word
lists instead. What counts as each kind is decided in ``assistant.privacy.screen``'s docstring and
tested in tests/test_privacy.py. ``phonenumbers`` is imported on first use, only when the text
has seven digits, so importing this module stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Kind = Literal["name", "nhs_number", "ni_number", "postcode", "phone", "email", "date_of_birth"]
# Order of precedence when two findings overlap: the first kind wins.
KINDS: tuple[Kind, ...] = (
    "email", "nhs_number", "ni_number", "date_of_birth", "phone", "postcode", "name"
)


@dataclass(frozen=True)
class Finding:
    """Where an identifier is, never what it says (so findings are safe to log)."""

    kind: Kind
    start: int
    end: int


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


def identifier_findings(text: str) -> Iterator[Finding]:
    """Emails, valid NHS numbers, NI numbers, postcodes and dates of birth in ``text``
    (overlaps are left for the caller to resolve)."""
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


def phone_findings(text: str) -> Iterator[Finding]:
    """UK landline and mobile numbers written with 0 or +44, and valid international ones."""
    if not _SEVEN_DIGITS.search(text):
        return
    import phonenumbers  # deferred: heavy: loaded on first use

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
