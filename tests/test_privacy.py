"""Tests for the personal-data guard (assistant/privacy.py)."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.config import PROJECT_ROOT, Settings
from assistant.ingest.documents import load_documents
from assistant.privacy.screen import Screened, redact, screen
from assistant.privacy.patterns import Finding, nhs_number_is_valid

PLACEHOLDER = {
    "name": "[NAME]",
    "nhs_number": "[NHS NUMBER]",
    "ni_number": "[NI NUMBER]",
    "postcode": "[POSTCODE]",
    "phone": "[PHONE]",
    "email": "[EMAIL]",
    "date_of_birth": "[DATE OF BIRTH]",
}

# (kind, message, the identifying substring that must disappear)
POSITIVES = [
    ("nhs_number", "Her NHS number is 943 476 5919.", "943 476 5919"),
    ("nhs_number", "NHS no 9434765919 on the letter", "9434765919"),
    ("nhs_number", "nhs: 943-476-5919", "943-476-5919"),
    ("nhs_number", "Patient 401 023 2137 was seen", "401 023 2137"),
    ("nhs_number", "see Section 47 943 476 5919 file", "943 476 5919"),
    ("ni_number", "His NI number is AB 12 34 56 C", "AB 12 34 56 C"),
    ("ni_number", "NINO JG103759A please", "JG103759A"),
    ("ni_number", "ni no. ab123456c", "ab123456c"),
    ("ni_number", "National Insurance CE 123456 D", "CE 123456 D"),
    ("ni_number", "NI number JG 10 37 59 (no letter)", "JG 10 37 59"),
    ("postcode", "They live at HX1 1UJ now", "HX1 1UJ"),
    ("postcode", "Address: 10 Downing St, SW1A 2AA", "SW1A 2AA"),
    ("postcode", "moved to sw1a 1aa last week", "sw1a 1aa"),
    ("postcode", "postcode M1 1AE", "M1 1AE"),
    ("postcode", "the family at B33 8TH", "B33 8TH"),
    ("postcode", "HX11UJ is the address", "HX11UJ"),
    ("phone", "Mum's mobile is 07700 900123.", "07700 900123"),
    ("phone", "call dad on +44 7700 900123", "+44 7700 900123"),
    ("phone", "the house phone 01422 393000", "01422 393000"),
    ("phone", "ring (01422) 393 000 after 3", "(01422) 393 000"),
    ("phone", "text 07700900123 tonight", "07700900123"),
    ("phone", "London number 020 7946 0018", "020 7946 0018"),
    ("phone", "+44 (0)7700 900123 is hers", "7700 900123"),
    ("phone", "mum 07700 900123 07700 900124 dad", "07700 900123"),
    ("email", "Email jade.smith@example.co.uk about it", "jade.smith@example.co.uk"),
    ("email", "from J_Smith+school@school.sch.uk.", "J_Smith+school@school.sch.uk"),
    ("email", "MUM@EXAMPLE.COM wrote to me", "MUM@EXAMPLE.COM"),
    ("date_of_birth", "DOB 12/03/2011, lives with nan", "12/03/2011"),
    ("date_of_birth", "D.O.B.: 12.03.2011", "12.03.2011"),
    ("date_of_birth", "date of birth 3 March 2012", "3 March 2012"),
    ("date_of_birth", "she was born on 3rd March 2012", "3rd March 2012"),
    ("date_of_birth", "born 2011-03-12 in Leeds", "2011-03-12"),
    ("date_of_birth", "his birthday is 14 February", "14 February"),
    ("date_of_birth", "dob 12/3/11", "12/3/11"),
    ("date_of_birth", "The child (31/12/2010) disclosed", "31/12/2010"),
    ("date_of_birth", "born in March 2009", "March 2009"),
    ("date_of_birth", "she was born on the 3rd of March 2012", "3rd of March 2012"),
    ("name", "A girl called Jade Smith told me", "Jade Smith"),
    ("name", "a boy named Tom is being hit", "Tom"),
    ("name", "her name is Amira and she's 12", "Amira"),
    ("name", "My pupil Jade Smith has bruises", "Jade Smith"),
    ("name", "my pupil Kacper said his dad hits him", "Kacper"),
    ("name", "I spoke to Mrs Okafor yesterday", "Okafor"),
    ("name", "Dr. Patel at the surgery asked", "Patel"),
    ("name", "I think Jade Smith's mum knows", "Jade Smith"),
    ("name", "Can I tell Liam O'Brien-Walsh about it?", "O'Brien-Walsh"),
    ("name", "Should I tell Siân Williams at school?", "Siân Williams"),
    ("name", "I'm worried about her mum Sarah", "Sarah"),
    ("name", "I'm worried that Chloe Anne Price is at risk", "Chloe Anne Price"),
    ("name", "Jade Smith told me her dad hits her", "Jade Smith"),
    ("name", "The mum (Sarah) told me", "Sarah"),
    ("name", "my pupil, Kacper, said", "Kacper"),
    ("name", "name: Jade", "Jade"),
]

# Ordinary practitioner questions: nothing in them identifies anyone.
CLEAN = [
    "Can I tell the GP about a child's injury?",
    "Our Explorer Scout district wants a report on how many concerns we had.",  # a section, not a name (round 53)
    "The homework club runs Mon-Fri, 3.30 to 5.",  # days, not a name (round 56)
    "What does Working Together 2018 say?",
    "Does GDPR stop me sharing with Children's Social Care?",
    "Is the Data Protection Act 1998 still in force?",
    "What is the Caldicott Guardian for?",
    "Tell me about Prevent and the Mental Capacity Act",
    "A 15 year old told me she is pregnant. Do I need consent to tell her parents?",
    "Should I make a Section 47 referral or is this Section 17?",
    "When should I call 999 rather than 101?",
    "What does paragraph 4.32 of the 2006 guide say?",
    "The GDPR came into force on 25 May 2018. What changed for schools?",
    "Do I need consent to share with the Multi-Agency Safeguarding Hub?",
    "What are the seven golden rules for information sharing?",
    "Can a teacher share concerns with the school nurse without parental consent?",
    "Is Gillick competence relevant when a 13 year old asks me not to tell anyone?",
    "What do the Fraser Guidelines say about contraception advice?",
    "How does the Human Rights Act Article 8 affect sharing?",
    "What is the lawful basis under Article 6(1)(e) public task?",
    "Can the police ask me for information without a court order?",
    "What does Keeping Children Safe in Education say about the Designated Safeguarding Lead?",
    "Does the Crime and Disorder Act 1998 section 115 give me a power to share?",
    "What does the Information Commissioner's Office say about sharing in an emergency?",
    "How should Early Help practitioners record consent?",
    "What is the role of the Local Safeguarding Children Board?",
    "Can I share information with Family Safeguarding without the parent knowing?",
    "What is a Child Protection Conference and who attends?",
    "What does the Myth Busting Guide say about consent?",
    "In Calderdale who do I contact at the MAST if I'm unsure?",
    "What does North Lincolnshire's Children's MARS guidance say about the flowchart?",
    "How does Hertfordshire's agreement treat the eight principles?",
    "What are the Buckinghamshire seven decision questions?",
    "Is a health visitor allowed to tell Children's Services about domestic violence?",
    "Can I share with the Probation Service under MAPPA?",
    "Do I need a Data Protection Impact Assessment?",
    "Under the Children Act 1989, what counts as significant harm?",
    "I'm a GP. A mum told me her partner hit her. Can I tell the health visitor?",
    "What is the difference between the UK GDPR and the Data Protection Act 2018?",
    "Can I use WhatsApp to share information with a social worker?",
    "My Head Teacher says we can't share without consent. Is that right?",
    "Can I speak to the Named Nurse for Safeguarding?",
    "Outline the Caldicott principles and the Common Law Duty of Confidentiality.",
    "Is Childline's number 0800 1111 safe to give a pupil?",
    "Should I ring the council's 0300 number or the police on 101?",
    "A s47 strategy meeting is on the 2nd floor at 10am.",
    "She said it happened in 2019 and again on 3 June.",
    "Do teachers have to report Female Genital Mutilation to the police?",
    "Is Modern Slavery a reason to share without consent?",
    "How does Operation Encompass work with schools?",
    "Can I ask for a disclosure under Clare's Law or Sarah's Law?",
    "Who is the Independent Reviewing Officer for Looked After Children?",
    "Should I tell the Youth Offending Team about County Lines concerns?",
    "Does the Sudden Infant Death protocol let me share with the coroner?",
    "I'll ask the Designated Safeguarding Lead tomorrow. Is that soon enough?",
    "Define Gillick competence.",
    "It happened at a New Year's Eve party.",
    "I'm a teacher at St Mary's Primary. Can I phone Social Care?",
]


@pytest.mark.parametrize(("kind", "text", "secret"), POSITIVES)
def test_each_identifier_is_found_and_removed(kind: str, text: str, secret: str) -> None:
    s = screen(text)
    assert kind in {f.kind for f in s.findings}, s.findings
    assert secret not in s.redacted
    assert PLACEHOLDER[kind] in s.redacted
    assert s.has_personal_data
    assert redact(text) == s.redacted


@pytest.mark.parametrize("text", CLEAN)
def test_clean_questions_are_left_alone(text: str) -> None:
    s = screen(text)
    assert s.findings == ()
    assert s.redacted == text
    assert not s.has_personal_data
    assert s.warning() is None


@pytest.mark.parametrize(
    "text",
    ["943 476 5918", "1234567890", "ab 12 34 56", "DQ 12 34 56 C", "HX1", "s47 2nd review"],
)
def test_near_misses_are_not_flagged(text: str) -> None:
    assert screen(text).findings == ()


def test_nhs_checksum() -> None:
    assert nhs_number_is_valid("9434765919")
    assert nhs_number_is_valid("4010232137")
    assert not nhs_number_is_valid("9434765918")
    assert not nhs_number_is_valid("0000000000")  # passes mod 11 but is a placeholder
    assert not nhs_number_is_valid("943476591")


def test_findings_point_at_the_identifiers_but_never_hold_them() -> None:
    text = "I think Jade Smith's mum is on 07700 900123 and lives at HX1 1UJ."
    s = screen(text)
    assert [(f.kind, text[f.start : f.end]) for f in s.findings] == [
        ("name", "Jade Smith"),
        ("phone", "07700 900123"),
        ("postcode", "HX1 1UJ"),
    ]
    assert s.redacted == "I think [NAME]'s mum is on [PHONE] and lives at [POSTCODE]."
    assert all(set(vars(f)) == {"kind", "start", "end"} for f in s.findings)
    assert "Jade" not in repr(s) and "900123" not in repr(s)  # safe if logged by mistake


def test_warning_names_each_kind_found_in_one_sentence() -> None:
    s = screen("My pupil Jade Smith, NHS 943 476 5919, says Tom Jones hit her.")
    warning = s.warning()
    assert warning is not None
    assert warning.startswith("Your message looks like it contains names and an NHS number.")
    assert "without disclosing the identity of the individual where possible" in warning
    assert "Jade" not in warning and "5919" not in warning
    every = screen(
        "called Jade; 943 476 5919; AB 12 34 56 C; HX1 1UJ; 07700 900123; a@b.com; DOB 1/2/2012"
    ).warning()
    for words in ("a name", "an NHS number", "a National Insurance number", "a postcode",
                  "a phone number", "an email address", "a date of birth"):
        assert words in every


def test_overlapping_kinds_keep_the_strongest() -> None:
    s = screen("email Jade.Smith@example.com")
    assert [f.kind for f in s.findings] == ["email"]
    assert s.redacted == "email [EMAIL]"


@pytest.mark.parametrize("text", [p[1] for p in POSITIVES] + CLEAN)
def test_redact_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


FRAGMENTS = [
    "Jade", "Smith", "called", "Mrs", "my pupil", "Children's", "Social", "Care", "943 476 5919",
    "AB 12 34 56 C", "HX1 1UJ", "07700 900123", "+44", "a@b.co.uk", "DOB", "12/03/2011",
    "born on", "3 March 2012", "Section 47", "999", "4.32", "2018", ".", ",", "'s", "\n", "😀",
    "שלום", "مرحبا", "Zoë", "O'Brien", "[NAME]", "-", "(", ")", "0", "1",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25), st.sampled_from([" ", "", "  "]))
def test_random_mixtures_are_idempotent_and_offsets_are_sound(parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    s = screen(text)
    assert redact(s.redacted) == s.redacted
    previous_end = 0
    for f in s.findings:
        assert previous_end <= f.start < f.end <= len(text)
        previous_end = f.end


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "😀" * 50, "مرحبا، اسمي جاد. שלום", "x" * 20_000,
     ("Can I tell the GP? 07700 900123 called Jade Smith. " * 400)[:20_000], "born " + " " * 5000],
)
def test_odd_inputs_do_not_crash(text: str) -> None:
    s = screen(text)
    assert isinstance(s, Screened)
    assert len(s.redacted) <= len(text) + 20 * len(s.findings)


def test_rtl_and_emoji_survive_around_redactions() -> None:
    assert redact("😀 مرحبا called Jade 😀") == "😀 مرحبا called [NAME] 😀"


def test_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        screen(None)  # type: ignore[arg-type]


def test_screen_is_safe_from_many_threads() -> None:
    text = "my pupil Jade Smith on 07700 900123"
    results: list[str] = []

    def work() -> None:
        results.extend(redact(text) for _ in range(20))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(results) == {"my pupil [NAME] on [PHONE]"}


def test_import_and_use_stay_light() -> None:
    code = (
        "import sys, assistant.privacy.screen as p; p.screen('called Jade on 07700 900123');"
        "heavy = {'torch', 'chromadb', 'llama_index', 'streamlit', 'spacy', 'presidio_analyzer',"
        " 'transformers', 'sentence_transformers'};"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_guidance_text_itself_is_not_mistaken_for_personal_data() -> None:
    """The five documents are full of title-case names of laws, bodies and roles; screened
    line by line, the only findings are the three real people they name."""
    found = set()
    for doc in load_documents(Settings().corpus_dir):
        for line in doc.text.splitlines():
            found |= {(f.kind, line[f.start : f.end]) for f in screen(line).findings}
    assert found == {
        ("name", "Lord Laming"),
        ("name", "Professor Munro"),
        ("name", "Richard Thomas"),  # the Information Commissioner in 2006
    }


def test_finding_is_frozen() -> None:
    f = Finding("name", 0, 4)
    with pytest.raises(AttributeError):
        f.start = 1  # type: ignore[misc]


@pytest.mark.parametrize("text", [
    "On the afternoon run. Dropped Kai (9) home and the door was open. Driver says just see Kai in and go.",
    "My pupil Jade told me at lunch. Jade's mum came in later and asked what Jade had said.",
])
def test_every_mention_of_a_name_found_once_is_redacted(text):
    """A name found by its cue or as a run is as identifying where it stands alone later in the message."""
    redacted = screen(text).redacted
    assert "Kai" not in redacted and "Jade" not in redacted
