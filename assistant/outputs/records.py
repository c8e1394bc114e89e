"""Decision records (the seventh golden rule: record every decision and why), as Markdown, JSON, PDF.

A record is built from the engine's decision only: date and time, flowchart and document versions,
each question with its answer, outcome, reasons, lawful basis, conditions and the cited passages.
The only free text in it is what the practitioner types into the labelled fields of
``PRACTITIONER_FIELDS``; each of those goes through ``redact`` (if given) before it is written,
and the record says so in its privacy statement.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from assistant.errors import BadInput, CorpusError
from assistant.decision.models import FLOWCHART_DIR, OUTCOME_LABELS, fact_wording
from assistant.config import Settings
from assistant.ingest.documents import documents_by_id
from assistant.verbatim import contains

RECORD_FORMAT = 1
TITLE = "Information sharing decision record"
PRACTITIONER_FIELDS: dict[str, str] = {
    "reference": "Your reference (no names)",
    "purpose": "Why the information is or is not being shared (no names)",
    "shared_what": "What was shared (no names)",
    "shared_with": "Shared with (role or organisation, no names)",
    "shared_when": "When it was shared",
    "notes": "Notes (no names)",
}
# Where each answer on the path came from (``fact_sources`` values), as the record words it.
ANSWER_ORIGINS = {"answer": "confirmed by the practitioner",
                  "question": "read from the practitioner's words, not confirmed"}
MAX_FIELD_CHARS = 2000
PRIVACY_STATEMENT = (
    "This record holds no details about the child or family other than what was typed into the "
    "labelled fields under 'Practitioner entries'. Do not type names, addresses, dates of birth or "
    "other identifying details into those fields."
)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_LATIN1 = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2013": "-",
                         "\u2014": "-", "\u2026": "...", "\u2022": "*", "\u25cf": "*", "\u00a0": " "})
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def _practitioner_entries(notes: Mapping[str, str] | None,
                          redact: Callable[[str], str] | None) -> list[dict[str, str]]:
    notes = dict(notes or {})
    unknown = sorted(set(notes) - set(PRACTITIONER_FIELDS))
    if unknown:
        raise BadInput(f"Unknown record field {unknown[0]!r}; the fields are: {', '.join(PRACTITIONER_FIELDS)}")
    entries = []
    for key, label in PRACTITIONER_FIELDS.items():
        value = notes.get(key) or ""
        if not isinstance(value, str):
            raise BadInput(f"Record field {key!r} must be text")
        if len(value) > MAX_FIELD_CHARS:
            raise BadInput(f"Record field {key!r} is longer than {MAX_FIELD_CHARS} characters")
        value = " ".join(value.split())
        if value and redact is not None:
            value = redact(value)
        entries.append({"field": key, "label": label, "value": value})
    return entries


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _origin(step: Mapping, fact_sources: Mapping[str, str] | None) -> str:
    """How the answer to one question on the path was reached."""
    if step.get("waived"):
        return f"not needed: {step['implied']}"
    if step.get("implied"):
        return f"implied by the guidance: {step['implied']}"
    if fact_sources is None:
        return "given to the decision engine"
    return ANSWER_ORIGINS.get(fact_sources.get(step["fact"], "question"), ANSWER_ORIGINS["question"])


def record_data(decision, *, practitioner_notes: Mapping[str, str] | None = None, now: datetime | None = None,
                corpus_dir: Path | None = None, redact: Callable[[str], str] | None = None,
                fact_sources: Mapping[str, str] | None = None) -> dict:
    """The record as plain data; ``decision`` is a Decision or its ``to_dict()``. ``fact_sources``
    says where each fact came from ("answer": the practitioner confirmed it; "question": read from
    their words), so the record keeps the two apart."""

    d = decision.to_dict() if hasattr(decision, "to_dict") else dict(decision)
    docs = documents_by_id(Path(corpus_dir) if corpus_dir else Settings().corpus_dir)
    for citation in d["citations"]:
        doc = docs.get(citation["doc_id"])
        if doc is None or not contains(doc.text, citation["quote"]):
            raise CorpusError(f"A cited passage is no longer in {citation['doc_id']}; the corpus has "
                              "changed since the flowcharts were written - check the flowchart data")
    doc_ids = list(dict.fromkeys(list(d["documents"]) + [c["doc_id"] for c in d["citations"]]))
    stamp = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    return {
        "record_format": RECORD_FORMAT,
        "title": TITLE,
        "created_at": stamp,
        "privacy_statement": PRIVACY_STATEMENT,
        "flowchart": {"id": d["flowchart"], "title": d["flowchart_title"], "version": d["flowchart_version"],
                      "sha256": _sha(FLOWCHART_DIR / f"{d['flowchart']}.yaml")},
        "documents": [{"id": i, "title": docs[i].title, "publisher": docs[i].publisher,
                       "version": docs[i].version, "sha256": docs[i].sha256} for i in doc_ids],
        "outcome": d["outcome"],
        "outcome_label": OUTCOME_LABELS[d["outcome"]],
        "lawful_basis": d["lawful_basis"],
        "questions": [{"question": s["question"], "answer": s["answer"], "facts_used": s["facts_used"],
                       "answered": _origin(s, fact_sources), "citation": s["citation"]} for s in d["path"]],
        "facts_confirmed": {f: v for f, v in d["facts"].items() if (fact_sources or {}).get(f) == "answer"},
        "facts_read": {f: v for f, v in d["facts"].items() if (fact_sources or {}).get(f) != "answer"},
        "next_question": d["next_question"],
        "reasons": d["reasons"],
        "conditions": [{"text": c["text"], "citation": c["citation"]} for c in d["conditions"]],
        "referral": [{"text": c["text"], "citation": c["citation"]} for c in d["referral"] or []] or None,
        "consent_not_sought": d["consent_not_sought"],
        "cited_passages": [{"doc_id": c["doc_id"], "document": docs[c["doc_id"]].title, "quote": c["quote"]}
                           for c in d["citations"]],
        "practitioner_entries": _practitioner_entries(practitioner_notes, redact),
    }


def render_json(decision, **options) -> str:
    return json.dumps(record_data(decision, **options), ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _cite(citation: Mapping[str, str]) -> str:
    return f"{citation['doc_id']}: \u201c{' '.join(citation['quote'].split())}\u201d"


def _basis_line(rec: dict) -> str:
    if rec["outcome"] == "share":
        return rec["lawful_basis"] or "(none named)"
    if rec["outcome"] == "do_not_share":
        return "not applicable - the decision is not to share"
    return "not applicable - no decision to share has been reached"


def _facts(facts: Mapping[str, str]) -> str:
    wording = fact_wording()
    return " ".join(wording[fact].says[value] for fact, value in facts.items())


def _lines(rec: dict) -> list[tuple[str, str]]:
    """The record as (style, text) lines, shared by the Markdown and PDF renderers."""
    out: list[tuple[str, str]] = [("h1", rec["title"]), ("note", rec["privacy_statement"])]
    fc = rec["flowchart"]
    out += [("kv", f"Date and time: {rec['created_at']}"), ("kv", f"Outcome: {rec['outcome_label']}"),
            ("kv", f"Lawful basis: {_basis_line(rec)}"),
            ("kv", f"Flowchart: {fc['title']} (id {fc['id']}, version {fc['version']}, "
                   f"sha256 {fc['sha256'][:12]})"),
            ("kv", f"Consent sought: {'no - seeking consent was judged unsafe' if rec['consent_not_sought'] else 'not recorded as unsafe'}")]
    out.append(("h2", "Guidance documents used"))
    out += [("li", f"{doc['title']} ({doc['publisher']}), {doc['version']} [{doc['id']}, sha256 "
                   f"{doc['sha256'][:12]}]") for doc in rec["documents"]]
    out.append(("h2", "What the practitioner confirmed, and what was read from their words"))
    out.append(("li", "Confirmed: " + (_facts(rec["facts_confirmed"]) or "nothing")))
    out.append(("li", "Read from their words, not confirmed: " + (_facts(rec["facts_read"]) or "nothing")))
    out.append(("h2", "Questions and answers"))
    for n, q in enumerate(rec["questions"], 1):
        how = f" ({q['answered']})" if q.get("answered") else ""
        out.append(("ol", f"{n}. {q['question']} Answer: {q['answer']}{how}. Source: {_cite(q['citation'])}"))
    if rec["next_question"]:
        out.append(("li", f"Not yet answered: {rec['next_question']['question']}"))
    out.append(("h2", "Reasons"))
    out += [("li", reason) for reason in rec["reasons"]]
    out.append(("h2", "Conditions"))
    out += [("li", f"{c['text']} Source: {_cite(c['citation'])}") for c in rec["conditions"]]
    if rec["referral"]:
        out.append(("h2", "Referral route"))
        out += [("li", f"{c['text']} Source: {_cite(c['citation'])}") for c in rec["referral"]]
    out.append(("h2", "Cited passages"))
    out += [("quote", f"\u201c{' '.join(c['quote'].split())}\u201d - {c['document']} [{c['doc_id']}]")
            for c in rec["cited_passages"]]
    out += [("h2", "Practitioner entries"),
            ("note", "These are the only free-text fields in this record, typed by the practitioner.")]
    out += [("field", f"{e['label']}\t{e['value'] or '(left blank)'}") for e in rec["practitioner_entries"]]
    return out


def render_markdown(decision, **options) -> str:
    rec = record_data(decision, **options)
    parts: list[str] = []
    for style, text in _lines(rec):
        if style == "field":
            label, _, value = text.partition("\t")
            parts.append(f"- **{label}:** {_md(value)}")
        elif style in ("h1", "h2"):
            parts.append(("\n# " if style == "h1" else "\n## ") + text + "\n")
        else:
            parts.append({"note": "> {}\n", "kv": "- {}", "li": "- {}", "ol": "{}", "quote": "> {}\n"}[style].format(text))
    return "\n".join(parts).strip() + "\n"


def _font_files() -> tuple[Path, Path] | None:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    return (regular, bold) if regular.is_file() and bold.is_file() else None


def render_pdf(decision, **options) -> bytes:
    """A PDF of the record: DejaVu Sans when installed, else a core font with the text made latin-1."""
    from fpdf import FPDF  # deferred: loaded only to write a PDF
    from fpdf.enums import XPos, YPos  # deferred: loaded only to write a PDF

    rec = record_data(decision, **options)
    pdf = FPDF(format="A4")
    pdf.set_title(TITLE)
    pdf.set_creation_date(datetime.fromisoformat(rec["created_at"]))
    fonts = _font_files()
    if fonts:
        pdf.add_font("DejaVu", "", str(fonts[0]))
        pdf.add_font("DejaVu", "B", str(fonts[1]))
        family, clean = "DejaVu", (lambda s: s)
    else:
        family = "Helvetica"
        clean = lambda s: s.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")  # noqa: E731
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    sizes = {"h1": (16, "B"), "h2": (12, "B"), "field": (10, "B")}
    for style, text in _lines(rec):
        size, weight = sizes.get(style, (10, ""))
        pdf.set_font(family, weight, size)
        if style == "h2":
            pdf.ln(3)
        text = text.replace("\t", ": ") if style == "field" else ("- " + text if style == "li" else text)
        pdf.multi_cell(0, 5.5 if size <= 10 else 8, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
