"""``python -m assistant``: the command line. Thin: parse, call the library, print.

Every ``AssistantError`` is printed as one line on stderr with exit code 2; bad arguments too.
"""

from __future__ import annotations

import argparse
import sys

from assistant.answer.runtime import build, load_retriever
from assistant.cli import ask, decide, documents
from assistant.cli.io import emit, one_line, read_lines
from assistant.config import Settings
from assistant.errors import AssistantError, BadInput
from assistant.ingest.documents import documents_by_id
from assistant.understand.inputs import clean_question


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line and exit 2 (no usage dump)."""

    def error(self, message: str):  # type: ignore[override]
        raise BadInput(f"{self.prog}: {message} (see --help)")


# ---------------------------------------------------------------- build-index
def _add_build(sub) -> None:
    p = sub.add_parser("build-index", help="build or rebuild the passage index")
    p.add_argument("--if-needed", action="store_true", help="only build when the index is missing or stale")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run_build)


def _run_build(args, settings, stdin, stdout, stderr) -> int:
    report = build(settings, progress=not args.quiet, only_if_needed=args.if_needed)
    if report is None:
        stdout.write("Index is up to date.\n")
    else:
        stdout.write(
            f"Built {report.passages} passages from {report.documents} documents in "
            f"{report.seconds:.1f} s -> {report.location}\n"
        )
    return 0


# ---------------------------------------------------------------- search
def _add_search(sub) -> None:
    p = sub.add_parser("search", help="the passages that best answer a question")
    p.add_argument("question", nargs="?", help="the question (or use --batch)")
    p.add_argument("--k", type=int, default=None, help="how many passages (default: settings top_k)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--batch", metavar="FILE", help="one question per line ('-' for stdin); JSON lines out")
    p.add_argument("--mode", choices=("hybrid", "dense", "bm25"), default="hybrid", help=argparse.SUPPRESS)
    p.set_defaults(func=_run_search)


def _search_object(retriever, titles: dict, question: str, k: int, mode: str, max_chars: int) -> dict:
    cleaned = clean_question(question, max_chars)
    hits = retriever.search(cleaned.text, k=k, mode=mode)
    return {
        "question": cleaned.text,
        "passages": [
            {
                "doc_id": h.passage.doc_id,
                "doc_title": titles.get(h.passage.doc_id, h.passage.doc_id),
                "section": h.passage.section,
                "paragraph": h.passage.paragraph,
                "passage_id": h.passage.id,
                "start": h.passage.start,
                "end": h.passage.end,
                "text": h.passage.text,
                "score": round(h.score, 6),
                "dense": round(h.dense, 4),
                "bm25": round(h.bm25, 4),
            }
            for h in hits
        ],
        "warnings": list(cleaned.warnings),
    }


def _run_search(args, settings, stdin, stdout, stderr) -> int:
    if args.batch is None and (args.question is None or not args.question.strip()):
        raise BadInput("search needs a question (or --batch FILE)")
    k = args.k if args.k is not None else settings.top_k
    if not 1 <= k <= 50:
        raise BadInput("--k must be between 1 and 50")
    retriever = load_retriever(settings)
    titles = {doc_id: doc.title for doc_id, doc in documents_by_id(settings.corpus_dir).items()}

    def one(question: str) -> dict:
        return _search_object(retriever, titles, question, k, args.mode, settings.max_question_chars)

    if args.batch is None:
        result = one(args.question)
        if args.json:
            emit(result, stdout)
        else:
            for n, p in enumerate(result["passages"], 1):
                stdout.write(f"[{n}] {p['doc_title']} — {p['section']}\n    {p['text'][:300]}\n\n")
        return 0
    for line in read_lines(args.batch, stdin):
        try:
            emit(one(line), stdout)
        except AssistantError as exc:
            emit({"question": line[:200], "error": str(exc)}, stdout)
    return 0


# ---------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m assistant", description="Information-sharing guidance assistant")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    _add_build(sub)
    _add_search(sub)
    decide.add_parser(sub)
    ask.add_parser(sub)
    documents.add_parser(sub)
    return parser


def _tolerant_streams() -> None:
    """Undecodable bytes typed or piped in become U+FFFD, and anything unprintable is replaced,
    whatever the locale: odd input is answered or refused in one line, never a UnicodeError."""
    for stream in (sys.stdin, sys.stdout):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):  # closed or not a text stream
                pass


def main(argv: list[str] | None = None, *, stdin=None, stdout=None, stderr=None, settings=None) -> int:
    if stdin is None:
        _tolerant_streams()
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
        if not getattr(args, "func", None):
            raise BadInput("python -m assistant: choose a command: build-index, search, ask, chat, decide, add-document, remove-document (see --help)")
        settings = settings or Settings.from_env()
        return int(args.func(args, settings, stdin, stdout, stderr) or 0)
    except AssistantError as exc:
        stderr.write(f"error: {one_line(exc)}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except UnicodeError as exc:
        stderr.write(f"error: some input is not UTF-8 text ({one_line(getattr(exc, 'reason', exc))}); save it as "
                     "UTF-8 and try again\n")
        return BadInput.exit_code
    except Exception as exc:  # noqa: BLE001 - last resort: one line for the user, not a traceback
        stderr.write(f"error: unexpected {type(exc).__name__}: {one_line(exc)[:300]}; please report this\n")
        return 1
