"""The Streamlit app through AppTest (no browser): the chat, a myth, out of scope, a decision walked
by clicking, the downloads, feedback, a trainer scenario, the compare view and the other pages.

The app reads Settings.from_env(); each test points it at a usable index and a temporary data
folder (tests/app_support.py), so nothing is written in the repository.
"""

from __future__ import annotations

import json
import re
import string

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from app_support import APP, app_environment
from assistant.decision.engine import decide
from assistant.messages import text as msg
from assistant.decision.scenarios import get_scenario, outcome, walk
from assistant.ui.markdown import md_escape

pytestmark = pytest.mark.timeout(300)
TIMEOUT = 60
_ESCAPED = re.compile(r"\\([" + re.escape(string.punctuation) + "])")


def plain(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


@pytest.fixture(scope="module")
def environment(request, tmp_path_factory) -> dict[str, str]:
    return app_environment(request, tmp_path_factory.mktemp("app") / "var")


@pytest.fixture
def app(environment, monkeypatch) -> AppTest:
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """What each download button would serve, by file name."""
    served: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def capture(self, path_or_data, mimetype, kind, filename=None):
        data = path_or_data.encode() if isinstance(path_or_data, str) else bytes(path_or_data)
        served[filename or ""] = data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    return served


def ask(app: AppTest, question: str) -> AppTest:
    app.chat_input[0].set_value(question).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def markdown_text(block) -> str:
    return "\n".join(plain(m.value) for m in block.markdown)


def click_yes_until_outcome(app: AppTest, limit: int = 10) -> int:
    for clicks in range(limit):
        yes = [b for b in app.button if b.label == "Yes"]
        if not yes:
            return clicks
        yes[-1].click().run()
        assert not app.exception, [e.value for e in app.exception]
    pytest.fail("no outcome after clicking Yes ten times")


def test_empty_state_offers_example_questions(app):
    assert not app.exception
    examples = [b for b in app.button if b.key and b.key.startswith("example_")]
    assert len(examples) >= 3
    assert any(msg("privacy_notice")[:40] in info.value for info in app.info)
    examples[0].click().run()
    assert len(app.chat_message) == 2  # the example was asked


def test_general_question_shows_the_answer_then_its_citations(app):
    ask(app, "What does the guidance say about consent?")
    turn = app.session_state["turns"][-1]
    assert turn["mode"] == "answer" and turn["citations"]
    user, reply = app.chat_message[0], app.chat_message[1]
    assert "What does the guidance say about consent?" in markdown_text(user)
    assert "[1]" in markdown_text(reply)
    labels = [e.label for e in reply.expander]
    assert len(labels) == len(turn["citations"])
    seen = set()
    for citation, expander, label in zip(turn["citations"], reply.expander, labels):
        assert plain(label).startswith(f"[{citation['n']}] **{citation['doc_short_title']}**")
        body = "\n".join(m.value for m in expander.markdown)
        # the quoted sentence, highlighted in the whole passage (plain inside the highlight: no nested bold)
        assert md_escape(citation["quote"].replace("**", "")) in body
        for note in citation["legal_notes"]:  # a currency note once per document, on its first source
            assert (md_escape(note["badge"]) in label) == (citation["doc_id"] not in seen)
        seen.add(citation["doc_id"])
    assert any(c["legal_notes"] for c in turn["citations"])  # the check above saw a note
    assert len(reply.get("feedback")) == 1


def test_a_myth_shows_its_verdict_first(app):
    ask(app, "You always need consent to share personal information, don't you?")
    turn = app.session_state["turns"][-1]
    assert turn["mode"] == "myth" and turn["myth"]["verdict"] == "myth"
    first = app.chat_message[1].markdown[0].value
    assert first.startswith("### :blue[") and "myth" in first  # good news ("you may share"), not a red stop sign
    assert app.chat_message[1].expander  # the myth-busting passages are cited


def test_out_of_scope_says_so_plainly(app):
    ask(app, "How do I bake sourdough bread?")
    assert app.session_state["turns"][-1]["mode"] == "out_of_scope"
    reply = app.chat_message[1]
    assert "I won't guess" in reply.markdown[0].value  # said plainly, whichever decline fits
    assert msg("out_of_scope").split("**")[0].strip() in reply.markdown[0].value or \
        msg("outside", "other").split("**")[0].strip() in reply.markdown[0].value
    assert not reply.expander


def test_personal_data_warning_sits_next_to_its_message_and_nothing_identifying_is_kept(app, environment):
    ask(app, "Can I tell the school nurse that Jade Smith, born 12/03/2015, is being hit at home?")
    user = app.chat_message[0]
    assert user.warning and "identifying" in user.warning[0].value
    shown = markdown_text(user)
    assert "Jade" not in shown and "[NAME]" in shown
    kept = json.dumps([t for t in app.session_state["turns"]], default=str)
    assert "Jade" not in kept and "Smith" not in kept and "12/03/2015" not in kept


def test_urgent_danger_banner_is_an_error(app):
    ask(app, "A child has just told me her stepfather is hurting her and she is scared to go home tonight. "
             "What do I do?")
    turn = app.session_state["turns"][-1]
    assert turn["urgent"]
    assert app.chat_message[1].error and app.chat_message[1].error[0].value == turn["banner"]


def test_decision_walked_to_an_outcome_by_clicking(app):
    ask(app, "Can I share a pupil's disclosure with social care if the parents say no?")
    flow = app.session_state["flow"]
    assert flow is not None and app.session_state["turns"][-1]["mode"] == "decision"
    assert {b.label for b in app.button} >= {"Yes", "No", "Not sure"}
    assert app.get("graphviz_chart")  # the flowchart is drawn
    read = {s.label.split(" · ")[0] for s in app.segmented_control}
    assert read and all(s.value in ("yes", "no", "unsure") for s in app.segmented_control)
    clicks = click_yes_until_outcome(app)
    assert clicks >= 1
    facts = app.session_state["flow"].fact_map
    expected = decide(facts, "default")
    assert expected.outcome != "need_more_facts"
    shown = {"share": app.success, "do_not_share": app.error, "seek_advice": app.warning}[expected.outcome]
    assert any(expected.flowchart_title.split(" (")[0] in plain(box.value) for box in shown)
    assert app.session_state["turns"][-1]["flow_decision"]["outcome"] == expected.outcome
    # change an answer: the engine walks the flowchart again
    consent = next(s for s in app.segmented_control if s.label.startswith("consent"))
    consent.set_value("unsure").run()
    assert app.session_state["flow"].fact_map["consent"] == "unsure"
    assert app.session_state["turns"][-1]["flow_decision"]["outcome"] == decide(
        app.session_state["flow"].fact_map).outcome


def test_downloading_the_decision_record_and_the_conversation(app, downloads):
    ask(app, "Can I share a pupil's disclosure with social care if the parents say no?")
    click_yes_until_outcome(app)
    labels = {b.label for b in app.get("download_button")}
    assert {"Markdown", "JSON", "Download conversation"} <= labels
    record_md = next(data for name, data in downloads.items() if name.endswith(".md") and name.startswith("decision"))
    record_json = json.loads(next(d for n, d in downloads.items() if n.endswith(".json")))
    outcome_now = decide(app.session_state["flow"].fact_map)
    assert record_md.decode().startswith("# Information sharing decision record")
    assert record_json["outcome"] == outcome_now.outcome
    assert [q["answer"] for q in record_json["questions"]] == [s.answer for s in outcome_now.path]
    conversation = downloads["conversation.md"].decode()
    assert "Can I share a pupil's disclosure" in conversation
    assert "**Outcome: " in conversation


def test_thumbs_feedback_is_stored_redacted(app, environment):
    ask(app, "Who can give consent for Jade Smith who is 14?")
    app.get("feedback")[0].set_value(1).run()
    assert not app.exception
    from pathlib import Path

    lines = (Path(environment["ASSISTANT_DATA_DIR"]) / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[-1])
    assert entry["rating"] == "up" and "Jade" not in lines[-1] and "[NAME]" in entry["question"]


def test_a_scenario_stepped_through_one_question_at_a_time(app):
    app.switch_page("pages/scenarios.py").run()
    assert not app.exception
    app.selectbox(key="scenario_id").set_value("thirteen-refuses").run()
    scenario = get_scenario("thirteen-refuses")
    asked = walk(scenario)
    for n in range(len(asked)):
        shown = [m.value for m in app.markdown if plain(m.value).startswith("Question ")]
        assert len(shown) == n
        app.button(key="reveal_answer").click().run()
        assert not app.exception
        assert plain(app.markdown[[m.value for m in app.markdown].index(
            [m.value for m in app.markdown if plain(m.value).startswith(f"Question {n + 1}:")][0])].value).startswith(
            f"Question {n + 1}: {asked[n]['question']}")
    assert not any(b.key == "reveal_answer" for b in app.button)
    app.button(key="reveal_outcome").click().run()
    result = outcome(scenario)
    assert result.outcome == "do_not_share" and any("Do not share" in e.value for e in app.error)
    labels = " ".join(plain(e.label) for e in app.expander)
    assert "HM Government 2006" in labels  # the passages behind it
    app.button(key="scenario_restart").click().run()
    assert any(b.key == "reveal_answer" for b in app.button)


def test_compare_view_highlights_where_documents_differ(app):
    app.switch_page("pages/scenarios.py").run()
    app.selectbox(key="scenario_id").set_value("widely-known-drug-misuse").run()
    app.toggle(key="scenario_compare").set_value(True).run()
    assert not app.exception
    texts = [plain(m.value) for m in app.markdown]
    titles = [t for t in texts if t.startswith("**") and "flowchart" in t.lower() or "Appendix 1 questions" in t]
    assert len(titles) >= 4
    badges = [m.value for m in app.markdown if "-badge[" in m.value]
    assert any(b.startswith(":orange-badge[Do not share]") for b in badges)  # the 2018 flowchart differs
    assert any(b.startswith(":gray-badge[You can share]") for b in badges)
    why = [plain(w.value) for w in app.warning]
    assert any("doesn't ask on these facts" in w and "the 2006 guide" in w for w in why), why  # plain English
    assert not any(re.search(r"\b(default|hmg-2006|hertfordshire|buckinghamshire):", w) for w in why), why


def test_changing_local_guidance_redecides_the_open_decision(app):
    ask(app, "Can I share a pupil's disclosure with social care if the parents say no?")
    app.selectbox(key="guidance_select").set_value("hmg-2006").run()
    assert not app.exception and app.session_state["guidance"] == "hmg-2006"
    intro = next(m.value for m in app.markdown if m.value.startswith("I'll follow the flowchart of"))
    assert "2006" in intro


def test_what_each_document_says_and_documents_pages(app):
    app.switch_page("pages/topics.py").run()
    assert not app.exception
    app.get("button_group")[0].set_value("golden-rules").run()
    assert not app.exception
    assert {"**Calderdale 2019**", "**HM Government 2006**"} <= {m.value for m in app.markdown}
    app.switch_page("pages/documents.py").run()
    assert not app.exception
    table = app.table[0].value
    assert len(table) == 5 and "Law cited" in table.columns
    app.selectbox(key="browse_doc").set_value("hmg-2006").run()
    assert any(plain(m.value).startswith("##### ") for m in app.markdown)


def test_a_missing_index_is_a_clear_error_with_the_fix(environment, monkeypatch, tmp_path):
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "no-index"))
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not app.exception
    assert app.error and "make index" in app.error[0].value
    assert not app.chat_input  # the page stops instead of offering a chat that cannot answer


