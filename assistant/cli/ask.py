"""``ask`` (one question, or a batch) and ``chat`` (a terminal conversation) on the command line."""

from __future__ import annotations

import argparse

from assistant.errors import AssistantError
from assistant.answer.assistant import Assistant
from assistant.cli.io import emit, read_lines
from assistant.errors import BadInput
from assistant.decision.models import load_flowchart
from assistant.answer.conversation import Conversation
from assistant.messages import text as msg
from assistant.understand.inputs import clean_question


def add_parser(subparsers) -> None:
    ask = subparsers.add_parser("ask", help="answer a question with cited passages")
    ask.add_argument("question", nargs="?", help="the question (or use --batch)")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    ask.add_argument("--batch", metavar="FILE", help="one question per line ('-' for stdin); JSON lines out")
    ask.add_argument("--flowchart", default="default", help="flowchart for decisions (default, hmg-2006, ...)")
    ask.set_defaults(func=run_ask)
    chat = subparsers.add_parser("chat", help="a terminal chat (follow-up questions understood)")
    chat.add_argument("--flowchart", default="default", help="flowchart for decisions")
    chat.set_defaults(func=run_chat)


def format_answer(result: dict) -> str:
    """Plain text for a terminal: the answer, then numbered sources with legal-currency notes."""
    lines = [*(f"! {w}" for w in result["warnings"]), result["answer"], ""]
    for c in result["citations"]:
        where = " › ".join(x for x in (c["section"], c.get("paragraph") or "") if x)
        lines.append(f"[{c['n']}] {c['doc_short_title']} ({c['date']}) — {where}")
        lines.extend(f"    ⚠ {note['badge']}" for note in c["legal_notes"])
    return "\n".join(lines).rstrip() + "\n"


def _load(settings):
    return Assistant.load(settings)


def run_ask(args: argparse.Namespace, settings, stdin, stdout, stderr) -> int:
    load_flowchart(args.flowchart)  # an unknown flowchart is a one-line error before loading models
    if args.batch is None and args.question is None:
        raise BadInput("ask needs a question (or --batch FILE)")
    if args.batch is None:
        clean_question(args.question, settings.max_question_chars)  # fail fast, before loading models
    assistant = _load(settings)
    if args.batch is None:
        result = assistant.answer(args.question, flowchart=args.flowchart).to_dict()
        if args.json:
            emit(result, stdout)
        else:
            stdout.write(format_answer(result))
        return 0
    for line in read_lines(args.batch, stdin):
        try:
            emit(assistant.answer(line, flowchart=args.flowchart).to_dict(), stdout)
        except AssistantError as exc:
            emit({"question": "", "error": str(exc)}, stdout)
    return 0


def run_chat(args: argparse.Namespace, settings, stdin, stdout, stderr) -> int:
    load_flowchart(args.flowchart)
    assistant = _load(settings)
    history = Conversation()
    stdout.write(f"{msg('privacy_notice')}\nType a question (empty line or Ctrl-D to quit).\n")
    while True:
        stdout.write("\n> ")
        stdout.flush()
        line = stdin.readline()
        if not line or not line.strip():
            return 0
        try:
            result = assistant.answer(line, history, flowchart=args.flowchart)
        except AssistantError as exc:
            stdout.write(f"{exc}\n")
            continue
        assistant.remember(history, result)
        stdout.write(format_answer(result.to_dict()))
