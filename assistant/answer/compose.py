"""Turning quotes, claims and decisions into the answer a practitioner reads, with numbered citations.

Every quote goes through ``Citations.add``, which checks it against the corpus file at its offsets;
a quote that fails is dropped and never shown. All wording comes from data/messages.yaml.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.answer.quotes import Quote, verify
from assistant.ingest.legal_currency import notes_for
from assistant.messages import section, text as msg
from assistant.understand.unstated import Presumed
from assistant.verbatim import find_span, normalise_ws


@dataclass
class Citations:
    documents: dict  # doc_id -> Document
    passages: tuple  # all passages, sorted by (doc_id, start)
    items: list[dict] = field(default_factory=list)
    dropped: int = 0
    last_quote: str = ""  # the text of the quote ``add`` last accepted

    def __post_init__(self) -> None:
        self._by_doc: dict[str, list] = {}
        for p in sorted(self.passages, key=lambda p: (p.doc_id, p.start)):
            self._by_doc.setdefault(p.doc_id, []).append(p)
        self._starts = {d: [p.start for p in ps] for d, ps in self._by_doc.items()}

    def passage_at(self, doc_id: str, start: int, end: int):
        """The passage holding [start, end), or None."""
        ps = self._by_doc.get(doc_id, [])
        i = bisect.bisect_right(self._starts.get(doc_id, []), start) - 1
        while i >= 0 and ps[i].end >= end:
            if ps[i].start <= start:
                return ps[i]
            i -= 1
        return None

    def add(self, quote: Quote) -> int | None:
        """Number ``quote``: one number per passage, so a second quote from a passage already cited
        gets that passage's number (and joins its ``quotes``); None if it is not verbatim."""
        if not verify(quote, self.documents):
            self.dropped += 1
            return None
        self.last_quote = quote.text
        passage = quote.passage
        span = (passage.start, passage.end) if passage is not None else (quote.start, quote.end)
        for item in self.items:
            if item["doc_id"] == quote.doc_id and (item["passage_start"], item["passage_end"]) == span:
                if quote.text not in item["quotes"]:
                    item["quotes"].append(quote.text)
                return item["n"]
        doc = self.documents[quote.doc_id]
        self.items.append(
            {
                "n": len(self.items) + 1,
                "doc_id": doc.id,
                "doc_title": doc.title,
                "doc_short_title": doc.short_title,
                "date": doc.date,
                "version": doc.version,
                "section": passage.section if passage is not None else "",
                "paragraph": passage.paragraph if passage is not None else None,
                "quote": quote.text,  # the first quote; ``quotes`` holds every quote cited from the passage
                "quotes": [quote.text],
                "passage": passage.text if passage is not None else quote.text,
                "quote_start": quote.start,
                "quote_end": quote.end,
                "passage_start": passage.start if passage is not None else quote.start,
                "passage_end": passage.end if passage is not None else quote.end,
                "legal_notes": [{"badge": n.badge, "note": n.note} for n in notes_for(doc)],
            }
        )
        return len(self.items)

    def add_text(self, doc_id: str, quote_text: str) -> int | None:
        """Cite a quote given as text (from the engine or the claims data): find it, then ``add``."""
        doc = self.documents.get(doc_id)
        span = find_span(doc.text, quote_text) if doc is not None else None
        if span is None:
            self.dropped += 1
            return None
        start, end = span
        quote = Quote(doc_id, start, end, normalise_ws(doc.text[start:end]), self.passage_at(doc_id, start, end))
        return self.add(quote)


_MARK = re.compile(r"\[(\d+)\](?=\[|\s|$|[.,;:)])")


def in_reading_order(text: str, citations: Citations) -> str:
    """``text`` and ``citations`` renumbered so the marks run in reading order, where a line was put before
    the lines numbered first (``with_secrecy_line``); citations ``text`` never marks keep their order after."""
    order = list(dict.fromkeys(int(m.group(1)) for m in _MARK.finditer(text) if 0 < int(m.group(1)) <= len(citations.items)))
    order += [item["n"] for item in citations.items if item["n"] not in order]
    new = {old: n for n, old in enumerate(order, 1)}
    citations.items.sort(key=lambda item: new[item["n"]])
    for item in citations.items:
        item["n"] = new[item["n"]]
    return _MARK.sub(lambda m: f"[{new.get(int(m.group(1)), int(m.group(1)))}]", text)


