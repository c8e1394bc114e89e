"""Does a question lean on the previous one.

Follow-up (``is_follow_up``): openers that lean on the previous turn ("what if", "and if",
"what about", "but", "does that change", "is that right?") in a short text; "same question
but ..." at any length; verbless fragments ("for a GP?", "even without consent?"); a longer
opener text only if it refers back (she, it, that) and introduces nobody new ("a child",
"information"); or a very short question leaning on a pronoun ("Can I share it?"). Bare noun
fragments ("consent?") and "is it true that ..." questions are not follow-ups.

May import: ``assistant.understand`` modules below it (normalise, route_rules).
"""

from __future__ import annotations

from assistant.understand.normalise import normalise
from assistant.understand.route_rules import rules


def is_follow_up(text: str) -> bool:
    """True when ``text`` only makes sense together with the previous question."""
    t, r = normalise(text), rules()
    words = len(t.split())
    if not words:
        return False
    if r.fu_always.search(t):
        return True
    short, anaphor, tiny, fragment = r.fu_limits
    if words <= fragment and r.fu_fragment.search(t):
        return True
    new_subject = r.fu_indefinite.search(t)
    if r.fu_opener.search(t):
        if words <= short:
            return True
        if words <= anaphor and r.fu_anaphor.search(t) and not new_subject:
            return True
    return words <= tiny and bool(r.fu_pronoun.search(t)) and not new_subject
