"""The answer route by route, on the real index and model: several phrasings each, written from the
documents; follow-ups; verified quotes; the JSON contract; nothing identifying returned."""

from __future__ import annotations

import json
import re

import pytest

from assistant.answer.assistant import Assistant
from assistant.answer.conversation import Conversation
from assistant.errors import BadInput
from assistant.verbatim import matches_span

pytestmark = pytest.mark.integration

CONTRACT_KEYS = {"question", "mode", "urgent", "answer", "citations", "myth", "decision", "warnings"}


@pytest.fixture(scope="module")
def assistant(real_settings, real_retriever) -> Assistant:
    from assistant.ingest.documents import documents_by_id
    from assistant.myths.matcher import ClaimMatcher
    from assistant.scope.answerable import Scope

    docs = documents_by_id(real_settings.corpus_dir)
    return Assistant(real_settings, real_retriever, docs, ClaimMatcher(real_retriever.embedder), Scope.for_documents(docs.values()))


def assert_citations_verified(result: dict, assistant: Assistant) -> None:
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", result["answer"])}
    assert numbers <= {c["n"] for c in result["citations"]}, "every [n] in the text has a citation"
    for c in result["citations"]:
        text = assistant.documents[c["doc_id"]].text
        assert matches_span(text, c["quote_start"], c["quote_end"], c["quote"])
        assert c["quote"] in c["passage"] or c["quote"].split()[0] in c["passage"]
        assert c["doc_title"] and c["date"]


@pytest.mark.parametrize(
    "question",
    [
        "A pupil has just told me her stepdad is going to hurt her tonight. What do I do?",
        "There's a man outside the school gates right now threatening a child with a knife",
        "A 12-year-old has just disclosed that she is being sexually abused at home and is scared to go back tonight",
    ],
)
def test_urgent_danger_puts_the_banner_first(assistant, question):
    result = assistant.answer(question).to_dict()
    assert result["urgent"] is True
    assert result["answer"].startswith(result["banner"])
    assert "999" in result["banner"]
    quotes = " ".join(c["quote"] for c in result["citations"])
    assert "the police should be notified immediately" in quotes
    assert_citations_verified(result, assistant)


def test_a_child_asking_for_a_promise_of_secrecy_gets_what_to_say_under_the_banner(assistant):
    result = assistant.answer("A boy in my class has just said he'll tell me something bad but only if I promise "
                              "not to tell anyone. What do I say to him?").to_dict()
    assert result["urgent"] is True and result["answer"].startswith(result["banner"])
    assert "don't promise" in result["banner"] and "999" in result["banner"]
    quotes = " ".join(c["quote"] for c in result["citations"])
    assert "Be open and honest with the individual" in quotes
    assert_citations_verified(result, assistant)
    other = assistant.answer("A pupil has just told me her stepdad is going to hurt her tonight. What do I do?").to_dict()
    assert other["urgent"] is True and "don't promise" not in other["banner"]  # only where secrecy is asked for


@pytest.mark.parametrize(
    "question",
    ["What are the seven golden rules?", "What does the guidance say about recording decisions?", "Who is the Caldicott Guardian?"],
)
def test_non_urgent_questions_have_no_banner(assistant, question):
    result = assistant.answer(question).to_dict()
    assert result["urgent"] is False and result["banner"] is None


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("Can I tell the GP about the bruises on a pupil? Her parents said no.", {"consent": "no"}),
        ("Should I pass this to the police? There is a court order asking for the records.", {"statutory_duty": "yes"}),
        ("Am I allowed to share anonymised figures about this family's case with the council for a report?", {"identifiable": "no"}),
        ("Is it OK to ring children's social care about a child who I think is being abused?", {"significant_harm_risk": "yes"}),
    ],
)
def test_concrete_decisions_go_to_the_engine(assistant, question, facts):
    from assistant.decision.engine import decide

    result = assistant.answer(question).to_dict()
    assert result["mode"] == "decision"
    decision = result["decision"]
    assert facts.items() <= decision["facts"].items()
    assert decision == decide(decision["facts"]).to_dict(), "the outcome is the engine's, nothing else"
    outcome_words = {"share": "you can share", "do_not_share": "do not share", "seek_advice": "seek advice",
                     "need_more_facts": "one more answer"}
    assert outcome_words[decision["outcome"]] in result["answer"]
    for other, words in outcome_words.items():
        if other != decision["outcome"]:
            assert f"Outcome: {words}" not in result["answer"]
    assert_citations_verified(result, assistant)