def marks(numbers) -> str:
    """``[1][3]``: each number once (two quotes from one passage share its number)."""
    return "".join(f"[{n}]" for n in dict.fromkeys(numbers) if n is not None)


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@lru_cache(maxsize=8192)
def _similar(a: str, b: str, at_least: float = 0.85) -> bool:
    """``SequenceMatcher.ratio() > at_least``, its cheap upper bounds checked first (the full ratio
    is quadratic in the sentences' length, and most pairs fail on length or letters alone). Kept:
    the same few hundred sentences are quoted, and compared, again and again."""
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() > at_least and matcher.quick_ratio() > at_least and matcher.ratio() > at_least


def group_quotes(quotes: list[Quote], documents: dict) -> list[tuple[list[str], list[Quote]]]:
    """Quotes that say the same thing in different documents are grouped ("X and Y both say")."""
    groups: list[tuple[list[str], list[Quote]]] = []
    for quote in quotes:
        for doc_ids, members in groups:
            same = _similar(members[0].text.lower(), quote.text.lower())
            if same and quote.doc_id not in doc_ids:
                doc_ids.append(quote.doc_id)
                members.append(quote)
                break
        else:
            groups.append(([quote.doc_id], [quote]))
    for doc_ids, members in groups:  # the current document first, not the 2006 guide
        members.sort(key=lambda q: str(documents[q.doc_id].date) if q.doc_id in documents else "", reverse=True)
        doc_ids[:] = list(dict.fromkeys(q.doc_id for q in members))
    return groups


def general_answer(quotes: list[Quote], citations: Citations, heading: str | None = None) -> str:
    """A one-line lead (or ``heading``), then the quotes grouped by document, each with its citation
    numbers. Where documents say the same thing, the most recent one is named first."""
    docs = citations.documents
    lines: list[str] = []
    by_doc: dict[tuple, list[str]] = {}
    order: list[tuple] = []
    for doc_ids, members in group_quotes(quotes, docs):
        numbers = [citations.add(q) for q in members]
        if all(n is None for n in numbers):
            continue
        key = tuple(doc_ids)
        line = f"“{members[0].text}” {marks(numbers)}"
        if members[0].items:  # a lead-in and its list: a line of its own, one item per line beneath it
            items = [(item.text, citations.add(item)) for item in members[0].items]
            line += "".join(f"\n  - “{text}” {marks([n])}" for text, n in items if n is not None)
            key = (*key, f"list:{members[0].start}")
        if key not in by_doc:
            by_doc[key] = []
            order.append(key)
        if not any(existing.startswith(f"“{members[0].text}”") for existing in by_doc[key]):
            by_doc[key].append(line)
    if not order:
        return ""
    all_docs = [d for key in order for d in key if not d.startswith("list:")]
    names = _names([docs[d].short_title for d in dict.fromkeys(all_docs)])
    lead = "lead_one_doc" if len(set(all_docs)) == 1 else "lead_many_docs"
    lines.append(heading if heading is not None else msg("answer", lead, docs=names))
    for key in order:
        titles = [docs[d].short_title for d in key if not d.startswith("list:")]
        if len(titles) == 1:
            intro = msg("answer", "one_says", doc=titles[0])
        else:
            intro = msg("answer", "both_say" if len(titles) == 2 else "all_say", docs=_names(titles))
        lines.append(f"- **{intro}** " + " ".join(by_doc[key]))
    return "\n".join(lines)


def _cite_all(citations: Citations, refs) -> str:
    return marks(citations.add_text(c["doc_id"], c["quote"]) for c in refs)


_HOW_READ = {False: "from your description", True: "none mentioned"}  # read by the learned readers, or presumed from silence


