"""Reading batches and writing results for the commands: JSON lines out, one printable line per error.

May import: ``assistant.errors`` only.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import TextIO

from assistant.errors import BadInput

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def one_line(message: object) -> str:
    """An error message as one printable line: what a user typed can end up in it (an unknown flag,
    a bad value), and must not move the terminal's cursor or break the line."""
    return " ".join(_UNPRINTABLE.sub(" ", str(message)).split())


def read_lines(source: str, stdin: TextIO) -> Iterator[str]:
    """Lines of a batch file, or of stdin for ``-``; undecodable bytes become U+FFFD, not a crash."""
    if source == "-":
        buffer = getattr(stdin, "buffer", None)
        stream = io.TextIOWrapper(buffer, encoding="utf-8", errors="replace") if buffer else stdin
        yield from (line.rstrip("\r\n") for line in stream)
        return
    try:
        with open(source, encoding="utf-8", errors="replace") as handle:
            yield from (line.rstrip("\r\n") for line in handle)
    except OSError as exc:
        raise BadInput(f"Cannot read {source}: {exc.strerror}") from None


def emit(obj: dict, stdout: TextIO) -> None:
    stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    stdout.flush()
