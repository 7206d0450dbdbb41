"""Narratives from every format: the 2018 report set, Factbook texts, HTML, PDF and text files.

* :func:`load_tip2018` and :func:`load_factbook` read the research corpora in ``../shared``.
* :func:`load_path` reads a file the user downloaded (HTML page, report PDF, text file) and
  returns its country narratives; :func:`load_path_report` also returns the warnings (what
  was skipped and why).
"""

from __future__ import annotations

from pathlib import Path

from tipwatch.errors import MalformedInputError
from tipwatch.ingest.factbook import load_factbook
from tipwatch.ingest.text import ParseResult
from tipwatch.ingest.tip2018 import load_tip2018
from tipwatch.limits import MAX_NARRATIVES, check_input_file
from tipwatch.model import Narrative

FORMATS = ("auto", "html", "pdf", "txt", "tip2018", "factbook")

__all__ = [
    "FORMATS",
    "load_factbook",
    "load_path",
    "load_path_report",
    "load_tip2018",
    "detect_format",
]


def detect_format(path: str | Path) -> str:
    """Guess the format from the name and the first bytes."""
    p = Path(path)
    if p.is_dir():
        if (p / "tip2018_country_narratives_flat.csv").exists() or (
            p / "normal_cases.json"
        ).exists():
            return "tip2018"
        if (p / "cia_factbook_trafficking_in_persons_2006_2025.csv").exists():
            return "factbook"
        raise MalformedInputError(
            f"{p}: a folder that holds neither the 2018 set nor the Factbook CSV"
        )
    name = p.name.lower()
    if name.startswith("tip2018") or name in ("normal_cases.json", "special_cases.json"):
        return "tip2018"
    if "factbook" in name and name.endswith(".csv"):
        return "factbook"
    try:
        with open(p, "rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        raise MalformedInputError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    if head.lstrip().startswith(b"%PDF") or name.endswith(".pdf"):
        return "pdf"
    low = head.lower()
    if name.endswith((".html", ".htm")) or b"<html" in low or b"<!doctype html" in low:
        return "html"
    return "txt"


def load_path_report(path: str | Path, fmt: str = "auto", year: int | None = None) -> ParseResult:
    """Narratives and warnings from one file or folder in ``fmt``."""
    if fmt not in FORMATS:
        raise MalformedInputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    p = Path(path)
    if not p.exists():
        raise MalformedInputError(f"{p}: no such file or folder")
    if not p.is_dir():  # stat only: a named pipe is refused, never opened
        check_input_file(p, "pdf")
    if fmt == "auto":
        fmt = detect_format(p)
    if not p.is_dir() and fmt in ("html", "txt"):
        check_input_file(p, "text")
    result = _load_file(p, fmt, year)
    if fmt in ("html", "pdf", "txt") and len(result.narratives) > MAX_NARRATIVES:
        raise MalformedInputError(
            f"{p}: {len(result.narratives)} country narratives, over the limit of "
            f"{MAX_NARRATIVES} for one report file"
        )
    return result


def _load_file(p: Path, fmt: str, year: int | None) -> ParseResult:
    if fmt == "tip2018":
        return ParseResult(narratives=load_tip2018(p))
    if fmt == "factbook":
        return ParseResult(narratives=load_factbook(p))
    if fmt == "html":
        from tipwatch.ingest.html import load_html

        return load_html(p, year=year)
    if fmt == "pdf":
        from tipwatch.ingest.pdf import load_pdf

        return load_pdf(p, year=year)
    from tipwatch.ingest.text import load_txt

    return load_txt(p, year=year)


def load_path(path: str | Path, fmt: str = "auto", year: int | None = None) -> list[Narrative]:
    """Narratives from one file (html, pdf, txt) or a corpus path (tip2018, factbook)."""
    return load_path_report(path, fmt, year=year).narratives