def decision_answer(decision: dict, facts_read: dict, citations: Citations, learned: set[str] = frozenset()) -> str:
    """The engine's outcome, path, next question and conditions, each with its citations.

    Nothing here decides: the outcome line is chosen by the engine's ``outcome`` alone. Facts read
    by the learned reader (``learned``) are marked as read from the description, and answers the
    engine implied from other facts say so.
    """
    labels = section("decision", "facts_labels")
    outcome = decision["outcome"]
    if outcome == "do_not_share" and isinstance(facts_read.get("consent"), Presumed):
        outcome = "do_not_share_ask_first"  # nobody has been asked yet, and asking is safe
    lines = [msg("decision", "outcome", outcome, flowchart=decision["flowchart_title"])]
    if facts_read:
        read = "; ".join(f"{labels.get(k, k)} — **{v}**" + (f" ({_HOW_READ[isinstance(v, Presumed)]})" if k in learned else "")
                         for k, v in facts_read.items())
        lines.append(msg("decision", "facts_read", facts=read))
    for n, step in enumerate(decision["path"], 1):
        answer = f"**{step['answer']}**"
        if step.get("waived"):
            answer = msg("guidance", "not_needed", because=step["implied"])
        elif step.get("implied"):
            answer += f" ({msg('guidance', 'implied', because=step['implied'])})"
        lines.append(f"{n}. {step['question']} — {answer} {_cite_all(citations, [step['citation']])}")
    question = decision.get("next_question")
    if question:
        lines.append(msg("guidance", "still_needed", question=question["question"]))
        lines.append(f"  {msg('guidance', 'why', help=question['help'])} {_cite_all(citations, [question['citation']])}")
        choices = _if_answered(decision.get("if_answered", ()))
        if choices:
            lines.append(f"  {msg('guidance', 'if_answered', choices=choices)}")
    conditions = [c for c in decision.get("conditions", []) if c.get("kind") != "referral"]
    if conditions and decision["outcome"] != "need_more_facts":
        lines.append(msg("decision", "conditions"))
        lines.extend(f"- {c['text']} {_cite_all(citations, c['citations'])}" for c in conditions)
    if decision.get("referral"):
        lines.append(msg("decision", "referral"))
        lines.extend(f"- {c['text']} {_cite_all(citations, c['citations'])}" for c in decision["referral"])
    return "\n".join(lines)


def _if_answered(branches) -> str:
    """"if yes, …; if no, Do not share; …" from the engine's look-ahead (nothing decided here)."""
    parts = []
    for branch in branches:
        if branch["then_asks"]:
            parts.append(msg("guidance", "then_asks", answer=branch["answer"], question=branch["then_asks"]))
        else:
            parts.append(msg("guidance", "leads_to", answer=branch["answer"], outcome=f"**{branch['outcome_label']}**"))
    return "; ".join(parts)


def urgent_banner(citations: Citations, secrecy: bool = False) -> str:
    """The urgent banner with its citations; ``secrecy``: a child asks, now, for a promise of secrecy,
    so what to say to them follows it."""
    parts = [("banner", "citations"), *([("secrecy", "secrecy_citations")] if secrecy else [])]
    return "\n\n".join(f"{msg('urgent', line)} {marks([citations.add_text(r['doc_id'], r['quote']) for r in section('urgent', refs)])}"
                       for line, refs in parts)


def with_secrecy_line(body: str, citations: Citations) -> str:
    """``body`` with what to say to a child who asks for a promise of secrecy (the line the banner carries when a
    child asks now): first, or after the referral advice where that leads."""
    refs = [citations.add_text(r["doc_id"], r["quote"]) for r in section("urgent", "secrecy_citations")]
    line = f"{msg('urgent', 'secrecy')} {marks(refs)}"
    referral = body.startswith(tuple(msg("risk_first", level).split("**")[1] for level in section("risk_first") if level != "citations"),
                               2)
    head, _, rest = body.partition("\n\n") if referral else ("", "", body)
    return "\n\n".join(p for p in (head, line, rest) if p)


def myth_answer(match, citations: Citations, max_quotes: int = 3) -> str:
    """Verdict first, then the myth as the guide words it, then the guidance's own answer."""
    claim = match.claim
    if claim.verdict == "myth":
        lead = "myth_lead" if match.verdict == "myth" else "myth_negated_lead"
    else:
        lead = "true_lead" if match.verdict == "true" else "true_negated_lead"
    statement = normalise_ws(claim.statement).lower()
    stated: list[tuple[int, str]] = []
    answered: list[tuple[int, str]] = []
    for ref in claim.citations:
        n = citations.add_text(ref.doc_id, ref.quote)
        if n is None:
            continue
        is_statement = normalise_ws(ref.quote).lower() == statement
        target = stated if is_statement else answered
        if (n, citations.last_quote) not in target:
            target.append((n, citations.last_quote))
    parts = [msg("myth", lead)]
    if claim.verdict == "myth" and stated:
        parts.append(f"{msg('myth', 'the_myth')} “{stated[0][1]}” {marks(dict.fromkeys(n for n, _ in stated))}")
    # "The myth-busting guide answers:" only for the guides' own myths (their wording is quoted);
    # a national myth the guides don't list is answered by "The guidance says:".
    intro = msg("myth", "statement_intro" if claim.verdict == "myth" and stated else "source_intro")
    body = " ".join(f"“{quote}” [{n}]" for n, quote in answered[:max_quotes])
    parts.append(f"{intro} {body}")
    return "\n\n".join(parts)
