"""The decision engine: flowchart data, every edge, the rules, safety properties, compare, DOT."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from assistant.config import PROJECT_ROOT
from assistant.ingest.documents import documents_by_id
from assistant.errors import BadFacts, BadInput, UnknownFlowchart
from assistant.decision.engine import decide, validate_facts
from assistant.decision.models import ANSWERS, FACTS, OUTCOMES, list_flowcharts, load_flowchart
from assistant.decision.compare import compare
from assistant.decision.dot import to_dot
from assistant.decision.models import FLOWCHART_DIR, Flowchart, check_citations
from assistant.verbatim import contains

CORPUS = PROJECT_ROOT / "corpus"
IDS = ("default", "hmg-2006", "hertfordshire", "buckinghamshire")

# Every edge of every flowchart, written out by hand from the documents' own flowchart text
# (Calderdale Appendix 1 / Children's MARS; HMG 2006 section 4 flowchart; Hertfordshire "When?";
# Buckinghamshire Appendix 1). The data must match this table exactly.
EXPECTED_EDGES = {
    "default": {
        "purpose": ("consent", "do_not_share", "seek_advice"),
        "consent": ("share", "identifiable", "seek_advice"),
        "identifiable": ("lawful_reason", "share", "seek_advice"),
        "lawful_reason": ("share", "do_not_share", "seek_advice"),
    },
    "hmg-2006": {
        "purpose": ("identifiable", "do_not_share", "seek_advice"),
        "identifiable": ("confidential", "share", "seek_advice"),
        "confidential": ("consent", "share", "seek_advice"),
        "consent": ("share", "statutory_duty", "seek_advice"),
        "statutory_duty": ("share", "public_interest", "seek_advice"),
        "public_interest": ("share", "do_not_share", "seek_advice"),
    },
    "hertfordshire": {
        "purpose": ("identifiable", "do_not_share", "seek_advice"),
        "identifiable": ("confidential", "share", "seek_advice"),
        "confidential": ("consent", "share", "seek_advice"),
        "consent": ("share", "another_reason", "seek_advice"),
        "another_reason": ("share", "do_not_share", "seek_advice"),
    },
    "buckinghamshire": {
        "purpose": ("identifiable", "do_not_share", "seek_advice"),
        "identifiable": ("confidential", "share", "seek_advice"),
        "confidential": ("consent", "share", "seek_advice"),
        "consent": ("share", "public_interest", "seek_advice"),
        "public_interest": ("share", "do_not_share", "seek_advice"),
    },
}
EXPECTED_FACTS = {  # the order of questions each document gives
    "default": ["legitimate_purpose", "consent", "identifiable", "statutory_duty|significant_harm_risk|public_interest"],
    "hmg-2006": ["legitimate_purpose", "identifiable", "confidential", "consent", "statutory_duty",
                 "significant_harm_risk|public_interest"],
    "hertfordshire": ["legitimate_purpose", "identifiable", "confidential", "consent",
                      "statutory_duty|significant_harm_risk|public_interest"],
    "buckinghamshire": ["legitimate_purpose", "identifiable", "confidential", "consent",
                        "statutory_duty|significant_harm_risk|public_interest"],
}
EDGES = [(fid, node, answer, targets[i]) for fid, nodes in EXPECTED_EDGES.items()
         for node, targets in nodes.items() for i, answer in enumerate(ANSWERS)]
ISSUE_EXAMPLE = {"legitimate_purpose": "yes", "identifiable": "yes", "confidential": "no", "consent": "no",
                 "statutory_duty": "no", "significant_harm_risk": "no", "public_interest": "no"}


def _facts_for(node, answer: str) -> dict[str, str]:
    """Facts that make ``node`` answer ``answer`` (consent asked safely)."""
    if node.fact:
        extra = {node.unless.fact: "no"} if node.unless else {}
        return {**extra, node.fact: answer}
    parts = [part.fact for part in node.any_of]
    if answer == "yes":
        return {parts[0]: "yes"}
    facts = {fact: "no" for fact in parts}
    if answer == "unsure":
        facts[parts[-1]] = "unsure"
    return facts


def _route(fid: str, target: str) -> list[tuple[str, str]]:
    """(node, answer) pairs from the start to ``target``, following the hand-written table."""
    todo = [(load_flowchart(fid).start, [])]
    while todo:
        node, route = todo.pop(0)
        if node == target:
            return route
        for answer, nxt in zip(ANSWERS, EXPECTED_EDGES[fid].get(node, ())):
            todo.append((nxt, route + [(node, answer)]))
    raise AssertionError(f"{target} unreachable in {fid}")


# --- the data ------------------------------------------------------------------------------------

def test_flowcharts_listed_default_first():
    infos = list_flowcharts()
    assert [info.id for info in infos] == list(IDS)
    assert set(infos[0].documents) == {"calderdale", "childrens-mars"}
    assert all(info.title and info.description for info in infos)


def test_public_constants():
    assert FACTS == ("legitimate_purpose", "consent", "identifiable", "confidential", "statutory_duty",
                     "significant_harm_risk", "public_interest", "seeking_consent_unsafe")
    assert ANSWERS == ("yes", "no", "unsure")


@pytest.mark.parametrize("fid", IDS)
def test_every_quote_is_verbatim_in_the_named_document(fid):
    docs = documents_by_id(CORPUS)
    citations = load_flowchart(fid).all_citations()
    assert len(citations) >= 10
    missing = [c.quote for c in citations if not contains(docs[c.doc_id].text, c.quote)]
    assert missing == []


def test_check_citations_reports_nothing_on_the_real_corpus_and_catches_a_changed_one(corpus_copy):
    assert check_citations(CORPUS) == []
    path = corpus_copy / "hmg-2006.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Is the information confidential?", "Is it secret?"),
                    encoding="utf-8")
    problems = check_citations(corpus_copy)
    assert problems and all(p.startswith("hmg-2006:") for p in problems)


@pytest.mark.parametrize("fid", IDS)
def test_question_order_follows_the_document(fid):
    chart = load_flowchart(fid)
    order, node_id = [], chart.start
    while node_id in EXPECTED_EDGES[fid]:
        node = chart.node(node_id)
        order.append(node.fact or "|".join(part.fact for part in node.any_of))
        node_id = next((t for t in EXPECTED_EDGES[fid][node_id] if t in EXPECTED_EDGES[fid]), "end")
    assert order == EXPECTED_FACTS[fid]


def test_edge_table_covers_every_edge_in_the_data():
    in_data = {(fid, node.id, answer, node.edge(answer))
               for fid in IDS for node in load_flowchart(fid).nodes for answer in ANSWERS}
    assert in_data == set(EDGES)


def _raw(fid: str) -> dict:
    return yaml.safe_load((FLOWCHART_DIR / f"{fid}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("breakage, message", [
    (lambda d: d["nodes"][0].update(colour="red"), "Extra inputs"),
    (lambda d: d.update(notes="x"), "Extra inputs"),
    (lambda d: d["nodes"][0].update(if_yes="nowhere"), "unknown"),
    (lambda d: d["nodes"][1].update(if_no="purpose"), "loops"),
    (lambda d: d["nodes"][0].update(citations=[]), "at least 1"),
    (lambda d: d["nodes"][0]["citations"][0].update(doc_id="hmg-2006"), "not in documents"),
    (lambda d: d["nodes"][0].update(fact="mood"), "fact"),
    (lambda d: d["nodes"][2].pop("basis"), "basis"),
    (lambda d: d["nodes"][0].update(any_of=[{"fact": "consent", "citation": d["nodes"][0]["citations"][0]}] * 2),
     "exactly one"),
])
def test_strict_model_rejects_broken_data(breakage, message):
    data = _raw("default")
    breakage(data)
    with pytest.raises(ValidationError, match=message):
        Flowchart.model_validate(data)


def test_yaml_booleans_cannot_sneak_in_as_answers():
    data = _raw("default")
    data["nodes"][0]["answer_citations"] = {True: data["nodes"][0]["citations"][0]}
    with pytest.raises(ValidationError):
        Flowchart.model_validate(data)


@pytest.mark.parametrize("bad", ["nope", "facts", "conditions", "../corpus/manifest", "", 3])
def test_unknown_flowchart(bad):
    with pytest.raises(UnknownFlowchart):
        load_flowchart(bad)
    with pytest.raises(UnknownFlowchart):
        decide({}, bad)


def test_load_is_cached():
    assert load_flowchart("default") is load_flowchart("default")


# --- facts ---------------------------------------------------------------------------------------

def test_validate_facts_accepts_booleans_case_and_none():
    assert validate_facts({"consent": True, "identifiable": False, "confidential": " Unsure ",
                           "public_interest": None}) == {"consent": "yes", "identifiable": "no",
                                                        "confidential": "unsure"}


@pytest.mark.parametrize("raw, named", [
    ({"consnet": "yes"}, "'consnet'"),
    ({"consent": "maybe"}, "'maybe'"),
    ({"consent": 1}, "1"),
    ({"consent": ""}, "''"),
])
def test_bad_facts_give_one_line_naming_the_problem(raw, named):
    with pytest.raises(BadFacts) as err:
        decide(raw)
    message = str(err.value)
    assert named in message and "\n" not in message
    assert ("legitimate_purpose" in message) or ("yes, no or unsure" in message)


def test_facts_must_be_a_mapping():
    with pytest.raises(BadFacts):
        validate_facts(["consent"])


# --- every edge ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fid, node_id, answer, target", EDGES, ids=[f"{e[0]}:{e[1]}:{e[2]}" for e in EDGES])
def test_every_edge(fid, node_id, answer, target):
    chart = load_flowchart(fid)
    facts: dict[str, str] = {}
    for step_node, step_answer in _route(fid, node_id):
        facts.update(_facts_for(chart.node(step_node), step_answer))
    facts.update(_facts_for(chart.node(node_id), answer))
    decision = decide(facts, fid)
    last = decision.path[-1]
    assert (last.node, last.answer, last.to) == (node_id, answer, target)
    if target in ("share", "do_not_share", "seek_advice"):
        assert decision.outcome == target and decision.next_question is None
    else:
        assert decision.outcome == "need_more_facts"
        assert decision.next_question.node == target


@pytest.mark.parametrize("fid, node_id", [(f, n.id) for f in IDS for n in load_flowchart(f).nodes if n.any_of])
def test_any_part_yes_answers_a_composite_question_yes(fid, node_id):
    chart = load_flowchart(fid)
    node = chart.node(node_id)
    base: dict[str, str] = {}
    for step_node, step_answer in _route(fid, node_id):
        base.update(_facts_for(chart.node(step_node), step_answer))
    for part in node.any_of:
        facts = {**base, **{p.fact: "no" for p in node.any_of}, part.fact: "yes"}
        decision = decide(facts, fid)
        assert decision.path[-1].answer == "yes" and decision.path[-1].fact == part.fact
        assert decision.path[-1].citation == part.citation
        assert decision.outcome == "share" and decision.lawful_basis


# --- the "lawful reason to share without consent" rule (default) ---------------------------------

WITHOUT_CONSENT = {"legitimate_purpose": "yes", "seeking_consent_unsafe": "no", "consent": "no", "identifiable": "yes"}


@pytest.mark.parametrize("reasons, outcome, asks", [
    ({"statutory_duty": "yes"}, "share", None),
    ({"significant_harm_risk": "yes"}, "share", None),
    ({"public_interest": "yes", "statutory_duty": "unsure"}, "share", None),
    ({"statutory_duty": "no", "significant_harm_risk": "unsure", "public_interest": "no"}, "seek_advice", None),
    ({"statutory_duty": "no", "significant_harm_risk": "no", "public_interest": "no"}, "do_not_share", None),
    ({"statutory_duty": "no", "public_interest": "no"}, "need_more_facts", "significant_harm_risk"),
    ({"statutory_duty": "unsure"}, "need_more_facts", "significant_harm_risk"),
    ({}, "need_more_facts", "statutory_duty"),
])
def test_lawful_reason_rule(reasons, outcome, asks):
    decision = decide({**WITHOUT_CONSENT, **reasons})
    assert decision.outcome == outcome
    assert (decision.next_question.fact if decision.next_question else None) == asks


def test_a_worry_without_consent_means_seek_advice_not_a_question_on_the_public_interest():
    """A worry that may not amount to a risk of significant harm ("unsure") does not settle the public
    interest: the flowchart says seek advice (implied, cited), rather than asking the practitioner to weigh
    it alone; a public interest told still decides."""
    decision = decide({**WITHOUT_CONSENT, "statutory_duty": "no", "significant_harm_risk": "unsure"})
    assert decision.outcome == "seek_advice" and decision.next_question is None
    implied = {fact: answer for fact, answer, _, _ in decision.implied}
    assert implied == {"public_interest": "unsure"}
    told = decide({**WITHOUT_CONSENT, "statutory_duty": "no", "significant_harm_risk": "unsure", "public_interest": "yes"})
    assert told.outcome == "share" and not told.implied
    assert decide({"significant_harm_risk": "unsure", "consent": "yes"}).outcome == "share"  # consent given: no advice needed


def test_next_question_for_a_part_uses_the_fact_wording_and_names_the_node():
    decision = decide({**WITHOUT_CONSENT, "statutory_duty": "no"})
    nq = decision.next_question
    assert nq.fact == "significant_harm_risk" and nq.node == "lawful_reason"
    assert "significant harm" in nq.question and nq.help
    assert nq.node_question == load_flowchart("default").node("lawful_reason").question


# --- seeking consent unsafe ----------------------------------------------------------------------

def test_consent_not_sought_is_treated_as_no_and_said_in_conditions():
    decision = decide({"legitimate_purpose": "yes", "seeking_consent_unsafe": "yes", "identifiable": "yes",
                       "significant_harm_risk": "yes"})
    assert decision.outcome == "share" and decision.consent_not_sought
    consent_step = decision.path[1]
    assert (consent_step.node, consent_step.answer, consent_step.fact) == ("consent", "no", "seeking_consent_unsafe")
    assert consent_step.citation == load_flowchart("default").node("consent").unless.citation
    assert "consent_not_sought" in [c.id for c in decision.conditions]
    assert any("not sought" in reason for reason in decision.reasons)


def test_consent_given_but_unsafe_to_seek_is_still_treated_as_no():
    decision = decide({"legitimate_purpose": "yes", "consent": "yes", "seeking_consent_unsafe": "yes",
                       "identifiable": "yes", "statutory_duty": "no", "significant_harm_risk": "no",
                       "public_interest": "no"})
    assert decision.outcome == "do_not_share" and decision.consent_not_sought
    assert any("treats consent as not sought" in reason for reason in decision.reasons)


@pytest.mark.parametrize("facts, outcome, asks", [
    ({"legitimate_purpose": "yes"}, "need_more_facts", "seeking_consent_unsafe"),
    ({"legitimate_purpose": "yes", "seeking_consent_unsafe": "no"}, "need_more_facts", "consent"),
    ({"legitimate_purpose": "yes", "seeking_consent_unsafe": "unsure"}, "need_more_facts", "consent"),
    ({"legitimate_purpose": "yes", "seeking_consent_unsafe": "unsure", "consent": "no", "identifiable": "no"},
     "share", None),
    ({"legitimate_purpose": "yes", "consent": "yes"}, "share", None),
    ({"legitimate_purpose": "yes", "consent": "yes", "seeking_consent_unsafe": "unsure"}, "share", None),
])
def test_when_consent_is_asked(facts, outcome, asks):
    decision = decide(facts)
    assert decision.outcome == outcome
    assert (decision.next_question.fact if decision.next_question else None) == asks
    assert decision.consent_not_sought is False


# --- conditions, basis, referral -----------------------------------------------------------------

SHARE_IDS = {"necessary_only", "right_person", "securely", "inform_person", "record_what_shared"}


@pytest.mark.parametrize("fid", IDS)
def test_share_conditions(fid):
    decision = decide({"legitimate_purpose": "yes", "consent": "yes", "identifiable": "yes",
                       "confidential": "yes"}, fid)
    assert decision.outcome == "share"
    ids = [c.id for c in decision.conditions]
    assert SHARE_IDS <= set(ids) and ids[-1] == "recording_rule"
    assert ("onward_sharing" in ids) == (fid in ("hmg-2006", "buckinghamshire"))
    assert decision.lawful_basis and "onsent" in decision.lawful_basis
    assert decision.referral is None


@pytest.mark.parametrize("fid", IDS)
def test_do_not_share_conditions(fid):
    decision = decide({"legitimate_purpose": "no"}, fid)
    assert decision.outcome == "do_not_share" and decision.lawful_basis is None
    ids = {c.id for c in decision.conditions}
    assert {"record_not_shared", "seek_advice_if_doubt", "recording_rule"} <= ids
    assert not ids & SHARE_IDS


@pytest.mark.parametrize("fid", IDS)
def test_referral_route_when_significant_harm(fid):
    decision = decide({"significant_harm_risk": "yes"}, fid)
    assert decision.outcome in ("need_more_facts", "share")  # "share" where nothing else left open changes it
    referral_ids = [c.id for c in decision.referral]
    assert referral_ids and set(referral_ids) <= {c.id for c in decision.conditions}
    if fid == "default":
        assert referral_ids == ["refer_social_care", "tell_police"]
    assert all(c.citations for c in decision.referral)


def test_not_identifiable_share_names_that_basis():
    decision = decide({"legitimate_purpose": "yes", "seeking_consent_unsafe": "no", "consent": "no",
                       "identifiable": "no"})
    assert decision.outcome == "share" and decision.lawful_basis.startswith("Not identifiable")


def test_no_risk_of_significant_harm_means_consent_is_asked_for_not_whether_asking_is_safe():
    """With no risk of significant harm told, asking for consent endangers nobody: the flowchart
    asks for consent (implied, cited), not whether asking would increase the risk."""
    decision = decide({"legitimate_purpose": "yes", "significant_harm_risk": "no"})
    assert decision.outcome == "need_more_facts" and decision.next_question.fact == "consent"
    implied = {fact: answer for fact, answer, _, _ in decision.implied}
    assert implied.get("seeking_consent_unsafe") == "no"
    told_unsafe = decide({"legitimate_purpose": "yes", "significant_harm_risk": "no", "seeking_consent_unsafe": "yes"})
    assert told_unsafe.next_question is None or told_unsafe.next_question.fact != "consent"  # told wins


# --- compare -------------------------------------------------------------------------------------

def test_compare_issue_example_2006_shares_default_does_not():
    result = compare(ISSUE_EXAMPLE)
    outcomes = result.to_dict()["outcomes"]
    assert outcomes["default"] == "do_not_share" and outcomes["hmg-2006"] == "share"
    assert result.differs
    diff = next(d for d in result.differences() if d["flowchart"] == "hmg-2006")
    assert diff["diverged_at"]["fact"] == "confidential" and diff["diverged_at"]["answer"] == "no"
    assert diff["reference_decided_by"]["node"] == "lawful_reason"
    assert "confidential" in diff["explanation"]


def test_compare_agrees_when_consent_is_given():
    result = compare({"legitimate_purpose": "yes", "consent": "yes", "identifiable": "yes", "confidential": "yes"})
    assert not result.differs and result.differences() == []
    assert [d["flowchart"] for d in result.to_dict()["flowcharts"]] == list(IDS)


def test_compare_to_dict_is_json():
    assert json.loads(json.dumps(compare(ISSUE_EXAMPLE).to_dict()))["differs"] is True


# --- safety properties ---------------------------------------------------------------------------

facts_strategy = st.fixed_dictionaries({f: st.sampled_from(("yes", "no", "unsure", None)) for f in FACTS}).map(
    lambda d: {k: v for k, v in d.items() if v is not None})


def _check_properties(facts: dict[str, str], decision) -> None:
    assert decision.outcome in OUTCOMES
    implied = {fact: answer for fact, answer, _, _ in decision.implied}
    assert not set(implied) & set(facts)  # an implication never overrides a told fact
    known = {**implied, **facts}
    if known.get("legitimate_purpose") != "yes":
        assert decision.outcome != "share"  # stronger than: not with purpose=no and consent!=yes
    if facts.get("legitimate_purpose") not in (None, "yes"):
        assert decision.outcome != "share"  # a told "no" or "unsure" is never implied away
    assert (decision.outcome == "need_more_facts") == (decision.next_question is not None)
    if decision.outcome in ("share", "do_not_share"):
        assert all(fact in known for step in decision.path for fact, _ in step.facts_used)
    if decision.next_question is not None:
        assert decision.next_question.fact not in facts
    assert "recording_rule" in [c.id for c in decision.conditions]
    if facts.get("significant_harm_risk") == "yes" and facts.get("legitimate_purpose") == "yes":
        assert decision.outcome != "do_not_share"
        assert decision.referral
    assert (decision.outcome == "share") == (decision.lawful_basis is not None)


@settings(max_examples=400, deadline=None)
@given(facts=facts_strategy, fid=st.sampled_from(IDS))
def test_properties_hypothesis(facts, fid):
    decision = decide(facts, fid)
    _check_properties(facts, decision)
    chart_citations = set(load_flowchart(fid).all_citations())
    assert set(decision.citations) <= chart_citations
    assert json.loads(json.dumps(decision.to_dict()))["outcome"] == decision.outcome


@settings(max_examples=300, deadline=None)
@given(facts=facts_strategy, more=facts_strategy, fid=st.sampled_from(IDS))
def test_a_reached_decision_does_not_change_when_more_facts_arrive(facts, more, fid):
    """Absent facts never decided anything: filling them in leaves a reached outcome as it was.
    (Except seeking_consent_unsafe = yes, which by design overrides a given consent, and a fact
    told against what the others implied: what a practitioner tells always wins over an implication.)"""
    decision = decide(facts, fid)
    if decision.outcome == "need_more_facts":
        return
    implied = {fact: answer for fact, answer, _, _ in decision.implied}
    waived = {step.node for step in decision.path if step.waived}
    waived_facts = {"consent", "seeking_consent_unsafe"} if waived else set()
    either_way = {step.fact for step in decision.path if step.implied and step.implied.startswith("Not needed to decide: a yes or a no")}
    extra = {k: v for k, v in more.items() if k not in facts and not (k == "seeking_consent_unsafe" and v == "yes")
             and implied.get(k, v) == v and k not in waived_facts and not (k in either_way and v == "unsure")}
    assert decide({**facts, **extra}, fid).outcome == decision.outcome


@pytest.mark.parametrize("fid", IDS)
def test_properties_exhaustive(fid):
    """All 4^8 combinations of yes / no / unsure / absent through each flowchart."""
    seen = set()
    for values in itertools.product(("yes", "no", "unsure", None), repeat=len(FACTS)):
        facts = {f: v for f, v in zip(FACTS, values) if v is not None}
        decision = decide(facts, fid)
        _check_properties(facts, decision)
        seen.add(decision.outcome)
    assert seen == set(OUTCOMES)


# --- DOT -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fid", IDS)
def test_dot_has_every_node_and_labelled_edge(fid):
    dot = to_dot(fid)
    chart = load_flowchart(fid)
    assert dot.startswith(f'digraph "{fid}" {{') and dot.rstrip().endswith("}")
    for node in chart.nodes:
        assert f'"{node.id}" [label=' in dot
        for answer in ANSWERS:
            assert f'"{node.id}" -> "{node.edge(answer)}" [label="{answer}"' in dot
    assert "penwidth=2.5" not in dot and "peripheries=2" not in dot


def test_dot_highlights_path_and_current_question():
    decision = decide({"legitimate_purpose": "yes", "consent": "no", "seeking_consent_unsafe": "no"})
    dot = to_dot("default", decision)
    taken = [line for line in dot.splitlines() if "->" in line and "penwidth=2.5" in line]
    assert len(taken) == len(decision.path) == 2
    assert '"purpose" -> "consent" [label="yes", color=' in dot
    current = next(line for line in dot.splitlines() if line.strip().startswith('"identifiable" ['))
    assert "peripheries=2" in current


def test_dot_marks_the_outcome_reached():
    decision = decide({"legitimate_purpose": "no"})
    line = next(x for x in to_dot("default", decision).splitlines() if x.strip().startswith('"do_not_share" ['))
    assert "penwidth=3" in line


def test_dot_escapes_quotes_and_rejects_a_decision_from_another_flowchart():
    from assistant.decision.dot import _quote

    assert _quote('say "hi"\\') == '"say \\"hi\\"\\\\"'
    with pytest.raises(BadInput):
        to_dot("hmg-2006", decide({}, "default"))


# --- light imports -------------------------------------------------------------------------------

def test_importing_the_engine_loads_no_heavy_library():
    code = ("import sys, json, assistant.decision.engine, assistant.outputs.records, assistant.cli.decide; "
            "heavy = {'torch', 'chromadb', 'llama_index', 'streamlit', 'sentence_transformers', 'fpdf'}; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT,
                            timeout=60, check=True)
    assert json.loads(result.stdout) == []


def test_two_lawful_bases_read_as_one_sentence():
    from assistant.decision.engine import decide

    decision = decide({"legitimate_purpose": "yes", "consent": "no", "identifiable": "yes", "significant_harm_risk": "yes",
                       "public_interest": "yes", "seeking_consent_unsafe": "no"})
    assert ".;" not in decision.lawful_basis and decision.lawful_basis.endswith(".")
    assert "Safeguarding" in decision.lawful_basis and "Public interest" in decision.lawful_basis


@given(facts=facts_strategy, fid=st.sampled_from(IDS))
def test_look_ahead_says_what_each_answer_to_the_missing_question_leads_to(facts, fid):
    """A stalled decision lists, for yes, no and unsure, exactly what the engine gives with that
    answer added (the outcome, or the question after it); a reached one lists nothing."""
    decision = decide(facts, fid)
    if decision.outcome != "need_more_facts":
        assert decision.if_answered == ()
        return
    assert [answer for answer, _, _ in decision.if_answered] == list(ANSWERS)
    for answer, outcome, then_asks in decision.if_answered:
        after = decide({**facts, decision.next_question.fact: answer}, fid)
        assert outcome == after.outcome
        assert then_asks == (after.next_question.question if after.next_question else None)


def test_look_ahead_shows_the_do_not_share_branch_of_the_first_question():
    branches = {answer: outcome for answer, outcome, _ in decide({}).if_answered}
    assert branches["no"] == "do_not_share" and branches["unsure"] == "seek_advice"


def test_a_question_whose_yes_and_no_lead_to_the_same_outcome_is_not_asked():
    """A competent young person's refusal, no risk and no duty or public interest: whether there is a
    purpose in telling anyone does not change the outcome, so it is not asked; told "unsure", it
    still means seek advice."""
    facts = {"significant_harm_risk": "no", "consent": "no", "statutory_duty": "no", "public_interest": "no", "identifiable": "yes"}
    decision = decide(facts)
    assert decision.outcome == "do_not_share"
    first = decision.path[0]
    assert first.fact == "legitimate_purpose" and first.waived and "same outcome (do not share)" in first.implied
    assert decide({**facts, "legitimate_purpose": "unsure"}).outcome == "seek_advice"
    assert decide({**facts, "legitimate_purpose": "no"}).outcome == "do_not_share"
    assert decide({"consent": "no", "significant_harm_risk": "no"}).outcome == "need_more_facts"  # a duty could change it
