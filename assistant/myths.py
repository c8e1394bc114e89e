"""The myth route: does a question state (or ask about) one of the myth-busting guides' myths, or a
true claim the guidance supports, and what is the verdict?

Why deterministic and mostly lexical: sentence embeddings put "GDPR is a barrier" and "GDPR is not a
barrier" almost on top of each other, so the embedding only says WHICH claim a question is about.
Whether the question asserts or denies it is read from the words (data in data/claims.yaml):

- Question form. Wh-questions ("What does the guidance say about consent?"), requests ("Explain...")
  and confirmation-free noun phrases are not claims: they go to the normal answer route. Statements,
  yes/no questions ("Don't I always need consent?", "Is it true that...") and one-liners
  ("gdpr = can't share, right?") are. "Why ..." questions presuppose their content, so they can only
  bust a myth.
- Polarity. A negative interrogative ("Doesn't GDPR stop me...?", "Isn't it illegal...?") and a tag
  (", right?", ", isn't it?") do not negate anything. Phrases that hold sharing back ("stops",
  "barrier", "can't share", "need consent") are restrictive instances; a "not" before one in the same
  clause denies it ("GDPR is not a barrier"). Hedges ("not sure", "mum said no", "whether or not")
  negate nothing. "It's a myth that X" flips X.
- Safety bias. Any un-negated restrictive instance makes the question assert a restriction, whatever
  else it says, so a question that asserts a myth is never told "true". A denial made only with
  "never"/"nothing" ("GDPR never stops sharing") over-claims and gets no verdict. A true claim that
  the question negates ("I don't need to record a decision not to share") is not a guide's myth: it
  gets verdict "myth" (meaning "No, the guidance says the opposite") only at a high similarity, else
  None. A yes/no question asking for a share/don't-share decision ("Can I tell the school...?") never
  gets a "true" verdict: decisions come from the flowchart engine.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict

CLAIMS_FILE = Path(__file__).resolve().parent / "data" / "claims.yaml"

# Cosine thresholds for the all-MiniLM-L6-v2 embedding, calibrated on tests/test_myths.py's own phrasings.
FLOOR = 0.35  # below this a claim is not considered at all
MYTH_MIN = 0.40  # question asserts a myth
MYTH_DENIED_MIN = 0.60  # question denies a myth -> "true"
TRUE_MIN = 0.60  # question asserts a true claim
TRUE_NEGATED_MIN = 0.75  # question negates a true claim -> "myth" ("the guidance says the opposite")
WHY_MIN = 0.55  # "why does GDPR stop me sharing?"
MYTH_MARGIN = 0.05  # a guide's myth this close to a "true" or negated-true winner takes over
KEYWORD_BONUS = 0.12  # added when a claim's distinctive keywords ("CP-IS", "Human Rights Act") occur

Stance = Literal["restrict", "permit", "core", "negated_core"]


@dataclass(frozen=True)
class Citation:
    doc_id: str
    quote: str


@dataclass(frozen=True)
class Claim:
    id: str
    verdict: str  # "myth" | "true": the verdict on the statement as written
    statement: str
    paraphrases: tuple[str, ...]
    citations: tuple[Citation, ...]
    stance: Stance = "restrict"
    cues: tuple[tuple[re.Pattern, ...], ...] = ()
    core: tuple[re.Pattern, ...] = ()
    contra: tuple[re.Pattern, ...] = ()
    keywords: tuple[re.Pattern, ...] = ()


@dataclass(frozen=True)
class ClaimMatch:
    claim: Claim
    verdict: str  # the verdict FOR THE QUESTION: "myth" (answer "No") or "true" (answer "Yes")
    score: float
    polarity_flipped: bool  # the question negates the claim's statement


class _CitationModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    doc_id: str
    quote: str


class _ClaimModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    verdict: Literal["myth", "true"]
    stance: Stance
    statement: str
    paraphrases: list[str]
    cues: list[list[str]]
    core: list[str] = []
    contra: list[str] = []
    keywords: list[str] = []
    citations: list[_CitationModel]


class Language(BaseModel):
    """Word lists the reader uses (data/claims.yaml says what each one is for)."""

    model_config = ConfigDict(extra="forbid")
    fillers: list[str]
    comma_fillers: list[str]
    confirmations: list[str]
    tags: list[str]
    comma_tags: list[str]
    interrogative_prefixes: list[str]
    indirect_yesno: list[str]
    indirect_wh: list[str]
    statement_prefixes: list[str]
    flip_prefixes: list[str]
    flip_suffixes: list[str]
    flip_blockers: list[str]
    wh_words: list[str]
    presupposing_wh: list[str]
    requests: list[str]
    auxiliaries: list[str]
    decision_questions: list[str]
    decision_statements: list[str]
    share_verbs: list[str]
    permission_words: list[str]
    bridge_words: list[str]
    gap_words: list[str]
    restrictive: list[str]
    permissive: list[str]
    hedges: list[str]
    explicit_negators: list[str]
    universal_negators: list[str]
    no_object_words: list[str]
    core_negators: list[str]


class _ClaimsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    language: Language
    claims: list[_ClaimModel]


@cache
def _load(path: Path = CLAIMS_FILE) -> tuple[Language, tuple[Claim, ...]]:
    data = _ClaimsFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    claims = tuple(
        Claim(
            id=c.id, verdict=c.verdict, statement=c.statement, paraphrases=tuple(c.paraphrases),
            citations=tuple(Citation(x.doc_id, x.quote) for x in c.citations), stance=c.stance,
            cues=tuple((_alternation(group),) for group in c.cues),
            core=_patterns(c.core), contra=_patterns(c.contra), keywords=_patterns(c.keywords),
        )
        for c in data.claims
    )
    return data.language, claims


def _patterns(patterns: list[str]) -> tuple[re.Pattern, ...]:
    """One compiled alternation (one regex search per question instead of one per phrase)."""
    return (_alternation(patterns),) if patterns else ()


def load_claims() -> tuple[Claim, ...]:
    return _load()[1]


def load_language() -> Language:
    return _load()[0]


class ClaimMatcher:
    """Finds the claim a question states or asks about, with the verdict for the question.
    Immutable after construction, so one instance serves every thread."""

    def __init__(self, embedder, claims: tuple[Claim, ...] | None = None) -> None:
        self.claims = claims if claims is not None else load_claims()
        self.embedder = embedder
        self.reader = Reader(load_language())
        texts, owners = [], []
        for i, claim in enumerate(self.claims):
            for text in (claim.statement, *claim.paraphrases):
                texts.append(text)
                owners.append(i)
        self._matrix = np.asarray(embedder.embed(texts), dtype=np.float32)
        self._owners = np.asarray(owners)
        self._starts = np.flatnonzero(np.r_[True, self._owners[1:] != self._owners[:-1]])

    def similarities(self, question_vector: np.ndarray) -> np.ndarray:
        """Per claim: the best cosine between the question and the claim's statement or paraphrases."""
        sims = self._matrix @ np.asarray(question_vector, dtype=np.float32).reshape(-1)
        return np.maximum.reduceat(sims, self._starts)

    def match(self, question: str, question_vector: np.ndarray | None = None) -> ClaimMatch | None:
        if not question or not question.strip():
            return None
        if question_vector is None:
            question_vector = self.embedder.embed([question])[0]
        sims = self.similarities(question_vector)
        if float(sims.max()) + KEYWORD_BONUS < FLOOR:
            return None
        reading = self.reader.read(question)
        if not reading.is_claim:
            return None
        scores = {i: _score(claim, reading.text, float(sims[i])) for i, claim in enumerate(self.claims)}
        eligible = sorted(
            (i for i, score in scores.items() if score >= FLOOR and _cues_match(self.claims[i], reading.text)),
            key=lambda i: -scores[i],
        )
        accepted = [m for i in eligible if (m := _judge(self.claims[i], reading, scores[i])) is not None]
        if not accepted:
            return None
        best = accepted[0]
        if best.claim.verdict == "myth" and best.verdict == "myth":
            return best
        rival = next(
            (m for m in accepted if m.claim.verdict == "myth" == m.verdict and m.score >= best.score - MYTH_MARGIN),
            None,
        )
        if rival is not None:
            return rival
        top = self.claims[eligible[0]]
        if best.verdict == "true" and top is not best.claim and top.verdict == "myth":
            return None  # the closest claim is a myth whose polarity we could not read: unsure
        return best


