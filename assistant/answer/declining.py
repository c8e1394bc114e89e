"""Whether a question is declined before anything else is tried, and the words of a decline.

A topic the documents cannot answer (another nation's law, records retention) is declined with
what would answer it; a question the learned reader reads as about something else is declined
unless it is asked as a reviewed line is, or names a child harmed. Never declined: a case read at
risk, whatever place or law it names, or a follow-up to a decision under way.

May import: ``answer``, ``understand`` and ``scope`` modules and the top-level modules.
"""
from __future__ import annotations

from assistant.answer.guidance import Guidance, Read
from assistant.messages import section, text as msg
from assistant.scope.outside import Outside
from assistant.understand import case_reading as reading_of


def declined_topic(read: Read, at_risk_case: bool, deciding: bool, outside: Outside, guidance: Guidance):
    """(the topic declined, or None; the in-scope passages when looked up, else ``...``).
    ``at_risk_case``: the message states a case at risk (a declined topic gives way to it: the place named
    in "a train ticket to Cardiff" is where the risk is, not the law asked about; rounds 1-53: 1 of 157).
    ``deciding``: a follow-up to a decision under way, never declined."""
    text, reading = read.text, read.reading
    declined = None if at_risk_case else outside.declined_topic(text)
    scope_hits = ...  # the in-scope passages, once looked up (None: the guidance does not answer it)
    if declined is None and not deciding and reading_of.is_other(reading) and not reading_of.is_other(reading, sure=True):
        scope_hits = guidance.in_scope_hits(read)
    # read firmly as about something else (OTHER_FIRM_P; rounds 1-55: 17 more declined, none in scope): unless asked like a line
    firmly = reading_of.is_other(reading) and reading.p("kind", "other") >= reading_of.OTHER_FIRM_P
    if declined is None and not deciding and not outside.names_a_child_harmed(text) and (
            reading_of.is_other(reading, sure=True) or (reading_of.is_other(reading) and (scope_hits is None or firmly)
                                                        and not guidance.asked_like_a_line(read))):
        # about something else (unless asked as a reviewed line is: "the seven golden rules for our INSET slot"):
        declined = outside.pointer(text) or "other"  # say what would answer it
    return declined, scope_hits


def declined_as(topic: str | None) -> str:
    """The decline, with what would answer it when its topic is one we know."""
    return msg("outside", topic) if topic in section("outside") else msg("out_of_scope")
