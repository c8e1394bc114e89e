"""Short answers are reviewed data: every quote verbatim, every line short and without a verdict
word that a misread polarity could invert; matching by the closest wording."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answer.short_answers import ShortAnswer, ShortAnswers, load_short_answers
from assistant.errors import CorpusError
from assistant.ingest.documents import documents_by_id
from assistant.verbatim import contains
from conftest import CORPUS

ANSWERS = load_short_answers()


@pytest.mark.parametrize("entry", ANSWERS, ids=lambda e: e.id)
def test_every_short_answer_quote_is_verbatim(entry):
    documents = documents_by_id(CORPUS)
    assert len(entry.quotes) >= 2
    for ref in entry.quotes:
        assert contains(documents[ref.doc_id].text, ref.quote), f"{entry.id}: not verbatim in {ref.doc_id}: {ref.quote[:60]}"


@pytest.mark.parametrize("entry", ANSWERS, ids=lambda e: e.id)
def test_every_line_is_short_and_reads_right_either_way(entry):
    assert len(entry.line.split()) <= 45
    assert not entry.line.lower().startswith(("yes", "no ", "no,", "no—", "no -"))
    assert len(entry.asks) >= 4


def test_each_line_is_scored_by_its_closest_wording(fake_embedder):
    def entry(id_, asks):
        return ShortAnswer(id=id_, line=f"Line {id_} in plain words.", kind="rule", asks=asks,
                           quotes=[{"doc_id": "x", "quote": "quote one here"}, {"doc_id": "x", "quote": "quote two here"}])

    answers = (
        entry("a", ("record the decision not to share", "write down why", "keep a record", "log it")),
        entry("b", ("seek advice from the safeguarding lead", "ask the DSL", "who to ask", "get advice")),
    )
    matcher = ShortAnswers(fake_embedder, answers)
    sims = matcher.similarities(fake_embedder.embed(["record the decision not to share"])[0])
    assert sims.shape == (2,) and sims[0] == pytest.approx(1.0, abs=1e-5) and sims[1] < 0.5
    assert np.all(matcher.similarities(np.zeros(fake_embedder.dimension)) == 0)


def test_a_bad_short_answers_file_is_one_line(tmp_path):
    bad = tmp_path / "short_answers.yaml"
    bad.write_text("short_answers:\n  - id: x\n    line: only a line\n")
    with pytest.raises(CorpusError, match="short_answers.yaml: short_answers.0"):
        load_short_answers.__wrapped__(bad)


def test_what_each_line_presumes_names_real_lines_and_facts():
    from assistant.answer.short_answers import load_case_fit
    from assistant.decision.models import FACTS

    fit = load_case_fit()
    ids = {a.id for a in ANSWERS}
    assert fit.presumes and set(fit.presumes) <= ids
    assert all(set(facts) <= set(FACTS) for facts in fit.presumes.values())
    assert all(answer_id in ids for by_value in fit.opens.values() for answer_id in by_value.values())
    # the line a case opens with by what it states never presumes the opposite of it
    for fact, by_value in fit.opens.items():
        for value, answer_id in by_value.items():
            assert fit.fits(answer_id, {fact: value})


def test_a_line_presuming_a_risk_never_fits_a_case_stating_none():
    from assistant.answer.short_answers import load_case_fit

    fit = load_case_fit()
    assert not fit.fits("no-consent-if-risk-or-delay", {"significant_harm_risk": "no"})
    assert not fit.fits("early-help-consent", {"significant_harm_risk": "yes"})
    assert not fit.fits("early-help-consent", {"significant_harm_risk": "no", "consent": "yes"})
    assert fit.fits("early-help-consent", {"significant_harm_risk": "no", "identifiable": "yes"})
    assert fit.fits("no-consent-if-risk-or-delay", {})  # nothing stated contradicts it
    assert fit.fits("seek-advice", {"significant_harm_risk": "no"})  # presumes nothing
    # a competent child's refusal is not "the one to consider" where a risk of significant harm overrides it
    assert not fit.fits("competent-child-vs-parent", {"significant_harm_risk": "yes"})
    assert fit.fits("competent-child-vs-parent", {"significant_harm_risk": "unsure"})


def test_a_bad_case_fit_file_is_one_line(tmp_path):
    from assistant.answer.short_answers import load_case_fit

    bad = tmp_path / "short_answer_facts.yaml"
    bad.write_text("presumes:\n  no-such-line: {significant_harm_risk: [\"yes\"]}\n")
    with pytest.raises(CorpusError, match="short_answer_facts.yaml: 'no-such-line' is not a short answer"):
        load_case_fit.__wrapped__(bad)
    bad.write_text("presumes:\n  seek-advice: {not_a_fact: [\"yes\"]}\n")
    with pytest.raises(CorpusError, match="not flowchart facts"):
        load_case_fit.__wrapped__(bad)
    bad.write_text("presumes:\n  seek-advice: {consent: [maybe]}\n")
    with pytest.raises(CorpusError, match="short_answer_facts.yaml"):
        load_case_fit.__wrapped__(bad)
