"""The myth route: claims data, the question reader, and verdict accuracy with the real model.

The phrasings below are our own (statement, worried question, casual one-liner, negative interrogative)
and were written before looking at any system output; eval/cases/myths.yaml is a separate check
(scripts in the report), never copied here or into data/claims.yaml.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from assistant.ingest.documents import documents_by_id
from assistant.myths.matcher import ClaimMatch, ClaimMatcher
from assistant.myths.claims import CLAIMS_FILE, Claim, load_claims
from assistant.understand.claim_language import load_language
from assistant.understand.claim_reader import Reader
from assistant.understand.normalise import normalise
from assistant.verbatim import contains

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GUIDE_MYTH_IDS = {  # the five myths of the two myth-busting guides
    "data-protection-barrier", "consent-always-needed", "organisation-cannot-disclose",
    "confidence-human-rights-prevent", "it-systems-barrier",
}
NATIONAL_MYTH_IDS = {  # practitioners' common myths the documents answer, not listed by the guides
    "if-in-doubt-do-not-share", "proof-before-sharing", "share-everything-to-be-safe", "police-need-court-order",
    "closed-case-cannot-be-shared", "volunteers-not-covered", "competent-refusal-is-final",
    "parents-told-before-referral", "no-need-to-record-not-sharing", "someone-else-will-have-reported",
    "family-never-told",
}
MYTH_IDS = GUIDE_MYTH_IDS | NATIONAL_MYTH_IDS

# ------------------------------------------------------------------ phrasings (our own words)
# Each asserts or asks about the myth: the verdict must be "myth" for that claim.
MYTH_PHRASINGS: dict[str, list[str]] = {
    "data-protection-barrier": [
        "Data protection law stops me from sharing anything about a family.",
        "I'm worried that GDPR means I can't pass on my concerns about a pupil",
        "Doesn't the Data Protection Act prevent practitioners sharing personal data?",
        "gdpr means no sharing?",
        "Isn't GDPR a barrier to sharing safeguarding information?",
        "Is it true that data protection rules forbid sharing information about children?",
        "Because of GDPR we're not allowed to share info with other agencies, right?",
        "Surely the GDPR makes it illegal to share a child's details",
        "Why does data protection law stop us sharing?",
    ],
    "consent-always-needed": [
        "You always need consent before you can share personal information.",
        "Don't I need the family's consent every time I share something?",
        "no consent = can't share",
        "Is consent always required before sharing information about a child?",
        "I can never share anything without the parents agreeing first",
        "If mum hasn't agreed, nothing can be shared, isn't that right?",
        "Must I always get permission before passing on information?",
        "Without consent I'm not able to share at all",
    ],
    "organisation-cannot-disclose": [
        "Information one agency collects cannot be passed to another agency.",
        "Isn't it the case that our organisation can't give its records to other services?",
        "data we collect stays in our org, can't go to another",
        "Personal data gathered by the health service can't be disclosed to social care, can it?",
        "Can one organisation never disclose personal information to a different organisation?",
        "Schools aren't allowed to share what they hold with other agencies",
    ],
    "confidence-human-rights-prevent": [
        "The Human Rights Act stops me sharing personal information.",
        "Doesn't my duty of confidentiality prevent me passing on what a parent told me?",
        "confidential means i can't tell anyone",
        "Is it true that the common law duty of confidence prevents sharing?",
        "Sharing what a child told me in confidence would breach their human rights",
        "Article 8 privacy rights mean we can't share information about a family",
    ],
    "it-systems-barrier": [
        "IT systems are a barrier to sharing information.",
        "Don't our computer systems get in the way of sharing information?",
        "IT = barrier to info sharing",
        "Our databases can't talk to each other so we can't share information",
        "Isn't CP-IS more of a hindrance than a help?",
        "Technology just gets in the way of information sharing",
    ],
}
# Regressions: wordings that exposed a gap in the reader (free relative, "IT" the abbreviation).
MYTH_PHRASINGS["organisation-cannot-disclose"].append(
    "What our school gathered belongs to us and can't be passed to health, surely?"
)
MYTH_PHRASINGS["it-systems-barrier"].append("IT = barrier")
# National myths (our own wordings, not the claims' paraphrases).
MYTH_PHRASINGS.update({
    "if-in-doubt-do-not-share": [
        "If I'm not sure, the legally safe thing is not to share.",
        "Surely it's safer to keep quiet when you're in doubt?",
    ],
    "proof-before-sharing": [
        "I can't report a concern without proof.",
        "Don't we need evidence of abuse before we share with social care?",
    ],
    "share-everything-to-be-safe": [
        "It's best to share the whole file so nothing gets missed.",
    ],
    "police-need-court-order": [
        "The police can't be given anything without a court order.",
        "Don't the police need a warrant before we hand over information?",
    ],
    "closed-case-cannot-be-shared": [
        "Concerns from a case that was closed years ago can't be shared.",
    ],
    "volunteers-not-covered": [
        "Our church youth group doesn't have to share safeguarding concerns.",
    ],
    "competent-refusal-is-final": [
        "When a 16 year old refuses consent, that's final even if they're at risk.",
    ],
    "parents-told-before-referral": [
        "I always have to tell the parents before I make a referral to social care.",
    ],
    "someone-else-will-have-reported": [
        "The designated safeguarding lead will already have reported it.",
    ],
    "family-never-told": [
        "We must never tell the family that we shared their information.",
    ],
})

# Each denies a myth: the verdict must be "true" for that claim, flipped.
MYTH_DENIALS: dict[str, list[str]] = {
    "data-protection-barrier": [
        "GDPR is not a barrier to sharing information.",
        "Data protection law doesn't stop me sharing when a child is at risk",
        "The Data Protection Act doesn't prevent sharing personal information",
        "It's a myth that GDPR stops you sharing information",
        "GDPR doesn't mean I can't share",
    ],
    "consent-always-needed": [
        "Consent isn't always needed to share information.",
        "You don't always need consent before sharing personal information",
        "I don't necessarily need consent to share information about a child",
    ],
    "organisation-cannot-disclose": [
        "Personal information collected by one agency can be disclosed to another agency.",
        "It isn't true that one organisation cannot share information with another",
    ],
    "confidence-human-rights-prevent": [
        "The Human Rights Act doesn't prevent me sharing information to protect a child",
        "The duty of confidence does not stop sharing when a child is at risk",
    ],
    "it-systems-barrier": [
        "IT systems are not a barrier to information sharing",
        "IT systems like CP-IS can be useful for sharing information",
        "Computer systems don't prevent agencies sharing information",
    ],
}
MYTH_DENIALS.update({
    "proof-before-sharing": ["You don't need proof of abuse to share a concern"],
    "police-need-court-order": ["The police don't need a court order before we can share with them"],
    "competent-refusal-is-final": ["A 16 year old's refusal isn't necessarily final"],
    "parents-told-before-referral": ["You don't always have to tell parents before a referral to social care"],
    "volunteers-not-covered": ["Volunteers are covered by the information sharing guidance too"],
})

# True claims, asserted (statement, yes/no question, "is it right that..."): verdict "true".
TRUE_PHRASINGS: dict[str, list[str]] = {
    "record-decisions": [
        "I need to record my decision even when I decide not to share.",
        "Should I write down the reasons why I chose not to share?",
        "Is it right that decisions not to share should be recorded as well?",
    ],
    "share-where-significant-harm": [
        "Information can be shared without consent if a child is at risk of significant harm.",
        "If I think a child is suffering significant harm, information can normally be shared",
        "Is it true that a risk of significant harm to a child means information can be shared?",
    ],
    "share-without-consent-lawful-basis": [
        "I may share information without consent if there is a lawful basis.",
        "Is it true that GDPR allows sharing without consent when there's a legal basis?",
        "With a lawful reason information can be shared without the person's consent",
    ],
    "seek-advice-without-identifying": [
        "If I'm unsure about sharing I should seek advice without naming the family.",
        "Can I get advice from my information governance lead without giving the child's name?",
        "Is it right that I should ask a colleague for advice when in doubt about sharing?",
    ],
    "share-securely": [
        "Information should always be shared securely.",
        "Is it true that personal information must be sent in a secure way?",
        "Sharing needs to be done securely, following our security policy",
    ],
    "necessary-and-proportionate": [
        "I should only share the information that is necessary for the purpose.",
        "Is it true that the information shared must be proportionate to the risk?",
        "Only share relevant information with people who need to know it",
    ],
    "fears-must-not-stand-in-way": [
        "Fears about sharing must not stand in the way of protecting children.",
        "Being worried about sharing shouldn't stop me keeping a child safe",
        "Is it true that fear of sharing should never get in the way of safeguarding?",
    ],
    "open-and-honest": [
        "I should be open and honest with the family about what I'll share and why.",
        "Should I be transparent with parents about how their information will be shared?",
        "Is it right to explain to families at the start how information may be shared?",
    ],
    "consent-can-be-withdrawn": [
        "Consent to share can be withdrawn at any time.",
        "Can a parent withdraw their consent after giving it?",
        "Is it true someone can change their mind and take back their consent?",
    ],
    "silence-is-not-consent": [
        "Silence doesn't count as consent.",
        "If parents don't respond to my letter, I can't assume they consent",
        "A lack of response to a consent request is not agreement",
    ],
    "refusal-does-not-prevent-sharing": [
        "Even if the family refuses consent, I may still be able to share.",
        "A refusal of consent doesn't automatically prevent sharing",
        "Is it true that if a parent refuses, that doesn't mean information can't be shared?",
    ],
    "do-not-assume-someone-else-shares": [
        "I shouldn't assume someone else will pass the information on.",
        "Is it right that I can't rely on another professional to share what I know?",
        "Never assume somebody else has already reported the concern",
    ],
    "court-order-or-legal-duty": [
        "If a court orders it I must share the information even without consent.",
        "Is it true that a statutory duty to share means I have to share even confidential information?",
        "A court order means the information has to be disclosed",
    ],
    "young-people-can-consent": [
        "A 16 year old can give their own consent to sharing.",
        "Can a competent 14 year old consent to their information being shared?",
        "Is it true that 17 year olds can refuse consent to sharing themselves?",
    ],
    "police-if-crime-or-immediate-risk": [
        "If a child is at immediate risk the police should be told straight away.",
        "Is it right that the police must be notified immediately if a crime has been committed against a child?",
        "In an emergency the police should be contacted at once",
    ],
    "share-in-timely-way": [
        "Information should be shared in a timely way.",
        "Is it true that safeguarding information should be passed on without delay?",
        "Sharing information promptly reduces the risk to a child",
    ],
    "distinguish-fact-from-opinion": [
        "When I share information I should distinguish fact from opinion.",
        "Should I make clear what is fact and what is my opinion when sharing?",
        "Is it right that shared information should separate facts from opinions?",
    ],
    "anonymised-information-can-be-shared": [
        "Anonymised information can be shared if the purpose is legitimate.",
        "Is it true that I can share anonymised data for a legitimate purpose?",
        "Information without names can lawfully be shared for a proper purpose",
    ],
    "public-interest-can-justify-sharing": [
        "Confidential information can be shared without consent in the public interest.",
        "Is it true that the public interest can justify sharing confidential information?",
        "If the public interest outweighs confidentiality, information can be shared",
    ],
    "sharing-as-important-as-confidentiality": [
        "Sharing information can be as important as keeping it confidential.",
        "Is it true that the duty to share can be as important as confidentiality?",
    ],
}

# True claims negated: never "true" (verdict "myth" or None).
NEGATED_TRUE = [
    "I don't need to record a decision not to share.",
    "Decisions not to share don't have to be written down",
    "Consent can't be withdrawn once it has been given",
    "Consent is permanent once given",
    "Silence counts as consent",
    "If the parents don't reply I can assume they agree",
    "Information doesn't need to be shared securely",
    "I can assume someone else will pass the information on",
    "A 17 year old can't consent to sharing",
    "Only parents can consent for a 16 year old",
    "I shouldn't tell the family what I am sharing",
    "You don't need to distinguish fact from opinion",
    "I can share everything in the file, not just what's necessary",
    "If a parent refuses consent, I can't share",
    "Fear about sharing should stop me sharing",
    "Confidentiality is always more important than sharing",
]

# General questions, requests, decisions and off-topic messages: no verdict (None).
GENERAL = [
    "What does the guidance say about consent?",
    "What are the seven golden rules?",
    "How do I share securely?",
    "When can I share without consent?",
    "How should I record my decision?",
    "What is the common law duty of confidence?",
    "What does GDPR say about sharing information?",
    "Which lawful bases can I use to share?",
    "Who is the information governance lead?",
    "What is CP-IS?",
    "Explain the Human Rights Act and information sharing.",
    "Tell me about the myth-busting guide.",
    "What counts as significant harm?",
    "How do I know if a child is competent to consent?",
    "Where can I get advice about sharing?",
    "consent?",
    "gdpr",
    "information sharing",
    "Can I tell the school about dad's drinking?",
    "Should I ring the health visitor about the baby's weight?",
    "Am I allowed to email the social worker about what the girl said?",
    "Is it OK to share the referral form with the housing officer?",
    "Can I share without consent?",
    "Do I need consent to share?",
    "Should I let the police know about the bruises?",
    "I'm a school nurse and a pupil told me her mum hits her. What should I do?",
    "How long should records be kept?",
    "What's the difference between explicit and implied consent?",
    "What is the Domestic Violence Disclosure Scheme?",
    "Describe the flowchart for deciding whether to share.",
    "What are the six key points?",
    "What is the weather like today?",
    "How do I reset my password?",
    "Thanks, that's helpful.",
    "Who should I contact in children's social care?",
    "What happens if I share information by mistake?",
    "Mum has asked me not to tell anyone. What now?",
    "What do the myth-busting guides say about IT systems?",
    # regressions: each exposed a gap in the reader
    "At which point can a teenager consent to sharing?",  # preposition + wh-word
    "When exactly does sharing breach confidentiality?",  # "when" opening a question, not a clause
    "A parent mentioned her debts but never asked me to keep it secret. Does confidentiality apply?",
    "Our service only works at early help. Do we need the family's consent to make a referral?",
    "We need a data sharing agreement with the council. Who writes it?",  # an agreement is not consent
    "Could our two agencies exchange records about the family without telling dad?",  # a decision
    "I've decided not to share — what should I note down?",  # the question is after the dash
    "sharing securely?",
    "necessary proportionate relevant accurate timely secure",
]


# ------------------------------------------------------------------ data file


def test_claims_file_has_every_myth_and_enough_true_claims():
    claims = load_claims()
    ids = [c.id for c in claims]
    assert len(ids) == len(set(ids))
    assert {c.id for c in claims if c.verdict == "myth"} == MYTH_IDS
    assert sum(c.verdict == "true" for c in claims) >= 10
    for claim in claims:
        assert claim.paraphrases and claim.citations and claim.cues
        if claim.stance in ("core", "negated_core"):
            assert claim.core, claim.id


def test_every_citation_is_verbatim_in_its_document():
    docs = documents_by_id(CORPUS)
    for claim in load_claims():
        for citation in claim.citations:
            assert citation.doc_id in docs, (claim.id, citation.doc_id)
            assert contains(docs[citation.doc_id].text, citation.quote), (claim.id, citation.quote[:60])


def test_myth_statements_are_verbatim_and_cited_from_both_guides():
    docs = documents_by_id(CORPUS)
    for claim in load_claims():
        if claim.id not in GUIDE_MYTH_IDS:
            continue
        assert contains(docs["calderdale"].text, claim.statement)
        cited = {c.doc_id for c in claim.citations if c.quote.startswith("No – ")}
        assert cited == {"calderdale", "childrens-mars"}, claim.id


def test_national_myths_are_answered_by_the_documents_not_quoted_as_theirs():
    """A national myth is our wording of what practitioners believe: none of its citations is its
    statement, so the answer never shows it as a guide's myth."""
    for claim in load_claims():
        if claim.id not in NATIONAL_MYTH_IDS:
            continue
        assert claim.verdict == "myth" and len(claim.citations) >= 2, claim.id
        assert all(c.quote.strip().lower() != claim.statement.strip().lower() for c in claim.citations), claim.id


