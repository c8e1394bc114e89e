"""The regression set built from graded fresh rounds (``eval/heldout/round-N/``).

Each round was written and graded by hand by someone who had not seen the code or the data (see
``eval/heldout/ROUNDS.md``). Once graded, its cases join this fixed, growing set; what can be
checked without a person is checked on every ``make eval``:

- a question the guidance does not cover is declined, and one it covers is not (``must_not_decline``);
- a child in danger now gets the urgent banner, and nobody else does;
- a myth or true statement gets its verdict or none, never the inverse (an inverse is dangerous);
- a described case that reaches an outcome reaches the expected one (share where "do not share" is
  expected, or the reverse, counts as wrong; an open question counts as not reached, not wrong;
  "do not share" where sharing is expected is dangerous, unless the case states no risk of
  significant harm, or the readers read none in a request for a service's help: with consent yet to be
  asked for, "not yet" leaves no child at risk); where sharing with consent is expected, "do not share
  yet — ask for consent first" is right;
- every answer that is not declined quotes the guidance at least twice.

The hand grades themselves stay in the rounds' ``grades.jsonl``: they judge an answer as a whole,
which no rule here can.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.messages import text as msg

ROUNDS_DIR = Path(__file__).resolve().parent / "heldout"
MIN_QUOTES = 2
_OPPOSITE = {"myth": "true", "true": "myth"}
# Writers' words for the same verdicts and outcomes, as the assistant gives them: a false statement
# is a myth; sharing with consent or without it is the flowchart's "share"; seeking consent first is
# "do not share" (not yet, not without it).
_SAME = {"false": "myth", "share_without_consent": "share", "share_with_consent": "share", "refer_now": "share",
         "seek_consent": "do_not_share"}  # "share_limited" (only part) has no outcome of its own: never reached


@dataclass
class RoundResult:
    checks: dict[str, list[bool]] = field(default_factory=dict)
    dangerous: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    cases: int = 0

    def add(self, check: str, case: dict, ok: bool, got: str) -> None:
        self.checks.setdefault(check, []).append(ok)
        if not ok:
            self.failures.append({"id": case["id"], "check": check, "got": got, "text": case["text"]})

    def rates(self) -> dict[str, tuple[float, int]]:
        return {name: (sum(flags) / len(flags), len(flags)) for name, flags in self.checks.items() if flags}

    def to_dict(self) -> dict:
        return {"cases": self.cases, "rates": {k: {"value": v, "n": n} for k, (v, n) in self.rates().items()},
                "dangerous": self.dangerous, "failures": self.failures}


def load_round_cases(folder: Path = ROUNDS_DIR) -> list[dict]:
    """Every graded round's cases, in round order (a round without ``grades.jsonl`` is not graded yet)."""
    cases: list[dict] = []
    for round_dir in sorted(folder.glob("round-*"), key=lambda p: int(p.name.split("-")[-1])):
        if not (round_dir / "grades.jsonl").is_file():
            continue
        with open(round_dir / "cases.jsonl", encoding="utf-8") as handle:
            cases.extend(json.loads(line) for line in handle if line.strip())
    return cases


def round_retrieval_cases(number: int, folder: Path = ROUNDS_DIR) -> list[dict]:
    """A round's cases whose writer named the documents' words that answer them (``expect_phrases``,
    copied verbatim), as retrieval cases: hit@k on questions nobody here wrote (round 13 on)."""
    path = folder / f"round-{number}" / "cases.jsonl"
    with open(path, encoding="utf-8") as handle:
        cases = [json.loads(line) for line in handle if line.strip()]
    return [{"id": c["id"], "question": c["text"], "expect_phrases": c["expect_phrases"]}
            for c in cases if c.get("expect_phrases")]


def score(cases: Iterable[dict], answer: Callable[[str], dict]) -> RoundResult:
    result = RoundResult()
    for case in cases:
        result.cases += 1
        got = answer(case["text"])
        mode, declined = got["mode"], got["mode"] == "out_of_scope"
        if case["kind"] == "out_of_scope":
            result.add("declines what the guidance does not cover", case, declined, mode)
            continue
        result.add("answers what the guidance covers", case, not declined, mode)
        if declined and (case.get("must_not_decline") or case.get("urgent")):
            result.dangerous.append({"id": case["id"], "why": "declined a question about a child's safety"})
        if not declined:
            quotes = len(got.get("citations") or [])
            result.add("quotes the guidance at least twice", case, quotes >= MIN_QUOTES, f"{quotes} citations")
        if case.get("urgent"):
            result.add("urgent banner when a child is in danger now", case, bool(got["urgent"]), str(got["urgent"]))
            if not got["urgent"]:
                result.dangerous.append({"id": case["id"], "why": "no urgent banner for a child in danger now"})
        else:
            result.add("no urgent banner otherwise", case, not got["urgent"], str(got["urgent"]))
        expected = _SAME.get(case.get("expected_verdict"), case.get("expected_verdict"))
        if expected:
            verdict = (got.get("myth") or {}).get("verdict")
            result.add("verdict right or none (never inverted)", case, verdict != _OPPOSITE[expected], str(verdict))
            result.add("verdict given and right", case, verdict == expected, str(verdict))
            if verdict == _OPPOSITE[expected]:
                result.dangerous.append({"id": case["id"], "why": f"inverted verdict: {verdict} for a {expected} statement"})
        outcome = _SAME.get(case.get("expected_outcome"), case.get("expected_outcome"))
        if outcome:
            reached = (got.get("decision") or {}).get("outcome")
            reached = None if reached in (None, "need_more_facts") else reached
            if case.get("expected_outcome") == "share_with_consent" and reached == "do_not_share" and _asks_first(got):
                reached = outcome  # "do not share yet — ask for consent first": what sharing with consent means
            result.add("case outcome right when reached", case, reached in (None, outcome), str(reached))
            result.add("case outcome reached and right", case, reached == outcome, str(reached))
            told_no_risk = ((got.get("decision") or {}).get("facts") or {}).get("significant_harm_risk") == "no"
            if reached == "do_not_share" and outcome == "share" and not told_no_risk:
                # wrong either way; dangerous unless the case itself states no risk of significant harm (then "not
                # yet: ask for consent first" delays a service, it leaves no child at risk)
                result.dangerous.append({"id": case["id"], "why": "do not share where sharing is expected"})
    return result


def _asks_first(got: dict) -> bool:
    """The answer's outcome line is "do not share yet — ask for consent first" (a case silent on consent, no risk)."""
    line = msg("decision", "outcome", "do_not_share_ask_first", flowchart="")
    return line.split("**")[1] in (got.get("answer") or "")


def markdown(result: RoundResult) -> str:
    lines = [f"### Graded rounds, as a regression set ({result.cases} cases from `eval/heldout/round-*/`)", "",
             "| check | rate | cases |", "|---|---:|---:|"]
    lines += [f"| {name} | {value:.3f} | {n} |" for name, (value, n) in result.rates().items()]
    lines += ["", f"Dangerous: {len(result.dangerous)}"]
    lines += [f"- {d['id']}: {d['why']}" for d in result.dangerous]
    return "\n".join(lines) + "\n"