def test_a_decision_with_all_facts_reaches_an_outcome_with_conditions(assistant):
    question = (
        "Can I share information with children's social care about a pupil at risk of significant harm? "
        "It is for a child protection referral and her mum refused consent."
    )
    result = assistant.answer(question).to_dict()
    assert result["mode"] == "decision"
    assert result["decision"]["outcome"] in {"share", "need_more_facts"}
    assert result["decision"]["outcome"] != "do_not_share"


@pytest.mark.parametrize(
    "question",
    [
        "GDPR stops me sharing information about children",
        "Doesn't data protection law stop me passing on information?",
        "Don't I always need consent before I share anything?",
        "IT systems get in the way of sharing information, don't they?",
        "Personal information collected by one organisation can't be given to another, can it?",
    ],
)
def test_myths_are_busted_with_the_myth_busting_passage(assistant, question):
    result = assistant.answer(question).to_dict()
    assert result["mode"] == "myth", result["answer"][:200]
    assert result["myth"]["verdict"] == "myth"
    assert result["answer"].startswith("**No — this is a common myth.**")
    assert any("yth" in c["section"] for c in result["citations"]), "cites the myth-busting guide"
    assert_citations_verified(result, assistant)


@pytest.mark.parametrize(
    "question",
    ["I should record a decision not to share", "I should keep a record of why I decided not to share information"],
)
def test_true_statements_get_yes(assistant, question):
    result = assistant.answer(question).to_dict()
    assert result["mode"] == "myth" and result["myth"]["verdict"] == "true"
    assert result["answer"].startswith("**Yes")


@pytest.mark.parametrize(
    "question",
    [
        "What's a good recipe for a vegetarian lasagne?",
        "How do I reset my Outlook password?",
        "How does the GIRFEC named person scheme work in Scotland?",
        "What are the Care Act 2014 eligibility criteria for adult social care?",
        "What is the maximum fine the ICO can issue for a GDPR breach?",
    ],
)
def test_out_of_scope_is_said_plainly(assistant, question):
    result = assistant.answer(question).to_dict()
    assert result["mode"] == "out_of_scope"
    assert result["citations"] == []
    # Said plainly, with who would answer it (a lead, or for a known topic what covers it instead).
    assert "lead" in result["answer"]


@pytest.mark.parametrize(
    ("question", "expect"),
    [
        ("What should I do if I am unsure whether to share?", "advice"),
        ("How should information be shared securely?", "secur"),
        ("What does the Child Sex Offender Disclosure Scheme do?", "disclos"),
        ("what r the golden ruls", "golden rules"),  # the misspelt question still finds the rules
        ("How long does the receiving authority have to decide about a transferred case?", "15 days"),
    ],
)
def test_general_questions_are_answered_with_quotes(assistant, question, expect):
    result = assistant.answer(question).to_dict()
    assert result["mode"] == "answer"
    statements = [line for line in result["answer"].splitlines() if line.startswith("- **")]
    assert 2 <= len(result["citations"]) and 1 <= len(statements) <= 5  # a quoted list's items are cited one by one
    assert expect in " ".join(f'{c["quote"]} {c["section"]}' for c in result["citations"]).lower()  # said, or where
    opening, rest = result["answer"].split("\n\n", 1)
    assert opening.startswith(("The guidance covers this under", "**"))  # one line that answers or says where
    assert rest.startswith("Here is what")
    assert_citations_verified(result, assistant)


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [("sarahs law how does it work", "calderdale"), ("What is Clare's law?", "calderdale")],
)
def test_names_the_documents_never_use_are_read_in_the_documents_words(assistant, question, doc_id):
    result = assistant.answer(question).to_dict()
    assert result["mode"] == "answer"
    assert any(c["doc_id"] == doc_id and "Disclosure Scheme" in c["section"] for c in result["citations"])


