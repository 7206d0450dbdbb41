"""API routes of the analysis area: forecast, consistency and the due-diligence risk lookup.

* ``GET /api/forecast?year=`` — the forecast of one report (default: the one after the newest);
  ``GET /api/forecast/backtest`` — the time-split scores beside the baselines, with the
  reliability bins; ``GET /api/countries/{iso3}/forecast`` — one country's current forecast;
* ``GET /api/consistency?year=&country=`` and ``GET /api/countries/{iso3}/consistency``;
* ``POST /api/risk`` — JSON ``{"countries": [...]}``, a CSV body (``text/csv``) or a
  ``multipart/form-data`` upload, with ``?column=`` naming the CSV column; one row per name.

Answers are cached per store build id (the store does not change while it is served).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from tipwatch.api.responses import csv_response
from tipwatch.api.responses import json_response as _json
from tipwatch.errors import BadInputError
from tipwatch.store import explore as data
from tipwatch.tiers import RANKED

if TYPE_CHECKING:  # pragma: no cover
    from tipwatch.analysis.inputs import Inputs
    from tipwatch.api.explorer import Explorer

MAX_BODY = 2 * 1024 * 1024
FormatParam = Literal["json", "csv"]
YEAR_PATTERN = r"^(\d{4}|latest|newest)$"


def _error(status: int, message: str) -> Response:
    return Response(json.dumps({"detail": message, "status": status}).encode("utf-8"),
                    status_code=status, media_type="application/json")


def build_analysis_router(ex: Explorer) -> APIRouter:
    r = APIRouter(prefix="/api", tags=["analysis"])
    encoded: dict[str, Any] = {}  # the served store is read-only: its risk rows, encoded once

    def inputs() -> Inputs:
        from tipwatch.analysis.load import inputs_from

        return ex.cached(("analysis-inputs",), inputs_from)

    def forecast_of(year: int | None) -> dict:
        from tipwatch.analysis import forecast as fc

        inp = inputs()
        y = max(inp.year_status) + 1 if year is None else year
        return ex.cached(("forecast", inp.build_id, y), lambda _c: fc.forecast(inp, y))

    def _csv(rows: list[dict], columns: list[str], name: str) -> Response:
        flat = [{k: ("; ".join(map(str, v)) if isinstance(v, list) else v)
                 for k, v in row.items()} for row in rows]
        return csv_response(flat, columns, name)

    @r.get("/forecast", summary="Chance of a downgrade, no change or an upgrade, per country")
    async def forecast(
        year: int | None = Query(None, ge=1000, le=9999,
                                 description="report year forecast (default: the next one)"),
        format: FormatParam = "json",  # noqa: A002
    ) -> Response:
        res = await run_in_threadpool(forecast_of, year)
        if format == "csv":
            from tipwatch.commands.analysis import FORECAST_COLUMNS

            return _csv(res["rows"], FORECAST_COLUMNS, f"forecast-{res['year']}")
        return _json({"meta": ex.meta(None, year=res["year"]), "data": res})

    @r.get("/forecast/backtest", summary="Time-split scores of the forecast beside baselines")
    async def backtest(
        start: int = Query(2012, alias="from", ge=2008, le=2100,
                           description="first report predicted"),
        predictions: bool = Query(False, description="include every prediction"),
    ) -> Response:
        from tipwatch.analysis import forecast as fc

        def compute() -> dict:
            inp = inputs()
            if start > max(inp.year_status):
                raise BadInputError(f"parameter 'from': {start} is after the newest report "
                                    f"{max(inp.year_status)}")
            return ex.cached(("backtest", inp.build_id, start),
                             lambda _c: fc.backtest(inp, start=start))

        res = await run_in_threadpool(compute)
        body = {k: v for k, v in res.items() if predictions or k != "predictions"}
        return _json({"meta": ex.meta(None, start=start), "data": body})

    @r.get("/countries/{ident}/forecast", summary="One country's forecast with its reasons")
    async def country_forecast(
        ident: str = Path(..., max_length=80, description="ISO3 code or any country name"),
    ) -> Response:
        def compute() -> dict:
            iso3 = ex.cached(("resolve", ident.upper()),
                             lambda c: data.resolve_country(c, ident)["iso3"])
            inp = inputs()
            h = inp.hist.get(iso3)
            if not h:
                raise BadInputError(f"{iso3} is not ranked in any report of the panel")
            newest = max(h)
            res: dict[str, Any] = {"iso3": iso3, "from_report": newest, "year": newest + 1,
                                   "forecast": None, "why_none": ""}
            if h[newest] not in RANKED:
                res["why_none"] = (f"the {newest} placement ({h[newest]}) is not on the tier "
                                   f"scale, so no move can be forecast")
                return res
            try:
                fc = forecast_of(newest + 1)
            except BadInputError as exc:
                res["why_none"] = str(exc)
                return res
            row = next((x for x in fc["rows"] if x["iso3"] == iso3), None)
            res.update(forecast=row, served=fc["served"], trained_on=fc["trained_on"],
                       notes=[n for n in (fc["law_note"], fc["coverage_note"]) if n])
            return res

        res = await run_in_threadpool(compute)
        return _json({"meta": ex.meta(None, country=res["iso3"]), "data": res})

    def consistency_of(year: str | None, country: str | None) -> dict:
        from tipwatch.analysis import consistency as cons

        inp = inputs()

        def compute(cur: Any) -> dict:
            y = data.resolve_year(cur, year) if year else None
            iso3 = data.resolve_country(cur, country)["iso3"] if country else None
            return cons.consistency(inp, year=y, iso3=iso3)

        return ex.cached(("consistency", inp.build_id, year, (country or "").upper()), compute)

    @r.get("/consistency", summary="Placements the narrative's own evidence does not explain")
    async def consistency(
        year: str | None = Query(None, pattern=YEAR_PATTERN, description="report year"),
        country: str | None = Query(None, max_length=80, description="ISO3 or any name"),
        format: FormatParam = "json",  # noqa: A002
    ) -> Response:
        res = await run_in_threadpool(consistency_of, year, country)
        if format == "csv":
            from tipwatch.commands.analysis import CONSISTENCY_COLUMNS

            return _csv(res["rows"], CONSISTENCY_COLUMNS, "consistency")
        return _json({"meta": ex.meta(None, year=year, country=country), "data": res})

    @r.get("/countries/{ident}/consistency", summary="One country's consistency check")
    async def country_consistency(
        ident: str = Path(..., max_length=80, description="ISO3 code or any country name"),
    ) -> Response:
        res = await run_in_threadpool(consistency_of, None, ident)
        return _json({"meta": ex.meta(None, country=ident), "data": res})

    @r.post("/risk", summary="Risk lookup: one row per country name, in input order")
    async def risk(
        request: Request,
        column: str | None = Query(None, max_length=80, description="CSV column of names"),
        format: FormatParam = "json",  # noqa: A002
    ) -> Response:
        from tipwatch.analysis import risk as rk

        raw = await request.body()
        if len(raw) > MAX_BODY:
            return _error(413, f"request body: {len(raw)} bytes; at most {MAX_BODY}")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/json":
            names = rk.names_from_json_bytes(raw)
        elif kind in ("text/csv", "text/plain", "application/csv"):
            names = rk.names_from_csv(raw, column, where="CSV body")
        elif kind == "multipart/form-data":
            names = rk.names_from_multipart(raw, request.headers["content-type"], column)
        else:
            return _error(415, f"request body: content type {kind or 'none'!r}; send "
                               f"application/json, text/csv or multipart/form-data")
        ready = encoded.get("risk")
        if ready is None:  # first request of this server: load (or compute) every profile
            inp = await run_in_threadpool(inputs)
            ready = encoded["risk"] = (inp, await run_in_threadpool(
                lambda: ex.cached(("risk-json", inp.build_id), lambda _c: _fragments(inp))))
        inp, fragments = ready
        if format == "csv":
            rows = await run_in_threadpool(rk.lookup, inp, names)
            return _csv(rows, rk.COLUMNS, "risk")
        return _risk_json(ex, names, fragments)

    return r


def _fragments(inp: Inputs) -> dict[str, Any]:
    """Per ISO3: the profile's JSON text and its source ids (encoded once per store build)."""
    from tipwatch.analysis import risk as rk

    out = {}
    for iso3, prof in rk.profiles(inp).items():
        text = json.dumps(prof, ensure_ascii=False, separators=(",", ":"), default=str)
        out[iso3] = (text[1:-1], {s["id"] for s in prof["sources"]})
    return out


def _risk_json(ex: Explorer, names: list[str], fragments: dict[str, Any]) -> Response:
    from tipwatch.analysis import risk as rk

    parts = []
    ids: set[str] = set()
    errors = 0
    for i, raw in enumerate(names):
        head = f'"row":{i + 1},"input":{json.dumps(raw, ensure_ascii=False)}'
        iso3 = rk.resolve_name(raw)
        if iso3 is not None and iso3 in fragments:
            text, src = fragments[iso3]
            ids |= src
            parts.append(f'{{{head},{text},"error":null,"suggestions":[]}}')
            continue
        errors += 1
        row = rk.lookup_error(raw)
        body = json.dumps({k: v for k, v in row.items() if k not in ("row", "input")},
                          ensure_ascii=False)
        parts.append(f"{{{head},{body[1:-1]}}}")
    meta = json.dumps(ex.meta(ids, names=len(names), unresolved=errors),
                      ensure_ascii=False, separators=(",", ":"), default=str)
    body = f'{{"meta":{meta},"data":[{",".join(parts)}]}}'
    return Response(body.encode("utf-8"), media_type="application/json")
