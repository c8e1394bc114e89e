"""``add-document`` and ``remove-document``: local guidance in and out of the corpus, index rebuilt.

Thin: the checks, the writing and the rebuild are ``assistant.indexing.changes`` (the app's upload
uses the same). Missing details are asked for in a terminal, with what the file says (its title,
its date) offered as the default; without a terminal they come from the flags, and what the file
says is used when a flag is absent.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.errors import BadDocument
from assistant.indexing.changes import add_document, remove_document
from assistant.indexing import models
from assistant.ingest.adding import ORDER, REQUIRED, Details, suggestion
from assistant.ingest.documents import load_documents
from assistant.ingest.readers import read_document

_FLAGS = {"id": "--id", "title": "--title", "short_title": "--short-title", "publisher": "--publisher",
          "area": "--area", "date": "--date", "version": "--doc-version", "law_cited": "--law-cited"}
_PROMPTS = {"id": "Id (lower case, hyphens)", "title": "Title", "short_title": "Short title (shown in citations)",
            "publisher": "Publisher", "area": "Area covered", "date": "Date (YYYY-MM or YYYY)",
            "version": "Version or edition", "law_cited": "Law it cites"}


def add_parser(sub) -> None:
    add = sub.add_parser("add-document", help="add a PDF, Word, HTML, Markdown or text file and rebuild the index")
    add.add_argument("path", type=Path, help="the file (.pdf, .docx, .html, .htm, .md, .txt)")
    for key, flag in _FLAGS.items():
        add.add_argument(flag, dest=key, help=_PROMPTS[key].lower())
    add.add_argument("--alias", action="append", default=[], help="a name people use for it (repeatable)")
    add.add_argument("--law-superseded", action="append", default=[],
                     help="a key of assistant/data/legal_currency.yaml the document cites (repeatable)")
    add.add_argument("--show-text", action="store_true", help="print the text that would be stored, and stop")
    add.add_argument("--quiet", action="store_true", help="no progress bar")
    add.set_defaults(func=run_add)
    remove = sub.add_parser("remove-document", help="take a document out of the corpus and rebuild the index")
    remove.add_argument("doc_id", help="the document's id in corpus/manifest.toml")
    remove.add_argument("--quiet", action="store_true", help="no progress bar")
    remove.set_defaults(func=run_remove)


def run_add(args: argparse.Namespace, settings, stdin, stdout, stderr) -> int:
    extracted = read_document(args.path)
    if args.show_text:
        stdout.write(extracted.text)
        return 0
    ids = {doc.id for doc in load_documents(settings.corpus_dir)}
    interactive = bool(getattr(stdin, "isatty", lambda: False)())
    if interactive:
        stderr.write(f"Read {len(extracted.text):,} characters from {extracted.source}. "
                     "Press Enter to accept a [default].\n")
    values = {}
    for key in ORDER:
        given = getattr(args, key)
        default = given or suggestion(key, values, extracted, ids)
        values[key] = _ask(_PROMPTS[key], default, stdin, stderr) if interactive and not given else default
    missing = [_FLAGS[key] for key in ("id", *REQUIRED) if not values.get(key)]
    if missing:
        raise BadDocument(f"add-document needs {', '.join(missing)} (or run it in a terminal to be asked)")
    details = Details(**values, aliases=tuple(args.alias), law_superseded=tuple(args.law_superseded))
    report = add_document(settings, args.path, extracted, details, models.load(settings),
                          progress=not args.quiet)
    stdout.write(f"Added {details.id!r} ({', '.join(report.files)}); index rebuilt: {report.build.passages} "
                 f"passages from {report.build.documents} documents in {report.build.seconds:.1f} s\n")
    return 0


def run_remove(args: argparse.Namespace, settings, stdin, stdout, stderr) -> int:
    report = remove_document(settings, args.doc_id, models.load(settings), progress=not args.quiet)
    stdout.write(f"Removed {args.doc_id!r} ({', '.join(report.files)}); index rebuilt: {report.build.passages} "
                 f"passages from {report.build.documents} documents in {report.build.seconds:.1f} s\n")
    return 0


def _ask(prompt: str, default: str | None, stdin, stderr) -> str | None:
    stderr.write(f"{prompt}{f' [{default}]' if default else ''}: ")
    stderr.flush()
    answer = stdin.readline().strip()
    return answer or default
