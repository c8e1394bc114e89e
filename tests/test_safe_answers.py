"""Answers that degrade safely (issue: safe on questions nobody here wrote), on the real index and
model with the learned readers and short answers: a disclosure reaches its outcome with the referral
first; a general question gets quotes, never a lone flowchart question; a restrictive myth gets the
right verdict or none, never the inverse; an urgent message is never declined."""

from __future__ import annotations

import pytest

from assistant.answer.assistant import Assistant

pytestmark = pytest.mark.integration

DECLINED = "don't answer this question"


@pytest.fixture(scope="module")
def assistant(real_settings, real_retriever) -> Assistant:
    from assistant.answer.short_answers import ShortAnswers
    from assistant.ingest.documents import documents_by_id
    from assistant.myths.matcher import ClaimMatcher
    from assistant.scope.answerable import Scope
    from assistant.understand.learned import LearnedReader

    docs = documents_by_id(real_settings.corpus_dir)
    embedder, cache = real_retriever.embedder, real_settings.model_cache_dir
    return Assistant(real_settings, real_retriever, docs, ClaimMatcher(embedder, cache_dir=cache),
                     Scope.for_documents(docs.values()), ShortAnswers(embedder, cache_dir=cache),
                     LearnedReader.load(embedder, cache_dir=cache))


def quoted(result: dict) -> int:
    """How many quotes from the guidance the answer's text shows."""
    return result["answer"].count("“")


@pytest.mark.parametrize("question", [
    "A Year 5 girl told me this morning that her stepdad hits her with a belt. She begged me not to tell her mum. Can I tell social care?",
    "School nurse here: a 14 year old has disclosed that her uncle has been sexually abusing her. Should I share this with children's social care?",
])
def test_a_disclosure_reaches_its_outcome_with_the_referral_first(assistant, question):
    result = assistant.answer(question).to_dict()
    assert result["mode"] == "decision"
    assert result["decision"]["outcome"] == "share"
    text = result["answer"]
    referral = text.lower().find("children's social care")
    assert 0 <= referral < text.find("**Outcome")
    assert result["decision"]["implied"]["legitimate_purpose"]["answer"] == "yes"
    assert quoted(result) >= 2


@pytest.mark.parametrize("question", [
    "Do I need consent to share information about a child?",
    "If I've shared something without the parents' consent, do I have to tell them afterwards?",
    "Who should I ask for advice if I'm not sure whether I can share?",
])
def test_a_general_question_gets_quotes_not_a_lone_flowchart_question(assistant, question):
    result = assistant.answer(question).to_dict()
    assert result["mode"] != "out_of_scope"
    assert quoted(result) >= 2
    first = result["answer"].split("\n\n")[0]
    assert "Is there a clear and legitimate purpose" not in first
    assert not first.startswith("**I need one more answer")


@pytest.mark.parametrize("statement, right", [
    ("You can only share information about a child if the parents agree first.", "myth"),
    ("A GP can never break patient confidentiality unless there's a court order.", "myth"),
    ("As a teacher I can't make a referral without telling the family beforehand.", "myth"),
    ("We must get written consent before sharing anything at all about a child.", "myth"),
    ("No need for me to pass on what I saw, someone else will have reported it.", "myth"),
])
def test_a_restrictive_myth_gets_the_right_verdict_or_none(assistant, statement, right):
    result = assistant.answer(statement).to_dict()
    verdict = (result["myth"] or {}).get("verdict")
    assert verdict in (right, None)
    assert "Yes — the guidance supports this" not in result["answer"]
    assert quoted(result) >= 2


@pytest.mark.parametrize("message", [
    "kid in my class just told me her stepdad is going to finish her when she gets home tonight. what do i do",
    "On a home visit, there's a toddler on his own in the flat and no adults anywhere. I'm outside right now.",
    "A 15 year old just rang saying she's taken a load of tablets and is sitting in the park. She made me promise not to tell her mum.",
    "13 year old didn't come home last night, friends say she got into a car with some older men.",
    # no rule's words of overdose; the learned urgency reading (0.44) with words of now and plain harm
    "14 yo girl has just messaged our youth worker saying she's taken loads of paracetamol and doesn't want anyone to know. what do we do",
])
def test_an_urgent_message_is_never_declined(assistant, message):
    result = assistant.answer(message).to_dict()
    assert result["urgent"] is True
    assert result["mode"] != "out_of_scope"
    assert DECLINED not in result["answer"] and "doesn't answer this" not in result["answer"]
    assert "999" in result["answer"].split("\n\n")[0]


def test_a_question_the_documents_cannot_answer_is_declined_with_what_would(assistant):
    result = assistant.answer("Can I share concerns about an 80 year old man being financially abused, "
                              "under the Care Act? No children involved.").to_dict()
    assert result["mode"] == "out_of_scope"
    assert "adult safeguarding" in result["answer"]


