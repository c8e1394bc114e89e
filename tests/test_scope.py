"""The out-of-scope signals, without models: names the documents never use, and questions that ask
for a figure the quotes don't give."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.ingest.documents import load_documents
from assistant.understand.asked_figures import answers_with_a_number, asks_for_a_number
from assistant.scope.answerable import Scope
from conftest import CORPUS


@pytest.fixture(scope="module")
def scope() -> Scope:
    return Scope.for_documents(load_documents(CORPUS))


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("What are the Care Act 2014 eligibility criteria?", ["Care Act 2014"]),
        ("How does the GIRFEC named person scheme work in Scotland?", ["GIRFEC", "Scotland"]),
        ("How do I reset my Outlook password?", ["Outlook"]),
        ("Does the Children Act 2004 gateway cover charities?", []),
        ("I've got a concern in Bucks — who do I talk to?", []),
        ("What does the Caldicott Guardian do?", []),
        ("What is Clare's law?", []),
        ("Can I share with the GP?", []),
    ],
)
def test_unknown_names(scope, question, unknown):
    assert scope.unknown_names(question) == unknown


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What is the maximum fine the ICO can issue?", True),
        ("What is the age of criminal responsibility?", True),
        ("What's the salary band of a Caldicott Guardian?", True),
        ("How many golden rules are there?", True),
        ("How long do I have to respond?", True),
        ("How much should I share?", False),
        ("How long should I keep records?", False),
        ("When can I share without consent?", False),
    ],
)
def test_questions_that_ask_for_a_figure(question, asks):
    assert asks_for_a_number(question) is asks


def _quote(text: str, section: str = "Principles"):
    return SimpleNamespace(text=text, passage=SimpleNamespace(section=section))


@pytest.mark.parametrize(
    ("quotes", "has_figure"),
    [
        ([_quote("A decision should be made within 15 days of the referral.")], True),
        ([_quote("A young person aged 16 or 17 is presumed to be competent.")], True),
        ([_quote("Keep a record of your decision.", "3. Seven Golden Rules For Information Sharing")], True),
        ([_quote("The Data Protection Act 2018 is not a barrier to sharing.")], False),
        ([_quote("Follow section 47 and Article 8 of the ECHR.", "4.12 Consent")], False),
        ([_quote("Information should be kept no longer than necessary.")], False),
    ],
)
def test_answers_with_a_figure(quotes, has_figure):
    assert answers_with_a_number(quotes) is has_figure


def test_the_numbering_of_headings_is_not_a_figure():
    quote = _quote("Each partner is responsible for responding to Subject Access Requests.", "Appendix 1 › 3. Roles")
    assert answers_with_a_number([quote]) is False
    assert answers_with_a_number([_quote("Share securely.", "Annex B: Step 2 › 6.3 Child Exploitation")]) is False


def _quote_in(text: str, passage_text: str):
    return SimpleNamespace(text=text, passage=SimpleNamespace(section="Consent", text=passage_text))


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("What's the legal age of sexual consent in England?", ["sexual", "consent"]),
        ("What is the deadline for a subject access request?", ["subject", "access", "request"]),
        ("What's the salary band of a Caldicott Guardian?", ["caldicott", "guardian"]),
        ("From what age can a child consent to information sharing?", []),
    ],
)
def test_what_a_figure_is_asked_of(question, subject):
    from assistant.understand.asked_figures import figure_subject
    from assistant.stemming import stem

    assert figure_subject(question) == [stem(w) for w in subject]


def test_a_figure_answers_only_when_its_passage_speaks_of_what_the_figure_is_asked_of():
    consent = _quote_in(
        "A young person aged 16 or 17 may give (or refuse) consent to sharing.",
        "A young person aged 16 or 17 may give (or refuse) consent to sharing information about them.",
    )
    assert answers_with_a_number([consent], "What is the age of criminal responsibility?") is False
    assert answers_with_a_number([consent], "What's the legal age of sexual consent?") is False
    assert answers_with_a_number([consent], "What is the age of consent to sharing information?") is True
    assert answers_with_a_number([consent], "From what age can a child consent?") is True  # names no subject


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("What must go in our Appropriate Policy Document?", ["Appropriate Policy Document"]),
        ("What did the Data (Use and Access) Act 2025 change?", ["Data (Use and Access) Act 2025"]),
        ("Does the NHS National Data Opt-out stop me?", ["NHS National Data Opt-out", "Opt-out"]),
        ("Since GDPR came in, are we banned from sharing?", []),
        ("Doesn't the Human Rights Act stop me sharing?", []),
        ("Our IT systems get in the way of sharing.", []),
        ("How does Sarah's Law work?", []),
    ],
)
def test_names_the_documents_never_use_are_read_whole(question, unknown):
    from assistant.ingest.documents import load_documents
    from conftest import CORPUS

    scope = Scope.for_documents(load_documents(CORPUS))
    assert scope.unknown_names(question) == unknown


def test_a_name_is_known_when_its_last_three_words_or_more_are():
    """A place before a name the documents use ("West Yorkshire" + "Partnership Intelligence
    Portal", which Calderdale names) does not make it unknown; a shorter known part does not make
    a name known ("Data Protection" does not make "Data Protection Officer" a document's name)."""
    from assistant.ingest.documents import documents_by_id
    from assistant.scope.answerable import Scope
    from conftest import CORPUS

    scope = Scope.for_documents(documents_by_id(CORPUS).values())
    assert scope.unknown_names("When should I use the West Yorkshire Partnership Intelligence Portal?") == []
    assert "Data Protection Officer" in scope.unknown_names("Who is our Data Protection Officer?")


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("how do i share worries about CCE in West Yorks?", []),
        ("Is the Herts model different?", []),
        ("Who takes a referral in Calder?", []),
        ("Who do I ring in Lancs?", ["Lancs"]),
        ("I volunteer at a youth club on Fridays - do the rules apply to me?", []),  # a day names no scheme
        ("Does Ofsted need to see our sharing agreements?", ["Ofsted"]),
    ],
)
def test_a_short_form_of_a_name_the_documents_use_is_known(scope, question, unknown):
    """A place or name shortened the way practitioners write it ("West Yorks", "Herts") is the
    documents' own name; a short form of nothing they name stays unknown."""
    assert scope.unknown_names(question) == unknown


