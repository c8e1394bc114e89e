"""Reading a question: its form (statement, yes/no, "why", wh-question, request) and its polarity
(does it assert a restriction on sharing, deny one, or flip it with "it's a myth that...").

Why a reader and not the embedding: sentence embeddings put "GDPR is a barrier" and "GDPR is not a
barrier" almost on top of each other, so the embedding only says WHICH claim a question is about
(``assistant.myths.matcher``); whether the question asserts or denies it is read from the words, with the word
lists in data/claims.yaml (``language``):

- Question form. Wh-questions ("What does the guidance say about consent?"), requests ("Explain...")
  and confirmation-free noun phrases are not claims: they go to the normal answer route. Statements,
  yes/no questions ("Don't I always need consent?", "Is it true that...") and one-liners
  ("gdpr = can't share, right?") are. "Why ..." questions presuppose their content, so they can only
  bust a myth.
- Polarity. A negative interrogative ("Doesn't GDPR stop me...?", "Isn't it illegal...?") and a tag
  (", right?", ", isn't it?") do not negate anything. Phrases that hold sharing back ("stops",
  "barrier", "can't share", "need consent") are restrictive instances; a "not" before one in the same
  clause denies it ("GDPR is not a barrier"; the reach of a negator is ``assistant.understand.negation``). Hedges
  ("not sure", "mum said no", "whether or not") negate nothing. "It's a myth that X" flips X.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from assistant.understand.claim_language import Language, alternation
from assistant.understand.intent import wants_decision
from assistant.understand.negation import Clause, NegationReader
from assistant.understand.normalise import normalise, sentences as split_sentences


class Claim(Protocol):
    """What the reader needs of a claim (``assistant.myths.claims.Claim``): which way it points and
    its phrases."""

    stance: str
    core: tuple[re.Pattern, ...]
    contra: tuple[re.Pattern, ...]


_CLAUSE_MARKS = re.compile(r"[;()\[\]–—…]|\s-\s|,")
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|,")
_CLAUSE_WORDS = frozenset(
    "but so because although though whereas however whilst while therefore hence since yet otherwise".split()
)
_QUESTION_BLOCKERS = frozenset("mean means meant that if whether say says said think when because so and".split())
_SUBORDINATORS = frozenset("when where if whenever once as".split())  # may open a fronted clause
_PREPOSITIONS = frozenset("from at in by for to with under until since up of about".split())  # "at what age..."
_SUBJECTS = frozenset(
    "i we you it they he she there this that these those the a an my our your their his her its".split()
)


@dataclass(frozen=True)
class Reading:
    """What the reader made of a question: is it a claim, and which way does it point."""

    text: str  # the whole question, normalised (cues are matched against this)
    is_claim: bool
    presupposing: bool  # only "why ..." sentences: can only bust a myth
    decision: bool  # asks for a share/don't-share decision
    flipped: bool  # "it's a myth that ..."
    clauses: tuple[Clause, ...]
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
        if claim.stance in ("restrict", "permit") and any(c.unsure for c in self.clauses):
            return None  # a restriction read as asserted with a negator before it that negates nothing known
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
        self.fillers = alternation(lang.fillers, r"^", r"\b\s*,?\s*")
        self.comma_fillers = alternation(lang.comma_fillers, r"^", r"\s*,\s*")
        self.confirmations = alternation(lang.confirmations, r"^(?:,\s*)?", r"$")
        self.tags = alternation(lang.tags, r"\s*,?\s*\b", r"$")
        self.comma_tags = alternation(lang.comma_tags, r"\s*,\s*", r"$")
        self.interrogative = alternation(lang.interrogative_prefixes, r"^", r"\s*,?\s*")
        self.indirect_yesno = alternation(lang.indirect_yesno, r"^", r"\s*")
        self.indirect_wh = alternation(lang.indirect_wh, r"^")
        self.statement_prefixes = alternation(lang.statement_prefixes, r"^", r"\s*,?\s*")
        self.flip_prefixes = alternation(lang.flip_prefixes, r"^", r"\s*")
        self.flip_suffixes = alternation(lang.flip_suffixes, r"\s*,?\s*\b", r"$")
        self.flip_blockers = frozenset(lang.flip_blockers)
        self.presupposing = alternation(lang.presupposing_wh, r"^", r"\b")
        self.share = alternation(lang.share_verbs, r"^", r"$")
        self.restrictive = alternation(lang.restrictive)
        self.permissive = alternation(lang.permissive, r"\b", r"\b")
        self.hedges = alternation(lang.hedges)
        self.core_negators = alternation(lang.core_negators, r"\b", r"\b")
        self.explicit = frozenset(n for n in lang.explicit_negators if " " in n)
        self.universal = frozenset(lang.universal_negators)
        self.no_objects = frozenset(lang.no_object_words)
        self.bridge = frozenset(lang.bridge_words)
        self.gap = self.bridge | frozenset(lang.gap_words)
        self.permission = frozenset(lang.permission_words)
        self.aux = frozenset(lang.auxiliaries)
        self.wh = frozenset(lang.wh_words)
        self.requests = frozenset(lang.requests)
        self.negation = NegationReader(
            share=self.share, restrictive=self.restrictive, hedges=self.hedges, core_negators=self.core_negators,
            explicit=self.explicit, universal=self.universal, no_objects=self.no_objects, bridge=self.bridge,
            gap=self.gap, permission=self.permission,
        )

    def read(self, question: str) -> Reading:
        text = normalise(question, expand=True)
        sentences: list[tuple[str, str, bool, bool]] = []  # (form, words, decision, flipped)
        for raw in split_sentences(text, expand=True):
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
        decision = form in ("statement", "yesno") and wants_decision(words, reach="sentence")
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

    def _clauses(self, words: str, form: str) -> list[Clause]:
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
            out.append(self.negation.analyse(tokens))
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
