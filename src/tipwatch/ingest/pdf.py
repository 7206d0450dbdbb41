"""Full-report PDFs -> narratives (words read with pdfplumber, then the text reader).

Each page is read as the report prints it:

* **Columns**: a page whose words fall into two halves with (almost) none crossing the
  middle is read left column first, then the right (the 2015 and 2016 reports); reading
  across would interleave them.
* **Running headers and footers**: lines in the top and bottom margins that are a page
  number, "TRAFFICKING IN PERSONS REPORT", a country name, or a page number glued to one
  ("65AFGHANISTAN") are dropped; the same glued form inside the text is removed by
  :mod:`tipwatch.ingest.layout`.
* **Paragraphs**: the lines of a paragraph are joined with spaces (a recommendation wrapped
  over three lines stays one recommendation). A paragraph ends at a vertical gap, an indented
  first line, a short line ending a sentence, or a heading. A line ending in a hyphen keeps
  it: "government-" + "owned" is "government-owned", and a suspended hyphen ("mid-" + "to")
  keeps its space.
* Chart labels ("TIER RANKING BY YEAR") and the "ft" for "fl" glyph defect are repaired by
  :mod:`tipwatch.ingest.layout`.

A file that is not a PDF, or a truncated or damaged PDF, is refused with one line saying so.
"""

from __future__ import annotations

import logging
import re
import statistics
from pathlib import Path

from tipwatch.errors import MalformedInputError
from tipwatch.ingest.sections import canonical
from tipwatch.ingest.text import ParseResult, _read_bytes, _require, parse_report_text

_MARGIN = 0.07  # share of the page height at the top and bottom holding running heads
_SUSPENDED = {"to", "and", "or", "through", "nor", "than", "vs"}
_SENTENCE_END = re.compile(r"[.:;!?]['\"”’)]?$")
_HEADER_TEXT = re.compile(
    r"^\s*(?:\d{1,4}|(?:\d{4}\s+)?TRAFFICKING IN PERSONS REPORT(?:\s+\d{4})?)\s*$", re.I
)


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
    lines: list[_Line] = []
    try:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                lines.extend(_page_lines(page))
                page.close()  # frees the page's layout objects: memory stays per page
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise MalformedInputError(f"{p}: damaged PDF ({type(exc).__name__})") from exc
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on bad files
        raise MalformedInputError(f"{p}: unreadable PDF ({type(exc).__name__}: {exc})") from exc
    text = _paragraphs(lines)
    if not text.strip():
        raise MalformedInputError(f"{p}: the PDF has no text layer (scanned image?)")
    return text


class _Line:
    __slots__ = ("text", "x0", "x1", "top", "bottom", "left", "right", "page_start")

    def __init__(self, words: list[dict], left: float, right: float) -> None:
        self.text = " ".join(w["text"] for w in words)
        self.x0 = min(w["x0"] for w in words)
        self.x1 = max(w["x1"] for w in words)
        self.top = min(w["top"] for w in words)
        self.bottom = max(w["bottom"] for w in words)
        self.left, self.right = left, right
        self.page_start = False