def test_a_question_read_firmly_as_about_something_else_is_declined_unless_asked_like_a_reviewed_line(assistant):
    # passages that seem to match (a family, a notice, a baby) keep no question on eviction law in scope
    assert assistant.answer("Can a private landlord evict a tenant without serving a section 21 notice?").mode == "out_of_scope"
    asked = assistant.answer("new nursery manager here - can someone give me the 7 golden rules for info sharing in "
                             "plain english? need to put them on the staffroom wall").to_dict()
    assert asked["mode"] != "out_of_scope" and quoted(asked) >= 2


def test_a_short_answer_opens_only_where_retrieval_agrees(assistant):
    result = assistant.answer("Do I have to record my decision if I decide not to share?").to_dict()
    opening = result["answer"].split("\n\n")[0]
    assert opening.startswith("**") and "record" in opening.lower()
    unrelated = assistant.answer("What does the guidance say about IT systems like CP-IS?").to_dict()
    assert "record your decision" not in unrelated["answer"].split("\n\n")[0].lower()


def test_a_described_case_is_never_asked_to_tell_what_happened(assistant):
    # read as a described case, with nothing the engine can decide on yet: what it still needs, with why
    result = assistant.answer("School office here. The family's social worker wants the boy's attendance for a "
                              "review meeting. His file also holds his brother's medical letters. Do I send everything?").to_dict()
    assert result["mode"] == "decision" and result["decision"]["outcome"] == "need_more_facts"
    assert "tell me what happened" not in result["answer"]
    assert "needs one more answer" in result["answer"] and quoted(result) >= 2


def test_a_question_worded_like_a_reviewed_line_counts_as_near_enough_to_answer(assistant):
    from assistant.answer.guidance import Read

    def read(text):
        vector = assistant.retriever.embedder.embed([text])[0]
        return Read(text, text, text, vector, assistant.reader.read(vector), False)

    line = assistant.guidance.short.answers[0]
    assert assistant.guidance.asked_like_a_line(read(line.asks[0]))
    assert not assistant.guidance.asked_like_a_line(read("What time does the school canteen open for breakfast?"))


def test_harm_read_in_a_message_put_as_a_question_puts_the_referral_first(assistant):
    # reads more as "am I allowed?" than as a case, but harm to a child is plain: the referral advice
    # leads, never a caution about confidentiality
    result = assistant.answer("I'm a volunteer translator. During a clinic visit the mum told me in our language that "
                              "her partner hits the 4 year old with a belt and leaves marks. Translators keep things "
                              "confidential - can I tell anyone?").to_dict()
    first = result["answer"].split("\n\n")[0]
    assert "children's social care" in first and "confiden" not in first.lower()
    assert quoted(result) >= 2


def test_initials_the_documents_never_use_do_not_keep_a_fitting_short_answer_away(assistant):
    # "EHA" (early help assessment) is a practitioner's initials, not a law or scheme the documents fail to
    # name: the reviewed line on consent for a new purpose opens, with no "doesn't answer this exactly"
    result = assistant.answer("Mum consented last year to us sharing with the EHA team. Now we want to use the "
                              "same info for a different service. Can I rely on the old consent?").to_dict()
    opening = result["answer"].split("\n\n")[0]
    assert opening.startswith("**") and "consent again" in opening
    assert "doesn't answer this exactly" not in result["answer"]


@pytest.mark.parametrize("question", [
    "Nursery manager. A man turned up at the gate saying he's the little boy's uncle and asked which days the child is in and who collects him. We've never seen him before. Can I tell him?",
    "Someone called the surgery saying she was the child's grandmother and wanted to know the family's new address, as mum has stopped answering her calls. Am I allowed to give it?",
])
def test_a_request_from_someone_unchecked_never_reaches_share(assistant, question):
    result = assistant.answer(question).to_dict()
    assert result["mode"] == "decision"
    assert result["decision"]["outcome"] in ("seek_advice", "do_not_share")
    assert "Check who is asking" in result["answer"]
    assert quoted(result) >= 2


