"""The graded rounds' regression checks (eval/rounds.py), on hand-made answers."""

from __future__ import annotations

import json

from eval.rounds import load_round_cases, markdown, round_retrieval_cases, score


def _case(id_, kind, **extra):
    return {"id": id_, "kind": kind, "text": f"text of {id_}", "urgent": False, "must_not_decline": False, **extra}


def _answer(mode="answer", urgent=False, citations=2, verdict=None, outcome=None, facts=None):
    return {"mode": mode, "urgent": urgent, "citations": [{}] * citations, "myth": {"verdict": verdict} if verdict else None,
            "decision": {"outcome": outcome, "facts": facts or {}} if outcome else None}


def test_dangerous_failures_are_counted_and_safe_degradation_is_not():
    cases = [
        _case("a", "myth", expected_verdict="myth"),  # inverted
        _case("b", "myth", expected_verdict="myth"),  # no verdict: safe
        _case("c", "urgent", urgent=True),  # no banner
        _case("d", "case", must_not_decline=True),  # declined
        _case("e", "case", expected_outcome="share"),  # do not share: dangerous
        _case("f", "case", expected_outcome="share"),  # not reached: not wrong
        _case("g", "out_of_scope"),
    ]
    answers = {"text of a": _answer(verdict="true"), "text of b": _answer(), "text of c": _answer(),
               "text of d": _answer(mode="out_of_scope", citations=0),
               "text of e": _answer(mode="decision", outcome="do_not_share"),
               "text of f": _answer(mode="decision", outcome="need_more_facts"),
               "text of g": _answer(mode="out_of_scope", citations=0)}
    result = score(cases, answers.__getitem__)
    assert sorted(d["id"] for d in result.dangerous) == ["a", "c", "d", "e"]
    rates = result.rates()
    assert rates["verdict right or none (never inverted)"] == (0.5, 2)
    assert rates["case outcome right when reached"] == (0.5, 2)
    assert rates["declines what the guidance does not cover"] == (1.0, 1)
    assert "Dangerous: 4" in markdown(result)


def test_only_graded_rounds_join_the_set(tmp_path):
    graded, ungraded = tmp_path / "round-1", tmp_path / "round-2"
    for folder in (graded, ungraded):
        folder.mkdir()
        (folder / "cases.jsonl").write_text(json.dumps(_case(folder.name, "question")) + "\n")
    (graded / "grades.jsonl").write_text("{}\n")
    assert [c["id"] for c in load_round_cases(tmp_path)] == ["round-1"]


def test_a_rounds_expected_phrases_become_retrieval_cases_and_cases_without_them_are_left_out(tmp_path):
    folder = tmp_path / "round-13"
    folder.mkdir()
    rows = [_case("h1", "question", expect_phrases=["you may share information without consent"]),
            _case("h2", "out_of_scope", expect_phrases=[]),
            _case("h3", "myth")]
    (folder / "cases.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert round_retrieval_cases(13, tmp_path) == [
        {"id": "h1", "question": "text of h1", "expect_phrases": ["you may share information without consent"]}]


def test_writers_words_for_verdicts_and_outcomes_are_read_as_the_assistants():
    cases = [_case("a", "myth", expected_verdict="false"), _case("b", "case", expected_outcome="share_without_consent"),
             _case("c", "case", expected_outcome="seek_consent")]
    answers = {"text of a": _answer(verdict="true"), "text of b": _answer(mode="decision", outcome="share"),
               "text of c": _answer(mode="decision", outcome="share")}
    result = score(cases, answers.__getitem__)
    rates = result.rates()
    assert rates["verdict right or none (never inverted)"] == (0.0, 1)  # "Yes" to a false statement: inverted
    assert rates["case outcome reached and right"] == (0.5, 2)


def test_not_yet_in_a_case_stating_no_risk_is_wrong_but_not_dangerous():
    """"Do not share yet — ask for consent first" where the writer expected sharing (with consent): wrong,
    but dangerous only where the case does not itself state that no child is at risk of significant harm."""
    cases = [_case("a", "case", expected_outcome="share"), _case("b", "case", expected_outcome="share")]
    answers = {"text of a": _answer(mode="decision", outcome="do_not_share", facts={"significant_harm_risk": "no"}),
               "text of b": _answer(mode="decision", outcome="do_not_share", facts={"significant_harm_risk": "unsure"})}
    result = score(cases, answers.__getitem__)
    assert [d["id"] for d in result.dangerous] == ["b"]
    assert result.rates()["case outcome right when reached"] == (0.0, 2)


def test_ask_for_consent_first_is_right_where_sharing_with_consent_is_expected():
    from assistant.messages import text as msg
    asks_first = msg("decision", "outcome", "do_not_share_ask_first", flowchart="the flowchart")
    cases = [_case("a", "case", expected_outcome="share_with_consent"), _case("b", "case", expected_outcome="share_with_consent"),
             _case("c", "case", expected_outcome="share")]
    answers = {"text of a": {**_answer(mode="decision", outcome="do_not_share", facts={"significant_harm_risk": "no"}),
                             "answer": asks_first},
               "text of b": {**_answer(mode="decision", outcome="do_not_share", facts={"significant_harm_risk": "no"}),
                             "answer": "**Outcome: do not share**"},
               "text of c": {**_answer(mode="decision", outcome="do_not_share", facts={"significant_harm_risk": "no"}),
                             "answer": asks_first}}
    result = score(cases, answers.__getitem__)
    assert result.rates()["case outcome reached and right"] == (1 / 3, 3)  # only a: b refused, c expected sharing now
