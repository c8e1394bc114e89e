"""Question routing: is a child in danger now, is this one concrete sharing decision, is it a follow-up.

Why deterministic: these routes decide whether the answer leads with "contact the police /
children's social care now" and whether the decision engine runs, so they must be predictable,
testable and explainable. All wording lives in ``assistant/data/routing.yaml``; this module
loads it once (``functools.cache``, thread-safe, no mutable state) and applies it. Texts are
normalised first (lower case, plain quotes and dashes, folded white space).

Urgent (``is_urgent``/``urgent_reason``): a present or imminent danger to a person in THIS case.
Rules need more than an urgent-sounding word: a weapon someone has; harm in progress ("is being
hurt"); a threat of harm ("is going to hurt her", "he'll be beaten"); a fresh disclosure
("has just told me" + a harm word); a child who won't go home or is missing; self-harm now;
abduction; a child left alone; "is at immediate risk"; an assault with a recent time ("this
morning"); an injury with a recent time AND an attribution ("says dad did it an hour ago";
bruises noticed today without an account are not urgent); or, in one sentence, a time marker
("right now", "tonight") with a danger word, about a person. Nothing is urgent when the text
frames an imagined or general case ("if a child...", "scenario", "in general") or is about
texts and rules ("guidance", "training", "counts as") unless it is anchored in a real case ("has
just", "one of my pupils", "I'm on a home visit") or, for the abstract framing, names a
particular person ("he", "her dad"). A case in the past ("last year", "weeks ago") with no
fresh marker is not urgent.

Decision (``wants_decision``): a strong first-person frame ("can I", "should we", "can our
team", "am I allowed to", "is it OK to", "do I need ... to", "do I tell") or a passive one
("should her GP be told?") followed within five words by a sharing verb (share, tell, pass on,
refer, email, ring, inform, report, give, confirm, let ... know ...) routes when the text names
a case object ("this", "her", "his mum", "a pupil", "the family", "my client", "[NAME]", "what
she told me"), or names none but also no general cue (information, data, consent, agencies,
bare plurals like "parents"): "Should I tell the police?" routes, "Can I share information
without consent?" does not. Weak frames ("I want to tell", "not sure whether to", "who should
I") and an elliptical ending after a described case ("... Can I?", "Should I go ahead?") route
only with a case object. Impersonal questions ("can information be shared", "can practitioners
share") and "how should I" have no frame. "Ever", "always", "in general", "under what
circumstances" and imagined cases ("if a child ...") never route.

Follow-up (``is_follow_up``): openers that lean on the previous turn ("what if", "and if",
"what about", "but", "does that change", "is that right?") in a short text; "same question
but ..." at any length; verbless fragments ("for a GP?", "even without consent?"); a longer
opener text only if it refers back (she, it, that) and introduces nobody new ("a child",
"information"); or a very short question leaning on a pronoun ("Can I share it?"). Bare noun
fragments ("consent?") and "is it true that ..." questions are not follow-ups.
"""

from __future__ import annotations

import re
import re._constants as _c  # the parsed form of a pattern: what every match must contain
import re._parser as _parser  # (Python 3.11, as pinned in pyproject.toml)
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import CorpusError

DATA_FILE = Path(__file__).resolve().parent / "data" / "routing.yaml"
_REF = re.compile(r"<<(\w+)>>")
_SENTENCE = re.compile(r"[.!?;\n]+")
_TRANSLATE = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"',
                            "–": "-", "—": "-", "‐": "-", "‑": "-", "…": "..."})
_WS = re.compile(r"\s+")


