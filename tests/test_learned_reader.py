"""The learned readers: trained (seeded) on the labelled examples, cached, read with numpy."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from assistant.errors import CorpusError
from assistant.datafiles import DATA_DIR
from assistant.understand.learned import (EXAMPLES_GLOB, HEADS, PARTIAL_HEADS, Example, LearnedReader, load_examples,
                                          read_examples, train)


def test_the_examples_cover_every_class_of_every_head():
    examples = load_examples()
    assert len(examples) >= 400
    for head, classes in HEADS.items():
        assert {e.labels[head] for e in examples if head in e.labels} == set(classes), head
    for path in sorted(DATA_DIR.glob(EXAMPLES_GLOB)):  # every full head on every example, unless its file names its heads
        trains = yaml.safe_load(path.read_text()).get("trains") or [h for h in HEADS if h not in PARTIAL_HEADS]
        assert all(set(trains) - set(PARTIAL_HEADS) <= set(e.labels) for e in read_examples(path)), path.name


def test_every_described_case_says_what_it_asks_and_whether_the_concern_is_known():
    for path in sorted(DATA_DIR.glob(EXAMPLES_GLOB)):
        rows = yaml.safe_load(path.read_text())["examples"]
        for row in rows:
            case = row.get("kind") == "case"
            assert ("asks" in row) is case and ("known" in row) is case, (path.name, row["text"])


def test_a_file_that_names_the_heads_it_trains_moves_no_other(tmp_path):
    path = tmp_path / "understanding_examples_x.yaml"
    path.write_text("trains: [asks, known]\nexamples:\n"
                    "  - {text: a TA wants the whole CP file, kind: case, risk: 'yes', consent: none, urgent: false,"
                    " asks: amount, known: 'yes'}\n"
                    "  - {text: what is the public interest test, kind: general, risk: 'no', consent: none, urgent: false}\n")
    case, general = read_examples(path)
    assert case.labels == {"asks": "amount", "known": "yes"}
    assert general.labels == {"asks": "none", "known": "none"}


def _examples():
    rows = [("my pupil told me dad hits her", "case", "yes"), ("when can I share without consent", "general", "no"),
            ("GDPR stops all sharing", "claim", "no"), ("best pizza in town", "other", "no")] * 3
    return tuple(Example(t, {"kind": k, "risk": r, "consent": "none", "urgent": "no"}) for t, k, r in rows)


def test_readings_are_probabilities_and_training_is_reproducible(fake_embedder):
    examples = _examples()
    first, second = train(fake_embedder, examples), train(fake_embedder, examples)
    assert np.array_equal(first, second)
    assert first.shape == (sum(len(c) for c in HEADS.values()), fake_embedder.dimension + 1)
    reading = LearnedReader(first).read(fake_embedder.embed(["my pupil told me dad hits her"])[0])
    for head, classes in HEADS.items():
        assert set(reading.probabilities[head]) == set(classes)
        assert sum(reading.probabilities[head].values()) == pytest.approx(1.0, abs=1e-5)
    assert reading.label("kind", 0.5) == "case"
    assert reading.p("consent", "refused") < 0.01  # a class with no example is never read


def test_a_partial_head_learns_from_the_examples_labelled_for_it(fake_embedder):
    examples = _examples() + tuple(
        Example(t, {"kind": "case", "risk": "no", "consent": "none", "urgent": "no", "asker": a})
        for t, a in [("an unknown caller says she is the aunt and wants his address", "doubtful"),
                     ("children's social care asked for our chronology", "agency")] * 3)
    reader = LearnedReader(train(fake_embedder, examples))
    read = lambda text: reader.read(fake_embedder.embed([text])[0])
    assert read("an unknown caller says she is the aunt and wants his address").label("asker", 0.5) == "doubtful"
    assert read("children's social care asked for our chronology").label("asker", 0.5) == "agency"
    assert read("my pupil told me dad hits her").label("kind", 0.5) == "case"  # the full heads still learn from all


def test_weights_are_cached_and_read_back(fake_embedder, tmp_path):
    examples = _examples()
    LearnedReader.load(fake_embedder, tmp_path, examples)
    calls = fake_embedder.calls
    again = LearnedReader.load(fake_embedder, tmp_path, examples)
    assert fake_embedder.calls == calls  # read from the cache, not trained again
    assert again.read(fake_embedder.embed(["best pizza in town"])[0]).label("kind", 0.5) == "other"


def test_a_bad_example_is_one_line_naming_the_file(tmp_path):
    path = tmp_path / "understanding_examples.yaml"
    path.write_text("examples:\n  - {text: hi, kind: case, risk: maybe, consent: none, urgent: false}\n")
    with pytest.raises(CorpusError, match="understanding_examples.yaml.*risk"):
        read_examples(path)


def test_the_stance_head_learns_from_statements_only_and_its_neighbours_read_beside_it(fake_embedder, tmp_path):
    base = _examples()
    statements = tuple(Example(t, {"stance": s}) for t, s in [("GDPR stops all sharing", "myth"),
                                                               ("consent is always needed first", "myth"),
                                                               ("you can share without consent to protect a child", "true"),
                                                               ("safety comes first when a child is at risk", "true")] * 3)
    reader = LearnedReader.load(fake_embedder, tmp_path, examples=base + statements)
    reading = reader.read(fake_embedder.embed(["GDPR stops all sharing"])[0])
    assert reading.label("stance", 0.5) == "myth"
    assert reading.p("stance_near", "myth") == pytest.approx(1.0)  # its nearest statements are all myths
    assert sorted(p.name.split("-")[0] for p in tmp_path.glob("*.npy")) == ["neighbours", "readers", "stances"]


def test_a_file_of_statements_labels_the_stance_only(tmp_path):
    path = tmp_path / "understanding_examples_s.yaml"
    path.write_text('trains: [stance]\nexamples:\n  - {"text": "GDPR stops me sharing", "stance": "myth"}\n')
    (only,) = read_examples(path)
    assert only.labels == {"stance": "myth"}
    bad = tmp_path / "understanding_examples_t.yaml"
    bad.write_text('examples:\n  - {"text": "GDPR stops me sharing", "stance": "myth"}\n')  # trains every head
    with pytest.raises(CorpusError, match="understanding_examples_t.yaml"):
        read_examples(bad)


def test_the_rounds_urgency_file_is_every_graded_message_as_its_writer_marked_it(tmp_path):
    from eval.statements import URGENT_OUT, urgencies, write_urgencies

    rows = urgencies()
    assert [e.labels for e in read_examples(URGENT_OUT)] == [{"urgent": "yes" if r["urgent"] else "no"} for r in rows]
    assert write_urgencies(tmp_path / "u.yaml") == len(rows)
    assert (tmp_path / "u.yaml").read_text(encoding="utf-8") == URGENT_OUT.read_text(encoding="utf-8")
    assert {r["urgent"] for r in rows} == {True, False}  # both kinds, so the head learns the line between them


def test_the_rounds_risk_file_is_the_graded_rounds_messages_as_their_writers_expected(tmp_path):
    from eval.statements import RISK_OUT, risk_label, risks, write_risks

    assert [e.labels for e in read_examples(RISK_OUT)] == [{"risk": r["risk"]} for r in risks()]
    assert write_risks(tmp_path / "r.yaml") == len(risks())
    assert (tmp_path / "r.yaml").read_text(encoding="utf-8") == RISK_OUT.read_text(encoding="utf-8")
    assert risk_label({"kind": "urgent"}) == "yes"
    assert risk_label({"kind": "case", "expected_outcome": "share", "expect": "Refer to children's social care today."}) == "yes"
    assert risk_label({"kind": "case", "expected_outcome": "share", "expect": "Send the records with mum's agreement."}) is None
    assert risk_label({"kind": "case", "expected_outcome": "seek_advice", "expect": "Talk to the DSL first."}) == "unsure"
    assert risk_label({"kind": "case", "expected_outcome": "do_not_share", "expect": "No need to know: say nothing."}) == "no"
    assert risk_label({"kind": "out_of_scope"}) is None and risk_label({"kind": "myth"}) is None


def test_the_short_answers_round_questions_are_the_labelled_graded_questions(tmp_path):
    from assistant.answer.short_answers import load_round_asks, load_short_answers
    from eval.statements import ASKS_OUT, round_asks, write_asks

    assert {k: list(v) for k, v in load_round_asks().items()} == round_asks()
    assert write_asks(tmp_path / "a.yaml") == sum(map(len, round_asks().values()))
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == ASKS_OUT.read_text(encoding="utf-8")
    assert set(load_round_asks()) <= {a.id for a in load_short_answers()}


def test_the_statements_file_is_the_graded_rounds_statements(tmp_path):
    from eval.statements import OUT, statements, write

    assert [e.labels["stance"] for e in read_examples(OUT)] == [r["stance"] for r in statements()]
    assert write(tmp_path / "x.yaml") == len(statements())
    assert (tmp_path / "x.yaml").read_text(encoding="utf-8") == OUT.read_text(encoding="utf-8")


def test_a_risk_raised_by_the_nearest_examples_says_so_and_its_lead_goes_through_the_safeguarding_lead():
    from assistant.messages import section, text as msg
    from assistant.ingest.documents import load_documents
    from assistant.understand.learned import Reading
    from assistant.verbatim import find_span

    rows = sum(len(classes) for classes in HEADS.values())
    vector = np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32)
    risky = np.array([[1.0, 0.0, 0.0, 0.0, 1.0]], dtype=np.float32)  # the one labelled example: this message, "yes"
    reading = LearnedReader(np.zeros((rows, 5), dtype=np.float32), risky).read(vector)
    assert reading.p("risk", "yes") == pytest.approx(1.0)
    assert reading.risk_from_neighbours(0.6)  # read alone, a third: the neighbours raised it
    assert not LearnedReader(np.zeros((rows, 5), dtype=np.float32)).read(vector).risk_from_neighbours(0.6)
    assert not Reading({"risk": {"yes": 0.9, "unsure": 0.1, "no": 0.0}}).risk_from_neighbours(0.6)
    assert "safeguarding lead" in msg("risk_first", "likely") and "refer yourself" in msg("risk_first", "likely")
    docs = {doc.id: doc for doc in load_documents(DATA_DIR.parent.parent / "corpus")}
    for level in ("yes", "unsure", "likely", "known"):
        for ref in section("risk_first", "citations", level):
            assert find_span(docs[ref["doc_id"]].text, ref["quote"]) is not None, (level, ref["quote"])
