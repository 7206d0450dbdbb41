"""The JSON/CSV API routes. Every JSON answer is ``{"meta": {...}, "data": ...}``.

``meta`` names the sources (with their licences) of what is served and the store's build time;
CSV answers carry the same in ``X-Source`` / ``X-Licence`` headers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from tipwatch.api.params import (
    COUNTRY_DOC,
    YEAR_DOC,
    YEAR_PATTERN,
    FormatParam,
    RegionParam,
    TierParam,
)
from tipwatch.api.responses import csv_response as _csv
from tipwatch.api.responses import json_response as _json
from tipwatch.store import explore as data

if TYPE_CHECKING:  # pragma: no cover
    from tipwatch.api.explorer import Explorer

DEFAULT_FACTS = 200
TIER_COLUMNS = ["country", "iso3", "year", "tier", "basis", "source", "region", "note"]
CHANGE_COLUMNS = ["country", "iso3", "year", "previous_year", "from_tier", "to_tier", "direction"]
COUNTRY_COLUMNS = ["iso3", "name", "region", "iso2", "cow", "latest_year", "latest_tier",
                   "latest_basis", "n_years"]


def _source_ids(rows: list[dict[str, Any]]) -> set[str]:
    ids: set[str] = set()
    for r in rows:
        if r.get("source"):
            ids.add(str(r["source"]))
    return ids


def tiers_payload(cur: Any, year: str, tier: str | None, region: str | None) -> dict:
    y = data.resolve_year(cur, year)
    rows = data.tiers(cur, y, tier=tier, region=region)
    return {"year": y, "status": data.year_status(cur, y), "rows": rows}


def changes_payload(cur: Any, year: str) -> dict:
    y = data.resolve_year(cur, year)
    return {"year": y, "rows": data.changes(cur, y)}


def country_payload(cur: Any, ident: str, facts_limit: int,
                    all_links: dict[str, dict] | None = None) -> dict:
    c = data.resolve_country(cur, ident)
    hist = data.history(cur, c["iso3"])
    if all_links is None:
        links = data.cites(cur, c["iso3"])
    else:
        links = all_links.get(c["iso3"]) or {k: [] for k in data.EMPTY_LINKS}
    hist_rows = hist.get("history", [])
    return {
        **c,
        **hist,
        # the newest report year's placement, never an older year shown as current
        "current": hist_rows[-1] if hist_rows and hist.get("standing", {}).get("placed")
        else None,
        "events": data.events(cur, iso3=c["iso3"]),
        "facts_summary": data.facts_summary(cur, c["iso3"]),
        "facts": _quoted(cur, data.facts(cur, iso3=c["iso3"], limit=facts_limit,
                                         latest_first=True)) if facts_limit else [],
        **links,
    }


def _quoted(cur: Any, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts of the user's corpus documents with their quote (the text is at hand)."""
    from tipwatch.analysis.reasons import Texts

    texts = Texts(cur) if facts else None
    for f in facts:
        f["quote"] = texts.quote(f["doc_id"], f["start"], f["end"]) if texts else None
    return facts


def _links(ex: Explorer) -> dict[str, dict]:
    """Every country's links (cites, cited by, flows), computed once per server."""
    return ex.cached(("links-all",), data.links_all)


def warm(ex: Explorer) -> int:
    """Precompute the default answers for every country and every year; returns how many."""
    cur = ex.con.cursor()
    try:
        iso3s = [r[0] for r in cur.execute("SELECT DISTINCT iso3 FROM placements").fetchall()]
        years = [str(r["year"]) for r in data.years(cur)] + ["latest"]
    finally:
        cur.close()
    n = 0
    links = _links(ex)
    for iso3 in iso3s:
        ex.cached(("country", iso3, DEFAULT_FACTS),
                  lambda c, i=iso3: country_payload(c, i, DEFAULT_FACTS, links))
        n += 1
    for y in years:
        ex.cached(("tiers", y, None, None), lambda c, y=y: tiers_payload(c, y, None, None))
        ex.cached(("changes", y), lambda c, y=y: changes_payload(c, y))
        n += 2
    return n