def test_statements_and_paraphrases_read_as_their_own_claim():
    """Data consistency: every wording of a claim has the claim's polarity and passes its cues, so a
    paraphrase can never pull the matcher the wrong way."""
    reader = Reader(load_language())
    from assistant.myths.matcher import _cues_match

    for claim in load_claims():
        for text in (claim.statement, *claim.paraphrases):
            reading = reader.read(text)
            assert reading.agrees_with(claim) is True, (claim.id, text)
            assert _cues_match(claim, reading.text), (claim.id, text)


def test_claims_file_rejects_unknown_fields(tmp_path):
    from assistant.myths.claims import _load

    data = yaml.safe_load(CLAIMS_FILE.read_text(encoding="utf-8"))
    data["claims"][0]["colour"] = "red"
    bad = tmp_path / "claims.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(Exception, match="colour"):
        _load(bad)


# ------------------------------------------------------------------ the reader (no model)


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(load_language())


def test_normalise_expands_contractions_and_reads_equals_as_means():
    assert normalise("GDPR = can't share, isn’t it?", expand=True) == "gdpr means can not share, is not it?"
    assert normalise("Don't I? Doesn't it? cannot", expand=True) == "do not i? does not it? can not"


@pytest.mark.parametrize(
    "question, asserts, denied",
    [
        ("GDPR stops me sharing", True, 0),
        ("GDPR doesn't stop me sharing", False, 1),
        ("Doesn't GDPR stop me sharing?", True, 0),  # negative interrogative: asks, doesn't deny
        ("Does data protection law not stop me sharing?", True, 0),
        ("GDPR isn't a barrier", False, 1),
        ("Isn't GDPR a barrier?", True, 0),
        ("gdpr = can't share, right?", True, 0),
        ("GDPR doesn't mean I can't share", False, 1),
        ("Consent isn't always needed", False, 1),
        ("Don't I always need consent?", True, 0),
        ("no consent, no sharing", True, 0),
        ("Nothing can be passed on without consent", True, 0),
        ("I'm not sure whether GDPR stops me sharing", True, 0),  # a hedge negates nothing
        ("Mum said no so I can't share", True, 0),
        ("Fears must not be allowed to stand in the way", False, 1),
        ("I can share without consent", False, 0),
    ],
)
def test_reader_polarity(reader, question, asserts, denied):
    reading = reader.read(question)
    assert reading.asserts_restriction is asserts
    assert sum(c.denied for c in reading.clauses) == denied