# ---------------------------------------------------------------- the app for a practitioner in a hurry (issue 14)
DISCLOSURE = "Can I share a pupil's disclosure with social care if the parents say no?"
AT_RISK = "I think a child in my class may be at risk of significant harm. Can I share with the school nurse?"


def in_order(block) -> list[tuple[str, str]]:
    """(element type, text) of everything drawn inside ``block``, in screen order."""
    from streamlit.testing.v1.element_tree import Block

    found = []
    for child in block.children.values():
        if isinstance(child, Block):
            found += in_order(child)
        else:
            found.append((child.type, plain(str(getattr(child, "value", None) or getattr(child, "label", "") or ""))))
    return found


def test_risk_read_from_the_question_puts_the_referral_first(app):
    ask(app, AT_RISK)
    turn = app.session_state["turns"][-1]
    assert turn["mode"] == "decision" and not turn["urgent"]
    assert app.session_state["flow"].fact_map["significant_harm_risk"] == "unsure"
    shown = in_order(app.chat_message[1])
    assert shown[0][0] == "warning" and "Don't sit on a worry about a child" in shown[0][1], shown[:3]
    texts = [text for _, text in shown]
    first_question = next(i for i, t in enumerate(texts) if t == "Next question")
    assert first_question > 0  # the advice comes before the flowchart's question