def build_router(ex: Explorer) -> APIRouter:
    r = APIRouter(prefix="/api")

    def table(key: tuple, compute, columns: list[str] | None, name: str, fmt: str,  # noqa: ANN001
              **query: Any) -> Response:
        rows = ex.cached(key, compute)
        if fmt == "csv":
            return _csv(rows, columns, name)
        return _json({"meta": ex.meta(_source_ids(rows), **query), "data": rows})

    @r.get("", summary="What this API serves")
    def api_index() -> Response:
        return _json({
            "meta": ex.meta(),
            "data": {
                "endpoints": [
                    "/api/years", "/api/tiers?year=&tier=&region=", "/api/countries",
                    "/api/countries/{iso3}", "/api/changes?year=",
                    "/api/audit?year=&country=&event=", "/api/facts?country=&year=&kind=",
                    "/api/flows?year=", "/api/meta", "/downloads/panel.{csv,parquet,dta}",
                    "/api/conflicts?year=", "/api/corpus", "/api/countries/{iso3}/series",
                    "/api/countries/{iso3}/recommendations",
                ],
                "formats": "add ?format=csv to any table",
                "tiers": data.TIER_LABELS,
                "regions": data.REGIONS,
            },
        })

    @r.get("/meta", summary="Sources, licences and store build time")
    def meta() -> Response:
        return _json({"meta": ex.meta(), "data": {"sources": ex.all_sources}})

    @r.get("/years", summary="Every report year with its status and number of placements")
    def years(format: FormatParam = "json") -> Response:  # noqa: A002
        def compute(cur: Any) -> list[dict]:
            rows = data.years(cur)
            latest = data.resolve_year(cur, "latest")
            for y in rows:
                y["latest_complete"] = int(y["year"]) == latest
            return rows

        return table(("years",), compute, None, "years", format)

    @r.get("/tiers", summary="Tier placements of one report year")
    def tiers(
        year: str = Query("latest", description=YEAR_DOC, pattern=YEAR_PATTERN),
        tier: TierParam | None = Query(None, description="only this tier"),
        region: RegionParam | None = Query(None, description="State Department bureau"),
        format: FormatParam = "json",  # noqa: A002
    ) -> Response:
        res = ex.cached(("tiers", year, tier, region),
                        lambda cur: tiers_payload(cur, year, tier, region))
        if format == "csv":
            return _csv(res["rows"], TIER_COLUMNS, f"tiers-{res['year']}")
        return _json({
            "meta": ex.meta(_source_ids(res["rows"]), year=res["year"], tier=tier,
                            region=region),
            "year": res["year"],
            "status": res["status"],
            "counts": data.tier_counts(res["rows"]),
            "data": res["rows"],
        })

    @r.get("/countries", summary="Countries ranked in some report, with their latest tier")
    def countries(format: FormatParam = "json") -> Response:  # noqa: A002
        return table(("countries",), data.countries_list, COUNTRY_COLUMNS, "countries", format)

    @r.get("/countries/{ident}", summary="One country: history, streaks, audit, facts, links")
    def country(
        ident: str = Path(..., description=COUNTRY_DOC, max_length=80),
        facts_limit: int = Query(DEFAULT_FACTS, ge=0, le=5000,
                                 description="facts listed (by year)"),
    ) -> Response:
        res = ex.cached(("country", ident.upper(), facts_limit),
                        lambda cur: country_payload(cur, ident, facts_limit, _links(ex)))
        ids = _source_ids(res.get("history", []))
        return _json({"meta": ex.meta(ids, country=res["iso3"]), "data": res})

    @r.get("/changes", summary="Tier changes from the previous report to this one")
    def changes(
        year: str = Query("latest", description=YEAR_DOC, pattern=YEAR_PATTERN),
        format: FormatParam = "json",  # noqa: A002
    ) -> Response:
        res = ex.cached(("changes", year), lambda cur: changes_payload(cur, year))
        if format == "csv":
            return _csv(res["rows"], CHANGE_COLUMNS, f"changes-{res['year']}")
        return _json({"meta": ex.meta(None, year=res["year"]), "year": res["year"],
                      "data": res["rows"]})

    @r.get("/audit", summary="Audit events: waivers, automatic downgrades, rule checks")
    def audit(
        year: str | None = Query(None, description=YEAR_DOC, pattern=YEAR_PATTERN),
        country: str | None = Query(None, description=COUNTRY_DOC, max_length=80),
        event: str | None = Query(None, description="event kind, e.g. auto_downgrade, waiver",
                                  max_length=40, pattern=r"^[A-Za-z0-9_]+$"),
        format: FormatParam = "json",  # noqa: A002
    ) -> Response:
        def compute(cur: Any) -> list[dict]:
            y = data.resolve_year(cur, year) if year else None
            iso3 = data.resolve_country(cur, country)["iso3"] if country else None
            return data.events(cur, year=y, iso3=iso3, event=event)

        return table(("audit", year, (country or "").upper(), event), compute, None, "audit",
                     format, year=year, country=country, event=event)

    @r.get("/facts", summary="Facts extracted from the narratives, with locators")
    def facts(
        country: str | None = Query(None, description=COUNTRY_DOC, max_length=80),
        year: str | None = Query(None, description=YEAR_DOC, pattern=YEAR_PATTERN),
        kind: str | None = Query(None, description="fact kind", max_length=40,
                                 pattern=r"^[A-Za-z0-9_.-]+$"),
        limit: int = Query(1000, ge=1, le=100000),
        format: FormatParam = "json",  # noqa: A002
    ) -> Response:
        def compute(cur: Any) -> list[dict]:
            y = data.resolve_year(cur, year) if year else None
            iso3 = data.resolve_country(cur, country)["iso3"] if country else None
            return data.facts(cur, iso3=iso3, year=y, kind=kind, limit=limit)

        return table(("facts", (country or "").upper(), year, kind, limit), compute, None,
                     "facts", format, country=country, year=year, kind=kind)

    @r.get("/flows", summary="Country-to-country links named in the narratives")
    def flows(
        year: str | None = Query(None, description=YEAR_DOC, pattern=YEAR_PATTERN),
        format: FormatParam = "json",  # noqa: A002
    ) -> Response:
        def compute(cur: Any) -> list[dict]:
            y = data.resolve_year(cur, year) if year else None
            return data.flows(cur, year=y)

        return table(("flows", year), compute, None, "flows", format, year=year)

    return r
