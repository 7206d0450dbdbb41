"""API routes for facts across years: conflicts, the corpus state, series, recommendations.

Wired by :func:`tipwatch.api.app.create_app`; answers are ``{"meta": ..., "data": ...}``
like every other route, cached per server (the store is read-only while served).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from tipwatch.api.params import COUNTRY_DOC, FormatParam
from tipwatch.api.responses import csv_response as _csv
from tipwatch.api.responses import json_response as _json
from tipwatch.store import explore as data

if TYPE_CHECKING:  # pragma: no cover
    from tipwatch.api.explorer import Explorer


def build_years_router(ex: Explorer) -> APIRouter:
    from tipwatch.analysis import recommendations as recs
    from tipwatch.analysis import series as ser
    from tipwatch.store import years_reader as years_data

    r = APIRouter(prefix="/api")

    @r.get("/conflicts", summary="Where the user's corpus disagrees with the panel")
    def conflicts(
        year: int | None = Query(None, ge=2001, le=2100, description="report year"),
        format: FormatParam = "json",  # noqa: A002
    ) -> Response:
        def read(cur: Any) -> list[dict[str, Any]]:
            if year is not None:  # a conflict is always with a panel year (404 otherwise)
                data.resolve_year(cur, year)
            return years_data.conflicts(cur, year)

        rows = ex.cached(("conflicts", year), read)
        if format == "csv":
            return _csv(rows, None, "conflicts")
        return _json({"meta": ex.meta(None, year=year), "data": rows})

    @r.get("/corpus", summary="The corpus the store was built from; placements read from it")
    def corpus() -> Response:
        res = ex.cached(("corpus",), years_data.corpus_summary)
        return _json({"meta": ex.meta(None), "data": res})

    @r.get("/countries/{ident}/series", summary="Law-enforcement counts per year, checked")
    def series(
        ident: str = Path(..., description=COUNTRY_DOC, max_length=80),
        format: FormatParam = "json",  # noqa: A002
    ) -> Response:
        def compute(cur: Any) -> dict:
            c = data.resolve_country(cur, ident)
            return {"iso3": c["iso3"], "rows": ser.series(cur, c["iso3"])}

        res = ex.cached(("series", ident.upper()), compute)
        if format == "csv":
            import json

            rows = [{**x, "parts": json.dumps(x["parts"]) if x["parts"] else ""}
                    for x in res["rows"]]
            return _csv(rows, None, f"series-{res['iso3']}")
        return _json({"meta": ex.meta(None, country=res["iso3"]), "data": res["rows"]})

    @r.get("/countries/{ident}/recommendations",
           summary="Recommendations across years: repeated, modified, new, dropped")
    def recommendations(
        ident: str = Path(..., description=COUNTRY_DOC, max_length=80),
        format: FormatParam = "json",  # noqa: A002
    ) -> Response:
        def compute(cur: Any) -> dict:
            c = data.resolve_country(cur, ident)
            return recs.for_country(cur, c["iso3"])

        res = ex.cached(("recommendations", ident.upper()), compute)
        if format == "csv":
            rows = [{**x, "topics": ";".join(x["topics"] or [])} for x in res["rows"]]
            return _csv(rows, None, f"recommendations-{res['iso3']}")
        return _json({"meta": ex.meta(None, country=res["iso3"]), "data": res})

    return r