@pytest.mark.parametrize(
    "question, unsure, denied",
    [
        ("Data protection law isn't what stops you sharing", False, 1),  # a pseudo-cleft: "what" is bridged
        ("Data protection law is not the reason that stops us sharing", True, 0),  # a negator that reaches nothing
        ("GDPR stops me sharing", False, 0),
        ("GDPR doesn't stop me sharing", False, 1),
        ("I'm not sure whether GDPR stops me sharing", False, 0),  # a hedge is no negator
    ],
)
def test_a_restriction_with_a_stray_negator_before_it_is_read_as_unsure(reader, question, unsure, denied):
    reading = reader.read(question)
    assert any(c.unsure for c in reading.clauses) is unsure
    assert sum(c.denied for c in reading.clauses) == denied
    barrier = next(c for c in load_claims() if c.id == "data-protection-barrier")
    if unsure:  # neither agreeing nor disagreeing: no verdict, never one inverted
        assert reading.agrees_with(barrier) is None


@pytest.mark.parametrize(
    "question",
    [
        "She never said it was a secret",  # a past event, not a rule about sharing
        "I shared to prevent harm to the child",  # preventing harm is not holding sharing back
        "He asked me to keep it private",  # a reported request, not "I have to keep it private"
    ],
)
def test_situations_are_not_restrictions(reader, question):
    assert not reader.read(question).asserts_restriction