@pytest.mark.parametrize(("question", "schemes"), [
    ("EY SENCO. Do I have to write down a decision not to share?", []),  # a role's initials, run together
    ("CP SW here: how much can I tell the school?", []),
    ("Does US HIPAA apply to our nursery?", ["HIPAA"]),  # the act itself is still a scheme's name
    ("Does the Care Act 2014 change what I share about a parent?", ["Care Act 2014"]),
    ("Is MARAC information confidential?", ["MARAC"]),
    ("When I decide something ISN'T worth passing on, do I write it down?", []),  # emphasis, not a name
    ("We DON'T tell parents, do we?", []),
])
def test_a_run_of_initials_is_a_role_not_a_law_or_scheme(scope, question, schemes):
    found = scope.scheme_names(question)
    assert set(schemes) <= set(found) and not [n for n in found if " " in n and n.isupper()]
    if not schemes:
        assert found == []


@pytest.mark.parametrize(("question", "schemes"), [
    ("what do i write down when i DECIDE AGAINST passing it on?", []),  # words in capitals for emphasis
    ("We're Woodcraft Folk, we collected the details for our own use so we can't pass them to school", []),
    ("Youth leader at Boys Brigade. What do we tell new members about sharing?", []),
    ("What must go in our Appropriate Policy Document?", ["Appropriate Policy Document"]),  # "our": no setting cue
    # named as what is asked about, not as the asker's own setting: still a scheme's name
    ("What do the Wales Safeguarding Procedures say about sharing?", ["Wales Safeguarding Procedures"]),
    ("Does the National Data Opt Out apply at our practice?", ["National Data Opt Out"]),
    ("Can I share it WITH MARAC PARTNERS?", ["MARAC", "WITH MARAC PARTNERS"]),  # a word they never use: a name
])
def test_emphasis_and_the_askers_own_setting_are_no_scheme(scope, question, schemes):
    """Capitals for emphasis, each word the documents use, and a body named as the asker's own
    ("we're ...", "our ...", "at ...") are not a law or scheme asked about: never declined for it."""
    found = scope.scheme_names(question)
    assert set(schemes) <= set(found)
    assert not [n for n in found if n not in schemes and " " in n]
