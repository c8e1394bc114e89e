"""Read the decision facts a question states, so the engine does not ask for them again.

Why conservative: a fact read wrongly changes a share/don't-share outcome, while a fact left out
is only asked for. So ``extract_facts`` returns a fact only when the text states it, using the
phrase lists in ``assistant/data/routing.yaml`` (``facts.rules``), and each match is read in
its clause:

- asked, not stated: a short clause that opens with an auxiliary ("is there a court order?",
  "is she at risk of significant harm?") gives nothing;
- hedged ("not sure if", "might", "maybe", "could be", "whether") gives "unsure";
- negated ("no court order", "not confidential", "hasn't agreed", "without identifying her",
  "I don't think she's at risk", "no evidence that ...") turns a "yes" phrase into "no"; a
  negated "no" phrase ("she didn't refuse") gives nothing, because the opposite is not stated.

When one fact gets several answers, the fact's ``priority`` decides, chosen for safety: for
consent a refusal or withdrawal beats an earlier agreement (no > unsure > yes); for harm,
identifiability, confidentiality, legal duty, public interest and unsafe-to-ask any "yes"
wins; for legitimate purpose a "no" (curiosity, gossip, a journalist) wins.

Decisions recorded here (tested in tests/test_facts_from_text.py):
- consent: "hasn't been asked" is "no" (facts.yaml: answer no "if consent was not asked for");
  "not sure if they'd agree" is "unsure"; implied consent is "yes" (HMG 2006 on implied consent).
- significant_harm_risk: being abused/hit/neglected, sexual abuse, exploitation, domestic
  abuse, a police investigation or serious crime, "failing to thrive" (the HMG 2006 and
  Calderdale example of a baby who "could be suffering Significant Harm" where sharing without
  consent is justified) are "yes"; bruises or other injuries with no account of how, self-harm,
  parental drug or alcohol misuse, "worried about her" and low-level concerns are "unsure".
- identifiable: anonymised, statistics, aggregate, no names are "no"; a small school or
  village, initials or pseudonymised data are "unsure"; her name or address are "yes".
"""

from __future__ import annotations

from assistant.routing import FACT_NAMES, Rules, normalise, rules


def extract_facts(text: str) -> dict[str, str]:
    """The facts ``text`` states, as {fact name: "yes" | "no" | "unsure"}; absent facts are left out."""
    t, r = normalise(text), rules()
    hard = [m.end() for m in r.hard_boundary.finditer(t)]
    soft = [m.end() for m in r.soft_boundary.finditer(t)]
    found: dict[str, str] = {}
    for name in FACT_NAMES:
        patterns = r.facts[name]
        answers: set[str] = set()
        for value, pattern in patterns.by_value:
            for m in pattern.finditer(t):
                answer = _read(t, m.start(), value, hard, soft, r)
                if answer is not None:
                    answers.add(answer)
        if answers:
            found[name] = next(v for v in patterns.priority if v in answers)
    return found


def _read(t: str, start: int, value: str, hard: list[int], soft: list[int], r: Rules) -> str | None:
    """What a phrase matched at ``start`` says, given the words before it in its clause."""
    clause_start = max((b for b in hard if b <= start), default=0)
    clause = t[clause_start:start]
    if r.question.match(clause):
        return None
    inner_start = max((b for b in soft if clause_start <= b <= start), default=clause_start)
    hedge_window = _last_words(clause, r.window_words)
    if r.hedge.search(hedge_window):
        return "unsure"
    near = r.negation_ignore.sub(" ", _last_words(t[inner_start:start], r.window_words))
    if r.negation.search(near) or r.negation_across.search(hedge_window):
        return "no" if value == "yes" else None
    return value


def _last_words(text: str, n: int) -> str:
    return " ".join(text.split()[-n:])

