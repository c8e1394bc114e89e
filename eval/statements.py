"""``python -m eval statements``: the learned readers' examples from the graded rounds.

Each graded round (``eval/heldout/round-N/``) holds messages written by someone who never saw the code
or the data, each with what its writer expected and checked by hand when the round was graded. They are
the only messages we have in practitioners' own words at that scale, so they train two heads of the
learned reader (``assistant.understand.learned``):
- the ``stance`` head on the statements of belief, each with the verdict its writer gave it ("myth" or
  "true"), written to ``assistant/data/understanding_examples_statements.yaml``;
- the ``risk`` head on the described cases, urgent messages and general questions, each with the
  risk its writer's expectation states (``risk_label``), written to
  ``assistant/data/understanding_examples_rounds.yaml``;
- the ``urgent`` head on every message, each with whether its writer marked it urgent (a child in danger
  now), written to ``assistant/data/understanding_examples_rounds_urgent.yaml``. The rounds hold the
  serious but not immediate cases (a strangulation days ago, a forced marriage planned for the summer) that
  the hand-written examples lack; trained on rounds 1-40 and read on rounds 41-53, urgent banners on
  messages not marked urgent went from 34 to 26 and urgent messages missed from 5 to 4.
The rounds' general questions and statements of belief also widen what each short answer is matched on: a
safeguarding trainer (a helper who saw neither code nor answers) labelled each with the short answer that should
open its answer (for a statement: the line that puts its belief right, never one that seems to back a myth),
or none (``eval/heldout/short_answer_labels.jsonl``); the labelled ones are written, per short answer, to
``assistant/data/short_answer_asks_rounds.yaml``.
``--through N`` keeps rounds 1 to N only: trained on some rounds, the heads can be measured on the later ones.

Once a round trains the heads, its verdicts and outcomes in the regression set (``eval/rounds.py``) are
no longer a measure of messages nobody tuned on; the next fresh round is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from eval.rounds import ROUNDS_DIR

DATA = Path(__file__).resolve().parent.parent / "assistant" / "data"
OUT = DATA / "understanding_examples_statements.yaml"
RISK_OUT = DATA / "understanding_examples_rounds.yaml"
URGENT_OUT = DATA / "understanding_examples_rounds_urgent.yaml"
ASKS_OUT = DATA / "short_answer_asks_rounds.yaml"
LABELS = ROUNDS_DIR / "short_answer_labels.jsonl"
_VERDICTS = {"myth": "myth", "false": "myth", "true": "true"}
# The kinds of round message labelled with the short answer that should open its answer: general questions, and
# (from round 51's session) statements of belief, whose line opens the answer when no claim gives a verdict.
LABELLED_KINDS = ("question", "myth", "statement_true")
HEADER = """\
# The {head} head's examples (assistant/understand/learned.py): {what}. Written by
# `python -m eval statements{through}` from eval/heldout/round-*/cases.jsonl (rounds with grades only);
# do not edit by hand.
trains: [{head}]
examples:
"""
_URGENT_WHAT = "the graded fresh rounds' messages, each marked urgent or not as its writer marked it"
_STANCE_WHAT = "the graded fresh rounds' statements of belief, each with the verdict its writer gave it"
_RISK_WHAT = ("the graded fresh rounds' messages, each with the risk\n# its writer's expectation states "
              "(eval/statements.py, risk_label)")
# A writer's expectation for a case needing "share" that names a referral or the police: the case
# states a risk of significant harm. A "share" without one (a consented referral to early help, a
# transfer of records) says nothing about risk, so it is left out rather than read as harm.
_REFERRAL = re.compile(r"\b(?:refer\w*|social care|children'?s services|mash|front door|police|999|significant harm|"
                       r"lado|strategy|section 47|s47|child protection)\b", re.IGNORECASE)


def risk_label(case: dict) -> str | None:
    """The risk of significant harm a round's message states, as its writer expected, or None when
    the expectation does not say: an urgent message, or a case needing "share" whose expectation names
    a referral, "yes"; a case needing "seek advice", "unsure" (a worry for the safeguarding lead, not
    yet a referral); a case needing "share with consent", or "do not share" with no referral named,
    "no"; a general question, "no" (as the hand-written examples label them: it describes no particular
    child). A statement of belief is left out: one written like a case ("no need to ring MASH, school
    will have reported it") still carries a child's risk, and its referral advice must still lead."""
    kind, outcome, expect = case.get("kind"), case.get("expected_outcome"), case.get("expect") or ""
    if kind == "urgent":
        return "yes"
    if kind == "question":
        return "no"
    if kind != "case":
        return None
    if outcome == "share":
        return "yes" if _REFERRAL.search(expect) else None
    if outcome == "seek_advice":
        return "unsure"
    if outcome == "share_with_consent" or (outcome == "do_not_share" and not _REFERRAL.search(expect)):
        return "no"
    return None


def _graded_cases(folder: Path, through: int | None) -> Iterator[dict]:
    """Every case of the graded rounds (1 to ``through``), in round order."""
    for round_dir in sorted(folder.glob("round-*"), key=lambda p: int(p.name.split("-")[-1])):
        number = int(round_dir.name.split("-")[-1])
        if (through is not None and number > through) or not (round_dir / "grades.jsonl").is_file():
            continue
        with open(round_dir / "cases.jsonl", encoding="utf-8") as handle:
            yield from (json.loads(line) for line in handle if line.strip())


def statements(folder: Path = ROUNDS_DIR, through: int | None = None) -> list[dict]:
    """The graded rounds' statements with a verdict, in round order: {text, stance}."""
    return [{"text": " ".join(case["text"].split()), "stance": stance} for case in _graded_cases(folder, through)
            if (stance := _VERDICTS.get(case.get("expected_verdict") or ""))]


def risks(folder: Path = ROUNDS_DIR, through: int | None = None) -> list[dict]:
    """The graded rounds' messages whose risk the writer's expectation states, in round order: {text, risk}."""
    return [{"text": " ".join(case["text"].split()), "risk": risk} for case in _graded_cases(folder, through)
            if (risk := risk_label(case))]


def urgencies(folder: Path = ROUNDS_DIR, through: int | None = None) -> list[dict]:
    """The graded rounds' messages with whether each is urgent, in round order: {text, urgent}."""
    return [{"text": " ".join(case["text"].split()), "urgent": bool(case.get("urgent"))}
            for case in _graded_cases(folder, through)]


def _write(out: Path, rows: list[dict], head: str, what: str, through: int | None) -> int:
    lines = [f"  - {json.dumps(row, ensure_ascii=False)}\n" for row in rows]
    header = HEADER.format(head=head, what=what, through=f" --through {through}" if through is not None else "")
    out.write_text(header + "".join(lines), encoding="utf-8")
    return len(rows)


def write(out: Path = OUT, through: int | None = None, folder: Path = ROUNDS_DIR) -> int:
    """The stance examples to ``out``; their number."""
    return _write(out, statements(folder, through), "stance", _STANCE_WHAT, through)


def write_risks(out: Path = RISK_OUT, through: int | None = None, folder: Path = ROUNDS_DIR) -> int:
    """The risk examples to ``out``; their number."""
    return _write(out, risks(folder, through), "risk", _RISK_WHAT, through)


def write_urgencies(out: Path = URGENT_OUT, through: int | None = None, folder: Path = ROUNDS_DIR) -> int:
    """The urgency examples to ``out``; their number."""
    return _write(out, urgencies(folder, through), "urgent", _URGENT_WHAT, through)


def round_asks(folder: Path = ROUNDS_DIR, through: int | None = None, labels: Path = LABELS) -> dict[str, list[str]]:
    """The graded rounds' questions and statements of belief labelled with a short answer, per short answer id
    (in round order)."""
    with open(labels, encoding="utf-8") as handle:
        chosen = {row["id"]: row["short_answer"] for row in map(json.loads, filter(str.strip, handle))}
    asks: dict[str, list[str]] = {}
    for case in _graded_cases(folder, through):
        if case.get("kind") in LABELLED_KINDS and chosen.get(case["id"]):
            asks.setdefault(chosen[case["id"]], []).append(" ".join(case["text"].split()))
    return asks


def write_asks(out: Path = ASKS_OUT, through: int | None = None, folder: Path = ROUNDS_DIR, labels: Path = LABELS) -> int:
    """The short answers' round questions to ``out``; their number."""
    asks = round_asks(folder, through, labels)
    lines = [f"  {json.dumps(answer_id)}:\n" + "".join(f"    - {json.dumps(text, ensure_ascii=False)}\n" for text in texts)
             for answer_id, texts in sorted(asks.items())]
    header = ("# The graded fresh rounds' questions, per short answer a safeguarding trainer labelled them with\n"
              "# (eval/heldout/short_answer_labels.jsonl). Written by `python -m eval statements"
              f"{f' --through {through}' if through is not None else ''}`; do not edit by hand.\nasks:\n")
    out.write_text(header + "".join(lines), encoding="utf-8")
    return sum(map(len, asks.values()))
