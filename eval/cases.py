"""Loading the case files (their schema is checked by tests/test_eval_cases.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent / "cases"


@cache
def load(name: str) -> dict:
    import yaml

    return yaml.safe_load((CASES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def retrieval_cases() -> list[dict]:
    return load("retrieval")["cases"]
