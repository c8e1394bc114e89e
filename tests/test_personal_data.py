"""Identifying details practitioners type are never written anywhere unredacted.

50 questions full of identifiers (NHS and NI numbers, postcodes, phone numbers, emails, dates of
birth, names) go through everything that keeps or writes text: answers and the conversation memory,
feedback, the conversation export, decision records (with typed notes), and the command line
(``ask --batch`` and ``chat`` in a real process). Then every file the run wrote, and the index the
questions were searched in, are scanned for every identifier, as typed and with its spaces removed.
The command line must write nothing at all.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from assistant.answer.assistant import Assistant
from assistant.config import PROJECT_ROOT
from assistant.answer.conversation import Conversation
from assistant.ingest.documents import load_documents
from assistant.outputs.export import conversation_markdown
from assistant.outputs.feedback import read_feedback, record_feedback

FIRST = ["Jade", "Kayden", "Olivia", "Tyler", "Amira", "Declan", "Priya", "Callum", "Zara", "Reuben"]
LAST = ["Thornbury", "Okonkwo", "Fairbairn", "Wojcik", "Haldane"]
POSTCODES = ["LS1 4AP", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB", "HX1 1UJ", "BS1 5TR", "NE1 7RU"]
NI_PREFIXES = ["AB", "CE", "HJ", "JT", "KL", "MP", "PR", "RS", "SW", "WX"]
TEMPLATES = [
    "Can I share that {name} (NHS {nhs}, DOB {dob}) of {postcode} is being hurt at home? Mum's phone is {phone}.",
    "My pupil {name}, born {dob}, lives at {postcode}; her email is {email}. Do I need consent to tell the GP?",
    "A child called {name}, NI number {ni}, rang me from {phone}. Should I share this with social care?",
    "Is it a myth that GDPR stops me telling the police about {name} ({nhs}, {postcode})?",
    "{name} disclosed abuse today, email {email}, date of birth {dob}, phone {phone}. What do I do?",
]


def _nhs(seed: int) -> str:
    """A valid NHS number (mod-11 check digit), written 3-3-4."""
    while True:
        digits = [int(d) for d in f"{(seed * 7919 + 123456789) % 10**9:09d}"]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check != 10:
            number = "".join(map(str, digits)) + str(0 if check == 11 else check)
            return f"{number[:3]} {number[3:6]} {number[6:]}"
        seed += 101


def _identity(i: int) -> dict[str, str]:
    first, last = FIRST[i % 10], LAST[i // 10]
    return {
        "name": f"{first} {last}",
        "nhs": _nhs(i),
        "ni": f"{NI_PREFIXES[i % 10]} {i:02d} {(i * 37) % 100:02d} {(i * 53) % 100:02d} {'ABCD'[i % 4]}",
        "postcode": POSTCODES[(i * 3) % 10],
        "phone": f"07700 900{i:03d}" if i % 2 else f"0113 496 0{i:03d}",
        "email": f"{first.lower()}.{last.lower()}{i}@example.org",
        "dob": f"{1 + i % 28:02d}/{1 + i % 12:02d}/{2008 + i % 10}",
    }


IDENTITIES = [_identity(i) for i in range(50)]
QUESTIONS = [TEMPLATES[i % len(TEMPLATES)].format(**who) for i, who in enumerate(IDENTITIES)]


def _needles() -> set[str]:
    """Every identifier used, as typed and with spaces removed; postcodes only in full (an outward
    code such as "M1" is not identifying and occurs everywhere)."""
    needles = set()
    for who in IDENTITIES:
        for key, value in who.items():
            needles.add(value)
            if key in ("nhs", "ni", "phone", "postcode"):
                needles.add(value.replace(" ", ""))
        needles.add(who["name"].split()[1])  # a surname on its own is still identifying here
    return needles


NEEDLES = _needles()


_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4,})>")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _literal_strings(stream: bytes) -> list[bytes]:
    """The ``(...)`` strings of a PDF content stream, unescaped."""
    out, i = [], 0
    while (i := stream.find(b"(", i)) != -1:
        depth, buf, i = 1, bytearray(), i + 1
        while i < len(stream) and depth:
            c = stream[i]
            if c == 0x5C and i + 1 < len(stream):  # backslash
                nxt = stream[i + 1]
                if 0x30 <= nxt <= 0x37:
                    digits = re.match(rb"[0-7]{1,3}", stream[i + 1 : i + 4]).group(0)
                    buf.append(int(digits, 8) & 0xFF)
                    i += 1 + len(digits)
                    continue
                buf += _ESCAPES.get(nxt, bytes([nxt]))
                i += 2
                continue
            depth += c == 0x28
            depth -= c == 0x29
            if depth:
                buf.append(c)
            i += 1
        out.append(bytes(buf))
    return out


def _pdf_text(data: bytes) -> str:
    """The text a PDF shows: its streams inflated, and the two-byte glyph ids of an embedded font
    mapped back to characters through each font's ToUnicode table (fpdf2 with DejaVu Sans)."""
    streams = [data]
    for chunk in data.split(b"stream")[1:]:
        try:
            streams.append(zlib.decompress(chunk.split(b"endstream")[0].strip(b"\r\n")))
        except zlib.error:
            pass
    cmaps = [
        {int(g, 16): bytes.fromhex(u.decode()).decode("utf-16-be", "replace") for g, u in _BFCHAR.findall(s)}
        for s in streams
        if b"beginbfchar" in s
    ]
    texts = [b"\n".join(streams).decode("latin-1")]
    for stream in streams[1:]:
        pieces = _literal_strings(stream)
        texts += [b"".join(pieces).decode("latin-1"), b" ".join(pieces).decode("latin-1")]
        for cmap in cmaps:
            for joiner in ("", " "):
                texts.append(joiner.join(
                    "".join(cmap.get(int.from_bytes(p[k : k + 2], "big"), "\ufffd") for k in range(0, len(p) - 1, 2))
                    for p in pieces
                ))
    return "\n".join(texts)


