"""Tests for question routing (assistant/understand/urgency.py, intent.py, follow_up.py): urgency, decision intent, follow-ups.

The phrasings are our own, written from the rules in the module docstring; the eval cases
(eval/cases/urgent.yaml, decisions.yaml) are a separate, held-out check and are not copied here.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.config import PROJECT_ROOT
from assistant.errors import CorpusError
from assistant.understand.facts import extract_facts, fact_rules
from assistant.understand.follow_up import is_follow_up
from assistant.understand.intent import wants_decision
from assistant.understand.normalise import normalise
from assistant.understand.route_rules import rules
from assistant.understand.rules import DATA_FILE
from assistant.understand.urgency import is_urgent, urgent_reason

URGENT = [
    "A 9 year old has just asked me to promise not to tell anyone before she tells me something. What do I do?",
    # the child's own words in quotation marks are no imagined case ("if you ...")
    "Lad on my team said he'll tell me something 'but only if you promise not to tell anyone'. What do I say right now?",
    "she just begged me to swear i wont tell her mum, then showed me the marks",
    "My pupil has just told me her stepfather punched her and she doesn't want to go home tonight.",
    "There's a teenager in reception with a knife saying he'll stab his brother.",
    "A lad in year 9 says his mum's partner is going to kill him when he gets home.",
    "I'm on a home visit and the baby is being shaken by dad - what should I do?",
    "One of my students has just disclosed that she was raped at the weekend.",
    "[NAME] has gone missing from her foster placement and hasn't been seen since last night.",
    "A child at our nursery has burns on her hands and says her mum did it this morning.",
    "Dad has just turned up at school drunk and is shouting that he's taking the kids.",
    "A 13-year-old has messaged me saying she's taken an overdose.",
    "Mum has just phoned to say her ex is outside the house with a gun and the children are inside.",
    "Right now a man is hitting a child in the playground opposite our centre.",
    "I can hear a child screaming next door at this moment and a man shouting.",
    "A pupil is scared to go home because her dad beat her last night.",
    "Please help, a boy in my class says he'll get hurt if he goes home tonight.",
    "A young person has just told me he is being forced to sell drugs and has to make a drop tonight.",
    "My client says her partner will hurt the baby when he gets back.",
    "A 4-year-old has been left on his own in the flat since this morning.",
    "A girl in our youth club is in danger - her uncle is waiting for her outside.",
    "We've just learned a 15-year-old is being sexually exploited and is meeting the men tonight.",
    "A child has turned up at the clinic with a black eye saying her step-mum punched her an hour ago.",
    "Just now a student confided that her sister is going to be taken abroad for FGM.",
    "A toddler is alone in a car in the supermarket car park and it's boiling.",
    "He has just said he wants to kill himself tonight.",
    "There's a man trying to drag a child into a van outside the school gates.",
    "A nine-year-old hasn't come home from school and no one knows where she is.",
    "A 14-year-old just texted me from a stranger's car, she doesn't know where she is and now her phone is off.",
    "Client in my chair just said her baby's at home asleep on her own, she's 9 months, she'll be fine.",
    "Our pupil says mum's boyfriend has a knife at home and has threatened to use it on her.",
    "A girl is being hurt by her father right now, I'm on the phone with her.",
    "dad says he'll kill her when she gets home, what does the law say I should do?",
    "the guidance aside, a child is at immediate risk in my office now",
]

NOT_URGENT = [
    "What does immediate danger mean in the guidance?",
    "Is a child who is scared to go home always at immediate risk?",
    "We're running a training session tonight on responding to disclosures - what are the key points?",
    "Right now I'm writing our safeguarding policy; does it need to mention knives?",
    "If a pupil says someone is going to hurt them, can I share that without consent?",
    "Should the police always be called immediately when a crime is suspected?",
    "Is there a duty to tell the police straight away about an emergency?",
    "Today I'd like to understand the seven golden rules.",
    "The family moved away last term and the old school doesn't know where the new school is.",
    "Tonight's webinar is about domestic abuse and information sharing; what should I read first?",
    "A boy was hit by his father three years ago; can I share the old file with the new school?",
    "Last year a pupil disclosed sexual abuse. Can I mention it in a reference?",
    "How quickly must a referral be made when a child is at risk of significant harm?",
    "What counts as an emergency for sharing without consent?",
    "In an emergency, who should I phone first?",
    "The flowchart says to share immediately if a child is in danger - is that right?",
    "Can you explain what 'at immediate risk' means right now, I have an exam?",
    "My manager needs the report on missing children by tonight.",
    "I'm worried I'll get into trouble tonight if I share too much.",
    "We had a fire drill this morning. Unrelated: what's the lawful basis for sharing health data?",
    "A family I support has moved to another county; should I pass on their file?",
    "Are schools allowed to share information about a child who was abused years ago?",
    "What should happen if a young person goes missing from care?",
    "Is a knife crime awareness course something the guidance covers?",
    "My son's school keeps emailing me right now about a consent form.",
    "The mum told me in confidence last month that she used to be hit by her own father as a child.",
    "Currently our team shares referrals by secure email; is that compliant?",
    "Do I need to act immediately if a parent has a history of violence?",
    "She is scared that she'll fail her exams tomorrow morning.",
    "Tonight is parents' evening; can I tell mum about the bullying?",
    "Does the threat of harm have to be imminent for the police to be called?",
    "Urgently need to know: what are the six key points?",
    "If I think a child is in immediate danger, who do I call?",
]

DECISION = [
    "Can I tell the school nurse that this pupil has been self-harming?",
    "Should I pass what she told me on to children's social care?",
    "Am I allowed to email his GP about the bruises?",
    "Is it OK for me to ring her mum and let her know what's happening?",
    "Can we share the family's address with the housing officer?",
    "Should I report this to the police?",
    "Do I have to tell the parents before I make a referral for their daughter?",
    "May I disclose my client's diagnosis to her employer?",
    "Would it be OK to send the health visitor a copy of my notes on the baby?",
    "Could I mention the concerns about [NAME] at the core group meeting?",
    "Must I inform the school that the boy's father has been arrested?",
    "I want to tell her social worker what she said - is that allowed?",
    "Should her GP be told about the overdose?",
    "Can this be passed on to the new school?",
    "Do I need mum's consent to speak to the child's teacher?",
    "Is it a breach of GDPR to share a pupil's records with the police?",
    "We're thinking of telling the youth offending team about his gang links - can we?",
    "I'm not sure whether to tell the dad about his son's counselling.",
    "Who should I share this disclosure with?",
    "Can I let the nursery know that the family is moving?",
    "Should I phone the police about what the boy told me?",
    "Am I able to give my notes on the family to the solicitor?",
    "Can I forward the email about her to the safeguarding lead?",
    "Should we alert the receiving authority that the family has moved?",
    "Is it appropriate to discuss her case with a colleague from another agency?",
    "Can I share an anonymised summary of this case at a conference?",
    "A 14-year-old told me she's pregnant. Can I tell her parents?",
    "Should I tell the police?",
    "Can I refer the family to early help without their agreement?",
    "Do I have to share my patient's notes with the court?",
    "I'm a school nurse. Can I share a pupil's medical information with her head of year?",
    "Should I contact his mum about the injury?",
    "My client asked me to pass her records to her new GP. Can I?",
    "Can our school share the boy's attendance record with the police?",
    "Her dad is asking for a copy of the report. Should I go ahead?",
]

NOT_DECISION = [
    "What does the guidance say about consent?",
    "When can information be shared without consent?",
    "What are the seven golden rules?",
    "Can information be shared without consent?",
    "Can practitioners share information with the police?",
    "Can I share information without consent?",
    "Is it ever OK to tell a parent what their child said in confidence?",
    "Should I always get consent before sharing?",
    "What is the public interest test?",
    "Do schools have to share information with children's social care?",
    "What are the lawful bases for sharing under GDPR?",
    "How should information be shared securely?",
    "If a child tells me a secret, can I tell their parents?",
    "Under what circumstances can I disclose confidential information?",
    "Can we share data with other agencies?",
    "Who is the Caldicott guardian?",
    "Is consent always needed to share?",
    "What does 'significant harm' mean?",
    "Explain the six key points.",
    "Do I need consent to share information with the police?",
    "How do I record a decision to share?",
    "What happens if I share information by mistake?",
    "In general, should teachers tell parents about referrals?",
    "What should I consider before sharing information?",
    "Can personal data be shared across local authority borders?",
    "Are GPs allowed to share information with schools?",
    "When should a practitioner seek advice about sharing?",
    "Is it OK to share information with other professionals?",
    "Does the Data Protection Act stop me sharing information?",
    "What if parents refuse consent for a referral?",
    "Can I share records with another local authority?",
    "Must parents be told before every referral?",
    "How should I send it securely?",
    "What should we be alert to with exploitation?",
    "Can I just assume someone else will pass it on?",
    "Can I?",
]

FOLLOW_UP = [
    "What if she's 15?",
    "and if the parents refuse?",
    "what about the police?",
    "and if he's 17",
    "what if they say no",
    "same question but for a GP",
    "But what if there's a court order?",
    "Does that change if she's already told her mum?",
    "Is that still true for a 16-year-old?",
    "For a health visitor?",
    "Even without consent?",
    "Can I share it?",
    "Why not?",
    "OK, and what if the information is anonymised before I send it?",
    "Same question again, but this time the dad is the one asking for the records",
]

NOT_FOLLOW_UP = [
    "What are the seven golden rules?",
    "Can I share information about a pupil with the police?",
    "When can information be shared without consent?",
    "What does the guidance say about consent?",
    "Is there an emergency exception to getting consent?",
    "What if a child tells me something in confidence and asks me not to tell anyone at all?",
    "A pupil told me her dad hits her. Should I tell children's social care?",
    "consent?",
    "How do I share information securely with another agency?",
    "Who should I contact for advice about sharing information?",
    "What is the difference between the 2006 and 2018 flowcharts?",
    "Is it true that consent must always be written down?",
    "clare's law how does it work",
    "is it ok if i tell mum what her daughter said in counselling",
    "What should I say if a child asks me to promise not to tell?",
    "What do I say if a child says 'promise you won't tell' right now in a lesson?",  # the writer's own "if"
    "Last year a pupil made me promise not to tell and I kept it.",
]


@pytest.mark.parametrize("text", URGENT)
def test_urgent(text: str) -> None:
    assert is_urgent(text), text
    assert urgent_reason(text) in {r.name for r in rules().urgent}


@pytest.mark.parametrize("text", NOT_URGENT)
def test_not_urgent(text: str) -> None:
    assert not is_urgent(text), (text, urgent_reason(text))


@pytest.mark.parametrize("text", DECISION)
def test_decision(text: str) -> None:
    assert wants_decision(text), text


@pytest.mark.parametrize("text", NOT_DECISION)
def test_not_decision(text: str) -> None:
    assert not wants_decision(text), text


@pytest.mark.parametrize("text", FOLLOW_UP)
def test_follow_up(text: str) -> None:
    assert is_follow_up(text), text


@pytest.mark.parametrize("text", NOT_FOLLOW_UP)
def test_not_follow_up(text: str) -> None:
    assert not is_follow_up(text), text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("He's waving a machete at the kids.", "weapon"),
        ("She is being beaten by her brother.", "harm_in_progress"),
        ("A 13-year-old says mum is on the kitchen floor not waking up.", "harm_in_progress"),  # unconscious, in other words
        ("The baby's dad is unresponsive on the sofa and she can't wake him.", "harm_in_progress"),
        ("Her dad says he's going to hurt her.", "threat_of_harm"),
        ("He said 'if she stops me seeing them I'll finish her and the kids and then me'.", "threat_of_harm"),  # kill, in other words
        ("A boy has just told me his uncle touched him.", "fresh_disclosure"),
        ("My pupil won't go home.", "cannot_go_home"),
        ("The 12-year-old is still missing.", "missing"),
        ("She says she took an overdose.", "self_harm"),
        ("A girl was bundled into a car.", "abduction"),
        ("A baby has been left alone in the house.", "left_alone"),
        ("The boy is at immediate risk.", "immediate_risk"),
        ("Her mum slapped her this morning.", "recent_assault"),
        ("He has bruises and says his dad did it today.", "recent_injury"),
        ("The kids are at home with a drunk man tonight.", "danger_now"),
    ],
)
def test_each_rule_names_its_reason(text: str, reason: str) -> None:
    assert urgent_reason(text) == reason


def test_injury_without_an_account_is_not_urgent() -> None:
    # Documented choice: bruises noticed today are a same-day concern, not an emergency,
    # unless the child says how they happened.
    assert not is_urgent("I noticed bruises on her arm today.")
    assert is_urgent("I noticed bruises on her arm today and she says her dad did it.")


def test_urgency_survives_a_general_tail_when_anchored() -> None:
    assert is_urgent("A pupil has just told me her dad hit her; what does the policy say?")
    assert not is_urgent("What does the policy say if a child is being hit?")


def test_normalise_folds_quotes_dashes_and_case() -> None:
    assert normalise("  He’s  SCARED – “now”\n") == "he's scared - \"now\""
    assert is_urgent("He’ll be beaten if he goes home")


def test_redacted_placeholders_are_people() -> None:
    assert wants_decision("Can I tell [NAME]'s teacher?")
    assert is_urgent("[NAME] has just told me she is being hurt at home.")


def test_every_rule_is_compiled_once() -> None:
    assert rules() is rules()
    assert len(rules().urgent) >= 10


def test_bad_data_file_is_a_corpus_error(tmp_path: Path) -> None:
    good = DATA_FILE.read_text(encoding="utf-8")
    unknown_name = tmp_path / "unknown.yaml"
    unknown_name.write_text(good.replace("veto_abstract: <<abstract>>", "veto_abstract: <<nope>>"))
    with pytest.raises(CorpusError, match="unknown vocabulary name"):
        rules(unknown_name)
    extra_key = tmp_path / "extra.yaml"
    extra_key.write_text(good.replace("urgent:\n", "urgent:\n  surprise: x\n", 1))
    with pytest.raises(CorpusError, match="surprise"):
        rules(extra_key)
    bad_regex = tmp_path / "regex.yaml"
    bad_regex.write_text(good.replace("anchor: <<anchor>>", "anchor: '(unclosed'"))
    with pytest.raises(CorpusError, match="bad pattern"):
        rules(bad_regex)


@pytest.mark.parametrize("function", [is_urgent, wants_decision, is_follow_up, extract_facts])
def test_fast_enough(function) -> None:
    # CPU time (not wall time) and the best of five rounds, so a busy machine does not fail it.
    texts = URGENT + NOT_URGENT + DECISION + NOT_DECISION
    function("warm up")
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for text in texts:
            function(text)
        best = min(best, (time.process_time() - start) / len(texts))
    assert best < 0.0002, f"{best * 1e3:.3f} ms per call"


WORDS = (
    "she he her his mum dad child pupil baby [name] has just told me is being hurt hit going to "
    "kill knife tonight right now not no never agreed refused consent court order at risk of "
    "significant harm in confidence anonymised names removed can i should we tell share pass on "
    "the police if a what about and but 's 're it's won't go home missing abuse neglect"
).split()
SEPARATORS = st.sampled_from([" ", " ", " ", ", ", ". ", "? ", "'", "-", ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), SEPARATORS), max_size=25))
def test_fast_rules_match_exactly_like_the_written_patterns(pieces) -> None:
    """Rule's shortcuts (leading \\b checked in Python, needed strings) change nothing."""
    text = "".join(w + sep for w, sep in pieces)
    compiled = rules()
    every = [
        *(p for rule in compiled.urgent for p in rule.patterns),
        compiled.anchor, compiled.frame_verb, compiled.case_object, compiled.fu_opener,
        *(rule for _, _, rule in fact_rules().patterns),
    ]
    for rule in every:
        plain = re.compile(rule.source)
        assert [m.span() for m in rule.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], rule.source[:60]


