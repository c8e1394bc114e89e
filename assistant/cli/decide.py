"""The ``decide`` subcommand: the decision engine from the terminal.

    python -m assistant decide --facts '{"legitimate_purpose": "yes", ...}' [--flowchart ID] [--compare] --json
    python -m assistant decide --batch FILE|-          one facts object per line in, one JSON line out
    python -m assistant decide [--record PATH]         asks the questions one at a time

``add_parser`` registers the subcommand on the main CLI's subparsers; ``run`` does the work and
returns the exit code. Errors are raised as AssistantError subclasses; the main CLI prints them as
one line and exits 2. ``python -m assistant.cli.decide decide ...`` runs this module on its own.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from assistant.errors import AssistantError, BadFacts, BadInput
from assistant.decision.engine import decide
from assistant.decision.models import ANSWERS, OUTCOME_LABELS, load_flowchart
from assistant.decision.compare import compare
from assistant.outputs import records
from assistant.config import Settings

_SHORT = {"y": "yes", "n": "no", "u": "unsure", "yes": "yes", "no": "no", "unsure": "unsure",
          "not sure": "unsure", "dont know": "unsure", "don't know": "unsure"}
_RECORD_FORMATS = (".md", ".json", ".pdf")


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "decide", help="share / don't-share decision from the guidance flowcharts",
        description="Walk a guidance flowchart over yes/no/unsure facts. With no --facts or --batch, "
                    "asks the questions one at a time.")
    parser.add_argument("--facts", metavar="JSON", help="a JSON object of facts, each yes, no or unsure")
    parser.add_argument("--flowchart", default="default", metavar="ID",
                        help="flowchart id: default, hmg-2006, hertfordshire, buckinghamshire")
    parser.add_argument("--compare", action="store_true", help="run every flowchart and show where they differ")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--batch", metavar="FILE", help="one facts object per line ('-' for stdin)")
    parser.add_argument("--record", metavar="PATH", help="write a decision record (.md, .json or .pdf)")
    parser.set_defaults(func=run)
    return parser


def _parse_facts(text: str, where: str = "--facts") -> dict:
    try:
        facts = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadFacts(f"{where} is not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(facts, dict):
        raise BadFacts(f"{where} must be a JSON object such as {{\"legitimate_purpose\": \"yes\"}}")
    return facts


def run(args: argparse.Namespace, settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
        stderr: TextIO = sys.stderr) -> int:
    load_flowchart(args.flowchart)  # unknown ids fail before any question is asked
    if args.facts is not None and args.batch is not None:
        raise BadInput("Give either --facts or --batch, not both")
    if args.record and (args.batch is not None or args.compare):
        raise BadInput("--record writes one decision; it cannot be used with --batch or --compare")
    record_path = _check_record_path(args.record) if args.record else None
    if args.batch is not None:
        return _run_batch(args, stdin, stdout)
    if args.facts is not None:
        facts = _parse_facts(args.facts)
        result = compare(facts) if args.compare else decide(facts, args.flowchart)
    else:
        result = _interactive(args, stdin, stdout)
    if args.json:
        stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(_comparison_text(result) if args.compare else _decision_text(result))
    if record_path is not None:
        _write_record(result, record_path, settings)
        stdout.write(f"Record written to {record_path}\n")
    return 0


def _run_batch(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if args.batch == "-":
        lines = stdin
    else:
        try:
            lines = Path(args.batch).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise BadInput(f"Cannot read --batch file {args.batch}: {exc.strerror}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            facts = _parse_facts(line, where=f"line {number}")
            result = compare(facts) if args.compare else decide(facts, args.flowchart)
        except BadFacts as err:
            message = str(err) if str(err).startswith("line ") else f"line {number}: {err}"
            raise BadFacts(message) from None
        stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    return 0


def _ask(fact_question: str, help_text: str, stdin: TextIO, stdout: TextIO) -> str:
    stdout.write(f"\n{fact_question}\n  (yes / no / unsure, ? for help) > ")
    stdout.flush()
    while True:
        line = stdin.readline()
        if not line:
            raise BadInput("No answer given; stopped before a decision was reached")
        answer = " ".join(line.strip().lower().split())
        if answer in ("?", "help", "h"):
            stdout.write(f"  {help_text}\n  > ")
        elif answer in _SHORT:
            return _SHORT[answer]
        else:
            stdout.write(f"  Please answer {', '.join(ANSWERS)} (or ? for help) > ")
        stdout.flush()


def _interactive(args: argparse.Namespace, stdin: TextIO, stdout: TextIO):
    facts: dict[str, str] = {}
    stdout.write("Answer each question with yes, no or unsure. Do not type names or details.\n")
    while True:
        result = compare(facts) if args.compare else decide(facts, args.flowchart)
        pending = [d for d in (result.decisions if args.compare else (result,)) if d.next_question]
        if not pending:
            return result
        question = pending[0].next_question
        facts[question.fact] = _ask(question.question, question.help, stdin, stdout)


def _decision_text(decision) -> str:
    lines = [f"\nOutcome ({decision.flowchart}): {OUTCOME_LABELS[decision.outcome]}"]
    if decision.lawful_basis:
        lines.append(f"Lawful basis: {decision.lawful_basis}")
    lines.append("Path:")
    lines += [f"  {step.question} -> {step.answer}   [{step.citation.doc_id}: \u201c{step.citation.quote}\u201d]"
              for step in decision.path]
    if decision.next_question:
        lines.append(f"Next question ({decision.next_question.fact}): {decision.next_question.question}")
    lines.append("Conditions:")
    lines += [f"  - {c.text}  [{c.citations[0].doc_id}: \u201c{c.citations[0].quote}\u201d]"
              for c in decision.conditions]
    return "\n".join(lines) + "\n"


def _comparison_text(comparison) -> str:
    lines = ["\nOutcomes:"]
    lines += [f"  {d.flowchart:16} {OUTCOME_LABELS[d.outcome]}" for d in comparison.decisions]
    differences = comparison.differences()
    lines.append("Differences:" if differences else "All flowcharts agree.")
    lines += [f"  - {diff['explanation']}" for diff in differences]
    return "\n".join(lines) + "\n"


def _check_record_path(raw: str) -> Path:
    path = Path(raw)
    if path.suffix.lower() not in _RECORD_FORMATS:
        raise BadInput(f"--record must end in {', '.join(_RECORD_FORMATS)}, not {path.name!r}")
    if path.exists():
        raise BadInput(f"{path} already exists; choose a new file name so no record is overwritten")
    if not path.parent.is_dir():
        raise BadInput(f"The folder {path.parent} does not exist")
    return path


def _write_record(decision, path: Path, settings) -> None:
    corpus_dir = getattr(settings, "corpus_dir", None)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        path.write_bytes(records.render_pdf(decision, corpus_dir=corpus_dir))
    else:
        render = records.render_json if suffix == ".json" else records.render_markdown
        path.write_text(render(decision, corpus_dir=corpus_dir), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point until the main CLI exists."""

    parser = argparse.ArgumentParser(prog="python -m assistant.cli.decide")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return run(args, Settings.from_env())
    except AssistantError as err:
        print(str(err), file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
