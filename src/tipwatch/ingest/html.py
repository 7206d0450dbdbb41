"""state.gov country pages (HTML) -> narratives.

The page is flattened to one line per block element (headings, paragraphs, list items), then
read by :func:`tipwatch.ingest.text.parse_report_text`: a heading naming the country, the tier
line ("TIER 2 WATCH LIST"), and the section headings (PRIORITIZED RECOMMENDATIONS,
PROSECUTION, PROTECTION, PREVENTION, TRAFFICKING PROFILE). Headings are compared in capitals,
so "Prosecution" in an ``<h3>`` works as well. The report year is taken from the page
("2023 Trafficking in Persons Report: Algeria") unless given.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from tipwatch.errors import MalformedInputError
from tipwatch.ingest.text import ParseResult, _read_bytes, _require, parse_report_text

_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "title"]
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def html_to_lines(markup: str) -> str:
    """Block elements as lines; headings upper-cased so that they read like the report's."""
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "nav", "footer", "noscript"]):
        tag.decompose()
    lines: list[str] = []
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if title:
        lines.append(title)
    for el in soup.find_all(_BLOCKS):
        if el.name == "title" or el.find(_BLOCKS):
            continue
        text = " ".join(el.get_text(" ", strip=True).split())
        if not text:
            continue
        if el.name in _HEADINGS or _is_bold_line(el, text):
            text = text.upper()
        lines.append(text)
    return "\n".join(lines) + "\n"


def _is_bold_line(el, text: str) -> bool:  # noqa: ANN001 - a bs4 Tag
    """A short paragraph that is all bold (``<p><strong>Prosecution</strong></p>``): a heading."""
    if el.name != "p" or len(text) > 60:
        return False
    bold = " ".join(b.get_text(" ", strip=True) for b in el.find_all(["strong", "b"]))
    return bool(bold) and " ".join(bold.split()) == text


def load_html(path: str | Path, year: int | None = None) -> ParseResult:
    p = Path(path)
    data = _read_bytes(p)
    if b"\x00" in data[:4096]:
        raise MalformedInputError(f"{p}: binary data, not an HTML page")
    try:
        markup = data.decode("utf-8")
    except UnicodeDecodeError:
        markup = data.decode("latin-1")
    if "<" not in markup:
        raise MalformedInputError(f"{p}: no HTML markup")
    lines = html_to_lines(markup)
    result = parse_report_text(lines, "html", year=year, origin=p.name)
    if not result.narratives:
        # a country page whose only country heading is the page title ("Chad - State Dept")
        name = _title_country(markup)
        if name:
            retry = parse_report_text(f"{name.upper()}\n{lines}", "html", year=year, origin=p.name)
            if retry.narratives:
                result = retry
    _require(result, p)
    return result


def _title_country(markup: str) -> str | None:
    from tipwatch.extract.lexicon import lexicon

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for part in re.split(r"\s+[-–|]\s+|:\s*", title):
        iso3 = lexicon().resolve(part.strip())
        if iso3:
            return part.strip()
    return None