def _score(claim: Claim, text: str, similarity: float) -> float:
    bonus = KEYWORD_BONUS if any(p.search(text) for p in claim.keywords) else 0.0
    return min(1.0, similarity + bonus)


def _cues_match(claim: Claim, text: str) -> bool:
    return all(any(p.search(text) for p in group) for group in claim.cues)


def _judge(claim: Claim, reading: Reading, score: float) -> ClaimMatch | None:
    """The verdict for the question on one claim, or None when the polarity can't be read or the score
    is below the threshold for that kind of verdict."""
    same = reading.agrees_with(claim)
    if same is None:
        return None
    flipped = not same
    if claim.verdict == "myth":
        verdict, threshold = ("true", MYTH_DENIED_MIN) if flipped else ("myth", MYTH_MIN)
    else:
        verdict, threshold = ("myth", TRUE_NEGATED_MIN) if flipped else ("true", TRUE_MIN)
    if reading.presupposing:
        if verdict != "myth" or claim.verdict != "myth":
            return None
        threshold = max(threshold, WHY_MIN)
    if verdict == "true" and reading.decision:
        return None
    if score < threshold:
        return None
    return ClaimMatch(claim=claim, verdict=verdict, score=score, polarity_flipped=flipped)


# ----------------------------------------------------------------------------- reading a question

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
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n+|(?<=\?)(?=[^\s?])|\s[-–—]\s|—")
_CLAUSE_MARKS = re.compile(r"[;()\[\]–—…]|\s-\s|,")
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|,")
_CLAUSE_WORDS = frozenset(
    "but so because although though whereas however whilst while therefore hence since yet otherwise".split()
)
_QUESTION_BLOCKERS = frozenset("mean means meant that if whether say says said think when because so and".split())
_SUBORDINATORS = frozenset("when where if whenever once as".split())  # may open a fronted clause
_PREPOSITIONS = frozenset("from at in by for to with under until since up of about".split())  # "at what age..."
_DEICTIC = frozenset("this that it him her them these those".split())
_MODALS = frozenset("can could may might must shall should will would".split())
_PAST = re.compile(r"\w+ed|said|told|gave|given|sent|went|gone|did|done|left|rang|seen|spoke|spoken")
_SUBJECTS = frozenset(
    "i we you it they he she there this that these those the a an my our your their his her its".split()
)
_PERMISSION_REACH = 10  # "don't LET fear of getting it wrong GET IN THE WAY": the negator reaches past the object
_WINDOW = 6  # how far before a restrictive instance a negator reaches
_CORE_WINDOW = 5