@pytest.mark.parametrize(
    "question, flipped",
    [
        ("The idea that GDPR stops sharing is a myth", True),
        ("The idea that GDPR stops sharing worries me", False),
        ("GDPR stops me sharing, which is false", False),  # could be about the rule, not the claim
        ("GDPR stops me sharing, I don't think that's a myth", False),
        ("It's not true that consent is always needed", True),
        ("Is it a myth that consent is always needed?", False),  # asks; the verdict answers it
    ],
)
def test_only_plain_denials_flip_a_sentence(reader, question, flipped):
    assert reader.read(question).flipped is flipped


def test_never_is_a_universal_denial_not_an_explicit_one(reader):
    reading = reader.read("GDPR never stops you sharing")
    assert not reading.asserts_restriction
    assert sum(c.denied for c in reading.clauses) == 0
    assert sum(c.denied_universal for c in reading.clauses) == 1


@pytest.mark.parametrize(
    "question, is_claim, decision, flipped, presupposing",
    [
        ("What does the guidance say about consent?", False, False, False, False),
        ("Explain consent to me", False, False, False, False),
        ("Can you tell me what the golden rules are?", False, False, False, False),
        ("Can you tell me whether consent is always needed?", True, False, False, False),
        ("Is it true that GDPR stops sharing?", True, False, False, False),
        ("It's a myth that GDPR stops sharing", True, False, True, False),
        ("GDPR stopping sharing is a myth", True, False, True, False),
        ("Is it a myth that GDPR stops sharing?", True, False, False, False),
        ("Why does GDPR stop me sharing?", True, False, False, True),
        ("Can I tell the school?", True, True, False, False),
        ("Is it OK to ring the GP?", True, True, False, False),
        ("Should I record my decision?", True, False, False, False),
        ("When a child is at risk, can I share without consent?", True, True, False, False),
        ("When can I share without consent?", False, False, False, False),
        ("GDPR stops me sharing. Is that right?", True, False, False, False),
        ("consent?", False, False, False, False),
    ],
)
def test_reader_question_form(reader, question, is_claim, decision, flipped, presupposing):
    reading = reader.read(question)
    assert (reading.is_claim, reading.decision, reading.flipped, reading.presupposing) == (
        is_claim, decision, flipped, presupposing,
    )