def test_a_follow_up_that_adds_risk_puts_the_referral_first_says_what_changed_and_keeps_clicked_answers(app):
    ask(app, DISCLOSURE)
    first_fact = app.session_state["flow"] and decide(app.session_state["flow"].fact_map).next_question.fact
    [b for b in app.button if b.label == "No"][-1].click().run()  # answer the first question: answered by you
    assert dict(app.session_state["flow"].sources)[first_fact] == "answer"
    ask(app, "what if she is at risk of significant harm?")
    turn = app.session_state["turns"][-1]
    assert turn["follow_up"] and app.session_state["flow"].fact_map["significant_harm_risk"] == "yes"
    reply = app.chat_message[3]
    shown = in_order(reply)
    assert shown[0][0] == "error" and shown[0][1].startswith("**Refer now"), shown[:2]  # referral first
    changed = next(text for kind, text in shown if text.startswith("**What your follow-up changed"))
    assert "risk of significant harm (or serious crime): Yes (new)" in changed.replace("**", "")
    assert "The outcome" in changed
    assert dict(app.session_state["flow"].sources)[first_fact] == "answer"  # still "answered by you"
    assert "answered by you" in markdown_text(reply)


def test_after_the_last_click_the_outcome_is_at_the_top_of_the_card(app):
    ask(app, DISCLOSURE)
    click_yes_until_outcome(app)
    expected = decide(app.session_state["flow"].fact_map)
    texts = [text for _, text in in_order(app.chat_message[1])]
    title = {"share": "You can share", "do_not_share": "Do not share", "seek_advice": "Seek advice before sharing"}
    at = next(i for i, t in enumerate(texts) if t.startswith(f"## {title[expected.outcome]}"))
    path = texts.index("**How the flowchart got there**")
    intro = next(i for i, t in enumerate(texts) if t.startswith("I'll follow the flowchart of"))
    assert intro < at < path  # the outcome opens the card; the path and conditions sit beneath it
    assert not [t for t in texts if t == "Next question"]


