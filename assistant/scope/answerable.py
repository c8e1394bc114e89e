"""Is the question one the guidance answers? Two deterministic signals, calibrated on the eval cases.

1. Retrieval scores. Reciprocal ranks only order passages; whether anything relevant was found at all
   is read from absolute scores of the best hits: the best cosine of the question with a passage or
   one of its sentences, and the best keyword (BM25) score of a passage that also matched densely.
2. Names the guidance never uses. A question about a law, scheme, system or body that none of the
   documents mention ("the Care Act 2014", "GIRFEC", "Outlook", "Ofsted") is about something else,
   however close its words are to information sharing, unless the retrieval match is very strong.
   Names the lexicon maps to the documents' words ("Sarah's law", "DPIA") count as known.

A third, on the quotes themselves, is in ``assistant/understand/asked_figures.py``: a question that asks for a
figure is answered only by a quote that states one, of the kind and about the thing asked.

The thresholds live in data/scope.yaml with the command that set them
(``python -m eval calibrate-scope`` prints both score distributions and the rates at each setting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from assistant.datafiles import DATA_DIR
from assistant.datafiles import load_yaml
from assistant.retrieve.lexicon import vocabulary

SCOPE_FILE = DATA_DIR / "scope.yaml"

_PAREN = r"\([A-Z][\w\-]*(?:\s+(?:[A-Z][\w\-]*|and|of|the|for))*\)"  # "(Wales)", "(Use and Access)"
_ACT = re.compile(
    rf"\b((?:[A-Z][\w'’\-]*|and|of|the|for|{_PAREN})(?:\s+(?:[A-Z][\w'’\-]*|and|of|the|for|{_PAREN}))*\s+Act(?:\s+\d{{4}})?)"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_LONE_WORD = re.compile(r"\w+")
_PROPER = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{4,}\b")  # a capitalised word inside a sentence
NEAR_MISS = 0.03  # cosine below a threshold that still counts as close (Scope.near_miss)
_PHRASE_CACHE = 4096  # phrases remembered by Scope.corpus_has
_SENTENCE_END = re.compile(r"[.?!:;—–-]\s*$")
_POSSESSIVE = re.compile(r"['’]s?$")
_LEADING = re.compile(r"^(?:(?:does|do|did|is|are|what|how|why|when|where|which|who|can|could|should|under|in|the|a|an)\s+)+", re.IGNORECASE)
_PRONOUN_FORMS = re.compile(r"^(?:i|i'm|i’m|i've|i’ve|i'd|i’d|i'll|i’ll|ok|okay)$", re.IGNORECASE)
# a contraction in capitals is emphasis, never a name ("something ISN'T worth passing on": round 53 declined it)
_CONTRACTION = re.compile(r"^[a-z]+(?:n['’]t|['’](?:re|ll|ve|d|m))$", re.IGNORECASE)


@dataclass(frozen=True)
class Thresholds:
    dense_alone: float  # best cosine at or above this: in scope whatever the keywords say
    dense_with_keywords: float  # a lower cosine is enough when the keywords agree ...
    bm25_with_dense: float  # ... with at least this BM25 score on a passage that also matched densely
    dense_overrides_unknown_name: float  # an unknown name is forgiven only above this cosine


@cache
def load_thresholds(path: Path = SCOPE_FILE) -> Thresholds:
    data = load_yaml(path)
    return Thresholds(**data["thresholds"])


@cache
def _calendar(path: Path = SCOPE_FILE) -> frozenset[str]:
    return frozenset(load_yaml(path).get("calendar", ()))


def relevance(hits) -> tuple[float, float]:
    """(best cosine, best BM25 of a passage that also matched densely) of the documents' own words
    (``Hit.guidance``, the same for every hit of one search). Our questions (passage_questions.py)
    help rank the passages, but whether the guidance answers a question is read from what the
    documents themselves say."""
    if not hits:
        return 0.0, 0.0
    return hits[0].guidance.dense, hits[0].guidance.bm25


def _capitalised_runs(question: str) -> list[str]:
    """Runs of adjacent capitalised words (or acronyms). A sentence's first word is capitalised
    anyway, so it starts a name only when it is an acronym ("Since GDPR..." gives "GDPR")."""
    runs: list[list[str]] = []
    end = None
    for match in _WORD.finditer(question):
        word = match.group(0)  # "Sarah's Law" stays whole: the lexicon knows it so
        joined = end is not None and question[end : match.start()].strip() == ""
        if word[:1].isupper() and not _PRONOUN_FORMS.match(word):
            if joined and runs:
                runs[-1].append(word)
            elif _at_sentence_start(question, match.start()) and not word.isupper():
                runs.append([])  # the run starts after this word
            else:
                runs.append([word])
            end = match.end()
        else:
            end = None
    return [_POSSESSIVE.sub("", _LEADING.sub("", " ".join(run))) for run in runs if run]


def _abbreviates(short: str, word: str) -> bool:
    """``short`` is a shortened ``word``: longer than three letters, the same first three, and its
    letters in order within the word ("yorks" of "yorkshire", "herts" of "hertfordshire")."""
    if len(short) < 4 or len(word) <= len(short) or word[:3] != short[:3]:
        return False
    letters = iter(word)
    return all(letter in letters for letter in short)


def _choices(forms: list[list[str]], limit: int = 64) -> list[list[str]]:
    """Every reading of a name with its shortened words expanded (a few at most)."""
    out: list[list[str]] = [[]]
    for options in forms:
        out = [prefix + [o] for prefix in out for o in options][:limit]
    return out


def _at_sentence_start(question: str, position: int) -> bool:
    before = question[:position]
    return not before.strip() or _SENTENCE_END.search(before) is not None


def _act_names(question: str) -> list[str]:
    """Acts named in the question, less a sentence's first word run into them ("Doesn't the Human
    Rights Act" is the Human Rights Act)."""
    names = []
    for match in _ACT.finditer(question):
        name = match.group(1)
        if _at_sentence_start(question, match.start(1)):
            first, _, rest = name.partition(" ")
            if not first.isupper() and not rest.startswith("Act"):
                name = rest
        names.append(_LEADING.sub("", name))
    return names