class Strict(BaseModel):
    """Base of the data-file models: unknown keys are errors, loaded data is immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _UrgentRule(Strict):
    name: str = Field(min_length=1)
    all: list[str] = Field(min_length=1)
    scope: Literal["text", "sentence"] = "text"
    person: str | None = None


class _Urgent(Strict):
    veto_hypothetical: str
    veto_abstract: str
    anchor: str
    specific: str
    stale: str
    fresh: str
    rules: list[_UrgentRule] = Field(min_length=1)


class _Decision(Strict):
    frame: list[str] = Field(min_length=1)
    weak_frame: list[str] = Field(min_length=1)
    elliptic: str
    gap: str
    share_verb: str
    passive: str
    general_marker: str
    hypothetical: str
    case_object: list[str] = Field(min_length=1)
    general_cue: str


class _FollowUp(Strict):
    opener: list[str] = Field(min_length=1)
    always: list[str] = Field(min_length=1)
    fragment: list[str] = Field(min_length=1)
    anaphor: str
    pronoun: str
    indefinite: str
    max_words_opener: int = Field(gt=0)
    max_words_anaphor: int = Field(gt=0)
    max_words_pronoun: int = Field(gt=0)
    max_words_fragment: int = Field(gt=0)


class _Data(Strict):
    vocab: dict[str, str]
    urgent: _Urgent
    decision: _Decision
    follow_up: _FollowUp
    facts: dict[str, Any]  # validated by assistant.facts_from_text


@dataclass(frozen=True)
class UrgentRule:
    name: str
    patterns: tuple[Rule, ...]
    per_sentence: bool
    person: Rule | None


@dataclass(frozen=True)
class Rules:
    """Every routing pattern, compiled. Immutable, so safe to share between threads."""

    urgent: tuple[UrgentRule, ...]
    veto_hypothetical: Rule
    veto_abstract: Rule
    anchor: Rule
    specific: Rule
    stale: Rule
    fresh: Rule
    frame_verb: Rule
    weak_frame_verb: Rule
    elliptic: Rule
    share_verb: Rule
    passive: Rule
    general_marker: Rule
    decision_hypothetical: Rule
    case_object: Rule
    general_cue: Rule
    fu_opener: Rule
    fu_always: Rule
    fu_fragment: Rule
    fu_anaphor: Rule
    fu_pronoun: Rule
    fu_indefinite: Rule
    fu_limits: tuple[int, int, int, int]


def normalise(text: str) -> str:
    """The form every rule is written for: lower case, plain quotes and dashes, single spaces."""
    return _WS.sub(" ", text.translate(_TRANSLATE)).strip().lower()


@cache
def load_data(path: Path = DATA_FILE) -> _Data:
    """``routing.yaml``, read and checked once (the ``facts`` section is checked by its user)."""
    try:
        return _Data.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path.name} cannot be read: {exc}") from None
    except ValidationError as exc:
        raise bad_data(path, exc) from None


def bad_data(path: Path, exc: ValidationError) -> CorpusError:
    """The first validation problem, as one line naming where it is."""
    first = exc.errors()[0]
    return CorpusError(f"{path.name}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}")


@dataclass(frozen=True)
class Rule:
    """A compiled pattern that searches like ``re.Pattern``, but fast.

    Why (the budget is 0.2 ms a call): Python's ``re`` tries a long alternation at nearly every
    position. Two exact shortcuts: ``needs``, strings of which any match must contain one (read
    from the parsed pattern), so most rules are ruled out by a few ``in`` tests; and when every
    top-level alternative opens with ``\\b``, the ``\\b`` is taken out of the regex (which then
    scans fast for its first letters) and checked here instead, with the same meaning.
    """

    regex: re.Pattern[str]
    word_start: bool
    needs: frozenset[str] | None
    source: str  # the pattern as written (vocabulary filled in), for tests and debugging

    def search(self, text: str, pos: int = 0, checked: bool = False) -> re.Match[str] | None:
        """Like ``re.Pattern.search``; ``checked``: the caller has already tested ``needs``."""
        if not checked and self.needs is not None and not any(n in text for n in self.needs):
            return None
        while (m := self.regex.search(text, pos)) is not None:
            if not self.word_start or _at_boundary(text, m.start()):
                return m
            pos = m.start() + 1
        return None

    def match(self, text: str) -> re.Match[str] | None:
        if self.needs is not None and not any(n in text for n in self.needs):
            return None
        m = self.regex.match(text)
        return m if m is None or not self.word_start or _at_boundary(text, 0) else None

    def finditer(self, text: str, checked: bool = False) -> Iterator[re.Match[str]]:
        pos = 0
        while (m := self.search(text, pos, checked)) is not None:
            yield m
            pos, checked = max(m.end(), m.start() + 1), True

    def sub(self, repl: str, text: str) -> str:
        out, pos = [], 0
        for m in self.finditer(text):
            out += [text[pos : m.start()], repl]
            pos = m.end()
        return "".join(out) + text[pos:]


def _at_boundary(text: str, i: int) -> bool:
    """What ``\\b`` means at index ``i``: a word character on exactly one side."""
    def word(ch: str) -> bool:
        return ch.isalnum() or ch == "_"
    return (i > 0 and word(text[i - 1])) != (i < len(text) and word(text[i]))


def compile_rule(path: Path, *patterns: str) -> Rule:
    """One rule from alternatives, with ``<<name>>`` replaced by the vocabulary entry."""
    vocab, pattern = load_data(path).vocab, "|".join(patterns)
    for _ in range(5):  # vocabulary entries may use other entries
        if not _REF.search(pattern):
            break
        try:
            pattern = _REF.sub(lambda m: f"(?:{vocab[m.group(1)]})", pattern)
        except KeyError as exc:
            raise CorpusError(f"{path.name}: unknown vocabulary name {exc}") from None
    try:
        source = pattern
        re.compile(source)
        alternatives = _top_level(source)
        word_start = all(a.startswith("\\b") for a in alternatives)
        if word_start:
            pattern = "|".join(a[2:] for a in alternatives)
        needs = _needs(_parser.parse(pattern))
        useful = needs if needs and min(map(len, needs)) > 2 else None
        return Rule(re.compile(pattern), word_start, useful, source)
    except re.error as exc:
        raise CorpusError(f"{path.name}: bad pattern ({exc}): {pattern[:80]}") from None


def _top_level(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern``, after unwrapping a group around the whole."""
    while True:
        marks = list(_structure(pattern))
        cuts = [i for i, ch, depth in marks if ch == "|" and depth == 0]
        closes = [i for i, ch, depth in marks if ch == ")" and depth == 0]
        if not cuts and pattern.startswith("(?:") and closes == [len(pattern) - 1]:
            pattern = pattern[3:-1]
            continue
        bounds = [-1, *cuts, len(pattern)]
        return [pattern[a + 1 : b] for a, b in zip(bounds, bounds[1:])]


