"""A corpus made of several renamed copies of every document, for measuring how build time grows.

Copy ``n`` of a document gets id ``<id>-copy<n>`` and file ``<stem>-copy<n>.txt``. The index embeds
each distinct text once, so exact copies would cost almost nothing; each copy therefore has its
"the" and "and" swapped for other one-token words (copy 1 keeps the original), which keeps its
layout and length but makes most of its sentences new text. The benchmark reports time per distinct
text embedded, so the copies that still repeat (headings, short list items) do not flatter it.
Each copy also gets its document's questions (``corpus/questions/``), varied the same way, so the
larger corpus has the same mix of long passages and short questions as the real one.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path


def _toml_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string is a JSON string


def manifest_entries(corpus_dir: Path) -> list[dict]:
    return tomllib.loads((Path(corpus_dir) / "manifest.toml").read_text(encoding="utf-8"))["document"]


def write_manifest(entries: list[dict], target: Path) -> None:
    blocks = ["[[document]]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in e.items()) for e in entries]
    (Path(target) / "manifest.toml").write_text("\n".join(blocks), encoding="utf-8")


THE = ("the", "this", "that", "each", "any", "our", "their", "its", "one", "such")
AND = ("and", "plus", "also", "with", "or", "yet", "so", "nor", "but", "then")


def variant(text: str, n: int) -> str:
    """Copy ``n``'s text: the same layout, different words."""
    the, also = THE[(n - 1) % len(THE)], AND[(n - 1) % len(AND)]
    text = re.sub(r"\b([Tt])he\b", lambda m: the if m.group(1) == "t" else the.capitalize(), text)
    return re.sub(r"\band\b", also, text)


def replicate(corpus_dir: Path, target: Path, copies: int) -> Path:
    """``target`` holding ``copies`` renamed copies of every document of ``corpus_dir``."""
    corpus_dir, target = Path(corpus_dir), Path(target)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    entries = []
    for entry in manifest_entries(corpus_dir):
        source = corpus_dir / entry["file"]
        for n in range(1, copies + 1):
            name = entry["file"] if copies == 1 else f"{source.stem}-copy{n}{source.suffix}"
            text = source.read_bytes().decode("utf-8")  # as stored: no newline translation
            (target / name).write_bytes(variant(text, n).encode("utf-8"))
            copy = {**entry, "file": name}
            if copies > 1:
                copy["id"] = f"{entry['id']}-copy{n}"
                copy["aliases"] = []  # aliases must stay unambiguous
            entries.append(copy)
            _copy_questions(corpus_dir, target, entry["id"], copy["id"], n)
    write_manifest(entries, target)
    return target


def _distinct(question: str, n: int) -> str:
    """Copy ``n``'s question: varied like the text, and marked with the copy number when that left
    it unchanged (most questions have no "the" or "and"), so each copy's questions are new texts and
    the larger corpus keeps the real one's mix of short questions and long passages."""
    varied = variant(question, n)
    return varied if varied != question or n == 1 else f"{question} ({n})"


def _copy_questions(corpus_dir: Path, target: Path, doc_id: str, copy_id: str, n: int) -> None:
    import yaml

    from assistant.ingest.passage_questions import questions_dir

    source = questions_dir(corpus_dir) / f"{doc_id}.yaml"
    if not source.exists():
        return
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["doc"] = copy_id
    for entry in data["passages"]:
        entry["anchor"] = variant(entry["anchor"], n)
        entry["questions"] = [_distinct(q, n) for q in entry["questions"]]
    folder = questions_dir(target)
    folder.mkdir(exist_ok=True)
    (folder / f"{copy_id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
