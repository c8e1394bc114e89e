"""Is the question one the guidance answers? Two deterministic signals, calibrated on the eval cases.

1. Retrieval scores. Reciprocal ranks only order passages; whether anything relevant was found at all
   is read from absolute scores of the best hits: the best cosine of the question with a passage or
   one of its sentences, and the best keyword (BM25) score of a passage that also matched densely.
2. Names the guidance never uses. A question about a law, scheme, system or body that none of the
   documents mention ("the Care Act 2014", "GIRFEC", "Outlook", "Ofsted") is about something else,
   however close its words are to information sharing, unless the retrieval match is very strong.
   Names the lexicon maps to the documents' words ("Sarah's law", "DPIA") count as known.

The thresholds live in data/scope.yaml with the command that set them
(``python -m eval calibrate-scope`` prints both score distributions and the rates at each setting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCOPE_FILE = Path(__file__).with_name("data") / "scope.yaml"

_ACT = re.compile(r"\b((?:[A-Z][\w'’\-]*|and|of|the|for|\([A-Z][\w\-]*\))(?:\s+(?:[A-Z][\w'’\-]*|and|of|the|for|\([A-Z][\w\-]*\)))*\s+Act(?:\s+\d{4})?)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_SENTENCE_END = re.compile(r"[.?!:;—–-]\s*$")
_POSSESSIVE = re.compile(r"['’]s?$")
_LEADING = re.compile(r"^(?:(?:does|do|did|is|are|what|how|why|when|where|which|who|can|could|should|under|in|the|a|an)\s+)+", re.IGNORECASE)
_NUMBERING = re.compile(  # "Appendix 1", "Step 2", "Tier 5", and a leading "4.12" or "3.": labels, not figures
    r"\b(?:appendix|annex|annexe|part|section|chapter|schedule|step|stage|question|principle|rule|tier|level)\s+[\w.]+"
    r"|^\s*[\d.]+\s+",
    re.IGNORECASE,
)
_STOP = frozenset("the a an of for to in on at by and or with under is are be my our your their this that".split())
_PRONOUN_FORMS = re.compile(r"^(?:i|i'm|i’m|i've|i’ve|i'd|i’d|i'll|i’ll|ok|okay)$", re.IGNORECASE)


@dataclass(frozen=True)
class Thresholds:
    dense_alone: float  # best cosine at or above this: in scope whatever the keywords say
    dense_with_keywords: float  # a lower cosine is enough when the keywords agree ...
    bm25_with_dense: float  # ... with at least this BM25 score on a passage that also matched densely
    dense_overrides_unknown_name: float  # an unknown name is forgiven only above this cosine


@cache
def load_thresholds(path: Path = SCOPE_FILE) -> Thresholds:
    from assistant.datafiles import load_yaml

    data = load_yaml(path)
    return Thresholds(**data["thresholds"])


@cache
def _number_questions(path: Path = SCOPE_FILE) -> re.Pattern:
    from assistant.datafiles import load_yaml

    return re.compile("|".join(f"(?:{p})" for p in load_yaml(path)["asks_for_a_number"]), re.IGNORECASE)


_NUMBER = re.compile(
    r"(?<![\d.])(?<!section )(?<!article )(?<!paragraph )(?<!s)(?:[1-9]\d{0,2}|0)(?![\d.]\d)(?!\d)"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|twenty|thirty|forty|fifty|hundred|thousand|million)\b",
    re.IGNORECASE,
)


def asks_for_a_number(question: str) -> bool:
    return _number_questions().search(question) is not None


@cache
def _subject_patterns(path: Path = SCOPE_FILE) -> tuple[re.Pattern, ...]:
    from assistant.datafiles import load_yaml

    return tuple(re.compile(p, re.IGNORECASE) for p in load_yaml(path)["figure_subject"])


def figure_subject(question: str) -> list[str]:
    """The words of what a figure is asked of ("the age of *criminal responsibility*", "the deadline
    for *a subject access request*"), stop words dropped; empty when the question names none."""
    from assistant.stemming import stem

    for pattern in _subject_patterns():
        match = pattern.search(question)
        if match:
            words = _WORD.findall(match.group("subject").lower())
            return [stem(w) for w in words if w not in _STOP and len(w) > 2]
    return []


def answers_with_a_number(quotes, question: str = "") -> bool:
    """True when a quoted sentence, or the heading of its passage, states a figure (digits or
    words), and, when the question asks the figure *of* something ("the age of criminal
    responsibility"), that passage speaks of it: an age of consent to sharing is not an age of
    criminal responsibility. Years, and the numbers of sections, articles, paragraphs, appendices
    and numbered headings, are not figures."""
    from assistant.stemming import stem

    subject = set(figure_subject(question)) if question else set()
    for quote in quotes:
        passage = quote.passage
        if not (_NUMBER.search(quote.text) or _heading_states_a_figure(getattr(passage, "section", "") or "")):
            continue
        about = getattr(passage, "text", None) or quote.text
        if subject <= {stem(w) for w in _WORD.findall(about.lower())}:
            return True
    return False


def _heading_states_a_figure(heading: str) -> bool:
    """A number in a heading path ("3. Seven Golden Rules" states seven), not counting the
    numbering of its parts ("Appendix 1", "4.12", "6.3 Child Exploitation")."""
    return any(_NUMBER.search(_NUMBERING.sub("", part.strip())) for part in heading.split("›"))


def relevance(hits) -> tuple[float, float]:
    """(best cosine, best BM25 of a passage that also matched densely) of the documents' own words
    (``Hit.guidance``). Our questions (passage_questions.py) help rank the passages, but whether
    the guidance answers a question is read from what the documents themselves say."""
    evidence = [h.guidance for h in hits if h.guidance is not None]
    if not evidence:
        return max((h.dense for h in hits), default=0.0), max((h.bm25 for h in hits if h.dense > 0), default=0.0)
    return evidence[0].dense, evidence[0].bm25


class Scope:
    def __init__(self, corpus_text: str = "", known_words: frozenset[str] = frozenset(), thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or load_thresholds()
        self._corpus = corpus_text.lower()
        self._known = known_words

    @classmethod
    def for_documents(cls, documents, thresholds: Thresholds | None = None) -> "Scope":
        from assistant.lexicon import vocabulary

        known = set(vocabulary())
        for doc in documents:
            known.update(alias.lower() for alias in doc.aliases)
        return cls(" ".join(doc.text for doc in documents), frozenset(known), thresholds)

    def corpus_has(self, term: str) -> bool:
        return re.search(r"(?<!\w)" + re.escape(term.lower()) + r"(?!\w)", self._corpus) is not None

    def _is_known(self, name: str) -> bool:
        lowered = name.lower().strip("'’")
        return lowered in self._known or self.corpus_has(lowered)

    def unknown_names(self, question: str) -> list[str]:
        """Acts, acronyms and proper names in ``question`` that no document mentions."""
        names = [_LEADING.sub("", m.group(1)) for m in _ACT.finditer(question)]
        for match in _WORD.finditer(question):
            word = _POSSESSIVE.sub("", match.group(0))
            before = question[: match.start()]
            sentence_start = not before.strip() or _SENTENCE_END.search(before) is not None
            acronym = len(word) >= 2 and word.isupper()
            capitalised = word[:1].isupper() and not sentence_start
            if (acronym or capitalised) and not _PRONOUN_FORMS.match(word) and len(word) > 1:
                names.append(word)
        return [n for n in dict.fromkeys(names) if not self._is_known(n)]

    def in_scope(self, question: str, hits) -> bool:
        if not hits:
            return False
        t = self.thresholds
        dense, joint = relevance(hits)
        if self._corpus and self.unknown_names(question) and dense < t.dense_overrides_unknown_name:
            return False
        return dense >= t.dense_alone or (dense >= t.dense_with_keywords and joint >= t.bm25_with_dense)