def test_history_keeps_each_outcome_and_the_export_matches(app, downloads):
    ask(app, DISCLOSURE)
    click_yes_until_outcome(app)
    reached = decide(app.session_state["flow"].fact_map)
    ask(app, "What does the guidance say about consent?")
    earlier = app.chat_message[1]
    texts = [text for _, text in in_order(earlier)]
    title = {"share": "You can share", "do_not_share": "Do not share", "seek_advice": "Seek advice before sharing"}
    assert any(t.startswith(f"## {title[reached.outcome]}") for t in texts)  # still large, at the top
    assert "Next question" not in texts and not [b for b in app.button if b.label == "Yes"]
    conversation = downloads["conversation.md"].decode()
    first = conversation[conversation.index("## 1. Question"):conversation.index("## 2. Question")]
    assert f"**Outcome: {reached.to_dict()['outcome_label']}**" in first
    assert first.index("**Outcome: ") < first.index("as first given")  # the outcome comes first


@pytest.mark.parametrize("question", [
    "A girl says her mum's boyfriend is going to hurt her tonight",
    "A pupil took a load of tablets an hour ago",
    "She got into a car with older men again last night",
])
def test_an_urgent_answer_never_says_not_covered(app, downloads, question):
    ask(app, question)
    turn = app.session_state["turns"][-1]
    assert turn["urgent"] and turn["mode"] != "out_of_scope"
    reply = markdown_text(app.chat_message[1]) + "\n".join(plain(a.value) for a in app.chat_message[1].error)
    assert "999" in reply
    assert "don't answer this question" not in reply and "I won't guess" not in reply
    assert "**Not covered**" not in downloads["conversation.md"].decode()


def test_one_number_per_passage_in_answers_and_sources(app):
    for question in ("What does the guidance say about consent?", DISCLOSURE):
        ask(app, question)
        citations = app.session_state["turns"][-1]["citations"]
        places = [(c["doc_id"], c["passage_start"], c["passage_end"]) for c in citations]
        assert citations and len(places) == len(set(places)), places
    clicks = click_yes_until_outcome(app)
    assert clicks
    labels = [plain(e.label) for e in app.chat_message[-1].expander if plain(e.label).startswith("[")]
    numbers = [int(re.match(r"\[(\d+)\]", label).group(1)) for label in labels]
    assert numbers == list(range(1, len(numbers) + 1))  # one numbered source per passage, in order
    headers = [label.split("] ", 1)[1] for label in labels]
    assert len(numbers) >= 3