def test_legal_currency_note_on_superseded_law(assistant):
    result = assistant.answer("What are the data protection principles in the 2006 guide?").to_dict()
    old = [c for c in result["citations"] if c["doc_id"] in {"hmg-2006", "hertfordshire"}]
    assert old and all(any("1998" in n["note"] or "2006" in n["note"] for n in c["legal_notes"]) for c in old)
    current = [c for c in result["citations"] if c["doc_id"] == "childrens-mars"]
    assert all(c["legal_notes"] == [] for c in current)


def test_follow_up_is_read_with_the_previous_question(assistant):
    history = Conversation()
    first = assistant.answer("Do I need consent to share information about a child?", history)
    assistant.remember(history, first)
    follow = assistant.answer("What if she's 15?", history)
    assert follow.follow_up is True
    assert "consent" in follow.topic.lower() and "15" in follow.topic
    alone = assistant.answer("What if she's 15?")
    assert alone.follow_up is False


def test_follow_up_changes_the_open_decision(assistant):
    history = Conversation()
    first = assistant.answer("Can I tell the school nurse that this pupil's dad is misusing drugs? It is to safeguard her.", history)
    assert first.mode == "decision"
    assistant.remember(history, first)
    follow = assistant.answer("and if the parents refuse?", history)
    assert follow.mode == "decision" and follow.follow_up
    assert follow.decision["facts"]["consent"] == "no"
    for fact, value in first.decision["facts"].items():
        if fact != "consent":
            assert follow.decision["facts"][fact] == value, "earlier facts are kept"


def test_personal_data_is_redacted_and_warned(assistant):
    question = "Can I tell the GP about Jade Smith, NHS number 943 476 5919, who lives at HX1 1UJ? Her mum's phone is 07700 900123."
    result = assistant.answer(question).to_dict()
    dumped = json.dumps(result, ensure_ascii=False)
    for identifier in ("Jade Smith", "943 476 5919", "HX1 1UJ", "07700 900123"):
        assert identifier not in dumped
    assert result["warnings"] and "identif" in result["warnings"][0].lower()


def test_contract_shape_for_every_mode(assistant):
    for question in ("GDPR stops me sharing", "Can I tell the police about this family?", "recipe for lasagne", "What is the public interest test?"):
        result = assistant.answer(question).to_dict()
        assert CONTRACT_KEYS <= set(result)
        assert result["mode"] in {"answer", "myth", "decision", "out_of_scope"}
        assert (result["myth"] is not None) == (result["mode"] == "myth")
        assert (result["decision"] is not None) == (result["mode"] == "decision")
        json.dumps(result)


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01", "???"])
def test_empty_questions_are_a_clear_error(assistant, bad):
    with pytest.raises(BadInput):
        assistant.answer(bad)


def test_overlong_question_is_truncated_with_a_warning(assistant):
    result = assistant.answer("Can information be shared without consent? " * 1000).to_dict()
    assert any("very long" in w for w in result["warnings"])
    assert len(result["question"]) <= assistant.settings.max_question_chars


@pytest.mark.parametrize(
    "question",
    [
        "Within how many hours must we report a personal data breach to the ICO?",
        "Does the NHS National Data Opt-out stop a GP sharing a child's records?",
    ],
)
def test_a_figure_or_an_unknown_scheme_gets_no_myth_verdict(assistant, question):
    result = assistant.answer(question).to_dict()
    assert result["myth"] is None
    assert result["mode"] == "out_of_scope"


def test_a_myth_phrased_around_a_known_act_still_gets_its_verdict(assistant):
    result = assistant.answer("Doesn't the Human Rights Act stop me sharing personal information?").to_dict()
    assert result["mode"] == "myth" and result["myth"]["verdict"] == "myth"