@pytest.mark.parametrize("question, early_help", [
    ("Family support worker: dad is struggling with money since losing his job, the kids are well cared for and there are no safeguarding concerns at all. I'd like to put them forward to the family hub. Can I just do it?", True),
    ("Nursery key worker. Mum is finding things hard since the new baby, our 3yo is happy and thriving, no worries about his safety. I'd like to mention it to the health visitor, is that ok?", None),
    ("School business manager. Police emailed asking for everything we hold on a Year 9 girl for a criminal damage investigation, no safeguarding concerns about her at all. Do we send it all?", False),
])
def test_a_case_stating_no_risk_never_opens_with_a_line_that_presumes_one(assistant, question, early_help):
    """No "you should not seek consent where asking would increase the risk" (or any line presuming
    a risk) over a case that states there is none; a referral for support opens with early help
    and consent (its words near that line's), a request from the police never does."""
    from assistant.answer.short_answers import load_case_fit, load_short_answers

    result = assistant.answer(question).to_dict()
    assert result["mode"] == "decision"
    presume_risk = [a.line for a in load_short_answers()
                    if not load_case_fit().fits(a.id, {"significant_harm_risk": "no"})]
    assert not any(result["answer"].startswith(f"**{line}") for line in presume_risk)
    if early_help is not None:  # None: near the line's words' bar, either way is right
        assert ("seek informed, explicit consent" in result["answer"].split("\n")[0]) == early_help
    assert (result["decision"].get("next_question") or {}).get("fact") != "seeking_consent_unsafe"


def test_a_request_for_a_known_childs_whole_file_leads_with_sharing_only_what_is_needed(assistant):
    """A child on a plan, and the question is how much a colleague gets: the line on proportion
    leads, not a fresh referral's wording (the learned "asks" and "known" readers)."""
    result = assistant.answer("DSL at a primary. Our new lunchtime supervisor wants to read the whole child protection "
                              "file on a Year 2 boy who is on a CP plan so she 'knows what she's dealing with'. "
                              "How much should she get?").to_dict()
    text = result["answer"]
    assert text.startswith("**Share only the information necessary for your purpose")
    assert "Refer now" not in text
    assert quoted(result) >= 2


def test_someone_asking_about_a_known_child_gets_need_to_know_first_and_no_go_ahead(assistant):
    result = assistant.answer("Class teacher. A dad at pick-up asked me whether the girl in my class who is on a child "
                              "protection plan has a social worker and what happened at home. Can I tell him?").to_dict()
    assert result["mode"] == "decision"
    assert result["answer"].startswith("**Share relevant information only with those who need to have it")
    assert result["decision"]["outcome"] in ("do_not_share", "seek_advice")
    assert quoted(result) >= 2


def test_a_competent_young_persons_confidence_with_no_risk_reaches_do_not_share(assistant):
    result = assistant.answer("Youth worker. A 16 year old told me she's been seeing a counsellor about exam stress and "
                              "doesn't want her dad to know. No safeguarding concerns at all, she's doing well. Her dad "
                              "has asked me if anything's up. Do I tell him?").to_dict()
    assert result["mode"] == "decision"
    assert result["decision"]["outcome"] == "do_not_share"
    assert "none mentioned" in result["answer"]
    assert quoted(result) >= 2


@pytest.mark.parametrize("statement", [
    "no need for me to ring MASH, school see him every day so they'll have def reported it already",
    "Before ringing MASH about a possible sexual abuse concern re: stepdad I've got to let the family know and get their agreement first, otherwise it's a breach.",
])
def test_a_myth_written_like_a_case_gets_its_verdict_after_the_referral_advice(assistant, statement):
    """A statement of belief with a child at risk in it goes to the flowchart, and still gets its
    verdict there ("No — this is a common myth"), the referral advice first."""
    result = assistant.answer(statement).to_dict()
    assert (result["myth"] or {}).get("verdict") == "myth"
    parts = result["answer"].split("\n\n")
    assert parts[0].startswith("**Refer now")
    assert parts[1].startswith("**No — this is a common myth.**")
    assert quoted(result) >= 2


@pytest.mark.parametrize("question", [
    "How much do I actually share when CSC ring for info? The whole file or just bits of it?",
    "HV, I'm writing a referral to CSC re neglect of a toddler. Should I include mum's termination 10 yrs ago and her sister's bipolar diagnosis? I have both on file",
])
def test_how_much_to_send_is_answered_by_the_line_on_what_is_necessary(assistant, question):
    """How much to share, asked as a question rather than a case: the reviewed line on sharing what
    is necessary and proportionate opens it (after the referral advice where harm is read)."""
    result = assistant.answer(question).to_dict()
    lines = [p for p in result["answer"].split("\n\n") if not p.startswith("**Refer now")]
    assert lines[0].startswith("**Share only the information necessary for your purpose")
    assert quoted(result) >= 2


def test_an_adults_money_taken_is_not_a_childs_emergency(assistant):
    """The urgency rules hear a crime ("her son is taking her money"); the learned readers read it
    plainly not urgent and no risk to a child, so no child-safety banner leads it."""
    result = assistant.answer("Neighbour is 78 and I think her son is taking her pension money. No children involved. "
                              "Can I tell her bank?").to_dict()
    assert result["urgent"] is False
    assert "999" not in result["answer"].split("\n\n")[0]


