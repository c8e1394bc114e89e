"""The assistant's data files: where they are, the one YAML loader and the one strict model base.

Every YAML file under ``assistant/data/`` and ``assistant/decision/flowcharts/`` is read by
``load_yaml`` (libyaml's C loader when PyYAML has it, about fifteen times faster than the
pure-Python one, which matters for start-up; only plain data is built) and checked by a model
derived from ``Strict`` (unknown keys are errors, loaded data is immutable) with ``load_model``.
A file that cannot be read or does not fit its model raises one ``CorpusError`` line naming the
file and the field, never a raw ``ValidationError``.

May import: ``assistant.errors`` only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.errors import CorpusError

DATA_DIR = Path(__file__).resolve().parent / "data"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """Base of the data-file models: unknown keys are errors, loaded data is immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def load_yaml(path: Path):
    """The plain data in one YAML file; ``CorpusError`` naming the file when it cannot be read."""
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LOADER)  # noqa: S506 - a safe loader
    except OSError as exc:
        raise CorpusError(f"{Path(path).name} cannot be read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CorpusError(f"{Path(path).name} cannot be read: {problem}{where}") from None


def bad_data(path: Path, exc: ValidationError) -> CorpusError:
    """The first validation problem, as one line naming the file and the field."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    return CorpusError(" ".join(f"{Path(path).name}: {where}: {first['msg']}".split()))


def validate(model: type[M], data, path: Path) -> M:
    """``data`` (read from ``path``) checked by ``model``; ``CorpusError`` naming file and field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise bad_data(path, exc) from None


def load_model(model: type[M], path: Path) -> M:
    """One YAML file read and checked by ``model``."""
    return validate(model, load_yaml(path), path)


def compile_patterns(path: Path, patterns) -> tuple[re.Pattern, ...]:
    """Plain regular expressions from a data file; a bad one is one line naming the file."""
    try:
        return tuple(re.compile(p) for p in patterns)
    except re.error as exc:
        raise CorpusError(f"{Path(path).name}: bad pattern {exc.pattern!r}: {exc}") from None