def test_thread_safe_and_deterministic() -> None:
    texts = URGENT + NOT_URGENT + DECISION + NOT_DECISION + FOLLOW_UP + NOT_FOLLOW_UP
    expected = [(is_urgent(t), wants_decision(t), is_follow_up(t)) for t in texts]
    results: list[list[tuple[bool, bool, bool]]] = []

    def work() -> None:
        results.append([(is_urgent(t), wants_decision(t), is_follow_up(t)) for t in texts])

    threads = [threading.Thread(target=work) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results == [expected] * 6


def test_import_is_light() -> None:
    code = (
        "import sys, assistant.understand.urgency, assistant.understand.facts as f\n"
        "f.extract_facts('she said no'); assistant.understand.urgency.is_urgent('x')\n"
        "heavy = {'torch', 'chromadb', 'llama_index', 'streamlit', 'sentence_transformers'}\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def _eval_file(name: str) -> dict:
    import yaml

    path = PROJECT_ROOT / "eval" / "cases" / name
    if not path.exists():
        pytest.skip(f"{name} not written yet")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_held_out_eval_cases_stay_accurate() -> None:
    """A regression floor on the held-out eval files (written by another helper, not tuned on
    word by word): urgency and routing accuracy must stay at 95% or better."""
    urgent = _eval_file("urgent.yaml")["cases"]
    decisions = _eval_file("decisions.yaml")
    hits = sum(is_urgent(c["text"]) == c["urgent"] for c in urgent)
    assert hits / len(urgent) >= 0.95
    routed = decisions["routing"] + [
        {"question": c["question"], "route_to_engine": True} for c in decisions["scenarios"]
    ]
    hits = sum(wants_decision(c["question"]) == c["route_to_engine"] for c in routed)
    assert hits / len(routed) >= 0.95


@pytest.mark.parametrize("text, now", [
    ("14 yo girl has just messaged our youth worker saying she's taken loads of paracetamol", True),
    ("her dad is outside the school gate right now", True),
    ("a girl told me last year that her dad hit her", False),
    ("if a child says they have just been hit, what should I do?", False),
])
def test_words_of_now_are_read_but_not_a_hypothetical(text, now):
    from assistant.understand.urgency import says_now

    assert says_now(text) is now


@pytest.mark.parametrize("text, disclosed", [
    ("childminder - 4yo just told me 'daddy squeezed my neck' and dad collects her in half an hour", True),
    ("a Year 5 boy disclosed this morning that his uncle touches him", True),
    ("a girl told me last year that her dad hit her", False),
    ("if a child has just told you they are being hurt, what should you do?", False),
])
def test_the_words_of_a_fresh_disclosure_are_read_whatever_harm_it_names(text, disclosed):
    from assistant.understand.urgency import disclosed_now

    assert disclosed_now(text) is disclosed


def test_finishing_a_task_is_no_threat() -> None:
    assert urgent_reason("Dad said he'll finish the kids' bedroom this weekend.") is None
    assert urgent_reason("Mum said she will end them with the counsellor next week.") is None
