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


def test_a_question_gets_the_line_whose_wording_is_closest(fake_embedder):
    def entry(id_, asks, quotes):
        return ShortAnswer(id=id_, line=f"Line {id_} in plain words.", kind="rule", asks=asks,
                           quotes=[{"doc_id": "x", "quote": q} for q in quotes])

    answers = (
        entry("a", ("record the decision not to share", "write down why", "keep a record", "log it"),
              ("quote one here", "quote two here")),
        entry("b", ("seek advice from the safeguarding lead", "ask the DSL", "who to ask", "get advice"),
              ("quote three here", "quote four here")),
    )
    matcher = ShortAnswers(fake_embedder, answers)
    found = matcher.match(fake_embedder.embed(["record the decision not to share"])[0])
    assert found is not None and found.answer.id == "a"
    assert matcher.match(fake_embedder.embed(["completely unrelated words here"])[0]) is None
    assert matcher.similarities(np.zeros(fake_embedder.dimension)).shape == (2,)


def test_a_bad_short_answers_file_is_one_line(tmp_path):
    bad = tmp_path / "short_answers.yaml"
    bad.write_text("short_answers:\n  - id: x\n    line: only a line\n")
    with pytest.raises(CorpusError, match="short_answers.yaml: short_answers.0"):
        load_short_answers.__wrapped__(bad)
