"""state.gov country pages (HTML) -> narratives, for every era's page template.

The narrative body is taken from the page's content element (``.entry-content`` on
www.state.gov since 2017, ``#centerblock`` on the 2009–2017 archive, else ``<main>`` /
``<article>`` / ``<body>``); the federal banner, navigation, breadcrumbs, share links and
footers are not narrative text. The body is flattened to one line per block element
(headings, paragraphs, list items, ``<br>``-separated lines), then read by
:func:`tipwatch.ingest.text.parse_report_text`: a heading naming the country with its tier
("MICRONESIA, FEDERATED STATES OF: Tier 2", "Cote d’Ivoire (Tier 2)", "SPECIAL CASE: LIBYA"),
and the section headings in any case. The report year is taken from the page
("2023 Trafficking in Persons Report: Algeria") unless given.
"""

from __future__ import annotations

import re
from pathlib import Path

from tipwatch.errors import MalformedInputError
from tipwatch.ingest.text import ParseResult, _read_bytes, _require, parse_report_text

_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "div", "td", "dt", "dd"]
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BODY_SELECTORS = (".entry-content", "#centerblock", "main", "article", "[role=main]", "body")
_CHROME = (
    "script, style, nav, footer, noscript, aside, form, iframe, svg, button, "
    ".usa-banner, .usa-skipnav, [role=banner], [role=navigation], [role=contentinfo], "
    "[class*=share], [class*=social], [class*=breadcrumb], [class*=related], "
    "#tier3-local-nav, #footer, #header"
)
_BR = "\u2028"  # a line break inside a block, kept through get_text


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def html_to_lines(markup: str) -> str:
    """The page title, then the body's block elements as lines (headings upper-cased)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    lines: list[str] = []
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if title:
        lines.append(" ".join(title.split()))
    body = None
    for selector in _BODY_SELECTORS:
        body = soup.select_one(selector)
        if body is not None:
            break
    if body is None:
        body = soup
    for tag in body.select(_CHROME):
        tag.decompose()
    for br in body.find_all("br"):
        br.replace_with(_BR)
    for el in body.find_all(_BLOCKS):
        if el.find(_BLOCKS):
            if el.name == "div":
                _own_text(el, lines)
            continue
        raw = el.get_text(" ", strip=True)
        heading = el.name in _HEADINGS or _is_bold_line(el, raw)
        for part in raw.split(_BR):
            text = " ".join(part.split())
            if text:
                lines.append(text.upper() if heading else text)
    return "\n".join(lines) + "\n"


def _own_text(el, lines: list[str]) -> None:  # noqa: ANN001 - a bs4 Tag
    """Text placed directly in a container ``<div>`` (not in a child block) is kept too."""
    from bs4 import NavigableString

    for child in el.children:
        if isinstance(child, NavigableString):
            for part in str(child).split(_BR):
                text = " ".join(part.split())
                if text:
                    lines.append(text)


def _is_bold_line(el, text: str) -> bool:  # noqa: ANN001 - a bs4 Tag
    """A short paragraph that is all bold (``<p><strong>Prosecution</strong></p>``): a heading."""
    if el.name != "p" or len(text) > 60:
        return False
    bold = " ".join(b.get_text(" ", strip=True) for b in el.find_all(["strong", "b"]))
    return bool(bold) and " ".join(bold.split()) == " ".join(text.split())


def parse_html(markup: str, year: int | None = None, origin: str = "") -> ParseResult:
    """Narratives of one page's markup (no error when there are none: see :func:`load_html`)."""
    lines = html_to_lines(markup)
    result = parse_report_text(lines, "html", year=year, origin=origin)
    if not result.narratives:
        # a country page whose only country heading is the page title ("Chad - State Dept")
        name = _title_country(markup)
        if name:
            retry = parse_report_text(f"{name.upper()}\n{lines}", "html", year=year, origin=origin)
            if retry.narratives:
                result = retry
    return result


def load_html(path: str | Path, year: int | None = None) -> ParseResult:
    p = Path(path)
    data = _read_bytes(p)
    if b"\x00" in data[:4096]:
        raise MalformedInputError(f"{p}: binary data, not an HTML page")
    markup = decode(data)
    if "<" not in markup:
        raise MalformedInputError(f"{p}: no HTML markup")
    result = parse_html(markup, year=year, origin=p.name)
    _require(result, p)
    return result


def _title_country(markup: str) -> str | None:
    from bs4 import BeautifulSoup

    from tipwatch.extract.lexicon import lexicon

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for part in re.split(r"\s+[-–|]\s+|:\s*", title):
        iso3 = lexicon().resolve(part.strip())
        if iso3:
            return part.strip()
    return None
