"""The conversation so far, as far as answering needs it: redacted questions, modes and open decisions.

Nothing identifying is kept: turns store the redacted question only.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Turn:
    question: str  # redacted
    mode: str
    topic: str  # the text retrieval used: lets a follow-up be read with it
    facts: dict = field(default_factory=dict)
    flowchart: str = "default"
    decision_open: bool = False  # the decision still needs facts


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def add(self, turn: Turn) -> None:
        self.turns.append(turn)
        del self.turns[:-20]  # a follow-up only ever looks back one turn; keep memory bounded

    def open_decision(self) -> Turn | None:
        last = self.last
        return last if last is not None and last.mode == "decision" else None