def test_the_record_asks_for_its_fields_and_keeps_confirmed_and_read_apart(app, downloads):
    ask(app, DISCLOSURE)
    click_yes_until_outcome(app)
    inputs = {w.label: w for w in [*app.text_input, *app.text_area]}
    for label in ("Your reference (no names)", "What was shared (no names)", "Shared with (role or organisation)",
                  "Why it was shared, or not", "When it was shared (date and time)"):
        assert label in inputs, sorted(inputs)
    decision = decide(app.session_state["flow"].fact_map)
    if decision.lawful_basis:
        assert any(decision.lawful_basis in plain(m.value) for m in app.markdown)
    inputs["Shared with (role or organisation)"].set_value("Mrs Jones at children's social care").run()
    assert any("identif" in w.value for w in app.warning)  # told at once, as in the chat
    inputs = {w.label: w for w in [*app.text_input, *app.text_area]}
    inputs["When it was shared (date and time)"].set_value("Tuesday morning").run()
    record = json.loads(next(d for n, d in downloads.items() if n.endswith(".json")))
    entries = {e["field"]: e["value"] for e in record["practitioner_entries"]}
    assert entries["shared_when"] == "Tuesday morning"
    assert "Jones" not in json.dumps(record) and entries["shared_with"].endswith("at children's social care")
    sources = dict(app.session_state["flow"].sources)
    assert record["facts_confirmed"] == {f: v for f, v in decision.to_dict()["facts"].items() if sources.get(f) == "answer"}
    assert record["facts_read"] and set(record["facts_read"]).isdisjoint(record["facts_confirmed"])


def test_no_answer_button_is_pre_selected_and_no_markdown_shows_literally(app):
    ask(app, DISCLOSURE)
    answers = [b for b in app.button if b.label in ("Yes", "No", "Not sure")]
    assert len(answers) == 3 and {b.proto.type for b in answers} == {"secondary"}
    app.switch_page("pages/topics.py").run()
    app.get("button_group")[0].set_value("golden-rules").run()
    assert not app.exception
    shown = "\n".join(m.value for m in app.markdown)
    assert "\\*\\*" not in shown and "\\[" not in shown.replace("\\[n\\]", "")  # no escaped ** or [label](#)


def test_new_conversation_button_at_the_top_and_a_copy_of_each_answer(app):
    ask(app, "What does the guidance say about consent?")
    copies = app.chat_message[1].get("code")
    assert copies and "What does the guidance say about consent?" in copies[0].value
    app.button(key="new_conversation").click().run()
    assert not app.session_state["turns"] and not app.chat_message


def test_a_source_opens_its_place_in_the_documents_page(app):
    ask(app, "What does the guidance say about consent?")
    citation = app.session_state["turns"][-1]["citations"][0]
    app.button(key="open-src-0-1").click().run()
    assert not app.exception
    assert app.session_state["browse_doc"] == citation["doc_id"]
    from assistant.ingest.documents import documents_by_id
    from assistant.config import Settings
    from assistant.ui.browse import sections

    doc = documents_by_id(Settings.from_env().corpus_dir)[citation["doc_id"]]
    title, passages = sections(doc)[app.session_state[f"browse_section_{doc.id}"]]
    assert any(p.start <= citation["passage_start"] < p.end for p in passages)
    shown = "\n".join(plain(m.value) for m in app.markdown)
    assert f"##### {title}" in shown  # the Documents page opened at the source's section


def test_the_compare_view_asks_a_missing_question_and_the_answer_counts(app):
    ask(app, DISCLOSURE)
    app.toggle(key="flow_compare").set_value(True).run()
    assert not app.exception
    waiting = [b for b in app.button if b.key and b.key.startswith("flow_compare_col_") and b.key.endswith("_yes")]
    assert waiting, "no flowchart in the compare view asks for its missing answer"
    chart = waiting[0].key[len("flow_compare_col_"):-len("_yes")]
    fact = decide(app.session_state["flow"].fact_map, chart).next_question.fact
    waiting[0].click().run()
    assert not app.exception
    flow = app.session_state["flow"]
    assert flow.fact_map[fact] == "yes" and dict(flow.sources)[fact] == "answer"