def normalise(text: str) -> str:
    """Lower case, plain quotes, contractions expanded ("can't" -> "can not"), "=" read as "means"."""
    if re.search(r"[a-z]", text):  # "IT" in mixed-case text is the abbreviation, not the pronoun
        text = re.sub(r"\bIT\b", "it-systems", text)
    text = text.lower().translate({0x2019: "'", 0x2018: "'", 0x60: "'", 0x201C: '"', 0x201D: '"'})
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def _alternation(patterns: list[str], before: str = "", after: str = "") -> re.Pattern:
    return re.compile(before + "(?:" + "|".join(f"(?:{p.strip()})" for p in patterns) + ")" + after)


@dataclass(frozen=True)
class _Clause:
    text: str
    tokens: tuple[str, ...]
    starts: tuple[int, ...]  # character offset of each token in text
    asserted: int  # restrictive instances no negator reaches
    denied: int  # restrictive instances negated by "not"
    denied_universal: int  # restrictive instances negated only by "never", "nothing", ...
    free: tuple[int, ...]  # negators that can negate a core predicate near them
    consumed: tuple[tuple[int, int], ...]  # (negator, negated share verb) pairs ("not share")
    phrase_negators: tuple[int, ...]  # "without", "rather than", ...
    gap: tuple[bool, ...] = ()  # per token: can a negator reach across it ("does NOT really MEAN i can...")

    def token_at(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def negated(self, start: int, end: int) -> bool:
        """Whether the words in characters [start, end) are negated in this clause."""
        first, last = self.token_at(start), self.token_at(max(start, end - 1))
        if any(first - _CORE_WINDOW <= p <= last and self.reaches(p, first) for p in self.free):
            return True
        if any(p <= first <= target for p, target in self.consumed):
            return True
        return any(first - 3 <= p < first for p in self.phrase_negators)

    def reaches(self, p: int, target: int) -> bool:
        """Whether a negator at p can negate the word at target: only across bridge words ("does NOT
        necessarily STOP"), not across another verb ("if they do NOT reply I can ASSUME")."""
        return all(self.gap[p + 1 : target])

    def occurrences(self, patterns: tuple[re.Pattern, ...]) -> list[bool]:
        """For every match of ``patterns``: is it negated?"""
        return [self.negated(m.start(), m.end()) for p in patterns for m in p.finditer(self.text)]


@dataclass(frozen=True)
class Reading:
    """What the reader made of a question: is it a claim, and which way does it point."""

    text: str  # the whole question, normalised (cues are matched against this)
    is_claim: bool
    presupposing: bool  # only "why ..." sentences: can only bust a myth
    decision: bool  # asks for a share/don't-share decision
    flipped: bool  # "it's a myth that ..."
    clauses: tuple[_Clause, ...]
    permissive: bool = False  # says sharing can/may/should happen ("can be shared", "is lawful")

    @property
    def asserts_restriction(self) -> bool:
        return any(c.asserted for c in self.clauses)

    def _occurrences(self, patterns: tuple[re.Pattern, ...]) -> list[bool]:
        return [negated for clause in self.clauses for negated in clause.occurrences(patterns)]

    def agrees_with(self, claim: Claim) -> bool | None:
        """True: the question says what the claim says; False: the opposite; None: can't tell."""
        same = self._agreement(claim)
        return None if same is None else same != self.flipped

    def _agreement(self, claim: Claim) -> bool | None:
        contra = not all(self._occurrences(claim.contra))  # some un-negated contra phrase
        if claim.stance == "restrict":
            if self.asserts_restriction:
                return True
            if contra or any(c.denied for c in self.clauses):
                return False
            return None
        if claim.stance == "permit":
            if self.asserts_restriction or contra:
                return False
            return True if any(c.denied for c in self.clauses) or self.permissive else None
        core = self._occurrences(claim.core)
        if contra:
            return False
        if not core:
            return None
        return (not any(core)) if claim.stance == "core" else any(core)


class Reader:
    """Turns a question into a ``Reading``. Compiled once; immutable, so safe to share between threads."""

    def __init__(self, lang: Language) -> None:
        self.lang = lang
        self.fillers = _alternation(lang.fillers, r"^", r"\b\s*,?\s*")
        self.comma_fillers = _alternation(lang.comma_fillers, r"^", r"\s*,\s*")
        self.confirmations = _alternation(lang.confirmations, r"^(?:,\s*)?", r"$")
        self.tags = _alternation(lang.tags, r"\s*,?\s*\b", r"$")
        self.comma_tags = _alternation(lang.comma_tags, r"\s*,\s*", r"$")
        self.interrogative = _alternation(lang.interrogative_prefixes, r"^", r"\s*,?\s*")
        self.indirect_yesno = _alternation(lang.indirect_yesno, r"^", r"\s*")
        self.indirect_wh = _alternation(lang.indirect_wh, r"^")
        self.statement_prefixes = _alternation(lang.statement_prefixes, r"^", r"\s*,?\s*")
        self.flip_prefixes = _alternation(lang.flip_prefixes, r"^", r"\s*")
        self.flip_suffixes = _alternation(lang.flip_suffixes, r"\s*,?\s*\b", r"$")
        self.flip_blockers = frozenset(lang.flip_blockers)
        self.presupposing = _alternation(lang.presupposing_wh, r"^", r"\b")
        self.decision = _alternation(lang.decision_questions, r"^")
        self.decision_statement = _alternation(lang.decision_statements, r"^")
        self.share = _alternation(lang.share_verbs, r"^", r"$")
        self.restrictive = _alternation(lang.restrictive)
        self.permissive = _alternation(lang.permissive, r"\b", r"\b")
        self.hedges = _alternation(lang.hedges)
        self.core_negators = _alternation(lang.core_negators, r"\b", r"\b")
        self.explicit = frozenset(n for n in lang.explicit_negators if " " in n)
        self.universal = frozenset(lang.universal_negators)
        self.no_objects = frozenset(lang.no_object_words)
        self.bridge = frozenset(lang.bridge_words)
        self.gap = self.bridge | frozenset(lang.gap_words)
        self.permission = frozenset(lang.permission_words)
        self.aux = frozenset(lang.auxiliaries)
        self.wh = frozenset(lang.wh_words)
        self.requests = frozenset(lang.requests)

    def read(self, question: str) -> Reading:
        text = normalise(question)
        sentences: list[tuple[str, str, bool, bool]] = []  # (form, words, decision, flipped)
        for raw in _SENTENCE_END.split(text):
            words = " ".join(_WORD.findall(_CLAUSE_MARKS.sub(" , ", raw)))
            words = re.sub(r"^[ ,]+|[ ,]+$", "", words)
            if not words:
                continue
            if self.confirmations.fullmatch(self._strip_fillers(words)):
                if sentences:  # "GDPR stops me sharing. Is that right?" asks about the sentence before
                    form, prev, decision, flipped = sentences[-1]
                    sentences[-1] = ("yesno" if form == "statement" else form, prev, decision, flipped)
                continue
            sentences.append(self._sentence(words, "?" in raw))
        evidence = [s for s in sentences if s[0] in ("statement", "yesno", "why")]
        clauses = tuple(c for form, words, _, _ in evidence for c in self._clauses(words, form))
        words = [w for _, sentence, _, _ in evidence for w in sentence.split() if w != ","]
        predicate = any(c.asserted or c.denied or c.denied_universal or c.free for c in clauses) or any(
            w in self.aux or w in ("means", "mean") or self.share.match(w) for w in words
        )  # "necessary proportionate timely secure" is a list of words, not a claim
        return Reading(
            text=text,
            is_claim=len(words) >= 3 and predicate,
            presupposing=bool(evidence) and all(s[0] == "why" for s in evidence),
            decision=any(s[2] for s in evidence),
            flipped=any(s[3] for s in evidence),
            clauses=clauses,
            permissive=any(self.permissive.search(c.text) for c in clauses),
        )

    def _strip_fillers(self, words: str) -> str:
        previous = None
        while previous != words:
            previous = words
            words = self.comma_fillers.sub("", self.fillers.sub("", words, count=1), count=1)
        return words

    def _sentence(self, words: str, question: bool) -> tuple[str, str, bool, bool]:
        words = self._strip_fillers(words)
        previous = None
        while previous != words:  # trailing tags: ", right?", ", isn't it?", " tbh"
            previous = words
            words = self.comma_tags.sub("", self.tags.sub("", words, count=1), count=1)
            question = question or previous != words
        flipped, form = False, None
        suffix = None if question else self.flip_suffixes.search(words)
        if suffix and not self.flip_blockers.intersection(words[: suffix.start()].split()):
            flipped, words = True, words[: suffix.start()]
        if self.indirect_wh.match(words):
            return ("wh", words, False, False)
        for prefix in (self.indirect_yesno, self.interrogative):
            if prefix.match(words):
                form, words = "yesno", prefix.sub("", words, count=1)
        previous = None
        while previous != words:
            previous = words
            words = self.statement_prefixes.sub("", self._strip_fillers(words), count=1)
            if form is None and not question and self.flip_prefixes.match(words):
                flipped, words = not flipped, self.flip_prefixes.sub("", words, count=1)
        tokens = words.split()
        if not tokens:
            return ("none", words, False, False)
        if form is None:
            form = self._form(tokens, question)
        decision = form in ("statement", "yesno") and self._is_decision(words)
        return (form, words, decision, flipped)

    def _form(self, tokens: list[str], question: bool) -> str:
        first = tokens[0]
        following = tokens[1] if len(tokens) > 1 else ""
        if self.presupposing.match(" ".join(tokens[:4])):
            return "why"
        if first in _PREPOSITIONS and following in self.wh:
            return "wh"
        if first in _SUBORDINATORS and following not in self.aux:
            if "," in tokens:  # "When a child is at risk, can I share...?": the main clause decides
                rest = tokens[tokens.index(",") + 1 :]
                if rest:
                    return self._form(rest, question)
            if first in self.wh and question:
                return "wh"  # "When exactly is confidence breached?"
            return "yesno" if question else "statement"
        if first in self.wh and following not in _SUBJECTS:
            return "wh"  # ("what THE school collected belongs to it" is a free relative, not a question)
        if first in self.requests:
            return "request"
        if first in self.aux:
            if following == "not" and not question and (tokens[2:3] or [""])[0] not in _SUBJECTS:
                return "statement"  # "Do not assume...", "Don't let fear...": an imperative
            return "yesno"
        return "yesno" if question else "statement"

    def _is_decision(self, words: str) -> bool:
        """A share/don't-share request: "can I tell...", "is it OK to ring...", "should our school send...",
        "I want to pass on...", "I should pass THIS to the police"."""
        for clause in words.split(" , "):
            if match := self.decision.match(clause):
                if any(self.share.match(t) for t in clause[match.end() :].split()[:4]):
                    return True
            elif match := self.decision_statement.match(clause):
                following = clause[match.end() :].split()
                for k, token in enumerate(following[:4]):
                    if token not in ("do", "does", "did") and self.share.match(token) and _DEICTIC.intersection(
                        following[k + 1 : k + 3]
                    ):
                        return True
        return False

    def _clauses(self, words: str, form: str) -> list[_Clause]:
        clauses, current = [], []
        for token in words.split():
            if token == "," or token in _CLAUSE_WORDS:
                if current:
                    clauses.append(current)
                current = []
            else:
                current.append(token)
        if current:
            clauses.append(current)
        out, asked = [], False
        for tokens in clauses:
            if form in ("yesno", "why") and not asked and tokens[0] in self.aux:
                asked, tokens = True, self._drop_interrogative_not(tokens)
            out.append(self._analyse(tokens))
        return out

    def _drop_interrogative_not(self, tokens: list[str]) -> list[str]:
        """ "Doesn't GDPR stop me...?" / "Does data protection law not stop me...?" ask, they don't deny.
        "Can't share?" (a verb right after the "not") is a negated predicate and keeps its "not"."""
        for k in range(1, len(tokens)):
            if tokens[k] == "not":
                following = tokens[k + 1] if k + 1 < len(tokens) else ""
                if k == 1 and (not following or self.share.match(following) or following in self.permission
                               or self.restrictive.match(" ".join(tokens[k + 1 :]))):
                    return tokens
                return tokens[:k] + tokens[k + 1 :]
            if tokens[k] in self.aux or tokens[k] in _QUESTION_BLOCKERS:
                break
        return tokens

    def _analyse(self, tokens: list[str]) -> _Clause:
        text = " ".join(tokens)
        starts, offset = [], 0
        for token in tokens:
            starts.append(offset)
            offset += len(token) + 1
        gap = tuple(t in self.gap or bool(self.share.match(t)) for t in tokens)
        clause = _Clause(text, tuple(tokens), tuple(starts), 0, 0, 0, (), (), (), gap)
        hedged = {
            clause.token_at(m.start()) + k for m in self.hedges.finditer(text) for k in range(len(m.group().split()))
        }
        negators: dict[int, str] = {}
        for i, token in enumerate(tokens):
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if i in hedged:
                continue
            if token == "not" or (token == "no" and f"no {following}" in self.explicit):
                negators[i] = "explicit"
            elif token == "no" and following in self.no_objects:
                negators[i] = "object"
            elif token in self.universal:
                negators[i] = "universal"
        spans = [(clause.token_at(m.start()), clause.token_at(m.end() - 1)) for m in self.restrictive.finditer(text)]
        span_starts = {s for s, _ in spans}
        consumed: dict[int, int] = {}
        for p, kind in negators.items():
            if kind != "object":
                target = self._negated_share_verb(tokens, p, span_starts)
                if target is not None:
                    consumed[p] = target
        instances = spans + [(p, target) for p, target in consumed.items()]
        free = sorted(p for p, kind in negators.items() if kind != "object" and p not in consumed)
        negation: dict[int, str] = {}
        for p in free:
            inside = [i for i, (s, e) in enumerate(instances) if s < p <= e and i not in negation]
            letting = p + 1 < len(tokens) and tokens[p + 1] in self.permission  # "don't LET fear get in the way"
            after = [
                i for i, (s, _) in enumerate(instances)
                if i not in negation and 0 < s - p <= (_PERMISSION_REACH if letting else _WINDOW)
                and (letting or clause.reaches(p, s))
            ]
            chosen = inside or sorted(after, key=lambda i: instances[i][0])
            if chosen:
                negation[chosen[0]] = negators[p]
        kinds = [negation.get(i) for i in range(len(instances))]
        core_free = tuple(sorted(set(free) | {p for p, kind in negators.items() if kind == "object"}))
        phrases = tuple(clause.token_at(m.start()) for m in self.core_negators.finditer(text))
        return _Clause(
            text, tuple(tokens), tuple(starts), kinds.count(None), kinds.count("explicit"), kinds.count("universal"),
            core_free, tuple(consumed.items()), phrases, gap,
        )

    def _negated_share_verb(self, tokens: list[str], p: int, span_starts: set[int]) -> int | None:
        """ "not share", "can not BE given", "nothing can be passed", "not allowed (to share)": the share
        verb a negator negates, or None when it negates something else (a barrier, "stand in the way")."""
        for j in range(p + 1, min(len(tokens), p + 6)):
            token = tokens[j]
            if j in span_starts:
                return None
            if self.share.match(token):
                modal = any(t in _MODALS or t in self.permission for t in tokens[max(0, p - 2) : j])
                if _PAST.fullmatch(token) and not modal:
                    return None  # "she never said", "I wasn't told": an event, not a rule about sharing
                return j
            if token in self.permission:
                k = j + 1
                while k < len(tokens) and tokens[k] in ("to", "me", "us", "you", "them", "be", "i", "we"):
                    k += 1
                if k >= len(tokens) or self.share.match(tokens[k]):
                    return j
                return None
            if token not in self.bridge:
                return None
        return None
