"""Choosing the sentences to quote from retrieved passages, and proving each one is verbatim.

A quote is a span of a corpus file. It is shown only if the file's text at those offsets equals the
quote (up to white space): ``verify`` is checked for every quote before an answer is returned, and a
quote that fails is dropped, never shown.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from assistant.stemming import stem
from assistant.verbatim import matches_span, normalise_ws

_TOKEN = re.compile(r"[a-z0-9]+")
# Sentences never quoted on their own: a lead-in to a list ("... where to do so would:"), and one that
# needs what came before it ("No – this is not the case.", "This means...").
_LEAD_IN = re.compile(r"[:;,–-]\s*$")
_NEEDS_ANTECEDENT = re.compile(r"^(?:(?:yes|no)\b\s*[–—,.:-]|(?:this|that|these|those|it|they|such)\s+(?:is|are|was|were|will|would|can|may|means?|includes?)\b)", re.I)
# A sentence that states a rule, a permission or a duty answers more than one that only shares words.
_RULE = re.compile(r"\b(?:should|must|can|may|need|needs|required|duty|expected|will|ought|justified|lawful|allowed|permitted)\b", re.I)
# A sentence's cosine with the question above MEANING_FLOOR adds MEANING_WEIGHT per unit to its score
# (shared words weigh about 1-5 each). `python -m eval quotes`, a quoted sentence holding an expected phrase:
# weight 0 -> 10: shipped 0.758 -> 0.784, held-out 0.650 -> 0.700 (5: 0.789, 0.675; 40: 0.800, 0.725).
MEANING_WEIGHT = 10.0
# A caution against disclosure ("must not normally be disclosed without consent", "respect the wishes of
# those who do not consent", "legal action may be taken if confidentiality is breached"). Where a child
# may be at risk, such a sentence does not lead an answer: it is quoted only when nothing else is.
# (A pattern over the documents' own sentences, a closed set: tests/test_quotes.py lists what it finds.)
_CAUTION = re.compile(
    r"\b(?:must not|should not|cannot|can ?not|may not)\b(?:\s+\w+){0,4}\s+(?:be\s+)?(?:disclosed|shared|passed on|released)\b"
    r"|\bnot normally be\b|\brespect the wishes\b|\blegal action\b|\bbreach(?:es|ed)? (?:of )?(?:the )?(?:duty of )?confiden"
    r"|\bconfidentiality (?:is|has been) breached\b",
    re.I,
)
_NOT_A_CAUTION = re.compile(r"\b(?:does not mean|will not (?:occur|be a breach)|not occur)\b", re.I)  # "a breach ... will not occur if"
# ... and, as much, a plain direction to get consent first ("Seeking consent should be the first option",
# "seek their agreement"), not qualified by its own exception ("unless it is unsafe", "not to seek"): right for
# early help, the wrong lead where asking may raise the risk (the same closed set of sentences).
_CONSENT_FIRST = re.compile(
    r"\b(?:should|must|always|to|will)\s+(?:\w+\s+){0,2}?(?:seek|obtain)\s+(?:their\s+|informed\s+|explicit\s+)?"
    r"(?:consent|agreement)\b|(?<!whose )\bconsent should be (?:obtained|sought)\b|\bseeking consent should be the first"
    r"|\bseek their agreement\b",
    re.I,
)
_QUALIFIED = re.compile(r"\b(?:not|no longer|unless|except|exception|without|cannot|whose|were to)\b|n['’]t\b", re.I)
CAUTION_FACTOR = 0.2
LIST_ITEM_WORDS = 20  # a sentence this short after a list's item is its next item
# A sentence about the document itself ("This document seeks to give practitioners...", "This procedure
# should be read in conjunction with...") answers no practitioner's question: it counts for little.
_ABOUT_THE_DOCUMENT = re.compile(
    r"^(?:this|the present)\s+(?:document|guidance|guide|procedure|protocol|agreement|policy|section|chapter)\s+"
    r"(?:seeks|aims|complements|is welcome|should be read|has been written|is based|reflects|explains|gives further|"
    r"provides further|does not deal|sets out to)\b", re.I)
ABOUT_THE_DOCUMENT_FACTOR = 0.3
MEANING_FLOOR = 0.3
_STOP = frozenset(
    "a an the and or of to in on for with by at is are was were be been being it its this that these those "
    "i me my we our you your he she they them their his her can could should would may might must will do "
    "does did have has had if when what which who whom how why where there here not no yes so as about into "
    "from than then also any all some such other only just more most very guidance say says said tell "
    "document documents guide".split()
)


@dataclass(frozen=True)
class Quote:
    doc_id: str
    start: int
    end: int
    text: str
    passage: object  # assistant.ingest.passages.Passage
    items: tuple["Quote", ...] = ()  # a lead-in's list ("... seven golden rules:"), quoted beneath it


_FOOTNOTE = re.compile(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]+\s")  # "⁴ Multi-Agency Screening Team"


def is_lead_in(text: str) -> bool:
    """A sentence that introduces a list: it says nothing until its items are shown."""
    return text.rstrip().endswith(":")


def list_items(lead: Quote, passages: list, doc_text: str, limit: int) -> tuple[Quote, ...]:
    """The items a lead-in introduces, verbatim: the sentences after it in its passage, or, when
    the lead-in ends its passage, the first sentence of each next passage of the same section and
    kind (a list the document sets out one passage per item, like the seven golden rules). At most
    ``limit``; empty when the document gives no items."""
    own = lead.passage
    spans = [(s, e, own) for s, e in own.sentences if s >= lead.end] if own is not None else []
    if not spans and own is not None:
        later = sorted((p for p in passages if p.doc_id == own.doc_id and p.start >= own.end), key=lambda p: p.start)
        kind = later[0].kind if later else None  # the items are passages of one kind (a footnote between is not one)
        for passage in later:
            if passage.section != own.section or len(spans) >= limit:
                break
            if passage.kind == kind and passage.sentences:
                spans.append((*passage.sentences[0], passage))
    items = []
    for start, end, passage in spans:
        text = normalise_ws(doc_text[start:end])
        if text and not _FOOTNOTE.match(text) and len(items) < limit:  # a footnote set inside the list is no item
            items.append(Quote(lead.doc_id, start, end, text, passage))
    return tuple(items)


def verify(quote: Quote, documents: dict) -> bool:
    doc = documents.get(quote.doc_id)
    return doc is not None and matches_span(doc.text, quote.start, quote.end, quote.text)


class SentencePicker:
    """Scores a passage's sentences against a question by shared, weighted word stems."""

    def __init__(self, passages) -> None:
        frequency: Counter[str] = Counter()
        for passage in passages:
            frequency.update(set(self.terms(passage.index_text)))
        total = max(len(passages), 1)
        self._idf = {term: math.log(1 + total / count) for term, count in frequency.items()}
        self._default_idf = math.log(1 + total)

    def terms(self, text: str) -> list[str]:
        return [stem(t) for t in _TOKEN.findall(text.lower()) if t not in _STOP and len(t) > 1]

    def score(self, question_terms: set[str], sentence: str) -> float:
        """Shared terms weighted by rarity; a statement is worth more than a checklist question,
        and very short or very long sentences less than a full, readable one."""
        terms = set(self.terms(sentence))
        shared = question_terms & terms
        if not shared:
            return 0.0
        weight = sum(self._idf.get(t, self._default_idf) for t in shared)
        words = len(sentence.split())
        if sentence.rstrip().endswith("?"):
            weight *= 0.4
        if words < 8:
            weight *= 0.6
        if _RULE.search(sentence):
            weight *= 1.25
        return weight / (1.0 + 0.015 * max(words - 25, 0))

    @staticmethod
    def quotable(sentence: str, lead_ins: bool = False) -> bool:
        """False for a lead-in (unless ``lead_ins``: its list will be quoted with it), a sentence
        that needs its antecedent, or a flowchart question."""
        text = sentence.strip()
        if lead_ins and is_lead_in(text) and len(text.split()) >= 4:
            return True
        fragment = len(text.split()) < 15 and not re.search(r"[.!?][”\"’')\]]*$", text)  # a heading or list item
        return not (fragment or _LEAD_IN.search(text) or _NEEDS_ANTECEDENT.match(text) or text.endswith("?"))

    @staticmethod
    def is_caution(sentence: str) -> bool:
        if _CONSENT_FIRST.search(sentence) and not _QUALIFIED.search(sentence):
            return True
        return bool(_CAUTION.search(sentence)) and not _NOT_A_CAUTION.search(sentence)

    def pick(self, question: str, passage, doc_text: str, limit: int = 2, meaning=(), at_risk: bool = False,
             lead_ins: bool = False) -> list[Quote]:
        """Up to ``limit`` of the passage's sentences that best match ``question``, in document order.

        ``meaning``: (sentence position, cosine with the question) from the dense search
        (``Hit.sentences``); a sentence close in meaning counts beside the words it shares. With
        ``at_risk`` (a child may be at risk), a caution against disclosure counts for little. With
        ``lead_ins``, a lead-in may be picked (the caller quotes its list with it, ``list_items``); an
        item of a list is never picked alone (it needs its lead-in: "Place a child at increased risk").
        The passage's first sentence is the fallback, so a retrieved passage always yields a quote.
        """
        wanted = set(self.terms(question))
        close = dict(meaning)
        scored, items, before = [], set(), ""
        for position, (start, end) in enumerate(passage.sentences):
            text = normalise_ws(doc_text[start:end])
            if is_lead_in(before) or (position - 1 in items and len(text.split()) < LIST_ITEM_WORDS):
                items.add(position)  # an item of a list (the short ones after it too): means something only under its lead-in
            before = text
            if len(text.split()) < 4:
                continue
            score = self.score(wanted, text) + MEANING_WEIGHT * max(close.get(position, 0.0) - MEANING_FLOOR, 0.0)
            if at_risk and self.is_caution(text):
                score *= CAUTION_FACTOR
            if _ABOUT_THE_DOCUMENT.match(text):
                score *= ABOUT_THE_DOCUMENT_FACTOR
            scored.append((score - 0.01 * position, position, start, end, text))
        whole = [s for s in scored if self.quotable(s[4], lead_ins) and s[1] not in items]
        scored = whole or scored  # a passage of questions only (a flowchart box) keeps its best one
        if not scored:
            return []
        best = sorted(scored, key=lambda s: (-s[0], s[1]))[:limit]
        if best[0][0] <= 0:
            best = best[:1]
        return [Quote(passage.doc_id, s, e, t, passage) for _, _, s, e, t in sorted(best, key=lambda s: s[1])]
