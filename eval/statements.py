"""``python -m eval statements``: the stance head's examples, from the graded rounds' statements.

Each graded round (``eval/heldout/round-N/``) holds statements of belief written by someone who never
saw the code or the data, each with the verdict its writer gave it ("myth" or "true") and checked by
hand when the round was graded. They are the only statements we have in practitioners' own words at
that scale, so they train the learned reader's ``stance`` head (``assistant.understand.learned``),
written to ``assistant/data/understanding_examples_statements.yaml``. ``--through N`` keeps rounds
1 to N only: trained on some rounds, the head can be measured on the later ones.

Once a round trains the head, its statements' verdicts in the regression set (``eval/rounds.py``) are
no longer a measure of questions nobody tuned on; the next fresh round is.
"""

from __future__ import annotations

import json
from pathlib import Path

from eval.rounds import ROUNDS_DIR

OUT = Path(__file__).resolve().parent.parent / "assistant" / "data" / "understanding_examples_statements.yaml"
_VERDICTS = {"myth": "myth", "false": "myth", "true": "true"}
HEADER = """\
# The stance head's examples (assistant/understand/learned.py): the graded fresh rounds' statements of
# belief, each with the verdict its writer gave it. Written by `python -m eval statements{through}`
# from eval/heldout/round-*/cases.jsonl (rounds with grades only); do not edit by hand.
trains: [stance]
examples:
"""


def statements(folder: Path = ROUNDS_DIR, through: int | None = None) -> list[dict]:
    """The graded rounds' statements with a verdict, in round order: {text, stance}."""
    rows = []
    for round_dir in sorted(folder.glob("round-*"), key=lambda p: int(p.name.split("-")[-1])):
        number = int(round_dir.name.split("-")[-1])
        if (through is not None and number > through) or not (round_dir / "grades.jsonl").is_file():
            continue
        with open(round_dir / "cases.jsonl", encoding="utf-8") as handle:
            for line in handle:
                case = json.loads(line) if line.strip() else {}
                stance = _VERDICTS.get(case.get("expected_verdict") or "")
                if stance:
                    rows.append({"text": " ".join(case["text"].split()), "stance": stance})
    return rows


def write(out: Path = OUT, through: int | None = None, folder: Path = ROUNDS_DIR) -> int:
    rows = statements(folder, through)
    lines = [f"  - {json.dumps(row, ensure_ascii=False)}\n" for row in rows]
    out.write_text(HEADER.format(through=f" --through {through}" if through is not None else "") + "".join(lines),
                   encoding="utf-8")
    return len(rows)