# ------------------------------------------------------------------ matcher with a fake model


class _Fixed:
    """An embedder that returns one fixed unit vector per text it has been told about."""

    dimension = 384

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table

    def embed(self, texts):
        return np.stack([self.table.get(t, self.table["*"]) for t in texts])


def _unit(i: int) -> np.ndarray:
    v = np.zeros(384, dtype=np.float32)
    v[i] = 1.0
    return v


def test_match_picks_the_claim_with_the_closest_wording(fake_embedder):
    matcher = ClaimMatcher(fake_embedder)
    found = matcher.match("Data protection legislation is a barrier to sharing information")
    assert found is not None and found.claim.id == "data-protection-barrier" and found.verdict == "myth"
    found = matcher.match("Data protection legislation is not a barrier to sharing information")
    assert found is not None and found.verdict == "true" and found.polarity_flipped


def test_match_uses_the_given_vector_and_never_embeds_again(fake_embedder):
    matcher = ClaimMatcher(fake_embedder)
    calls = fake_embedder.calls
    vector = fake_embedder.embed(["Consent is always needed to share personal information"])[0]
    calls = fake_embedder.calls
    found = matcher.match("Consent is always needed to share personal information", vector)
    assert fake_embedder.calls == calls
    assert found is not None and found.claim.id == "consent-always-needed"


