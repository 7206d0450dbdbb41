"""Which pages hold a year's country narratives: the slug map from the year's index page.

* 2017 onward: the landing page ``{base}/reports/{year}-trafficking-in-persons-report/``
  (2019: ``...-report-2/``) links every country page as ``.../<year slug>/<slug>/``.
* 2001–2016: the archive's year index is not documented; the caller passes ``--index-url``
  (the page linking the year's ``.../countries/<year>/<id>.htm`` pages).

Slugs change between years (``democratic-republic-of-the-congo`` in 2022,
``the-democratic-republic-of-the-congo`` in 2023), so they are never derived from names: each
link found on the index page is resolved to a country through the one country table
(:mod:`tipwatch.countries`), by its link text first and then by the words of its slug. A link
that names no country in the table (the introduction, tier lists) is reported and skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from tipwatch import countries


@dataclass(frozen=True)
class CountryLink:
    iso3: str
    url: str
    text: str  # the link text as printed
    slug: str


def year_slug(year: int) -> str:
    """``2019-trafficking-in-persons-report-2`` for 2019, ``<year>-trafficking-...`` else."""
    return f"{year}-trafficking-in-persons-report" + ("-2" if year == 2019 else "")


def landing_url(base: str, year: int) -> str:
    return f"{base.rstrip('/')}/reports/{year_slug(year)}/"


def normalise(url: str) -> str:
    """Drop the fragment and query, and end a directory-like path with one slash."""
    parts = urlsplit(url)
    path = parts.path
    if not re.search(r"\.\w{2,5}$", path) and not path.endswith("/"):
        path += "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _anchors(markup: str) -> list[tuple[str, str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    return [
        (a["href"], " ".join(a.get_text(" ", strip=True).split()))
        for a in soup.find_all("a", href=True)
    ]


def _resolve(text: str, slug: str) -> str | None:
    for name in (text, slug.replace("-", " ")):
        if not name:
            continue
        c = countries.lookup(name)
        if c is None:
            from tipwatch.extract.lexicon import lexicon

            iso3 = lexicon().resolve(name)
            if iso3:
                return iso3
            continue
        return c.iso3
    return None


def country_links(
    markup: str, page_url: str, year: int, archive: bool = False
) -> tuple[list[CountryLink], list[str]]:
    """Country links on an index page, and a warning per link that names no known country.

    ``archive``: links of the form ``.../countries/<year>/<id>.htm`` (2001–2016); otherwise
    ``.../reports/<year slug>/<slug>/``.
    """
    if archive:
        pattern = re.compile(rf"/countries/{year}/(?P<slug>[\w\-]+)\.html?$")
    else:
        pattern = re.compile(rf"/reports/{re.escape(year_slug(year))}/(?P<slug>[\w\-]+)/?$")
    found: dict[str, CountryLink] = {}
    warnings: list[str] = []
    unknown: set[str] = set()
    for href, text in _anchors(markup):
        url = normalise(urljoin(page_url, href))
        m = pattern.search(urlsplit(url).path)
        if not m or url in found or url in unknown:
            continue
        slug = m.group("slug")
        iso3 = _resolve(text, "" if archive else slug)
        if iso3 is None:
            unknown.add(url)
            warnings.append(f"{url}: link {text!r} names no country in the country table; skipped")
            continue
        found[url] = CountryLink(iso3=iso3, url=url, text=text, slug=slug)
    by_iso: dict[str, CountryLink] = {}
    for link in found.values():
        if link.iso3 in by_iso:
            warnings.append(
                f"{link.url}: a second link for {link.iso3} "
                f"(first {by_iso[link.iso3].url}); skipped"
            )
            continue
        by_iso[link.iso3] = link
    return sorted(by_iso.values(), key=lambda c: c.iso3), warnings
