"""The ``decide`` subcommand: --facts, --compare, --batch, the interactive walk and --record."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys

import pytest

from assistant.cli import decide as cli_decide
from assistant.config import PROJECT_ROOT, Settings
from assistant.errors import BadFacts, BadInput, UnknownFlowchart
from assistant.decision.engine import decide
from assistant.decision.compare import compare

SETTINGS = Settings(corpus_dir=PROJECT_ROOT / "corpus")
EXAMPLE = {"legitimate_purpose": "yes", "identifiable": "yes", "confidential": "no", "consent": "no",
           "statutory_duty": "no", "significant_harm_risk": "no", "public_interest": "no"}


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli_decide.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["decide", *argv])


def _run(*argv: str, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = cli_decide.run(_args(*argv), SETTINGS, io.StringIO(stdin), out, io.StringIO())
    return code, out.getvalue()


def test_parser_registers_decide_with_run():
    args = _args("--facts", "{}")
    assert args.func is cli_decide.run and args.flowchart == "default"


@pytest.mark.parametrize("flowchart", ["default", "hmg-2006"])
def test_facts_json_prints_the_decision_object(flowchart):
    code, out = _run("--facts", json.dumps(EXAMPLE), "--flowchart", flowchart, "--json")
    assert code == 0
    assert json.loads(out) == decide(EXAMPLE, flowchart).to_dict()


def test_compare_json():
    code, out = _run("--facts", json.dumps(EXAMPLE), "--compare", "--json")
    data = json.loads(out)
    assert code == 0 and data == compare(EXAMPLE).to_dict()
    assert data["differs"] and data["outcomes"]["hmg-2006"] == "share"


def test_text_output_names_outcome_path_and_conditions():
    _, out = _run("--facts", json.dumps(EXAMPLE))
    assert "Outcome (default): Do not share" in out
    assert "Have you identified a lawful reason to share information without consent? -> no" in out
    assert "Keep a record of your decision" in out


def test_compare_text_explains_the_difference():
    _, out = _run("--facts", json.dumps(EXAMPLE), "--compare")
    assert ("The 2006 guide asks “Is the information confidential?” (here: no), which the 2018 flowchart "
            "doesn't ask on these facts; so the 2006 guide says “Share”") in out


@pytest.mark.parametrize("facts, error", [
    ('{"bogus": "yes"}', BadFacts),
    ('{"consent": "perhaps"}', BadFacts),
    ("not json", BadFacts),
    ('["consent"]', BadFacts),
])
def test_bad_facts_raise(facts, error):
    with pytest.raises(error) as err:
        _run("--facts", facts)
    assert "\n" not in str(err.value)


def test_unknown_flowchart():
    with pytest.raises(UnknownFlowchart):
        _run("--facts", "{}", "--flowchart", "nope")


def test_standalone_entry_prints_one_error_line_and_exits_2():
    result = subprocess.run([sys.executable, "-m", "assistant.cli.decide", "decide", "--facts", '{"mood": "yes"}'],
                            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "'mood'" in result.stderr


def test_batch_stdin_one_line_per_facts_object():
    lines = [json.dumps({"legitimate_purpose": "no"}), "", json.dumps(EXAMPLE), json.dumps({})]
    code, out = _run("--batch", "-", "--json", stdin="\n".join(lines) + "\n")
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["outcome"] for r in results] == ["do_not_share", "do_not_share", "need_more_facts"]


def test_batch_file_with_compare(tmp_path):
    path = tmp_path / "facts.jsonl"
    path.write_text(json.dumps(EXAMPLE) + "\n" + json.dumps({"legitimate_purpose": "no"}) + "\n", encoding="utf-8")
    _, out = _run("--batch", str(path), "--compare")
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["differs"] for r in results] == [True, False]


def test_batch_error_names_the_line():
    with pytest.raises(BadFacts, match="^line 2: "):
        _run("--batch", "-", stdin='{"consent": "no"}\n{"consent": "maybe"}\n')


@pytest.mark.parametrize("argv", [
    ("--facts", "{}", "--batch", "-"),
    ("--batch", "-", "--record", "x.md"),
    ("--facts", "{}", "--compare", "--record", "x.md"),
])
def test_conflicting_options(argv):
    with pytest.raises(BadInput):
        _run(*argv)


def test_interactive_walk_asks_one_question_at_a_time():
    answers = "yes\nmaybe\n?\nno\nn\ny\nno\ny\n"  # purpose, (bad), (help), unsafe, consent, identifiable, duty, harm
    code, out = _run(stdin=answers)
    assert code == 0
    assert out.count("(yes / no / unsure, ? for help) >") == 6  # six questions, each asked once
    assert "Please answer yes, no, unsure" in out
    assert "If so, consent is not sought" in out  # the help text of the question asked
    assert "Outcome (default): Share" in out


def test_interactive_compare_asks_until_every_flowchart_decides():
    answers = "\n".join(["yes", "no", "no", "yes", "no", "no", "no", "no"]) + "\n"
    code, out = _run("--compare", "--json", stdin=answers)
    data = json.loads(out[out.index("{"):])
    assert code == 0 and all(o != "need_more_facts" for o in data["outcomes"].values())


def test_interactive_stops_cleanly_at_end_of_input():
    with pytest.raises(BadInput, match="No answer"):
        _run(stdin="yes\n")


@pytest.mark.parametrize("suffix", [".md", ".json", ".pdf"])
def test_interactive_writes_the_record(tmp_path, suffix):
    path = tmp_path / f"record{suffix}"
    _, out = _run("--record", str(path), stdin="no\n")
    assert f"Record written to {path}" in out
    data = path.read_bytes()
    if suffix == ".json":
        assert json.loads(data)["outcome"] == "do_not_share"
    elif suffix == ".md":
        assert b"Outcome: Do not share" in data
    else:
        assert data.startswith(b"%PDF-")


def test_record_with_facts(tmp_path):
    path = tmp_path / "r.json"
    _run("--facts", json.dumps(EXAMPLE), "--record", str(path))
    assert json.loads(path.read_text(encoding="utf-8"))["questions"][-1]["answer"] == "no"


@pytest.mark.parametrize("name", ["record.txt", "missing/record.md", "exists.md"])
def test_record_path_is_checked_before_asking(tmp_path, name):
    (tmp_path / "exists.md").write_text("keep me", encoding="utf-8")
    with pytest.raises(BadInput):
        _run("--record", str(tmp_path / name), stdin="no\n")
    assert (tmp_path / "exists.md").read_text(encoding="utf-8") == "keep me"