def _readable(path: Path) -> str:
    data = path.read_bytes()
    return _pdf_text(data) if path.suffix == ".pdf" else data.decode("utf-8", "replace")


def _leaks(root: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = _readable(path)
        hits = sorted(n for n in NEEDLES if n in text)
        if hits:
            found[str(path)] = hits
    return found


def test_the_scan_finds_identifiers_in_a_pdf_record(tmp_path):
    """The scan can fail: an unredacted PDF record is caught (so a clean scan means something)."""
    from assistant.outputs import records
    from assistant.decision.engine import decide

    who = IDENTITIES[7]
    notes = f"{who['name']} {who['nhs']} {who['email']}"
    (tmp_path / "leaky.pdf").write_bytes(records.render_pdf(decide({"legitimate_purpose": "yes"}),
                                                            practitioner_notes={"notes": notes}))
    assert {who["name"], who["nhs"], who["email"]} <= set(_leaks(tmp_path)[str(tmp_path / "leaky.pdf")])


def test_identifiers_are_not_in_the_corpus_so_a_hit_means_a_leak():
    corpus = "\n".join(doc.text for doc in load_documents(PROJECT_ROOT / "corpus"))
    assert not [n for n in NEEDLES if n in corpus]
    assert len(QUESTIONS) == 50 and len(NEEDLES) > 250


@pytest.fixture(scope="module")
def assistant(real_settings, real_retriever) -> Assistant:
    return Assistant.load(real_settings)


def _cli(args: list[str], stdin: str, settings, root: Path) -> subprocess.CompletedProcess:
    """A real ``python -m assistant`` whose working folder, home, temp and data folders are all
    empty folders under ``root``, so anything it writes is found."""
    for name in ("cwd", "home", "tmp", "var"):
        (root / name).mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(root / "home"),
        "TMPDIR": str(root / "tmp"),
        "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
        "ASSISTANT_MODEL_CACHE": str(settings.model_cache_dir),
        "ASSISTANT_DATA_DIR": str(root / "var"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], input=stdin.encode(), capture_output=True,
        cwd=root / "cwd", env=env, timeout=300,
    )


def test_nothing_identifying_is_written_anywhere(assistant, tmp_path, caplog):
    from assistant.outputs.records import PRACTITIONER_FIELDS
    from assistant.ui.state import record_files

    caplog.set_level(logging.DEBUG)
    settings = assistant.settings.with_(data_dir=tmp_path / "var")
    turns: list[dict] = []
    history = Conversation()
    decisions = 0
    for n, question in enumerate(QUESTIONS):
        answer = assistant.answer(question, history if n % 3 else None)
        result = answer.to_dict()
        assert result["warnings"], "the practitioner is warned about the details they typed"
        assistant.remember(history, answer)
        turns.append(result)
        record_feedback(settings, result, "up" if n % 2 else "down")
        record_feedback(settings, question, 0)  # a caller passing the raw text is redacted too
        if result["decision"]:
            decisions += 1
            from assistant.decision.engine import decide

            decision = decide(result["decision"]["facts"], result["decision"]["flowchart"])
            fields = {name: question for name in PRACTITIONER_FIELDS}  # every field the screen offers
            for record in record_files(decision, corpus_dir=settings.corpus_dir, fields=fields):
                data = record.data if isinstance(record.data, bytes) else record.data.encode("utf-8")
                (tmp_path / "records").mkdir(exist_ok=True)
                (tmp_path / "records" / f"{n}-{record.file_name}").write_bytes(data)
    assert decisions >= 5, "decision records were exercised"
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "conversation.md").write_text(conversation_markdown(turns), encoding="utf-8")
    assert len(read_feedback(settings)) == 100

    # what the assistant keeps in memory and returns is redacted too
    memory = json.dumps([t.__dict__ for t in history.turns] + turns, ensure_ascii=False)
    assert not [n for n in NEEDLES if n in memory]

    cli_root = tmp_path / "cli"
    batch = _cli(["ask", "--batch", "-", "--json"], "\n".join(QUESTIONS) + "\n", settings, cli_root)
    assert batch.returncode == 0, batch.stderr.decode(errors="replace")
    assert len(batch.stdout.splitlines()) == 50
    chat = _cli(["chat"], "\n".join(QUESTIONS[:10]) + "\n\n", settings, cli_root)
    assert chat.returncode == 0, chat.stderr.decode(errors="replace")
    shown = (batch.stdout + batch.stderr + chat.stdout + chat.stderr).decode("utf-8")
    assert not [n for n in NEEDLES if n in shown], "what the command line prints is redacted too"
    written = [p for p in cli_root.rglob("*") if p.is_file()]
    assert written == [], f"ask and chat write nothing at all: {written}"

    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "feedback.jsonl" for p in written) and any(p.suffix == ".pdf" for p in written)
    assert _leaks(tmp_path) == {}
    assert _leaks(assistant.settings.index_dir) == {}, "searching does not write the question into the index"
    if (PROJECT_ROOT / "var").is_dir():
        assert _leaks(PROJECT_ROOT / "var") == {}
    assert not [n for n in NEEDLES if n in caplog.text], "nothing identifying is logged"
