"""Headings kept from a PDF: lines set larger, or short lines in bold, become markdown headings by
rank; a bold sentence does not; a heading wrapped over two lines is one; a gap on the page is a
blank line."""

from __future__ import annotations

from assistant.ingest.pdf_headings import marked_text


def line(text: str, size: float = 10.0, bold: bool = False, y: float = 0.0) -> list:
    return [(text, size, bold, y), ("\n", size, bold, y)]


def page(*lines: list) -> list:
    return [piece for one in lines for piece in one]


def test_larger_and_bold_lines_become_headings_ranked_by_size() -> None:
    text = marked_text([page(
        line("Local protocol", 16, True, 800), line("Sharing with schools", 13, True, 780),
        line("Consent", 10, True, 760), line("Body text that runs on as a paragraph of the guidance.", y=750),
        line("More body text of the same paragraph, set at the body size.", y=740),
    )])[0]
    assert "\n## Local protocol\n" in text and "\n### Sharing with schools\n" in text and "\n#### Consent\n" in text
    assert "\nBody text that runs on" in text


def test_a_bold_sentence_is_not_a_heading_and_a_wrapped_heading_is_one() -> None:
    text = marked_text([page(
        line("Information sharing in", 14, True, 800), line("Exampleshire schools", 14, True, 785),
        line("Note: always record your decision and the reasons for it.", 10, True, 770),
        line("Ordinary text set at the body size, as most of the document is.", y=760),
        line("Ordinary text set at the body size, as most of the document is.", y=750),
    )])[0]
    assert "## Information sharing in Exampleshire schools" in text
    assert "#" not in text.split("Exampleshire schools")[1]


def test_a_gap_between_lines_is_kept_as_a_blank_line() -> None:
    text = marked_text([page(
        line("First paragraph, line one.", y=800), line("First paragraph, line two.", y=788),
        line("Second paragraph after a gap.", y=760), line("Second paragraph, line two.", y=748),
    )])[0]
    assert "line two.\n\nSecond paragraph" in text and "line one.\nFirst paragraph" in text