def test_a_myth_close_to_a_true_winner_takes_over():
    """Bias towards the guides' myths: the question asserts a restriction, so the closest claim (the true
    "share where significant harm" claim) would say "No, the guidance says the opposite"; the consent
    myth is within the margin, so the myth-busting passage answers instead."""
    claims = load_claims()
    myth = next(c for c in claims if c.id == "consent-always-needed")
    true = next(c for c in claims if c.id == "share-where-significant-harm")
    q = "Even when a child is at risk, I can never share without consent"
    base = _unit(0)
    near = (base * 0.85 + _unit(1) * np.sqrt(1 - 0.85**2)).astype(np.float32)
    table = {"*": _unit(5), q: base, true.statement: base, myth.statement: near}
    matcher = ClaimMatcher(_Fixed(table), claims=(myth, true))
    found = matcher.match(q)
    assert found is not None and found.claim.id == myth.id and found.verdict == "myth"
    alone = ClaimMatcher(_Fixed(table), claims=(true,)).match(q)
    assert alone is not None and alone.verdict == "myth" and alone.polarity_flipped  # never "true"


def test_a_negated_true_claim_is_called_a_myth_only_when_very_close():
    """Not one of the guides' myths: "No, the guidance says the opposite" needs TRUE_NEGATED_MIN."""
    from assistant.myths.matcher import KEYWORD_BONUS, TRUE_NEGATED_MIN

    claims = load_claims()
    record = next(c for c in claims if c.id == "record-decisions")
    q = "I don't need to record a decision not to share"
    for cosine, expected in ((TRUE_NEGATED_MIN - KEYWORD_BONUS - 0.05, None), (0.95, "myth")):  # "record" is a keyword
        vector = (_unit(0) * cosine + _unit(1) * np.sqrt(1 - cosine**2)).astype(np.float32)
        table = {"*": _unit(5), q: vector, record.statement: _unit(0)}
        found = ClaimMatcher(_Fixed(table), claims=(record,)).match(q)
        assert (found and found.verdict) == expected
        if found:
            assert found.polarity_flipped


