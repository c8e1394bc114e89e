"""The assistant's brain: one question (and the conversation so far) in, what the chat shows out.

Routing, in order: urgent danger (a fixed banner first; the rest still follows) -> a concrete
decision (the flowchart engine, never free text) -> a myth or claim (verdict first) -> out of scope
(said plainly) -> otherwise an answer quoted from the best passages. Every quote is verified against
the corpus before it is returned. Only the redacted question is ever kept or returned.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field

from assistant.answer.compose import Citations, decision_answer, general_answer, marks, myth_answer
from assistant.config import Settings
from assistant.answer.conversation import Conversation, Turn
from assistant.understand.inputs import clean_question
from assistant.messages import section, text as msg
from assistant.understand.asked_figures import answers_with_a_number, asks_for_a_number
from assistant.answer.quotes import SentencePicker
from assistant.ingest.documents import documents_by_id
from assistant.myths.matcher import ClaimMatcher
from assistant.answer.runtime import load_retriever
from assistant.scope.answerable import Scope
from assistant.understand.facts import extract_facts
from assistant.decision.engine import decide
from assistant.decision.models import list_flowcharts
from assistant.privacy.screen import screen
from assistant.understand.follow_up import is_follow_up
from assistant.understand.intent import wants_decision
from assistant.understand.urgency import is_urgent
from assistant.decision.engine import decide
from assistant.retrieve.lexicon import unmatched_names
from assistant.answer.compose import group_quotes

MODES = ("answer", "myth", "decision", "out_of_scope")
MAX_QUOTES = 5  # sentences quoted in a general answer (the issue asks for 2-5)
MIN_GROUPS = 3  # keep drawing on further passages until this many distinct things are said
ANSWER_HITS = 8  # passages considered for quoting


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

    def __init__(self, settings: Settings, retriever, documents: dict, claim_matcher, scope) -> None:
        self.settings = settings
        self.retriever = retriever
        self.documents = documents
        self.claims = claim_matcher
        self.scope = scope

        self.picker = SentencePicker(retriever.passages)
        self._lock = threading.Lock()

    @classmethod
    def load(cls, settings: Settings | None = None) -> "Assistant":
        settings = settings or Settings.from_env()
        retriever = load_retriever(settings)
        documents = documents_by_id(settings.corpus_dir)
        scope = Scope.for_documents(documents.values())
        matcher = ClaimMatcher(retriever.embedder, cache_dir=settings.model_cache_dir)
        assistant = cls(settings, retriever, documents, matcher, scope)
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

        banner = self._banner(citations) if is_urgent(text) else None
        open_decision = history.open_decision() if (history is not None and follow_up) else None
        topic = f"{last.topic} {text}" if follow_up else text
        if wants_decision(text) or open_decision is not None:
            result = self._decision(text, open_decision, flowchart, citations)
        else:
            result = self._claim_or_passages(text, topic, citations)
        body, mode, extra = result
        parts = [p for p in (banner, body) if p]
        if follow_up:
            parts.append(msg("answer", "follow_up_note"))
        return Answer(
            question=text,
            mode=mode,
            urgent=banner is not None,
            answer="\n\n".join(parts),
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
    def _banner(self, citations: Citations) -> str:
        refs = section("urgent", "citations")
        numbers = [citations.add_text(r["doc_id"], r["quote"]) for r in refs]
        return f"{msg('urgent', 'banner')} {marks(numbers)}"

    def _decision(self, text: str, open_decision: Turn | None, flowchart: str, citations: Citations):
        stated = extract_facts(text)
        facts = dict(open_decision.facts) if open_decision is not None else {}
        facts.update(stated)
        if open_decision is not None and flowchart == "default":
            flowchart = open_decision.flowchart
        decision = decide(facts, flowchart).to_dict()
        return decision_answer(decision, stated, citations), "decision", {"decision": decision}

    def _claim_or_passages(self, text: str, topic: str, citations: Citations):
        corrected = self.retriever.correct_spelling(topic)
        vector = self.retriever.embedder.embed([corrected])[0]
        match = self.claims.match(text, vector if topic == text else None) if self._may_be_a_claim(text, topic) else None
        if match is not None:
            body = myth_answer(match, citations)
            myth = {"verdict": match.verdict, "statement": match.claim.statement, "claim_id": match.claim.id}
            return body, "myth", {"myth": myth}
        hits = self._in_scope_hits(topic, corrected, vector)
        if hits is None:
            return msg("out_of_scope"), "out_of_scope", {}
        quotes = self._quotes(topic, hits)
        if asks_for_a_number(text) and not answers_with_a_number(quotes, text):
            return msg("out_of_scope"), "out_of_scope", {}  # the passages are on topic, but hold no figure
        body = general_answer(quotes, citations)
        if not body:  # nothing verifiable to quote: say so rather than stretch a passage
            return msg("out_of_scope"), "out_of_scope", {}
        return body, "answer", {}

    def _may_be_a_claim(self, text: str, topic: str) -> bool:
        """A question that asks for a figure ("within how many hours...") is not a yes-or-no claim, and
        one about a law, scheme or body the documents never name ("the National Data Opt-out") is
        not a claim the myth-busting guides judge, however close its words: neither gets a verdict."""
        return not asks_for_a_number(text) and not self.scope.unknown_names(topic)

    def _in_scope_hits(self, topic: str, corrected: str, vector):
        """The passages to quote, or None when the guidance does not answer the question.

        A question that uses a practitioner's term the documents never use ("Sarah's law", "CSE")
        gets a second look in the documents' own words from the lexicon before it is declined:
        the model cannot know such a term, and only the lexicon connects it to the guidance.
        """

        k = max(self.settings.top_k, ANSWER_HITS)
        hits = self.retriever.search(topic, k=k, vector=vector, corrected=corrected)
        if self.scope.in_scope(topic, hits[: self.settings.top_k]):
            return hits
        unmatched = unmatched_names(corrected, self.scope.corpus_has)
        if not unmatched or self.scope.unknown_names(topic):
            return None
        translated = " ".join([corrected, *dict.fromkeys(e.target for e in unmatched)])
        hits = self.retriever.search(translated, k=k, corrected=translated)
        return hits if self.scope.in_scope(topic, hits[: self.settings.top_k]) else None

    def _quotes(self, question: str, hits) -> list:
        """Best sentences from the best passages: two from the first, one from each next, until
        MAX_QUOTES, or MIN_GROUPS distinct statements (the same rule in four documents is one)."""

        quotes: list = []
        for hit in hits:
            room = MAX_QUOTES - len(quotes)
            enough = hit.rank > self.settings.top_k and len(group_quotes(quotes, self.documents)) >= MIN_GROUPS
            if room <= 0 or enough:
                break
            doc = self.documents[hit.passage.doc_id]
            limit = 2 if hit.rank == 1 else 1
            picked = self.picker.pick(question, hit.passage, doc.text, limit=min(limit, room))
            quotes.extend(q for q in picked if all(q.text != other.text for other in quotes if other.doc_id == q.doc_id))
        return quotes