def _needs(items: Any) -> frozenset[str] | None:
    """Strings of which every match of the parsed sequence ``items`` contains at least one
    (the choice whose shortest string is longest), or None when nothing is certain."""
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):  # zero width: a literal run goes on
            continue
        consider(frozenset({"".join(run)}) if run else None)
        run = []
        if op is _c.SUBPATTERN:
            consider(_needs(av[-1]))
        elif op is _c.BRANCH:
            parts = [_needs(b) for b in av[1]]
            if all(parts):
                consider(frozenset().union(*parts))  # type: ignore[arg-type]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_needs(av[2]))
    consider(frozenset({"".join(run)}) if run else None)
    return best


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth outside it) of each ``(``, ``)`` and ``|`` that is not escaped
    or inside a character class."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()|":
            depth -= ch == ")"
            yield i, ch, depth
            depth += ch == "("
        i += 1


@cache
def rules(path: Path = DATA_FILE) -> Rules:
    """The urgency, decision and follow-up patterns of ``routing.yaml``, compiled once."""
    data = load_data(path)

    def c(*patterns: str) -> Rule:
        return compile_rule(path, *patterns)

    u, d, f = data.urgent, data.decision, data.follow_up

    def then_verb(frames: list[str]) -> str:
        return "(?:" + "|".join(frames) + f"){d.gap}(?:{d.share_verb})\\b"

    return Rules(
        urgent=tuple(
            UrgentRule(r.name, tuple(c(p) for p in r.all), r.scope == "sentence",
                       c(r.person) if r.person else None)
            for r in u.rules
        ),
        veto_hypothetical=c(u.veto_hypothetical), veto_abstract=c(u.veto_abstract),
        anchor=c(u.anchor), specific=c(u.specific), stale=c(u.stale), fresh=c(u.fresh),
        frame_verb=c(then_verb(d.frame)), weak_frame_verb=c(then_verb(d.weak_frame)),
        elliptic=c(d.elliptic), share_verb=c(f"\\b(?:{d.share_verb})\\b"), passive=c(d.passive),
        general_marker=c(d.general_marker), decision_hypothetical=c(d.hypothetical),
        case_object=c(*d.case_object), general_cue=c(d.general_cue),
        fu_opener=c(*f.opener), fu_always=c(*f.always), fu_fragment=c(*f.fragment),
        fu_anaphor=c(f.anaphor), fu_pronoun=c(f.pronoun), fu_indefinite=c(f.indefinite),
        fu_limits=(f.max_words_opener, f.max_words_anaphor, f.max_words_pronoun,
                   f.max_words_fragment),
    )


