"""The domain embedder's training pairs: the short answers' wordings train it, except a fixed held-out
tenth kept for calibrating the opening rule (``python -m eval calibrate-short-answers``)."""

from __future__ import annotations

from assistant.answer.short_answers import load_short_answers
from assistant.indexing import tuning


def test_short_answer_wordings_pair_with_their_line_and_a_quote_and_the_held_out_tenth_never_trains(tmp_path):
    pairs = [p for p in tuning.training_pairs([], []) if p.kind == "short"]
    answers = {a.id: a for a in load_short_answers()}
    trained = {p.anchor for p in pairs}
    held = {w for a in answers.values() for w in a.asks if tuning.held_out(w)}
    assert held and not held & trained
    everything = sum(len(a.asks) for a in answers.values())
    assert 0.05 < len(held) / everything < 0.15  # about a tenth
    for pair in pairs:
        answer = answers[pair.group]
        assert pair.anchor in answer.asks
        assert pair.positive == answer.line or pair.positive in {q.quote for q in answer.quotes}
    assert {p.anchor for p in pairs if p.positive in {a.line for a in answers.values()}} == trained


def test_which_wordings_are_held_out_does_not_depend_on_case_or_spacing():
    assert tuning.held_out("Can I  share without consent?") == tuning.held_out("can i share without consent?")


def test_claim_wordings_pair_with_their_statement_and_one_quote_each_and_every_quote_is_used():
    import yaml

    pairs = [p for p in tuning.training_pairs([], []) if p.kind == "claim"]
    for claim in yaml.safe_load(tuning.CLAIMS_FILE.read_text(encoding="utf-8"))["claims"]:
        own = [p for p in pairs if p.group == claim["id"]]
        wordings = [claim["statement"], *claim.get("paraphrases", [])]
        quotes = {c["quote"] for c in claim["citations"]}
        assert {p.anchor for p in own if p.positive == claim["statement"]} == set(wordings[1:])
        to_quotes = [p for p in own if p.positive in quotes and p.positive != claim["statement"]]
        assert len(to_quotes) <= len(wordings)  # one quote per wording, not every quote
        used = {p.positive for p in own} | {w for w in wordings if w in quotes}
        assert quotes <= used, claim["id"]


def test_the_trained_models_name_follows_its_wordings_not_a_claims_cues(tmp_path, monkeypatch):
    import yaml

    from assistant.config import Settings
    from assistant.indexing import models

    data = yaml.safe_load(tuning.CLAIMS_FILE.read_text(encoding="utf-8"))
    claims = tmp_path / "claims.yaml"

    def wordings_after(edit) -> list:
        edited = yaml.safe_load(yaml.safe_dump(data))
        edit(edited["claims"][0])
        claims.write_text(yaml.safe_dump(edited), encoding="utf-8")
        return tuning.training_pairs([], [], claims_file=claims)

    unchanged = wordings_after(lambda c: None)
    assert wordings_after(lambda c: c.update(cues=[["\\bnothing like this\\b"]])) == unchanged  # not trained on
    assert wordings_after(lambda c: c.update(contra=["\\bnor this\\b"])) == unchanged
    assert wordings_after(lambda c: c["paraphrases"].append("A new wording of it")) != unchanged
    assert wordings_after(lambda c: c.update(statement=c["statement"] + " Always.")) != unchanged

    name = models.embedder_name(Settings())
    monkeypatch.setattr(tuning, "training_pairs", lambda *args: [*unchanged, tuning.Pair("new", "pair", "x")])
    assert models.embedder_name(Settings()) != name  # the wordings are part of the model's name
