"""The guidance's own words for a question: the passages that answer it, the sentences to quote,
the short answer that opens it, and the quotes under a decision.

Every quote is a span of a corpus file, verified when it is cited (``compose.Citations``). A short
answer's line is our wording, so it is shown only with its own verbatim quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from assistant.answer.compose import Citations, general_answer, group_quotes, marks
from assistant.answer.quotes import Quote, SentencePicker, is_lead_in, list_items
from assistant.answer.short_answers import load_case_fit
from assistant.decision.models import fact_wording
from assistant.messages import text as msg
from assistant.retrieve.lexicon import unmatched_names
from assistant.understand import case_question, case_reading as reading_of
from assistant.verbatim import find_span, normalise_ws

MAX_QUOTES = 5  # sentences quoted in a general answer (the issue asks for 2-5)
MIN_GROUPS = 3  # keep drawing on further passages until this many distinct things are said
ANSWER_HITS = 8  # passages considered for quoting
OPENING_PASSAGES = 5  # a short answer opens only if one of its quotes is in one of these best passages
MIN_SIMILARITY = 0.6  # ... and is this close to one of its wordings (python -m eval calibrate-short-answers)
# ... or, without retrieval's agreement, the question is this close to one line's wordings and this
# much closer to them than to any other line's (a line quoting one document's golden rules when
# another's are retrieved). Re-chosen for the domain embedder trained on 181 more (described-case)
# wordings, on the held-out tenth of wordings (117), at MIN_SIMILARITY: 0.7 / 0.06 gave precision
# 0.609, coverage 0.590; 0.6 / 0.08 gives 0.635 and 0.632 (0.6 / 0.06: 0.613, 0.641).
HIGH_SIMILARITY = 0.6
HIGH_MARGIN = 0.08
_FIGURE = re.compile(r"\d")  # a line that states a figure (an age, a number of days)
# A question answered from the passages (no case walked through the flowchart) takes a line, with
# retrieval's agreement, at this nearness: on rounds 1-27, 0.55 instead of 0.6 gives a reviewed line
# to some 60 questions and statements led by "The guidance covers this under ..." (lines on seeking
# advice, recording, secure sending, timely referral); in described cases it picked lines beside the point.
ASKED_MIN_SIMILARITY = 0.55
# The line keyed to what a case states (``opening_for``) opens it only this near in words: on rounds
# 1-20, the early-help line keyed to "no risk" sat at 0.50-0.70 from the cases it fits (a family
# struggling, a referral for support) and at 0.19-0.43 from those it does not (a police request for a
# file, a newsletter, a councillor, a competent 15-year-old's sexual health, a research request).
KEYED_SIMILARITY = 0.45
LIST_ITEMS = 10  # at most this many items of a list quoted under its lead-in ("seven golden rules:")
# ... and only when the lead-in is this close in meaning to the question: asking for the golden rules
# 0.51-0.52, a child's competence 0.52-0.70, when not to seek consent 0.59; described cases at most 0.33.
LIST_MEANING = 0.45
DECISION_QUOTES = 3  # sentences quoted under a decision, from the question and again from its facts
# The facts whose guidance is quoted under a decision, the most telling first.
TOPIC_ORDER = ("significant_harm_risk", "seeking_consent_unsafe", "statutory_duty", "consent", "confidential",
               "legitimate_purpose")


@dataclass(frozen=True)
class Read:
    """One question as read once: its text, what retrieval searches, its vector and learned reading."""

    text: str
    topic: str
    corrected: str
    vector: object
    reading: object  # assistant.understand.learned.Reading, or None
    urgent: bool


@dataclass(frozen=True)
class Opening:
    """A short answer's line (with its quotes' citation marks) and the quotes that support it."""

    text: str
    quotes: list


class Guidance:
    """Finds and quotes the guidance. Immutable after construction, so one instance serves every thread."""

    def __init__(self, settings, retriever, documents: dict, scope, short_answers=None) -> None:
        self.settings = settings
        self.retriever = retriever
        self.documents = documents
        self.scope = scope
        self.short = short_answers  # assistant.answer.short_answers.ShortAnswers, or None
        self.picker = SentencePicker(retriever.passages)
        self._short_spans: list | None = None  # found on first use (a benign race: same result)
        self._topic_vectors: dict = {}  # facts.yaml topics as questions, embedded on first use

    # ---------------------------------------------------------------- passages
    def hits(self, read: Read):
        """The best passages for the question, however weak the match."""
        k = max(self.settings.top_k, ANSWER_HITS)
        return self.retriever.search(read.topic, k=k, vector=read.vector, corrected=read.corrected)

    def in_scope_hits(self, read: Read):
        """The passages to quote, or None when the guidance does not answer the question.

        A question that uses a practitioner's term the documents never use ("Sarah's law", "CSE")
        gets a second look in the documents' own words from the lexicon before it is declined:
        the model cannot know such a term, and only the lexicon connects it to the guidance.
        """
        k = max(self.settings.top_k, ANSWER_HITS)
        hits = self.hits(read)
        if self.scope.in_scope(read.topic, hits[: self.settings.top_k]):
            return hits
        unmatched = unmatched_names(read.corrected, self.scope.corpus_has)
        if not unmatched or self.scope.unknown_names(read.topic):
            return None
        translated = " ".join([read.corrected, *dict.fromkeys(e.target for e in unmatched)])
        hits = self.retriever.search(translated, k=k, corrected=translated)
        return hits if self.scope.in_scope(read.topic, hits[: self.settings.top_k]) else None

    def quotes(self, question: str, hits, limit: int = MAX_QUOTES, at_risk: bool = False, have: int = 0) -> list:
        """Best sentences from the best passages: two from the first, one from each next, until
        ``limit``, or MIN_GROUPS distinct statements (the same rule in four documents is one). With
        ``at_risk``, cautions against disclosure come last (``SentencePicker.pick``), and none is quoted
        once MIN_GROUPS quotes are in hand (``have``: quoted already, above these)."""
        quotes: list = []
        for hit in hits:
            room = limit - len(quotes)
            enough = hit.rank > self.settings.top_k and len(group_quotes(quotes, self.documents)) >= MIN_GROUPS
            if room <= 0 or enough:
                break
            doc = self.documents[hit.passage.doc_id]
            per_passage = 2 if hit.rank == 1 else 1
            picked = self.picker.pick(question, hit.passage, doc.text, limit=min(per_passage, room), meaning=hit.sentences,
                                      at_risk=at_risk, lead_ins=True)
            picked = [self._with_list(q, doc.text, dict(hit.sentences)) for q in picked]
            if at_risk and have + len(quotes) >= MIN_GROUPS:  # a caution is quoted only when nothing else is
                picked = [q for q in picked if q is None or not self.picker.is_caution(q.text)]
            quotes.extend(q for q in picked if q is not None and not _repeats(q, quotes))
        return _without_listed(quotes)

    def _with_list(self, quote: Quote, doc_text: str, meaning: dict[int, float]) -> Quote | None:
        """A lead-in with the items of its list, when the lead-in is close in meaning to the
        question (LIST_MEANING: the list is the answer); else None, as when the document gives no
        items (a lead-in alone says nothing). Any other quote as it is."""
        if not is_lead_in(quote.text):
            return quote
        position = next((i for i, (start, _) in enumerate(quote.passage.sentences) if start == quote.start), None)
        if meaning.get(position, 0.0) < LIST_MEANING:
            return None
        items = list_items(quote, self.retriever.passages, doc_text, LIST_ITEMS)
        return replace(quote, items=items) if items else None

    # ---------------------------------------------------------------- short answers
    def opening(self, read: Read, citations: Citations, hits=None, facts: dict[str, str] | None = None,
                asked: bool = False, figure: bool = False) -> Opening | None:
        """The short answer for the question, as an opening line citing its quotes, or None.

        Two signals must agree: retrieval (one of the line's quotes lies in one of the best
        ``OPENING_PASSAGES`` passages for the question) and the embedding (the question is at least
        ``MIN_SIMILARITY`` from one of the line's wordings; the closest such line wins). The
        wordings alone confuse neighbouring lines (``python -m eval calibrate-short-answers``),
        unless one line is both very close (``HIGH_SIMILARITY``) and clearly closest (``HIGH_MARGIN``).
        When no line fits the words, the line for who asks (``keyed_opening``), if one is read.
        ``facts``: what the case states (told, or read by the learned reader); a line that presumes
        otherwise (``short_answer_facts.yaml``) never opens it. ``asked``: a question answered from the
        passages, not a case on the flowchart's route (ASKED_MIN_SIMILARITY). ``figure``: the question asks for a
        figure ("at what age can a child consent?"): only a line stating one, never the line for who asks (the
        five rounds' age-of-consent questions had no line while the figure guard barred every line)."""
        worded = self._worded(read, citations, hits, facts, asked, figure)
        return worded if worded is not None or figure else self.keyed_opening(read, citations, facts, worded=False)

    def _worded(self, read: Read, citations: Citations, hits=None, facts: dict[str, str] | None = None,
                asked: bool = False, figure: bool = False) -> Opening | None:
        """The short answer whose wordings and quotes fit the question (``opening``), or None."""
        if self.short is None:
            return None
        hits = (hits if hits is not None else self.hits(read))[:OPENING_PASSAGES]
        sims = self.short.similarities(read.vector).copy()
        sims[[i for i, a in enumerate(self.short.answers) if not load_case_fit().fits(a.id, facts)
               or (figure and not _FIGURE.search(a.line))]] = -1.0
        agreeing = [i for i, spans in enumerate(self._spans())
                    if any(doc == h.passage.doc_id and h.passage.start <= start < h.passage.end
                           for doc, start, _ in spans for h in hits)]
        best = max(agreeing, key=lambda i: sims[i], default=None)
        order = np.argsort(-sims)
        if len(order) and sims[order[0]] >= HIGH_SIMILARITY and (
                len(order) == 1 or sims[order[0]] - sims[order[1]] >= HIGH_MARGIN):
            best = int(order[0])  # one line very close and clearly closest: no agreement needed
        if best is None or sims[best] < (ASKED_MIN_SIMILARITY if asked else MIN_SIMILARITY):
            return None
        return self._opening_of(self.short.answers[best], citations)

    def asked_like_a_line(self, read: Read) -> bool:
        """The question is as close to one of the short answers' wordings (questions practitioners
        ask that the guidance answers, reviewed) as an opening needs (``MIN_SIMILARITY``): the
        guidance is near enough to show as the closest it comes, rather than decline. Only the reviewed
        wordings count: the rounds' questions choose a line, they never keep a question in scope."""
        return self.short is not None and float(self.short.similarities(read.vector, own=True).max(initial=-1.0)) >= MIN_SIMILARITY

    def keyed_opening(self, read: Read, citations: Citations, facts: dict[str, str] | None = None,
                      worded: bool = True, scope: str | None = None) -> Opening | None:
        """The short answer for what the case asks (``case_question.scoped``: how much to share, or
        whether this person should have it) or for who asks (``reading_of.asker``: doubtful, no need
        to know, family), whatever the wording; None when the reader reads none of these. How much
        comes before who asks; a case asking about a person, with nobody's need read, gets the line
        its words fit, or else the line on sharing only with those who need it (first, where the
        risk is known: a child on a plan). ``worded``: the line the words fit may still be looked
        for (False when the caller has just looked). ``scope``: what the case asks, as the caller reads it."""
        if read.reading is None or self.short is None:
            return None
        fit, scope = load_case_fit(), scope or case_question.scoped(read.reading, read.urgent)  # or as the caller reads it
        case = scope is not None or read.reading.p("kind", "case") >= 0.5  # who asks is read for cases: a question names nobody
        if not case:
            if read.urgent or not case_question.how_much(read.reading):
                return None
            scope = "amount"  # but how much to send is asked however it is put ("should I include her old diagnosis?")
        who = reading_of.asker(read.reading, read.urgent, case_question.managed(read.reading, read.urgent)) if case else None
        wanted = [a.id for a in self.short.answers if who is not None and a.asker == who]
        if scope == "amount":
            wanted.insert(0, fit.scopes[scope])
        elif scope == "recipient" and case_question.known(read.reading):
            wanted.append(fit.scopes[scope])
        first = lambda ids: next((a for i in ids for a in self.short.answers if a.id == i and fit.fits(a.id, facts)), None)
        answer = first(wanted)
        if answer is None and scope == "recipient":  # the line its words fit, else the one on need to know
            if worded and (found := self._worded(read, citations, facts=facts)) is not None:
                return found
            answer = first([fit.scopes[scope]])
        return self._opening_of(answer, citations) if answer is not None else None

    def opening_for(self, read: Read, facts: dict[str, str], fact: str, citations: Citations, near: bool = True) -> Opening | None:
        """The line that opens a case by what it states of ``fact`` (``short_answer_facts.yaml``,
        ``opens``), when nothing else it states contradicts the line and the case's own words are at
        least loosely near one of its wordings (KEYED_SIMILARITY; not checked when ``near`` is False); or None."""
        fit = load_case_fit()
        answer_id = fit.opens.get(fact, {}).get(facts.get(fact, ""))
        if self.short is None or answer_id is None:
            return None
        sims = self.short.similarities(read.vector)
        found = [(i, a) for i, a in enumerate(self.short.answers) if a.id == answer_id and fit.fits(a.id, facts)]
        if not found or (near and sims[found[0][0]] < KEYED_SIMILARITY):
            return None
        return self._opening_of(found[0][1], citations)

    def _opening_of(self, answer, citations: Citations) -> Opening | None:
        quotes = [q for q in (self._quote_of(ref.doc_id, ref.quote, citations) for ref in answer.quotes) if q]
        if len(quotes) < 2:
            return None
        numbers = [citations.add(q) for q in quotes]
        return Opening(f"**{answer.line}** {marks(numbers)}", quotes)

    def _spans(self) -> list[list[tuple[str, int, int]]]:
        """Where each short answer's quotes are in the corpus, found once."""
        if self._short_spans is None:
            self._short_spans = [
                [(ref.doc_id, *span) for ref in answer.quotes
                 if ref.doc_id in self.documents and (span := find_span(self.documents[ref.doc_id].text, ref.quote))]
                for answer in (self.short.answers if self.short is not None else ())
            ]
        return self._short_spans

    def _quote_of(self, doc_id: str, text: str, citations: Citations) -> Quote | None:
        doc = self.documents.get(doc_id)
        span = find_span(doc.text, text) if doc is not None else None
        if span is None:
            return None
        start, end = span
        return Quote(doc_id, start, end, normalise_ws(doc.text[start:end]), citations.passage_at(doc_id, start, end))

    @staticmethod
    def with_opening(opening: Opening | None, quotes: list) -> list:
        """The opening's quotes first, then the others that are not the same sentence."""
        if opening is None:
            return quotes
        own = list(opening.quotes)
        return own + [q for q in quotes if all((q.doc_id, q.start) != (o.doc_id, o.start) for o in own)]

    def covers(self, quotes: list) -> str | None:
        """The opening line when no short answer fits: where the guidance covers the question."""
        first = next((q for q in quotes if q.passage is not None and q.passage.section), None)
        if first is None:
            return None
        *parents, section_name = first.passage.section.split(" › ")
        # a myth-busting guide's headings are the myths: "covers this under <a myth>" would read as the finding
        key = "covers_myth" if any("myth" in p.lower() for p in parents) else "covers"
        return msg("guidance", key, section=section_name, doc=self.documents[first.doc_id].short_title)

    # ---------------------------------------------------------------- under a decision
    def for_decision(self, read: Read, facts: dict[str, str], opening: Opening | None, citations: Citations,
                     general: bool = False) -> str:
        """The guidance under a decision. For a described case, first on the facts that matter most
        (a case's words name people and events the guidance does not), then on its own words; for a
        general question, the other way round."""
        about = self._about_facts(read, facts)
        if about is read:
            plan = ((read, DECISION_QUOTES),)
        elif general:
            plan = ((read, DECISION_QUOTES), (about, DECISION_QUOTES - 1))
        elif facts.get("significant_harm_risk") == "yes":
            plan = ((about, 2 * DECISION_QUOTES - 1),)  # a child at risk: the guidance on that, not the case's words
        else:
            plan = ((about, DECISION_QUOTES), (read, DECISION_QUOTES - 1))
        # a refusal with the risk not yet known is where sharing without consent may be needed: no
        # caution against it leads (the engine's next question is the risk)
        refused = facts.get("consent") == "no" and "significant_harm_risk" not in facts
        at_risk = (read.urgent or facts.get("significant_harm_risk") in ("yes", "unsure") or refused
                   or reading_of.may_be_at_risk(read.reading))
        quotes: list = []
        for part, limit in plan:
            more = self.quotes(part.topic, self.hits(part), limit=limit, at_risk=at_risk, have=len(quotes))
            quotes += [q for q in more if all((q.doc_id, q.start) != (o.doc_id, o.start) for o in quotes)]
        return general_answer(self.with_opening(opening, quotes), citations, heading=msg("guidance", "heading"))

    def _about(self, read: Read, query: str) -> Read:
        """``read`` asking ``query`` instead: a topic from facts.yaml (or two joined), so one of a
        few dozen texts, each embedded once and kept (a benign race: the same vector)."""
        vector = self._topic_vectors.get(query)
        if vector is None:
            vector = self._topic_vectors[query] = self.retriever.embedder.embed([query])[0]
        return Read(read.text, query, query, vector, read.reading, read.urgent)

    def _about_facts(self, read: Read, facts: dict[str, str]) -> Read:
        """What the guidance says about the facts that matter most (facts.yaml, ``topic``)."""
        wording = fact_wording()
        order = TOPIC_ORDER
        if facts.get("significant_harm_risk") in ("yes", "unsure"):
            order = tuple(f for f in TOPIC_ORDER if f != "consent")  # not "respect a refusal" when a child may be at risk
        if facts.get("significant_harm_risk") == "no":  # no risk: what the rest of the case turns on comes first
            order = (*(f for f in order if f != "significant_harm_risk"), "significant_harm_risk")
        topics = [wording[f].topic[facts[f]] for f in order if facts.get(f) in wording[f].topic][:2]
        if not topics:
            return read
        return self._about(read, " ".join(topics))


def _spans_of(quote: Quote) -> set[tuple[str, int]]:
    return {(quote.doc_id, quote.start), *((i.doc_id, i.start) for i in quote.items)}


def _repeats(quote: Quote, quotes: list) -> bool:
    """Already quoted: the same sentence of the same document, alone or as a list's item."""
    return any(quote.text == other.text and other.doc_id == quote.doc_id for other in quotes) or any(
        (quote.doc_id, quote.start) in _spans_of(other) for other in quotes)


def _without_listed(quotes: list) -> list:
    """A quote that is also an item of a quoted list is shown once, in its list."""
    listed = {span for q in quotes for span in _spans_of(q) if q.items} - {(q.doc_id, q.start) for q in quotes if q.items}
    listed_texts = {normalise_ws(i.text).lower() for q in quotes for i in q.items}
    return [q for q in quotes if q.items or ((q.doc_id, q.start) not in listed and normalise_ws(q.text).lower() not in listed_texts)]
