"""Full-report PDFs -> narratives (text read with pdfplumber, then the text reader).

Country headings in capitals followed by "(Tier N)" or a "TIER ..." line start a narrative;
page numbers and the running "TRAFFICKING IN PERSONS REPORT" header are dropped. A file that
is not a PDF, or a truncated or damaged PDF, is refused with one line saying so.
"""

from __future__ import annotations

import logging
from pathlib import Path

from tipwatch.errors import MalformedInputError
from tipwatch.ingest.text import ParseResult, _read_bytes, _require, parse_report_text


def pdf_text(p: Path) -> str:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    data = _read_bytes(p, kind="pdf")
    if not data.lstrip().startswith(b"%PDF-"):
        raise MalformedInputError(f"{p}: not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise MalformedInputError(f"{p}: truncated PDF (no end-of-file marker)")
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[str] = []
    try:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                pages.append(_page_text(page))
                page.close()  # frees the page's layout objects: memory stays per page
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise MalformedInputError(f"{p}: damaged PDF ({type(exc).__name__})") from exc
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on bad files
        raise MalformedInputError(f"{p}: unreadable PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise MalformedInputError(f"{p}: the PDF has no text layer (scanned image?)")
    return text


def _page_text(page) -> str:  # noqa: ANN001 - a pdfplumber Page
    """The page's text; a two-column page is read left column first, then right.

    The report is printed in two columns: extracting lines across the page would interleave
    them. A page is taken as two columns when both halves hold words and almost no word
    crosses the middle.
    """
    words = page.extract_words()
    if len(words) < 20:
        return page.extract_text() or ""
    mid = page.width / 2
    crossing = sum(1 for w in words if w["x0"] < mid - 2 and w["x1"] > mid + 2)
    left = sum(1 for w in words if w["x1"] <= mid)
    right = sum(1 for w in words if w["x0"] >= mid)
    if crossing <= max(1, len(words) // 50) and left > 10 and right > 10:
        halves = [
            page.crop((0, 0, mid, page.height)).extract_text() or "",
            page.crop((mid, 0, page.width, page.height)).extract_text() or "",
        ]
        return "\n".join(halves)
    return page.extract_text() or ""


def load_pdf(path: str | Path, year: int | None = None) -> ParseResult:
    from tipwatch.limits import MAX_BYTES

    p = Path(path)
    text = pdf_text(p)
    if len(text.encode("utf-8")) > MAX_BYTES["text"]:
        raise MalformedInputError(
            f"{p}: its text is over the {MAX_BYTES['text'] // (1 << 20)} MB limit for a text"
        )
    result = parse_report_text(text, "pdf", year=year, origin=p.name)
    _require(result, p)
    return result
