"""The evaluation suite: case files under eval/cases, scored by ``python -m eval``."""