# --- urgent ----------------------------------------------------------------------------------


def urgent_reason(text: str) -> str | None:
    """The name of the urgency rule that fires on ``text``, or None. For tests and debugging:
    never shown to users together with what they typed."""
    t, r = normalise(text), rules()
    general = r.veto_hypothetical.search(t) or (
        r.veto_abstract.search(t) and not r.specific.search(t)
    )
    if general and not r.anchor.search(t):
        return None
    if r.stale.search(t) and not r.fresh.search(t):
        return None
    sentences: list[str] | None = None
    for rule in r.urgent:
        if not rule.per_sentence:
            if all(p.search(t) for p in rule.patterns):
                return rule.name
            continue
        if rule.person is not None and not rule.person.search(t):
            continue
        sentences = sentences if sentences is not None else _SENTENCE.split(t)
        if any(all(p.search(s) for p in rule.patterns) for s in sentences):
            return rule.name
    return None


def is_urgent(text: str) -> bool:
    """True when ``text`` says a child (or person) in this case is in danger now or was just hurt."""
    return urgent_reason(text) is not None


# --- decision --------------------------------------------------------------------------------


def wants_decision(text: str) -> bool:
    """True when ``text`` asks whether the writer may or should share in one particular case."""
    t, r = normalise(text), rules()
    strong = bool(r.frame_verb.search(t) or r.passive.search(t))
    weak = bool(r.weak_frame_verb.search(t) or (r.elliptic.search(t) and r.share_verb.search(t)))
    if not (strong or weak):
        return False
    if r.general_marker.search(t):  # "ever", "always": general even inside a real case
        return False
    if r.decision_hypothetical.search(t) and not r.anchor.search(t):
        return False
    if r.case_object.search(t):
        return True
    return strong and not r.general_cue.search(t)


# --- follow-up -------------------------------------------------------------------------------


def is_follow_up(text: str) -> bool:
    """True when ``text`` only makes sense together with the previous question."""
    t, r = normalise(text), rules()
    words = len(t.split())
    if not words:
        return False
    if r.fu_always.search(t):
        return True
    short, anaphor, tiny, fragment = r.fu_limits
    if words <= fragment and r.fu_fragment.search(t):
        return True
    new_subject = r.fu_indefinite.search(t)
    if r.fu_opener.search(t):
        if words <= short:
            return True
        if words <= anaphor and r.fu_anaphor.search(t) and not new_subject:
            return True
    return words <= tiny and bool(r.fu_pronoun.search(t)) and not new_subject