def test_low_similarity_gives_no_match():
    claims = load_claims()
    table = {"*": _unit(0), "GDPR stops me sharing": _unit(1)}
    matcher = ClaimMatcher(_Fixed(table), claims=claims)
    assert matcher.match("GDPR stops me sharing") is None


def test_blank_question_gives_no_match(fake_embedder):
    assert ClaimMatcher(fake_embedder).match("   ") is None


# ------------------------------------------------------------------ accuracy with the real model


@pytest.fixture(scope="module")
def matcher(real_embedder) -> ClaimMatcher:
    return ClaimMatcher(real_embedder)


# Phrasings the domain embedder (assistant/indexing/tuning.py) leaves just below a threshold, so they
# get no verdict: the safe fallback (the guidance's words), not a wrong one. Strict: when one of them
# is matched again the entry must go.
NO_VERDICT_WITH_THE_DOMAIN_EMBEDDER: dict[str, str] = {}  # none since the embedder trains on the short answers too


def _cases(table):
    return [
        pytest.param(claim_id, text, marks=[pytest.mark.xfail(strict=True, reason=NO_VERDICT_WITH_THE_DOMAIN_EMBEDDER[text])])
        if text in NO_VERDICT_WITH_THE_DOMAIN_EMBEDDER else (claim_id, text)
        for claim_id, texts in table.items() for text in texts
    ]


@pytest.mark.integration
@pytest.mark.parametrize("claim_id, question", _cases(MYTH_PHRASINGS))
def test_myth_phrasings_are_busted(matcher, claim_id, question):
    found = matcher.match(question)
    assert found is not None, question
    assert found.verdict == "myth" and found.claim.verdict == "myth", (question, found)
    assert found.claim.id == claim_id, (question, found.claim.id)


@pytest.mark.integration
@pytest.mark.parametrize("claim_id, question", _cases(MYTH_DENIALS))
def test_denied_myths_are_true_and_cite_the_myth_busting_passage(matcher, claim_id, question):
    found = matcher.match(question)
    assert found is not None, question
    assert (found.claim.id, found.verdict, found.polarity_flipped) == (claim_id, "true", True), (question, found)


