"""``tipwatch fetch``: a year's country pages -> the local corpus, with provenance.

For each year: load its index page (the landing page from 2017 on, ``--index-url`` before),
build the slug map (:mod:`tipwatch.ingest.crawl`), fetch every country page through the
polite, cached client (:mod:`tipwatch.ingest.fetch`), read it as ``tipwatch ingest`` does and
store its narrative and facts with the page's provenance. A page whose layout is not
recognised is stored as an unsectioned narrative with a warning (never over a narrative read
before from the same document); a 404 is recorded as "no narrative". On a re-run, a page
that comes back unchanged (304) and was stored from the same bytes by the same extractor
version is not read again ("unchanged").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tipwatch.ingest.crawl import CountryLink, country_links, landing_url
from tipwatch.ingest.fetch import FetchError
from tipwatch.ingest.report import DocReport, document_report

Progress = Callable[[str], None]


@dataclass
class RunSummary:
    pages: int = 0
    narratives: int = 0
    facts: int = 0
    unchanged: int = 0  # pages already stored from the same bytes by this extractor version
    warnings: list[str] = field(default_factory=list)
    reports: list[DocReport] = field(default_factory=list)
    seconds_parse: float = 0.0
    seconds_extract: float = 0.0
    seconds_store: float = 0.0


def _source_row(page: Any, year: int, iso3: str, status: str, rep: DocReport) -> dict[str, Any]:
    return {
        "source_id": page.url,
        "url": page.final_url or page.url,
        "path": page.body_path or None,
        "year": year,
        "iso3": iso3,
        "fetched_at": page.fetched_at or None,
        "http_status": page.status or None,
        "etag": page.etag or None,
        "last_modified": page.last_modified or None,
        "bytes": page.bytes or None,
        "sha256": page.sha256 or None,
        "status": status,
        "doc_ids": rep.doc_ids,
        "warnings": rep.warnings,
    }


def year_links(
    fetcher: Any, year: int, base: str, index_url: str | None, summary: RunSummary
) -> list[CountryLink]:
    """The country links of one year's index page (a missing index page is fatal)."""
    url = index_url or landing_url(base, year)
    if index_url is None and year < 2017:
        raise FetchError(
            f"report year {year}: the 2001–2016 archive has no documented year index; pass "
            "--index-url (the page that links that year's country pages)"
        )
    page = fetcher.get(url)
    summary.pages += 1
    if page.outcome in ("not_found", "refused", "failed"):
        raise FetchError(
            f"{url}: cannot read the year's index page ({page.reason}); pass --index-url with "
            "the page that links that year's country pages"
        )
    from tipwatch.ingest.html import decode

    archive = year < 2017 or "/countries/" in (index_url or "")
    links, warnings = country_links(decode(page.body()), page.final_url or url, year, archive)
    summary.warnings.extend(warnings)
    if not links:
        raise FetchError(f"{url}: no country links on the year's index page")
    return links


