"""Reading a guidance file as partnerships publish it (PDF, Word, web page, Markdown, text) into the
UTF-8 text the corpus keeps, through llama-index's readers.

``read_document(path)`` uses llama-index's ``SimpleDirectoryReader``: ``llama-index-readers-file``'s
``DocxReader`` (docx2txt), a small reader of ours for HTML that keeps
headings as markdown headings and list items as bullets (so ``assistant.ingest.layout`` finds the
sections), and the plain reader for ``.md`` and ``.txt``. PDFs are read with pypdf as
``llama-index-readers-file``'s ``PDFReader`` reads them, page by page, by a reader of ours that also
marks the lines set as headings (``assistant.ingest.pdf_headings``): plain PDF text has lost them. The result is canonical: line ends are
``\\n``, trailing spaces and runs of blank lines are folded, pages are separated by a blank line.
Quotes are later checked against exactly this text.

A file that cannot give text is refused with one ``BadDocument`` line before anything is written:
an empty file, an unsupported type, an encrypted PDF, a PDF without a text layer (a scan).
A title and a date found in the file are returned as suggestions for the manifest entry.

llama-index, pypdf and bs4 are imported only here, inside the functions that read: the query path
never loads them.
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from assistant.errors import BadDocument
from assistant.ingest.pdf_headings import marked_text

SUPPORTED = (".pdf", ".docx", ".html", ".htm", ".md", ".txt")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_PDF_DATE = re.compile(r"D:((?:19|20)\d\d)(\d\d)")
_BLANKS = re.compile(r"\n{3,}")
_HEADING = re.compile(r"h([1-6])")
_DATE_SCAN_CHARS = 3000  # a publication date is on the first page or two


@dataclass(frozen=True)
class Extracted:
    """The text of a file, ready to be the corpus copy, and what the file says about itself."""

    source: str  # the file's name
    suffix: str  # ".pdf", ".docx", ...
    text: str
    title: str | None  # suggested title: the file's metadata, its first heading, or its first line
    date: str | None  # suggested date, "YYYY-MM" or "YYYY"


def read_document(path: Path) -> Extracted:
    """The file's text and suggested title and date; ``BadDocument`` when it gives no usable text."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        kinds = "PDF, Word (.docx), HTML, Markdown or plain text"
        raise BadDocument(f"{path.name}: {suffix or 'files without an extension'} cannot be read; use {kinds}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadDocument(f"{path.name}: cannot be read ({exc.strerror})") from None
    if size == 0:
        raise BadDocument(f"{path.name}: the file is empty")
    meta_title, meta_date = _check_and_describe(path, suffix)
    loaded, found_title = _load_text(path, suffix)
    text = canonical(loaded)
    if not text.strip():
        if suffix == ".pdf":
            raise BadDocument(f"{path.name}: no text found: this looks like a scan; run OCR first")
        raise BadDocument(f"{path.name}: no text found in the file")
    title = meta_title or found_title or _first_heading(text)
    return Extracted(path.name, suffix, text, title, _date_in(text) or meta_date)


def canonical(text: str) -> str:
    """Line ends as ``\\n``, no trailing spaces, at most one blank line in a row, one final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip("\n") + "\n"


# ---------------------------------------------------------------- per format
def _check_and_describe(path: Path, suffix: str) -> tuple[str | None, str | None]:
    """Refuse what the readers would misread, and read the file's own title and date if it has them."""
    if suffix == ".pdf":
        return _pdf_info(path)
    if suffix == ".docx":
        return _docx_info(path)
    if suffix in (".md", ".txt"):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise BadDocument(f"{path.name}: is not UTF-8 text; save it as UTF-8 and try again") from None
    return None, None


def _pdf_info(path: Path) -> tuple[str | None, str | None]:
    from pypdf import PdfReader  # deferred: only reading a PDF needs pypdf
    from pypdf.errors import PyPdfError  # deferred: as above

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise BadDocument(f"{path.name}: the PDF is encrypted; save a copy without a password and add that")
        info = reader.metadata or {}
    except BadDocument:
        raise
    except (PyPdfError, OSError, ValueError) as exc:
        raise BadDocument(f"{path.name}: is not a readable PDF ({type(exc).__name__})") from None
    title = str(info.get("/Title") or "").strip() or None
    found = _PDF_DATE.match(str(info.get("/CreationDate") or ""))
    return title, (f"{found[1]}-{found[2]}" if found else None)


def _docx_info(path: Path) -> tuple[str | None, str | None]:
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist():
                raise BadDocument(f"{path.name}: is not a Word document")
            core = archive.read("docProps/core.xml") if "docProps/core.xml" in archive.namelist() else b""
    except (zipfile.BadZipFile, OSError):
        raise BadDocument(f"{path.name}: is not a readable Word document (.docx)") from None
    if not core:
        return None, None
    root = ElementTree.fromstring(core)
    title = next((e.text.strip() for e in root.iter() if e.tag.endswith("}title") and e.text and e.text.strip()), None)
    created = next((e.text for e in root.iter() if e.tag.endswith("}created") and e.text), "")
    return title, (created[:7] if re.match(r"(?:19|20)\d\d-\d\d", created) else None)


def _load_text(path: Path, suffix: str) -> tuple[str, str | None]:
    """The text of every page or part, in order, and a title a reader found (a web page's)."""
    from llama_index.core import SimpleDirectoryReader  # deferred: heavy, only for adding a document

    extractors = {".pdf": _pdf_reader(), ".html": _html_reader(), ".htm": _html_reader()}
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        pages = SimpleDirectoryReader(input_files=[path], file_extractor=extractors, raise_on_error=True,
                                      encoding="utf-8").load_data(show_progress=False)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a file we cannot read
        cause = exc.__cause__ or exc
        raise BadDocument(f"{path.name}: cannot be read ({type(cause).__name__})") from None
    finally:  # llama-index-readers-file calls logging.basicConfig when first imported: undo it
        root.handlers[:], root.level = handlers, level
    title = next((page.metadata.get("title") for page in pages if page.metadata.get("title")), None)
    return "\n\n".join(page.text.strip("\n") for page in pages), title


def _pdf_reader():
    """A llama-index reader for PDFs: pypdf's text of each page, as ``llama-index-readers-file``'s
    ``PDFReader`` gives it, with the lines set as headings marked (``assistant.ingest.pdf_headings``)."""
    from llama_index.core.readers.base import BaseReader  # deferred: heavy, only for adding a document
    from llama_index.core.schema import Document  # deferred: as above

    class PdfHeadingsReader(BaseReader):
        def load_data(self, file, extra_info=None, **_):
            from pypdf import PdfReader  # deferred: only reading a PDF needs pypdf

            pages = []
            for page in PdfReader(file).pages:
                pieces: list = []
                page.extract_text(visitor_text=lambda text, cm, tm, font, size: pieces.append(
                    (text, _points(size, cm, tm), _is_bold(font), float(tm[5]) * float(cm[3]) + float(cm[5]))))
                pages.append(pieces)
            return [Document(text=text, metadata={"page_label": str(n), **(extra_info or {})})
                    for n, text in enumerate(marked_text(pages), 1)]

    return PdfHeadingsReader()


def _points(size: float, cm, tm) -> float:
    """The size a piece of text is drawn at: its font size scaled by the text and page matrices."""
    return round(float(size) * (abs(float(tm[3])) or 1.0) * (abs(float(cm[3])) or 1.0), 1)


def _is_bold(font) -> bool:
    name = str((font or {}).get("/BaseFont", "")).lower()
    return any(mark in name for mark in ("bold", "black", "heavy", ",b"))


def _html_reader():
    """A llama-index reader for web pages that keeps their shape: ``<h2>`` becomes ``## ``, a list
    item ``- ``, each block its own paragraph; scripts, styles and navigation are dropped."""
    from llama_index.core.readers.base import BaseReader  # deferred: heavy, only for adding a document
    from llama_index.core.schema import Document  # deferred: as above

    class HtmlBlocksReader(BaseReader):
        def load_data(self, file, extra_info=None, **_):
            from bs4 import BeautifulSoup  # deferred: only reading HTML needs bs4

            soup = BeautifulSoup(Path(file).read_bytes(), "html.parser")
            for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "template"]):
                tag.decompose()
            title = soup.title.get_text(" ", strip=True) if soup.title else ""
            body = soup.body or soup
            return [Document(text="\n\n".join(_blocks(body)), metadata={"title": title, **(extra_info or {})})]

    return HtmlBlocksReader()


