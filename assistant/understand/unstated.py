"""What a described case leaves unsaid, and what the guidance says that silence means.

A case told in words is not a form: a practitioner describes what matters and leaves out what does
not apply. Two of the flowchart's questions are about things that, where they apply, would be said:
- a legal duty or court order to share: "These situations are relatively unusual and where they
  apply you will know or be told about them." (HM Government 2006, 4.24) A case that mentions none
  has none;
- a public interest in sharing without consent, once the practitioner has said there is no risk of
  significant harm (no risk to a child, of serious harm to an adult or of a serious crime: the
  circumstances in which sharing without consent is normally justified in the public interest,
  Buckinghamshire BSCP). A told "no" counts, and the learned readers' "no" only where a case asks
  help of a service (``case_question.service_purpose``); a risk merely read as unlikely presumes nothing;
- consent, in the same no-risk case, when the case says nothing of it: consent is something
  the person gives, so a case that mentions none has none yet (the flowchart's "no": "if consent
  was not asked for"), and with no risk asking is safe: "Wherever possible, you should seek
  consent" (Calderdale). The outcome is then "do not share" until it is asked for; a case where
  risk is read or unsure is never given it (there the lawful reason without consent decides).
So the flowchart reaches the outcome such a case has (a competent young person's confidence, an
early-help family who said no: do not share without consent) instead of asking about court
orders. A fact told, or read, always wins; these are only for facts nobody stated. Never for the
question-by-question flow, where each question is asked.

May import: the top-level modules.
"""

from __future__ import annotations

class Presumed(str):
    """A fact's answer given by a case's silence, not by its words (shown as "none mentioned"): legal
    duty, public interest and consent, the facts silence can give."""


def presumed(stated: dict[str, str], learned: dict[str, str]) -> dict[str, str]:
    """The facts a described case's silence gives (see the module docstring), for facts neither
    ``stated`` (the rules) nor ``learned`` (the readers) hold."""
    known = {**learned, **stated}
    out = {}
    if "statutory_duty" not in known:
        out["statutory_duty"] = Presumed("no")
    if "public_interest" not in known and known.get("significant_harm_risk") == "no":
        out["public_interest"] = Presumed("no")
    if not {"consent", "seeking_consent_unsafe"} & set(known) and known.get("significant_harm_risk") == "no":
        out["consent"] = Presumed("no")
    return out
