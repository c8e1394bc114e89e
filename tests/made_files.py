"""Real guidance files made in the test: a PDF (fpdf2), a Word document (python-docx) and a web page,
each with a heading, numbered paragraphs and a sentence found nowhere else; and the bad ones
(encrypted, scanned, empty)."""

from __future__ import annotations

from pathlib import Path

# Each sentence is unique to its file: search must find it, and answers must quote it verbatim.
UNIQUE = {
    "pdf": "Practitioners in Exampleshire must telephone the Exampleshire Children's Front Door on the same "
           "working day when they share information about a child at risk of significant harm.",
    "docx": "In Wordshire a health visitor asks the Wordshire Early Help Hub before sharing a family's "
            "housing history with a housing officer.",
    "html": "Webshire schools send attendance concerns about a child to the Webshire Attendance Panel "
            "within five school days.",
}
TITLES = {"pdf": "Exampleshire information sharing protocol", "docx": "Wordshire early help sharing guide",
          "html": "Webshire guidance for schools"}
_SECOND = ("Record what you shared, with whom and why, in your own agency's records, and tell the family "
           "unless telling them would put the child at risk.")


def make_pdf(path: Path, *, title: str = TITLES["pdf"], unique: str = UNIQUE["pdf"]) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "March 2025", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 8, "1. Contacting the Front Door", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for number, text in (("1.1", unique), ("1.2", _SECOND)):
        pdf.multi_cell(0, 6, f"{number} {text}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))
    return path


def make_docx(path: Path, *, title: str = TITLES["docx"], unique: str = UNIQUE["docx"]) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, 0)
    document.add_paragraph("June 2024")
    document.add_heading("1. Consent and early help", 1)
    document.add_paragraph(unique)
    document.add_paragraph(_SECOND)
    document.save(str(path))
    return path


def make_html(path: Path, *, title: str = TITLES["html"], unique: str = UNIQUE["html"]) -> Path:
    path.write_text(
        f"<!doctype html><html><head><title>{title}</title><script>var x = 1;</script></head><body>"
        f"<nav>Home | Contact</nav><main><h1>{title}</h1><p>Updated September 2023.</p>"
        f"<h2>Attendance concerns</h2><p>{unique}</p><p>{_SECOND}</p>"
        "<ul><li>Tell the designated safeguarding lead.</li><li>Keep a record.</li></ul></main></body></html>",
        encoding="utf-8",
    )
    return path


MAKERS = {"pdf": make_pdf, "docx": make_docx, "html": make_html}


def make_encrypted_pdf(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "Confidential protocol text that only opens with a password.")
    pdf.set_encryption(owner_password="owner", user_password="reader")
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A page that is only a picture, as a scanner makes: no text layer at all."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(200, 200, 200)
    for row in range(20):
        pdf.rect(20, 20 + row * 12, 170, 6, style="F")  # the grey bars of scanned lines
    pdf.output(str(path))
    return path
