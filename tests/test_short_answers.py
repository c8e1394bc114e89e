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
