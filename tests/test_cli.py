"""python -m assistant: search/ask JSON, batch mode (models loaded once), and one-line error exits."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from assistant.cli.main import main
from conftest import PROJECT_ROOT


def run(argv, settings=None, stdin_bytes: bytes | None = None):
    stdin = io.TextIOWrapper(io.BytesIO(stdin_bytes or b""), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=stdin, stdout=out, stderr=err, settings=settings)
    return code, out.getvalue(), err.getvalue()


def assert_one_line_error(code, out, err, *needles):
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--frobnicate"], "unrecognized arguments"),
        ([], "choose a command"),
        (["search"], "needs a question"),
        (["search", "   "], "needs a question"),
        (["search", "consent", "--k", "0"], "--k must be between 1 and 50"),
        (["search", "consent", "--k", "many"], "invalid int value"),
        (["ask"], "needs a question"),
        (["ask", "\x00\x01"], "Please type a question"),
        (["ask", "consent?", "--flowchart", "narnia"], "narnia"),
        (["decide", "--facts", "{not json"], "JSON"),
        (["decide", "--facts", '{"mood": "yes"}'], "mood"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(argv, needle, tmp_settings):
    assert_one_line_error(*run(argv, tmp_settings), needle)


def test_missing_index_says_how_to_build(tmp_settings):
    assert_one_line_error(*run(["search", "consent"], tmp_settings), "No index", "build-index")


pytestmark_integration = pytest.mark.integration


@pytest.mark.integration
def test_search_json_shape(real_settings, real_retriever):
    code, out, err = run(["search", "what are the seven golden rules", "--json", "--k", "3"], real_settings)
    assert code == 0, err
    result = json.loads(out)
    assert result["question"] == "what are the seven golden rules"
    assert len(result["passages"]) == 3
    first = result["passages"][0]
    assert {"doc_id", "doc_title", "section", "text", "score"} <= set(first)
    assert any("golden" in p["section"].lower() for p in result["passages"])


@pytest.mark.integration
def test_search_batch_loads_once_and_survives_bad_lines(real_settings, real_retriever, monkeypatch):
    import assistant.cli.main as cli_main

    calls = []
    monkeypatch.setattr(cli_main, "load_retriever", lambda settings: calls.append(1) or real_retriever)
    lines = "consent?\n\nGDPR and sharing\ninvalid \xff bytes here\n".encode("latin-1")
    code, out, err = run(["search", "--batch", "-", "--k", "2"], real_settings, stdin_bytes=lines)
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 4 and calls == [1]
    assert rows[1]["error"] == "Please type a question."
    assert len(rows[0]["passages"]) == 2 and len(rows[2]["passages"]) == 2
    assert "\ufffd" in rows[3]["question"] and rows[3]["passages"]


@pytest.mark.integration
def test_ask_json_contract_and_batch(real_settings, real_retriever, monkeypatch):
    code, out, err = run(["ask", "GDPR stops me sharing information", "--json"], real_settings)
    assert code == 0, err
    result = json.loads(out)
    assert result["mode"] == "myth" and result["myth"]["verdict"] == "myth"
    assert {"question", "mode", "urgent", "answer", "citations", "myth", "decision", "warnings"} <= set(result)
    code, out, err = run(["ask", "--batch", "-"], real_settings, stdin_bytes=b"recipe for lasagne\nCan I tell the police about this family?\n")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["mode"] for r in rows] == ["out_of_scope", "decision"]


@pytest.mark.integration
def test_build_index_if_needed(real_settings, real_retriever):
    code, out, _ = run(["build-index", "--if-needed", "--quiet"], real_settings)
    assert code == 0 and "up to date" in out


def test_module_entry_point_prints_help_without_loading_models():
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    for command in ("build-index", "search", "ask", "chat", "decide"):
        assert command in proc.stdout
