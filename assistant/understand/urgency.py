"""Is a child (or person) in this case in danger now.

Urgent (``is_urgent``/``urgent_reason``): a present or imminent danger to a person in THIS case.
Rules need more than an urgent-sounding word: a weapon someone has; harm in progress ("is being
hurt"); a threat of harm ("is going to hurt her", "he'll be beaten"); a fresh disclosure
("has just told me" + a harm word); a child who won't go home or is missing; self-harm now;
abduction; a child left alone; "is at immediate risk"; an assault with a recent time ("this
morning"); an injury with a recent time AND an attribution ("says dad did it an hour ago";
bruises noticed today without an account are not urgent); or, in one sentence, a time marker
("right now", "tonight") with a danger word, about a person. Nothing is urgent when the text
frames an imagined or general case ("if a child...", "scenario", "in general") or is about
texts and rules ("guidance", "training", "counts as") unless it is anchored in a real case ("has
just", "one of my pupils", "I'm on a home visit") or, for the abstract framing, names a
particular person ("he", "her dad"). A case in the past ("last year", "weeks ago") with no
fresh marker is not urgent.

May import: ``assistant.understand`` modules below it (normalise, route_rules).
"""

from __future__ import annotations

import re

from assistant.understand.normalise import normalise, sentences
from assistant.understand.route_rules import rules

# Words in quotation marks: someone's own words reported ("he said 'only if you promise not to
# tell'"), not the writer framing an imagined case. An apostrophe inside a word ("he'll") is no mark.
FRESH_DISCLOSURE_RULE = "fresh_disclosure"  # a child has just told of harm (routing.yaml)
SECRECY_RULE = "secrecy_before_disclosure"  # the rule for a child asking, now, for a promise of secrecy (routing.yaml)
_QUOTED = re.compile(r"""(?<!\w)(?:'(?:[^']|'(?=\w))+'(?!\w)|"[^"]+"|“[^”]+”|‘(?:[^‘’]|’(?=\w))+’(?!\w))""")


def urgent_reason(text: str) -> str | None:
    """The name of the urgency rule that fires on ``text``, or None: whether the message is urgent, and which
    line follows the banner (``SECRECY_RULE``). Never shown to users together with what they typed."""
    t, r = normalise(text), rules()
    general = r.veto_hypothetical.search(_QUOTED.sub(" ", t)) or (
        r.veto_abstract.search(t) and not r.specific.search(t)
    )
    if general and not r.anchor.search(t):
        return None
    if r.stale.search(t) and not r.fresh.search(t):
        return None
    split: list[str] | None = None
    for rule in r.urgent:
        if not rule.per_sentence:
            if all(p.search(t) for p in rule.patterns):
                return rule.name
            continue
        if rule.person is not None and not rule.person.search(t):
            continue
        split = split if split is not None else sentences(t)
        if any(all(p.search(s) for p in rule.patterns) for s in split):
            return rule.name
    return None


def says_now(text: str) -> bool:
    """The message has words of now or just now ("has just messaged", "right now", "tonight"): not urgent
    on their own; with a plainly read harm, the learned urgency reading needs less (``case_reading.urgent_now``)."""
    t = normalise(text)
    return bool(rules().fresh.search(t)) and not rules().veto_hypothetical.search(t)


def disclosed_now(text: str) -> bool:
    """The words of a fresh disclosure ("has just told me", "disclosed this morning": the first part of the
    ``fresh_disclosure`` rule), whatever harm it names: with a harm the learned reader reads plainly, an
    emergency (``case_reading.urgent_now``), though the rules' harm words miss how the child put it."""
    t = normalise(text)
    if rules().veto_hypothetical.search(_QUOTED.sub(" ", t)):
        return False
    return any(rule.patterns[0].search(t) for rule in rules().urgent if rule.name == FRESH_DISCLOSURE_RULE)


def secrecy_asked(text: str) -> bool:
    """A child asks, or asked, for a promise of secrecy ("made me promise not to tell", "promise you won't tell"; the
    first part of the ``secrecy_before_disclosure`` rule), now or not: what to say to them is the answer, or part of it."""
    t = normalise(text)
    return any(rule.patterns[0].search(t) for rule in rules().urgent if rule.name == SECRECY_RULE)


def is_urgent(text: str) -> bool:
    """True when ``text`` says a child (or person) in this case is in danger now or was just hurt."""
    return urgent_reason(text) is not None