# A true claim whose opposite is a national myth: denying the myth is the same "Yes", citing the same rule.
SAME_YES = {"record-decisions": "no-need-to-record-not-sharing"}


@pytest.mark.integration
@pytest.mark.parametrize("claim_id, question", _cases(TRUE_PHRASINGS))
def test_true_claims_are_confirmed(matcher, claim_id, question):
    found = matcher.match(question)
    assert found is not None, question
    assert found.verdict == "true", (question, found)
    if found.claim.id == SAME_YES.get(claim_id):
        assert found.polarity_flipped, (question, found)
    else:
        assert (found.claim.id, found.polarity_flipped) == (claim_id, False), (question, found)


@pytest.mark.integration
@pytest.mark.parametrize("question", NEGATED_TRUE)
def test_negated_true_claims_are_never_confirmed(matcher, question):
    found = matcher.match(question)
    assert found is None or found.verdict == "myth", (question, found)


@pytest.mark.integration
@pytest.mark.parametrize("question", GENERAL)
def test_general_questions_are_not_claims(matcher, question):
    assert matcher.match(question) is None, question


@pytest.mark.integration
def test_no_myth_phrasing_is_ever_called_true(matcher):
    """The dangerous error, over every phrasing at once, so a regression shows as one clear failure."""
    wrong = [q for _, q in _cases(MYTH_PHRASINGS) if (m := matcher.match(q)) is not None and m.verdict == "true"]
    assert wrong == []


def _generated_myth_assertions() -> list[tuple[str, str]]:
    """Subjects x predicates x forms: many wordings no one wrote by hand, for the dangerous direction."""
    subjects = {
        "data-protection-barrier": ["GDPR", "data protection law", "the Data Protection Act"],
        "confidence-human-rights-prevent": ["the duty of confidentiality", "the Human Rights Act", "confidentiality"],
        "it-systems-barrier": ["our IT systems", "computer systems", "the database"],
    }
    predicates = ["stops me sharing", "prevents me from sharing information", "means I can't share",
                  "is a barrier to sharing", "makes sharing illegal", "gets in the way of sharing"]
    forms = ["{s} {p}.", "{s} {p}, right?", "Is it true that {s} {p}?", "I'm worried {s} {p}",
             "my manager says {s} {p}", "{s} {p} tbh"]
    return [(claim_id, f.format(s=s, p=p)) for claim_id, subs in subjects.items()
            for s in subs for p in predicates for f in forms]


@pytest.mark.integration
def test_generated_myth_assertions_are_never_true_and_mostly_busted(matcher, real_embedder):
    cases = _generated_myth_assertions()
    vectors = real_embedder.embed([q for _, q in cases])
    found = [matcher.match(q, v) for (_, q), v in zip(cases, vectors)]
    assert [q for (_, q), m in zip(cases, found) if m is not None and m.verdict == "true"] == []
    busted = sum(m is not None and m.verdict == "myth" for m in found)
    assert busted / len(cases) >= 0.95, busted


@pytest.mark.integration
def test_match_is_fast_and_thread_safe_given_the_vector(matcher, real_embedder):
    questions = [q for _, q in _cases(MYTH_PHRASINGS)] + GENERAL
    vectors = real_embedder.embed(questions)
    expected = [matcher.match(q, v) for q, v in zip(questions, vectors)]
    best = [float("inf")] * len(questions)  # best of 5 per question: robust to other load on the machine
    for _ in range(5):
        for k, (q, v) in enumerate(zip(questions, vectors)):
            start = time.perf_counter()
            matcher.match(q, v)
            best[k] = min(best[k], time.perf_counter() - start)
    per_call = sum(best) / len(best)
    assert per_call < 0.001, f"{per_call * 1000:.2f} ms per match"

    results: list[list[ClaimMatch | None]] = []

    def work():
        results.append([matcher.match(q, v) for q, v in zip(questions, vectors)])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_claim_types_are_frozen():
    claim = load_claims()[0]
    assert isinstance(claim, Claim)
    with pytest.raises(AttributeError):
        claim.id = "x"  # type: ignore[misc]