class Scope:
    def __init__(self, corpus_text: str = "", known_words: frozenset[str] = frozenset(), thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or load_thresholds()
        self._corpus = corpus_text.lower()
        self._known = known_words
        # A lone word is looked up in the corpus's words; a phrase ("opt-out", "data protection
        # officer") is searched for once and remembered: the scope check runs on every question.
        self._words = frozenset(re.findall(r"\w+", self._corpus))
        self._proper = frozenset(w.lower() for w in _PROPER.findall(corpus_text))
        self._phrases: dict[str, bool] = {}

    @classmethod
    def for_documents(cls, documents, thresholds: Thresholds | None = None) -> "Scope":
        known = set(vocabulary())
        for doc in documents:
            known.update(alias.lower() for alias in doc.aliases)
        return cls(" ".join(" ".join(doc.text.split()) for doc in documents), frozenset(known), thresholds)

    def corpus_has(self, term: str) -> bool:
        """Whether the documents use ``term`` as a whole word or phrase (any case)."""
        lowered = term.lower()
        if _LONE_WORD.fullmatch(lowered):
            return lowered in self._words
        found = self._phrases.get(lowered)
        if found is None:
            found = re.search(r"(?<!\w)" + re.escape(lowered) + r"(?!\w)", self._corpus) is not None
            if len(self._phrases) >= _PHRASE_CACHE:
                self._phrases.clear()  # questions are open-ended: keep the memory bounded
            self._phrases[lowered] = found
        return found

    def _is_known(self, name: str) -> bool:
        lowered = name.lower().strip("'’")
        if lowered in _calendar() or lowered.removesuffix("s") in _calendar():
            return True
        return lowered in self._known or self.corpus_has(lowered) or self._shortens(lowered)

    def _shortens(self, name: str) -> bool:
        """A short form of a name the documents use: each word is the name's word or shortens a
        proper noun of theirs ("West Yorks" for West Yorkshire, "Herts", "Bucks")."""
        words = name.split()
        if not words or any(not w.isalpha() for w in words):
            return False
        forms = [[w] + [p for p in self._proper if _abbreviates(w, p)] for w in words]
        return any(choice != words and self.corpus_has(" ".join(choice)) for choice in _choices(forms))

    def unknown_names(self, question: str) -> list[str]:
        """Acts, acronyms and proper names in ``question`` that no document mentions: single words,
        and runs of capitalised words taken whole ("Appropriate Policy Document", "Data Protection
        Officer": each word is in the documents, the name is not)."""
        names = _act_names(question)
        # a run is known when its last three words or more are ("West Yorkshire Partnership
        # Intelligence Portal": Calderdale names the portal), not when only a shorter part is
        names += [run for run in _capitalised_runs(question) if len(run.split()) > 1
                  and not any(self._is_known(" ".join(run.split()[i:])) for i in range(1, len(run.split()) - 2))]
        for match in _WORD.finditer(question):
            word = _POSSESSIVE.sub("", match.group(0))
            sentence_start = _at_sentence_start(question, match.start())
            acronym = len(word) >= 2 and word.isupper()
            capitalised = word[:1].isupper() and not sentence_start
            if (acronym or capitalised) and not _PRONOUN_FORMS.match(word) and not _CONTRACTION.match(word) and len(word) > 1:
                names.append(word)
        return [n for n in dict.fromkeys(names) if not self._is_known(n)]

    def scheme_names(self, question: str) -> list[str]:
        """Names the documents never use that look like a law, scheme or body: several words
        ("Care Act 2014") or an acronym of four letters or more ("MARAC"). Not a role's initials
        ("TA", "DSL", "PC", nor a run of them: "EY SENCO" declined two round 51 questions, "US HIPAA"
        is still "HIPAA") nor a single place or product name ("Leeds", "Snapchat"). Nor words in
        capitals for emphasis, each one the documents use ("when i DECIDE NOT to pass it on"), nor the
        asker's own setting, named as theirs ("We're Air Cadets", "unit officer at Sea Cadets"): what is
        asked about is sharing, not that body's rules (rounds 1-57: 3 questions declined so, none of the
        120 out-of-scope questions declined with a name; "our" is no such cue: "our Appropriate Policy Document")."""
        return [n for n in self.unknown_names(question)
                if (not _initials(n) if " " in n.strip() else n.isupper() and len(n) > 3)
                and not self._shouted(n) and not _own_setting(question, n)]

    def _shouted(self, name: str) -> bool:
        """Several words in capitals, each a word the documents use: emphasis, not a name."""
        words = name.split()
        return len(words) > 1 and all(w.isupper() and w.lower() in self._words for w in words)

    def near_miss(self, question: str, hits) -> bool:
        """Just short of ``in_scope`` (within NEAR_MISS of a threshold) and naming nothing the
        documents never name: the guidance is close, so a question that reads as about sharing
        gets the closest guidance, marked as such, rather than a decline."""
        if not hits or (self._corpus and self.unknown_names(question)):
            return False
        return self._close(*relevance(hits), slack=NEAR_MISS)

    def in_scope(self, question: str, hits) -> bool:
        if not hits:
            return False
        dense, joint = relevance(hits)
        if self._corpus and self.unknown_names(question) and dense < self.thresholds.dense_overrides_unknown_name:
            return False
        return self._close(dense, joint)

    def _close(self, dense: float, joint: float, slack: float = 0.0) -> bool:
        """The documents' words are close enough: by meaning alone, or by meaning and keywords together
        (each cosine threshold lowered by ``slack``)."""
        t = self.thresholds
        return dense >= t.dense_alone - slack or (dense >= t.dense_with_keywords - slack and joint >= t.bm25_with_dense)


# The asker's own setting, named as theirs just before the name: "we're", "we are" or "at" (not "our": "our Appropriate
# Policy Document" is a document the law asks for, and an out-of-scope question about it was answered)
_OWN = re.compile(r"(?:\bwe(?:['’]re| are)|\bat)\s+(?:local\s+|the\s+)?$", re.IGNORECASE)


def _own_setting(question: str, name: str) -> bool:
    """Every mention of ``name`` in ``question`` follows words naming it as the asker's own setting."""
    starts = [m.start() for m in re.finditer(re.escape(name), question)]
    return bool(starts) and all(_OWN.search(question[max(0, i - 40):i]) for i in starts)


def _initials(name: str) -> bool:
    """Every word a short all-capitals initialism ("EY SENCO", "CP SW"): a role's, not a scheme's name."""
    return all(word.isupper() and len(word) <= 5 for word in name.split())
