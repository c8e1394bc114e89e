"""Reading the assistant's YAML data files (flowcharts, lexicon, messages, rules...).

libyaml's C loader when PyYAML has it (about fifteen times faster than the pure-Python one, which
matters for start-up), else the pure-Python safe loader. Either way only plain data is built.
"""

from __future__ import annotations

from pathlib import Path


def load_yaml(path: Path):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader
