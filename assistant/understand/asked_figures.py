"""Does a quote state the figure a question asks for?

A question that asks for a figure ("how many days...", "what is the age of criminal
responsibility", "how much is the fee") is answered only by a quote that states one, and the
right one: retrieval finds passages on the topic, but a passage about the age of consent to
sharing does not answer the age of criminal responsibility, and a "15 days" about case transfer
does not answer how many hours a breach report may take. Three checks, all data in
data/scope.yaml:

1. The quote, or its passage's heading, states a figure at all (digits or number words). Years,
   and the numbers of sections, articles, paragraphs, appendices and numbered headings, are not
   figures.
2. The figure's kind: "how many days" needs a number of days, "how much ... fee" an amount of
   money, "what percentage" a percentage, "how long" a duration.
3. What the figure is asked *of* ("the age of *sexual consent*"): its passage speaks of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.scope.answerable import SCOPE_FILE
from assistant.datafiles import load_yaml
from assistant.stemming import stem

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_TOKEN = re.compile(r"\d[\d.,]*|[A-Za-z][A-Za-z'’\-]*")
_NUMBER = re.compile(
    r"(?<![\d.])(?<!section )(?<!article )(?<!paragraph )(?<!s)(?:[1-9]\d{0,2}|0)(?![\d.]\d)(?!\d)"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|twenty|thirty|forty|fifty|hundred|thousand|million)\b",
    re.IGNORECASE,
)
_NUMBERING = re.compile(  # "Appendix 1", "Step 2", "Tier 5", and a leading "4.12" or "3.": labels, not figures
    r"\b(?:appendix|annex|annexe|part|section|chapter|schedule|step|stage|question|principle|rule|tier|level)\s+[\w.]+"
    r"|^\s*[\d.]+\s+",
    re.IGNORECASE,
)
_STOP = frozenset("the a an of for to in on at by and or with under is are be my our your their this that".split())
_UNIT_REACH = 3  # a unit counts when it is among the words right after a number ("15 working days")


@dataclass(frozen=True)
class _Kind:
    asks: re.Pattern  # the question asks for this kind of figure; a group "unit" names the unit
    shows: re.Pattern | None  # a quote shows that kind (None: the unit named in the question)


@dataclass(frozen=True)
class _Rules:
    asks_for_a_number: re.Pattern
    subjects: tuple[re.Pattern, ...]
    kinds: tuple[_Kind, ...]


@cache
def _rules(path: Path = SCOPE_FILE) -> _Rules:
    data = load_yaml(path)
    flags = re.IGNORECASE
    return _Rules(
        asks_for_a_number=re.compile("|".join(f"(?:{p})" for p in data["asks_for_a_number"]), flags),
        subjects=tuple(re.compile(p, flags) for p in data["figure_subject"]),
        kinds=tuple(
            _Kind(re.compile(k["asks"], flags), re.compile(k["shows"], flags) if k.get("shows") else None)
            for k in data["figure_kinds"]
        ),
    )


def asks_for_a_number(question: str) -> bool:
    return _rules().asks_for_a_number.search(question) is not None


def figure_subject(question: str) -> list[str]:
    """The stems of what a figure is asked of ("the age of *criminal responsibility*", "the deadline
    for *a subject access request*"), stop words dropped; empty when the question names none."""

    for pattern in _rules().subjects:
        match = pattern.search(question)
        if match:
            words = _WORD.findall(match.group("subject").lower())
            return [stem(w) for w in words if w not in _STOP and len(w) > 2]
    return []


def answers_with_a_number(quotes, question: str = "") -> bool:
    """True when some quote states a figure (in its text, or in its passage's heading) of the kind
    the question asks for, in a passage that speaks of what the figure is asked of."""

    subject = set(figure_subject(question)) if question else set()
    kinds = [(k, m) for k in _rules().kinds if question and (m := k.asks.search(question))]
    for quote in quotes:
        passage = quote.passage
        heading = getattr(passage, "section", "") or ""
        if not (_NUMBER.search(quote.text) or _heading_states_a_figure(heading)):
            continue
        if not all(_shows(kind, match, f"{_NUMBERING.sub('', heading)} {quote.text}") for kind, match in kinds):
            continue
        about = getattr(passage, "text", None) or quote.text
        if subject <= {stem(w) for w in _WORD.findall(about.lower())}:
            return True
    return False


def _shows(kind: _Kind, asked: re.Match, text: str) -> bool:
    """Does ``text`` state a figure of this kind? With a unit from the question ("how many *days*"),
    the unit must come within a few words after a number ("15 days", "seven golden rules")."""
    if kind.shows is not None:
        return kind.shows.search(text) is not None

    unit = stem(asked.group("unit").lower())
    numbers = {m.start() for m in _NUMBER.finditer(text)}
    tokens = list(_TOKEN.finditer(text))
    for i, token in enumerate(tokens):
        if token.start() in numbers:
            if unit in {stem(t.group(0).lower()) for t in tokens[i + 1 : i + 1 + _UNIT_REACH]}:
                return True
    return False


def _heading_states_a_figure(heading: str) -> bool:
    """A number in a heading path ("3. Seven Golden Rules" states seven), not counting the
    numbering of its parts ("Appendix 1", "4.12", "6.3 Child Exploitation")."""
    return any(_NUMBER.search(_NUMBERING.sub("", part.strip())) for part in heading.split("›"))