def _page_lines(page) -> list[_Line]:  # noqa: ANN001 - a pdfplumber Page
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    if not words:
        return []
    h = float(page.height)
    top_band, bottom_band = h * _MARGIN, h * (1 - _MARGIN)
    body = [w for w in words if w["top"] >= top_band and w["bottom"] <= bottom_band]
    margin = [w for w in words if w not in body]
    out = [ln for ln in _lines(margin, 0, float(page.width)) if not _is_running_head(ln.text)]
    mid = float(page.width) / 2
    crossing = sum(1 for w in body if w["x0"] < mid - 2 and w["x1"] > mid + 2)
    left = [w for w in body if w["x1"] <= mid + 2]
    right = [w for w in body if w["x0"] >= mid - 2]
    two = crossing <= max(1, len(body) // 50) and len(left) > 10 and len(right) > 10
    if len(body) >= 20 and two:
        columns = [(left, 0.0, mid), (right, mid, float(page.width))]
    else:
        columns = [(body, 0.0, float(page.width))]
    # margin lines that are not running heads (rare) go first, as on the page
    for col, a, b in columns:
        col_lines = _lines(col, a, b)
        if col_lines:
            x0 = min(ln.x0 for ln in col_lines)
            x1 = max(ln.x1 for ln in col_lines)
            for ln in col_lines:
                ln.left, ln.right = x0, x1
        out.extend(col_lines)
    if out:
        out[0].page_start = True
    return out


def _lines(words: list[dict], left: float, right: float) -> list[_Line]:
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= 2.0:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [_Line(sorted(r, key=lambda w: w["x0"]), left, right) for r in rows]


def _is_running_head(text: str) -> bool:
    from tipwatch.extract.lexicon import lexicon
    from tipwatch.ingest.layout import strip_running_headers

    if _HEADER_TEXT.match(text):
        return True
    stripped, n = strip_running_headers(text)
    if n and not stripped.strip():
        return True
    name = re.sub(r"^\d{1,4}\s*|\s*\d{1,4}$", "", text).strip()
    letters = [c for c in name if c.isalpha()]
    caps = bool(letters) and all(c.isupper() for c in letters)
    return caps and lexicon().resolve(name) is not None


def _is_heading(text: str) -> bool:
    t = text.strip()
    if canonical(t.rstrip(":")) is not None:
        return True
    from tipwatch.ingest.text import _HEADING_TIER, _SPECIAL_HEAD, _TIER_LINE

    return bool(_HEADING_TIER.match(t) or _SPECIAL_HEAD.match(t) or _TIER_LINE.match(t))


def _paragraphs(lines: list[_Line]) -> str:
    """Join the lines of each paragraph (see the module doc)."""
    if not lines:
        return ""
    gaps = [
        b.top - a.top
        for a, b in zip(lines, lines[1:], strict=False)
        if not b.page_start and 0 < b.top - a.top < 40
    ]
    pitch = statistics.median(gaps) if gaps else 12.0
    paras: list[str] = []
    cur = ""
    prev: _Line | None = None
    for ln in lines:
        text = ln.text.strip()
        if not text:
            continue
        if cur and prev is not None and _continues_heading(cur, text):
            cur = cur + " " + text  # a heading wrapped in a narrow column
            prev = ln
            continue
        new = prev is None or _is_heading(text) or _is_heading(prev.text)
        if not new and prev is not None:
            width = max(1.0, ln.right - ln.left)
            jump = ln.top - prev.top
            column_break = ln.page_start or jump < 0
            if not column_break and jump > pitch * 1.35:
                new = True
            elif ln.x0 - ln.left > 0.02 * width + 4:
                new = True  # an indented first line
            elif prev.x1 < prev.right - 0.12 * width and _SENTENCE_END.search(prev.text):
                new = True  # a short last line
        if new:
            if cur:
                paras.append(cur)
            cur = text
        else:
            cur = _join(cur, text)
        prev = ln
    if cur:
        paras.append(cur)
    return "\n".join(paras) + "\n"


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _continues_heading(cur: str, text: str) -> bool:
    """ "RECOMMENDATIONS FOR TRINIDAD" + "AND TOBAGO:", "CONGO, DEMOCRATIC REPUBLIC OF" +
    "THE: Tier 2": a heading in capitals that wrapped onto a second line."""
    if not _caps(cur) or cur.rstrip().endswith((":", ".")) or len(cur) > 80:
        return False
    head = re.split(r"[:(]", text, maxsplit=1)[0]
    if not _caps(head):
        return False
    if not _is_heading(cur + " " + text):
        return False
    from tipwatch.extract.lexicon import lexicon

    return not _is_heading(text) or lexicon().resolve(head.strip()) is None


def _join(a: str, b: str) -> str:
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha():
        first = b.split(" ", 1)[0].strip(",.;:")
        return a + (" " if first.lower() in _SUSPENDED else "") + b
    return a + " " + b


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
