"""Local guidance, measured: ``python -m eval.local_guidance sections|questions``.

``sections [--doc ID ...]``: how well headings and numbered paragraphs survive a PDF. Each document
is printed to a PDF with fpdf2 (one source line per line, headings in bold, markdown marks dropped,
a page number in every footer), read back through ``assistant.ingest.readers`` as ``add-document``
would, and cut into passages. For every quotable sentence of the original's passages: is it found
verbatim (white space folded) in the PDF's text, and is the passage it falls in cited with the same
section and the same paragraph number?

``questions``: hit@5 on questions about a document that is new to the index, with and without its
``corpus/questions/<id>.yaml``. Each of the five documents in turn plays the new document: the
retrieval cases whose expected phrases are only in that document are scored on the full index and
on an index built without that document's question file (the others keep theirs).
Uses the real packaged model (``ASSISTANT_MODEL_CACHE``); indexes are built under a temporary folder.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

from assistant.config import Settings

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
_HEADING_SIZES = {1: 16, 2: 14, 3: 12, 4: 11}  # markdown heading level -> points (body text: 10)


# ---------------------------------------------------------------- sections
def print_pdf(text: str, path: Path) -> Path:
    """The document as a plain PDF: its lines in order, markdown headings in bold and larger by level, lines wholly in bold in bold, the contents'
    tab stops as dot leaders, page numbers."""
    from fpdf import FPDF

    from assistant.ingest.layout import clean_markup

    class Paged(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("body", "", 9)
            self.cell(0, 8, str(self.page_no()), align="C")

    pdf = Paged()
    pdf.add_font("body", "", str(FONT))
    pdf.add_font("body", "B", str(FONT_BOLD))
    pdf.add_page()
    for line in text.splitlines():
        if not line.strip():
            pdf.ln(3)
            continue
        level = len(line.lstrip()) - len(line.lstrip().lstrip("#"))
        bold = level or re.fullmatch(r"\*\*[^*]+\*\*:?", line.strip())  # a line wholly in bold stays bold
        pdf.set_font("body", "B" if bold else "", _HEADING_SIZES.get(level, 10))
        shown = clean_markup(line) if level or "**" in line or "](" in line else line.strip()
        pdf.multi_cell(0, 5, shown.replace("\t", " ...... "), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _plain_pdf_text(path: Path) -> str:
    """llama-index's own PDFReader (pypdf's text, page by page), for comparison."""
    from llama_index.readers.file import PDFReader

    from assistant.ingest.readers import canonical

    return canonical("\n\n".join(page.text for page in PDFReader().load_data(path)))


def section_survival(doc, folder: Path, plain: bool = False) -> dict:
    from assistant.ingest.passages import passages_for
    from assistant.ingest.readers import read_document
    from assistant.verbatim import find_span, normalise_ws

    pdf = print_pdf(doc.text, folder / f"{doc.id}.pdf")
    pdf_text = _plain_pdf_text(pdf) if plain else read_document(pdf).text
    printed = replace(doc, text=pdf_text)
    pdf_passages = passages_for(printed)
    counts = {"sentences": 0, "found": 0, "same_section": 0, "numbered": 0, "same_paragraph": 0}
    for passage in passages_for(doc):
        for start, end in passage.sentences:
            sentence = normalise_ws(doc.text[start:end])
            counts["sentences"] += 1
            counts["numbered"] += bool(passage.paragraph)
            span = find_span(pdf_text, sentence)
            if span is None:
                continue
            counts["found"] += 1
            home = next((p for p in pdf_passages if p.start <= span[0] < p.end), None)
            if home is not None and home.section == passage.section:
                counts["same_section"] += 1
            if passage.paragraph and home is not None and home.paragraph == passage.paragraph:
                counts["same_paragraph"] += 1
    return counts


def _sections(args) -> int:
    from assistant.ingest.documents import documents_by_id

    docs = documents_by_id(Settings.from_env().corpus_dir)
    print(f"{'document':<17}{'sentences':>10}{'found':>8}{'same section':>14}{'numbered':>10}{'same para':>11}")
    total = Counter()
    with tempfile.TemporaryDirectory() as folder:
        for doc_id in args.doc or list(docs):
            counts = section_survival(docs[doc_id], Path(folder), args.plain)
            total.update(counts)
            _row(doc_id, counts)
    _row("all", total)
    return 0


def _row(name: str, c) -> None:
    n, k = c["sentences"] or 1, c["numbered"] or 1
    para = f"{c['same_paragraph'] / k:.3f}" if c["numbered"] else "-"
    print(f"{name:<17}{c['sentences']:>10}{c['found'] / n:>8.3f}{c['same_section'] / n:>14.3f}{c['numbered']:>10}{para:>11}")


# ---------------------------------------------------------------- questions
class _Remembered:
    """The real model, embedding each distinct text once across the builds of this measurement."""

    def __init__(self, model) -> None:
        self.model, self.name, self.dimension, self.vectors = model, model.name, model.dimension, {}

    def embed(self, texts):
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            self.vectors.update(zip(missing, self.model.embed(missing)))
        return np.asarray([self.vectors[t] for t in texts], dtype=np.float32)


def _questions(args) -> int:
    from assistant.indexing import models
    from assistant.indexing.index import build_index, open_index
    from assistant.ingest.documents import load_documents
    from assistant.retrieve.retriever import Retriever
    from eval.cases import retrieval_cases
    from eval.retrieval import score

    settings = Settings.from_env()
    embedder = _Remembered(models.load(settings))
    docs = load_documents(settings.corpus_dir)
    aliases = {d.id: d.aliases for d in docs}
    cases = retrieval_cases()
    own = {d.id: [c for c in cases if c["docs"] == [d.id]] for d in docs}
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)

        def retriever_for(corpus: Path, name: str) -> Retriever:
            built = settings.with_(corpus_dir=corpus, index_dir=root / name)
            build_index(built, embedder, progress=False)
            return Retriever(open_index(built, embedder.name), embedder, aliases=aliases)

        def scored(retriever: Retriever, only: list[dict]) -> dict:
            return score(only, lambda q: [h.passage.section + " " + h.passage.text for h in retriever.search(q, k=5)])

        full = retriever_for(settings.corpus_dir, "full")
        for doc in docs:
            if not own[doc.id]:
                continue
            corpus = root / f"corpus-{doc.id}"
            shutil.copytree(settings.corpus_dir, corpus)
            (corpus / "questions" / f"{doc.id}.yaml").unlink(missing_ok=True)
            bare = retriever_for(corpus, f"without-{doc.id}")
            rows.append((doc.id, len(own[doc.id]), scored(full, own[doc.id]), scored(bare, own[doc.id])))
            if args.misses:
                _print_misses(doc.id, own[doc.id], bare)
    print(f"{'new document':<17}{'questions':>10}{'hit@5 with':>12}{'without':>9}{'MRR with':>10}{'without':>9}")
    for doc_id, n, with_q, without in rows:
        print(f"{doc_id:<17}{n:>10}{with_q['hit@5']:>12.3f}{without['hit@5']:>9.3f}{with_q['mrr']:>10.3f}"
              f"{without['mrr']:>9.3f}")
    total = sum(n for _, n, _, _ in rows)
    pooled = {(i, m): sum(r[i][m] * r[1] for r in rows) / total for i in (2, 3) for m in ("hit@5", "mrr")}
    print(f"{'all':<17}{total:>10}{pooled[2, 'hit@5']:>12.3f}{pooled[3, 'hit@5']:>9.3f}{pooled[2, 'mrr']:>10.3f}"
          f"{pooled[3, 'mrr']:>9.3f}")
    return 0


def _print_misses(doc_id: str, cases: list[dict], retriever) -> None:
    """Each question missed without the document's questions, with the expected passage's rank in
    the top 20 (None: not there)."""
    from eval.retrieval import first_hit

    for case in cases:
        hits = retriever.search(case["question"], k=20)
        rank = first_hit([h.passage.section + " " + h.passage.text for h in hits], case["expect_phrases"])
        if rank is None or rank > 5:
            print(f"  miss without questions: {doc_id} {case['id']} rank {rank}: {case['question'][:70]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.local_guidance", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sections = sub.add_parser("sections", help="headings and numbered paragraphs through a PDF")
    sections.add_argument("--doc", action="append", help="a document id (default: all five)")
    sections.add_argument("--plain", action="store_true", help="read with llama-index's PDFReader alone (no headings kept)")
    sections.set_defaults(func=_sections)
    questions = sub.add_parser("questions", help="hit@5 for a new document with and without its question file")
    questions.add_argument("--misses", action="store_true", help="list the questions missed without, with ranks")
    questions.set_defaults(func=_questions)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
