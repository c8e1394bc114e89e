"""The assistant's brain: one question (and the conversation so far) in, what the chat shows out.

Routing, in order: urgent danger (a fixed banner first; the rest still follows) -> a concrete
decision (the flowchart engine, never free text) -> a myth or claim (verdict first) -> out of scope
(said plainly, with what would answer it) -> otherwise an answer quoted from the best passages.

Safety degrades gracefully: every answer that is not declined quotes the guidance; a decision
states the referral first when a child is at risk and never stands as a lone flowchart question;
a question about a child's safety is never declined (the closest guidance is shown, marked as
such); a verdict is withheld whenever it could be the inverse of the right one. Every quote is
verified against the corpus before it is returned. Only the redacted question is ever kept.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field

from assistant.answer.compose import (Citations, decision_answer, general_answer, marks, myth_answer, urgent_banner,
                                      in_reading_order, with_secrecy_line)
from assistant.answer.conversation import Conversation, Turn
from assistant.answer.declining import declined_as, declined_topic
from assistant.answer.guidance import Guidance, Read
from assistant.answer.runtime import load_retriever
from assistant.answer.short_answers import ShortAnswers
from assistant.answer.verdict import checked_verdict, statement_in_a_case
from assistant.config import Settings
from assistant.decision.engine import decide
from assistant.decision.models import list_flowcharts
from assistant.ingest.documents import documents_by_id
from assistant.messages import section, text as msg
from assistant.myths.matcher import ClaimMatcher
from assistant.privacy.screen import screen
from assistant.scope.answerable import Scope
from assistant.scope.outside import load_outside
from assistant.understand import case_question, case_reading as reading_of
from assistant.understand.asked_figures import answers_with_a_number, asks_for_a_number
from assistant.understand.facts import extract_facts
from assistant.understand.follow_up import is_follow_up
from assistant.understand.inputs import clean_question
from assistant.understand.intent import wants_decision
from assistant.understand.learned import LearnedReader
from assistant.understand.urgency import SECRECY_RULE, disclosed_now, is_urgent, says_now, secrecy_asked, urgent_reason

MODES = ("answer", "myth", "decision", "out_of_scope")


@dataclass
class Answer:
    question: str
    mode: str
    urgent: bool
    answer: str
    citations: list[dict] = field(default_factory=list)
    myth: dict | None = None
    decision: dict | None = None
    warnings: list[str] = field(default_factory=list)
    banner: str | None = None  # the urgent banner on its own, for front ends that show it apart
    follow_up: bool = False
    topic: str = field(default="", repr=False)  # what retrieval read (with a follow-up's context); internal

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("topic")
        return data


class Assistant:
    """Loaded once (models, index, claims) and shared: ``answer`` is safe to call from many threads."""

    def __init__(self, settings: Settings, retriever, documents: dict, claim_matcher, scope,
                 short_answers: ShortAnswers | None = None, reader: LearnedReader | None = None) -> None:
        self.settings = settings
        self.retriever = retriever
        self.documents = documents
        self.claims = claim_matcher
        self.scope = scope
        self.reader = reader
        self.outside = load_outside()
        self.guidance = Guidance(settings, retriever, documents, scope, short_answers)
        self._lock = threading.Lock()

    @classmethod
    def load(cls, settings: Settings | None = None) -> "Assistant":
        settings = settings or Settings.from_env()
        retriever = load_retriever(settings)
        documents = documents_by_id(settings.corpus_dir)
        scope = Scope.for_documents(documents.values())
        cache = settings.model_cache_dir
        matcher = ClaimMatcher(retriever.embedder, cache_dir=cache)
        short = ShortAnswers(retriever.embedder, cache_dir=cache)
        reader = LearnedReader.load(retriever.embedder, cache_dir=cache)
        assistant = cls(settings, retriever, documents, matcher, scope, short, reader)
        assistant.warm_up()
        return assistant

    def warm_up(self) -> None:
        """Compile the rules and load the data files now, so the first practitioner doesn't wait."""

        sample = "Can I tell the GP about this child? Her parents said no."
        screen(sample), is_urgent(sample), wants_decision(sample), is_follow_up(sample), extract_facts(sample)
        for chart in list_flowcharts():
            decide({}, chart.id)
        section()  # loads the message file

    # ---------------------------------------------------------------- the one entry point
    def answer(self, question: str | None, history: Conversation | None = None, *, flowchart: str = "default") -> Answer:
        cleaned = clean_question(question, self.settings.max_question_chars)
        screened = screen(cleaned.text)
        text = screened.redacted
        warnings = list(cleaned.warnings)
        if screened.has_personal_data:
            warnings.insert(0, screened.warning())
        citations = Citations(self.documents, self.retriever.passages)
        last = history.last if history is not None else None
        follow_up = last is not None and is_follow_up(text)
        open_decision = history.open_decision() if (history is not None and follow_up) else None
        topic = f"{last.topic} {text}" if follow_up else text

        corrected = self.retriever.correct_spelling(topic)
        vector = self.retriever.embedder.embed([corrected])[0]
        reading = self.reader.read(vector) if self.reader is not None else None
        stated = extract_facts(text)  # the facts the rules read, once: for routing and for the engine
        rule = urgent_reason(text)  # the urgency rule that fires, once: for the banner and what follows it
        urgent = ((rule is not None and not reading_of.urgency_vetoed(reading))
                  or reading_of.urgent_now(reading, stated.get("significant_harm_risk"), says_now(text), disclosed_now(text)))
        banner = urgent_banner(citations, rule == SECRECY_RULE) if urgent else None
        read = Read(text, topic, corrected, vector, reading, urgent)
        at_risk_case = reading_of.states_a_case_at_risk(reading, stated.get("significant_harm_risk"))
        declined, scope_hits = declined_topic(read, at_risk_case, open_decision is not None, self.outside, self.guidance)
        if declined is not None and not urgent:
            result = declined_as(declined), "out_of_scope", {}
        elif ((wants_decision(text) and not reading_of.is_statement(reading)) or open_decision is not None
              or reading_of.is_case(reading) or case_question.requested_without_need(reading, urgent)
              or at_risk_case
              or reading_of.urgent_case(reading, urgent)):
            # a statement of belief written like a case ("no need to ring MASH, school will have"): its verdict
            in_a_case = open_decision is None and not urgent and statement_in_a_case(reading)
            verdict = self._verdict(read, citations, risk_first=reading_of.harm_stated(reading, stated.get(
                "significant_harm_risk")) or reading_of.child_at_risk(reading)) if in_a_case else None
            result = verdict or self._decision(read, stated, open_decision, flowchart, citations)
        else:
            harm = reading_of.harm_stated(reading, stated.get("significant_harm_risk"), asked=True)
            result = self._claim_or_passages(read, citations, scope_hits, stated, harm)
        body, mode, extra = result
        secrecy = mode != "out_of_scope" and rule != SECRECY_RULE and secrecy_asked(text)  # not already under the banner
        parts = [p for p in (banner, with_secrecy_line(body, citations) if secrecy else body) if p]
        if follow_up:
            parts.append(msg("answer", "follow_up_note"))
        shown = "\n\n".join(parts) if not secrecy else in_reading_order("\n\n".join(parts), citations)
        return Answer(
            question=text,
            mode=mode,
            urgent=banner is not None,
            answer=shown,
            citations=citations.items,
            warnings=warnings,
            banner=banner,
            follow_up=follow_up,
            topic=topic,
            **extra,
        )

    def remember(self, history: Conversation, answer: Answer) -> None:
        """Record a turn (redacted) so a follow-up can be read with it."""
        decision = answer.decision or {}
        history.add(
            Turn(
                question=answer.question,
                mode=answer.mode,
                topic=answer.topic or answer.question,
                facts=dict(decision.get("facts", {})),
                flowchart=decision.get("flowchart", "default"),
                decision_open=decision.get("outcome") == "need_more_facts",
            )
        )

    # ---------------------------------------------------------------- routes
    def _decision(self, read: Read, rules_facts: dict[str, str], open_decision: Turn | None, flowchart: str,
                  citations: Citations):
        """The engine's outcome for the facts the question states, the referral first when a child
        is at risk, and the guidance. A general question, or a case with nothing yet to decide on,
        gets the guidance first and the flowchart's question as an offer: never a lone question."""
        stated, learned = reading_of.case_facts(rules_facts, read.reading, read.urgent)
        if "significant_harm_risk" not in {**stated, **learned} and reading_of.harm_stated(read.reading, None):
            # routed here by its words ("am I allowed to tell anyone?") though it reads more as a
            # question than a case: harm read surely is still a risk of significant harm
            learned["significant_harm_risk"] = "yes"
        facts = dict(open_decision.facts) if open_decision is not None else {}
        facts.update(learned)
        facts.update(stated)
        if open_decision is not None and flowchart == "default":
            flowchart = open_decision.flowchart
        decision = decide(facts, flowchart).to_dict()
        risk = facts.get("significant_harm_risk")
        general = reading_of.is_general_question(read.reading) and not case_question.requested_without_need(read.reading, read.urgent)
        told = {**learned, **stated}

        # a known risk and a case asking how much, or whether this person should have it: that line leads
        known = case_question.known_line(read.reading, read.urgent)

        # Built in the order shown, so citation numbers run in reading order.
        # not sharing with the person asking, on a risk only read, not stated: a worry for the safeguarding lead, not "Refer now"
        asked_only = decision["outcome"] == "do_not_share" and "significant_harm_risk" not in stated

        def risk_first() -> str | None:  # anything new about a child already known goes to social care
            level = "known" if known else ("unsure" if asked_only else risk)
            if level == "yes" and "significant_harm_risk" in learned and read.reading.risk_from_neighbours(reading_of.RISK_P):
                level = "likely"  # read only from the nearest examples: through the safeguarding lead today
            return self._risk_first(level, citations) if risk in ("yes", "unsure") and not read.urgent else None

        keyed: list = []  # the short answer for who asks, shown after the referral advice when read

        def who_asks() -> str | None:
            keyed.append(self.guidance.keyed_opening(read, citations, facts))
            return keyed[0].text if keyed[0] is not None else None

        def block() -> str:
            return decision_answer(decision, told, citations, learned=set(learned) - set(stated))

        def guidance() -> str:
            if keyed and keyed[0] is not None:
                return self.guidance.for_decision(read, facts, keyed[0], citations, general)
            opening = self.guidance.opening(read, citations, facts=facts)
            no_risk = risk == "no" or (risk is None and reading_of.no_risk(read.reading))
            stalled = risk is None and decision["outcome"] == "need_more_facts" and not general
            if opening is None and stalled and case_question.recipient_doubted(read.reading, read.urgent):
                opening = self.guidance.keyed_opening(read, citations, facts, scope="recipient")  # only those who need it
            support = stalled and case_question.support_asked(read.reading, read.urgent)
            if opening is None and not general and (no_risk or support):
                # a case's own words seldom sit near a short answer's; what it states opens it: with no risk of significant
                # harm, early help with the family's consent (a service's help asked: that line, whatever the words, as it states its condition)
                opening = self.guidance.opening_for(read, {**facts, "significant_harm_risk": "no"}, "significant_harm_risk",
                                                    citations, near=not support)
            quoted = self.guidance.for_decision(read, facts, opening, citations, general)
            return "\n\n".join(p for p in (opening.text if opening else None, quoted) if p)

        def offer() -> str:
            question = decision["next_question"]["question"]
            return msg("guidance", "offer", flowchart=decision["flowchart_title"], question=question)

        first = (who_asks, risk_first) if known else (risk_first, who_asks)
        if decision["outcome"] != "need_more_facts" and not general:
            layout = (*first, block, guidance)  # the outcome first, then the guidance
        elif decision["outcome"] == "need_more_facts" and (
                general or (not _substance(facts) and not reading_of.is_case(read.reading))):
            # a general question, or nothing yet to decide on: an offer to walk through a case (a case
            # the reader reads as described gets what it still needs instead, not "tell me what happened")
            layout = (*first, guidance, offer)
        else:  # the guidance, then what the case still needs (or, for a general question, the outcome)
            layout = (*first, guidance, block)
        parts = [part() for part in layout]
        return "\n\n".join(p for p in parts if p), "decision", {"decision": decision}

    def _risk_first(self, risk: str, citations: Citations) -> str:
        refs = section("risk_first", "citations")[risk]
        numbers = [citations.add_text(r["doc_id"], r["quote"]) for r in refs]
        return f"{msg('risk_first', risk)} {marks(numbers)}"

    def _claim_or_passages(self, read: Read, citations: Citations, scope_hits=..., stated: dict[str, str] | None = None,
                           harm: bool = False):
        """A verdict, the quoted guidance, or a decline. ``scope_hits``: the in-scope passages when
        already looked up (``...`` when not). ``stated``: the facts the rules read; one the flowchart
        decides on (consent, purpose, confidentiality...) makes the question about sharing: never
        declined, at worst the closest guidance. ``harm``: harm to a child is read
        (``reading_of.harm_stated``): the referral advice leads, unless a verdict answers it."""
        text, topic, stated = read.text, read.topic, stated or {}
        states_facts = _substance(stated)
        at_risk = read.urgent or harm or reading_of.child_at_risk(read.reading)
        verdict = self._verdict(read, citations)
        if verdict is not None:
            return verdict
        plainly_sharing = reading_of.asks_about_sharing(read.reading)
        safety = (at_risk or self.outside.about_safety(text) or reading_of.about_sharing(read.reading)
                  or plainly_sharing or reading_of.possible_risk(read.reading) or states_facts)
        hits = self.guidance.in_scope_hits(read) if scope_hits is ... else scope_hits
        named = self.scope.scheme_names(topic)  # laws, schemes or bodies the documents never name: looked up once
        closest = False
        if hits is None:
            closest_hits = self.guidance.hits(read)  # searched once: judged near, then quoted as the closest
            near = reading_of.not_other(read.reading) and (self.scope.near_miss(topic, closest_hits[: self.settings.top_k])
                                                           or self.guidance.asked_like_a_line(read))
            # a law or scheme the documents never name declines, unless a child is at risk; a bare acronym ("SALT", "EHCP") in
            # a question stating a flowchart fact, or any name in a message read more as a case than not ("the Family Hub"),
            # is more often a service's or a plan's than a scheme's (rounds 1-57: no out-of-scope message so read): the closest guidance
            a_case = read.reading is not None and read.reading.p("kind", "case") >= reading_of.CASE_AT_RISK_P
            schemes = [n for n in named if not a_case and (" " in n.strip() or not states_facts)]
            if not (safety or near) or (schemes and not at_risk):
                return self._declined(text), "out_of_scope", {}
            # "the guidance doesn't answer this exactly" only where not read plainly as about sharing (rounds
            # 1-19: 28 answers carried the caveat, 2 graded GOOD; the 14 read plainly so were all in scope)
            hits, closest = closest_hits, not plainly_sharing
        quotes = self.guidance.quotes(topic, hits, at_risk=at_risk or reading_of.may_be_at_risk(read.reading))
        figure = asks_for_a_number(text) and not case_question.how_much(read.reading)  # "how much do I send?" is no figure
        if figure and not answers_with_a_number(quotes, text) and not at_risk:
            return self._declined(text), "out_of_scope", {}  # the passages are on topic, but hold no figure
        # a reviewed line may open even where a practitioner's initials are unknown to the documents ("EHA"); for a
        # figure only a line stating one; never for a law or scheme they never name (``Scope.scheme_names``)
        fits_a_line = not named
        # under the referral advice, no line that presumes no risk ("ask a person with parental responsibility")
        risk = {"significant_harm_risk": "yes"} if harm and not read.urgent else None
        opening = self.guidance.opening(read, citations, hits, facts=risk, asked=True, figure=figure) if fits_a_line else None
        if opening is None and risk is not None and fits_a_line and not figure:  # else the line a stated risk keys
            opening = self.guidance.opening_for(read, risk, "significant_harm_risk", citations)
        if opening is not None:
            closest = False  # a reviewed short answer fits, its quotes among the passages: the guidance does answer it
        body = general_answer(self.guidance.with_opening(opening, quotes), citations)
        if not body:  # nothing verifiable to quote: say so rather than stretch a passage
            return self._declined(text), "out_of_scope", {}
        lead = opening.text if opening is not None else self.guidance.covers(quotes)
        parts = [msg("guidance", "closest")] if closest and not read.urgent else []
        if harm and not read.urgent:  # the urgent banner already leads with it
            parts.insert(0, self._risk_first("yes", citations))
        return "\n\n".join(p for p in (*parts, lead, body) if p), "answer", {}

    def _verdict(self, read: Read, citations: Citations, risk_first: bool = False):
        """A verdict that cannot be the inverse of the right one (``verdict.safe_verdict``), or None;
        ``risk_first``: harm to a child is read, so the referral advice leads it."""
        if not self._may_be_a_claim(read.text, read.topic):
            return None
        candidates = self.claims.matches(read.text, read.vector if read.topic == read.text else None)
        match = checked_verdict(read.text, candidates, self.claims, read.reading, read.vector if read.topic == read.text else None)
        if match is None:
            return None
        first = [self._risk_first("yes", citations)] if risk_first else []  # numbered first: it is read first
        myth = {"verdict": match.verdict, "statement": match.claim.statement, "claim_id": match.claim.id}
        return "\n\n".join((*first, myth_answer(match, citations))), "myth", {"myth": myth}

    def _may_be_a_claim(self, text: str, topic: str) -> bool:
        """A question that asks for a figure ("within how many hours...") is not a yes-or-no claim, and
        one about a law, scheme or body the documents never name ("the National Data Opt-out") is
        not a claim the myth-busting guides judge, however close its words: neither gets a verdict."""
        return not asks_for_a_number(text) and not self.scope.unknown_names(topic)

    def _declined(self, text: str) -> str:  # the decline, with what would answer it when its topic is one we know
        return declined_as(self.outside.pointer(text))


def _substance(facts: dict[str, str]) -> bool:
    """True when the question told something to decide on: more than that it is about someone
    (which every case implies)."""
    return any(fact != "identifiable" or value != "yes" for fact, value in facts.items())