def test_a_myth_busting_heading_is_never_the_lead_as_if_it_were_the_finding(assistant):
    """A myth-busting guide's headings are the myths: with no verdict, the lead names the heading as
    the myth the guide answers, not as where the guidance "covers" the question."""
    result = assistant.answer("Our systems don't link up with the hospital's so realistically info sharing with "
                              "them isn't possible.").to_dict()
    first = result["answer"].split("\n\n")[0]
    assert not first.startswith("The guidance covers this under **IT systems")
    assert "myth" in first


def test_a_statement_of_belief_gets_no_referral_lead_from_the_risk_readers_alone(assistant):
    result = assistant.answer("health visitor colleague reckons you still need parents consent even to share "
                              "anonymised figures for the partnership dataset").to_dict()
    assert not result["answer"].startswith("**Refer now")
    assert quoted(result) >= 2


@pytest.mark.parametrize("question, line", [
    ("I'm a practice nurse and sometimes I'm genuinely not sure whether to share. who am I meant to ask?",
     "**If unsure, seek advice"),
    ("housing officer - how should i actually send the info to CSC? we only have normal outlook email, is that ok?",
     "**Share information in a secure way"),
])
def test_a_question_a_reviewed_line_answers_opens_with_it(assistant, question, line):
    """Answered from the passages, a question takes the reviewed line retrieval agrees with at
    ASKED_MIN_SIMILARITY (these sat at 0.59-0.60 of their lines' wordings, just under a case's bar)."""
    result = assistant.answer(question).to_dict()
    assert result["answer"].startswith(line)


def test_under_the_referral_advice_the_opening_never_presumes_there_is_no_risk(assistant):
    """A section 47 request with a manager insisting on the parents' consent (round 28's DANGEROUS
    answer opened with "ask a person with parental responsibility"): with harm read, the line on
    getting consent cannot open it; the line a stated risk keys does (consent is not required)."""
    result = assistant.answer("school business manager asked me (office) - a social worker doing a section 47 is "
                              "asking for a Yr 5 child's attendance and any concerns we've logged. Business manager "
                              "says we need the parents written consent first. Do we?").to_dict()
    parts = result["answer"].split("\n\n")
    assert parts[0].startswith("**Refer now")
    assert parts[1].startswith("**Where a child may be at risk of significant harm you can share without consent")
    assert "ask a person with parental responsibility" not in result["answer"].split("Here is what")[0]


def test_a_refusal_with_the_risk_not_yet_known_does_not_lead_with_respecting_the_refusal(assistant):
    from assistant.answer.quotes import SentencePicker

    result = assistant.answer(
        "Paediatric physio. 8-year-old with cerebral palsy; parents have not used his splints for months and he now "
        "has a pressure sore. They refused to let me talk to school or social care. Can I share anyway?").to_dict()
    assert result["mode"] == "decision" and quoted(result) >= 2
    if (result["decision"] or {}).get("facts", {}).get("significant_harm_risk") is None:
        guidance = result["answer"].split("**What the guidance says:**", 1)[-1]
        first = guidance.split("“", 1)[1].split("”", 1)[0]
        assert not SentencePicker.is_caution(first), first  # the next question is the risk: no caution leads


def test_a_question_read_as_about_something_else_but_asked_as_a_reviewed_line_is_answered(assistant):
    """Round 3's h3-018, declined since: the kind reader reads an agency refusing to share as about something
    else (HR, a complaint). Asked as a reviewed short answer's wordings are, it gets that line, not a decline."""
    result = assistant.answer("Another agency keeps refusing to give me the info I need for my assessment. "
                              "Is there anything I can do about it?").to_dict()
    assert result["mode"] != "out_of_scope"
    assert "escalation" in result["answer"].split("\n")[0] and quoted(result) >= 2


def test_a_question_asking_for_an_age_opens_with_the_line_stating_it(assistant):
    """"At what age can a child consent?" asks for a figure: the line that states one opens it (the
    figure guard once barred every line, and 27 such questions in rounds 1-51 opened "The guidance
    covers this under ..."); an age the documents never give is still declined, not given that line."""
    result = assistant.answer("Welfare officer at a climbing wall. Our juniors are 10 to 17. At what age can one of "
                              "them decide for themselves whether we pass their info on?").to_dict()
    assert result["mode"] == "answer"
    assert result["answer"].startswith("**The law sets no age for a child's consent")
    assert quoted(result) >= 2
    declined = assistant.answer("At what age can a child be left home alone legally?").to_dict()
    assert declined["mode"] == "out_of_scope" and "consent" not in declined["answer"].split("\n")[0]
