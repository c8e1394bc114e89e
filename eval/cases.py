"""Loading the case files (their schema is checked by tests/test_eval_cases.py).

Each loader returns flat dicts with an ``id`` and a ``question`` so the runner can treat every
suite alike. Myth phrasings get ids ``<myth id>.<n>`` (n from 1, in file order).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent / "cases"


@cache
def load(name: str, cases_dir: Path = CASES_DIR) -> dict:
    import yaml

    return yaml.safe_load((Path(cases_dir) / f"{name}.yaml").read_text(encoding="utf-8"))


def retrieval_cases(cases_dir: Path = CASES_DIR) -> list[dict]:
    return load("retrieval", cases_dir)["cases"]


def _verdict(value) -> str:
    # YAML 1.1 reads a bare `true` as a boolean; the verdicts are the strings "myth" and "true".
    return "true" if value is True else str(value)


def myth_items(cases_dir: Path = CASES_DIR) -> list[dict]:
    """Every myth phrasing (expected verdict "myth") and every true statement (expected "true")."""
    data = load("myths", cases_dir)
    items = [
        {"id": f"{m['id']}.{n}", "claim": m["id"], "question": p["text"], "style": p["style"],
         "expected": _verdict(p["expect_verdict"]), "cite_phrase": m["cite_phrase"]}
        for m in data["myths"]
        for n, p in enumerate(m["phrasings"], 1)
    ]
    items += [
        {"id": t["id"], "claim": t["id"], "question": t["statement"], "style": "true_statement",
         "expected": _verdict(t["expect_verdict"]), "cite_phrase": t["cite_phrase"]}
        for t in data["true_statements"]
    ]
    return items


def out_of_scope_cases(cases_dir: Path = CASES_DIR) -> list[dict]:
    return load("out_of_scope", cases_dir)["cases"]


def scenario_cases(cases_dir: Path = CASES_DIR) -> list[dict]:
    return load("decisions", cases_dir)["scenarios"]


def routing_cases(cases_dir: Path = CASES_DIR) -> list[dict]:
    return load("decisions", cases_dir)["routing"]


def urgent_cases(cases_dir: Path = CASES_DIR) -> list[dict]:
    """Urgency cases with the text also under ``question``, like every other suite."""
    return [{**c, "question": c["text"]} for c in load("urgent", cases_dir)["cases"]]