def fetch_country(
    fetcher: Any, corpus: Any, link: CountryLink, year: int, summary: RunSummary
) -> DocReport:
    """Fetch one country page, read it and store it (see the module doc).

    ``corpus`` is where pages go (``tipwatch.store.corpus.CorpusWriter``: ``record_source``,
    ``store_document``, ``stored_page``, ``has_sectioned``)."""
    from tipwatch.extract import extract
    from tipwatch.ingest.html import decode, parse_html

    page = fetcher.get(link.url)
    summary.pages += 1
    if page.outcome in ("not_found", "refused", "failed"):
        status = {"not_found": "not_found", "refused": "refused"}.get(page.outcome, "failed")
        what = "no narrative for this country and year" if status == "not_found" else page.reason
        rep = DocReport(document=link.url, status=status, warnings=[f"{link.url}: {what}"])
        corpus.record_source(_source_row(page, year, link.iso3, status, rep))
        return rep
    if page.outcome == "cached":
        kept = _unchanged(corpus, page)
        if kept is not None:
            return kept
    t0 = time.perf_counter()
    result = parse_html(decode(page.body()), year=year, origin=link.url)
    t1 = time.perf_counter()
    summary.seconds_parse += t1 - t0
    narratives = [n for n in result.narratives if n.country == link.iso3]
    warnings = list(result.warnings)
    for n in result.narratives:
        if n.country != link.iso3:
            warnings.append(
                f"{link.url}: a narrative headed {n.name!r} ({n.country}) on the page linked as "
                f"{link.text!r} ({link.iso3}); not stored"
            )
    status = "stored"
    if not narratives:
        status = "unrecognised"
        warnings.append(f"{link.url}: page layout not recognised; stored without sections")
        narratives = [_unsectioned(page, link, year)]
        if corpus.has_sectioned(narratives[0].doc_id):
            rep = DocReport(document=link.url, status="unrecognised", warnings=warnings + [
                f"{narratives[0].doc_id}: kept the narrative read earlier"])
            corpus.record_source(_source_row(page, year, link.iso3, "unrecognised", rep))
            return rep
    narratives = [_with_provenance(n, page) for n in narratives]
    facts = [f for n in narratives for f in extract(n)]
    t2 = time.perf_counter()
    summary.seconds_extract += t2 - t1
    rep = document_report(link.url, narratives, facts, warnings, status=status)
    corpus.store_document(
        narratives, facts, origin=page.final_url or link.url, sha256=page.sha256,
        source=_source_row(page, year, link.iso3, status, rep),
    )
    summary.seconds_store += time.perf_counter() - t2
    summary.narratives += len(narratives)
    summary.facts += len(facts)
    return rep


def _with_provenance(n: Any, page: Any) -> Any:
    from dataclasses import replace

    meta = dict(n.meta)
    meta.update(source_url=page.final_url or page.url, fetched_at=page.fetched_at,
                http_status=page.status, etag=page.etag, sha256=page.sha256, bytes=page.bytes)
    return replace(n, origin=page.final_url or page.url, meta=meta)


def _unsectioned(page: Any, link: CountryLink, year: int) -> Any:
    from tipwatch.ingest.html import decode, html_to_lines
    from tipwatch.model import Narrative

    text = html_to_lines(decode(page.body()))
    return Narrative(
        doc_id=f"html:{year}:{link.iso3}", country=link.iso3, year=year, source="html",
        text=text, spans={}, name=link.text, origin=link.url,
        meta={"tier": None, "tier_header": "", "layout": "unrecognised"},
    )


def _unchanged(corpus: Any, page: Any) -> DocReport | None:
    """The report of a page already stored from the same bytes by this extractor version
    (a re-run: nothing to read again), else None."""
    from tipwatch.extract import EXTRACTOR_VERSION

    stored = corpus.stored_page(page.url, page.sha256, EXTRACTOR_VERSION)
    if stored is None:
        return None
    doc_ids, counts, warnings = stored
    return DocReport(document=page.url, status="unchanged", doc_ids=doc_ids,
                     facts=counts, warnings=warnings)


def run(
    fetcher: Any,
    corpus: Any,
    years: list[int],
    base: str,
    index_url: str | None = None,
    only: set[str] | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    summary = RunSummary()
    say = progress or (lambda _msg: None)
    for year in years:
        links = year_links(fetcher, year, base, index_url, summary)
        if only:
            missing = only - {lk.iso3 for lk in links}
            for iso3 in sorted(missing):
                summary.warnings.append(f"{year}: no link for {iso3} on the year's index page")
            links = [lk for lk in links if lk.iso3 in only]
        say(f"{year}: {len(links)} country pages")
        for i, link in enumerate(links, start=1):
            rep = fetch_country(fetcher, corpus, link, year, summary)
            summary.reports.append(rep)
            summary.unchanged += rep.status == "unchanged"
            summary.warnings.extend(rep.warnings)
            say(f"[{i}/{len(links)}] {year} {link.iso3} {rep.status} "
                f"{sum(rep.facts.values())} facts")
    return summary