def _blocks(node) -> list[str]:
    """The text blocks of an HTML element in order: headings, paragraphs, list items, table rows."""
    out: list[str] = []
    for child in getattr(node, "children", ()):
        name = getattr(child, "name", None)
        if name is None:
            text = " ".join(str(child).split())
            if text:
                out.append(text)
        elif heading := _HEADING.fullmatch(name):
            out.append("#" * int(heading[1]) + " " + child.get_text(" ", strip=True))
        elif name == "li":
            out.append("- " + child.get_text(" ", strip=True))
        elif name in ("p", "tr", "dt", "dd", "caption", "blockquote", "pre"):
            text = child.get_text(" ", strip=True) if name != "pre" else child.get_text()
            if text:
                out.append(text)
        elif name == "title":
            continue
        else:
            out.extend(_blocks(child))
    return [" ".join(b.split()) if not b.startswith("#") else b for b in out if b.strip()]


# ---------------------------------------------------------------- what the text says about itself
def _first_heading(text: str) -> str | None:
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if len(line) >= 4 and any(c.isalpha() for c in line):
            return line[:150]
    return None


def _date_in(text: str) -> str | None:
    head = text[:_DATE_SCAN_CHARS]
    if found := _MONTH_YEAR.search(head):
        return f"{found[2]}-{_MONTHS.index(found[1].lower()) + 1:02d}"
    if found := _YEAR.search(head):
        return found[1]
    return None
