"""The explorer's pages and files: the map and country pages, static files, map shapes,
panel downloads, the API documentation (served from local files) and ``/report/``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from tipwatch.api import downloads
from tipwatch.api.explorer import SOURCE, Explorer
from tipwatch.api.responses import error_response
from tipwatch.errors import BadInputError
from tipwatch.paths import DATA_DIR
from tipwatch.store import explore as data

WEB_DIR = Path(__file__).resolve().parent / "web"
SHAPES_FILE = DATA_DIR / "shapes" / "world.json"


def add_pages(app: FastAPI, explorer: Explorer,
              report_dir: str | os.PathLike[str] | None = None) -> None:
    """Add the pages and files to ``app``; ``report_dir``, when it is a folder, is served
    under ``/report/`` (otherwise ``/report/`` says how to write one)."""

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html")

    @app.get("/country/{ident}", include_in_schema=False)
    def country_page(ident: str) -> Response:
        def check(cur: Any) -> str:
            iso3 = data.resolve_country(cur, ident)["iso3"]
            data.history(cur, iso3)  # a country never ranked has no page
            return iso3

        try:
            explorer.cached(("page-country", ident.upper()), check)
        except BadInputError as exc:
            return HTMLResponse(not_found_html(str(exc)), status_code=404)
        return FileResponse(WEB_DIR / "country.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/shapes/world.json", include_in_schema=False)
    def shapes() -> FileResponse:
        return FileResponse(SHAPES_FILE, media_type="application/json")

    @app.get("/downloads/panel.{fmt}", summary="Download the panel (csv, parquet, dta)")
    def download(fmt: str) -> Response:
        if fmt not in downloads.FORMATS:
            return error_response(404, f"no download format {fmt!r}; choose one of "
                                  + ", ".join(downloads.FORMATS))
        body = explorer.cached(("download", fmt),
                               lambda _cur: downloads.panel_bytes(explorer.db, fmt))
        media, _ = downloads.FORMATS[fmt]
        return Response(
            body, media_type=media,
            headers={
                "Content-Disposition": f'attachment; filename="tipwatch-panel.{fmt}"',
                "X-Source": SOURCE,
                "X-Licence": "public domain (U.S. government work); see /api/meta",
            },
        )

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    app.mount("/docs-assets", StaticFiles(directory=docs_assets()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        from fastapi.openapi.docs import get_swagger_ui_html

        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — docs",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon.png",
        )

    if report_dir is not None and Path(report_dir).is_dir():
        app.mount("/report", StaticFiles(directory=Path(report_dir), html=True), name="report")
    else:
        @app.get("/report/", include_in_schema=False)
        def no_report() -> HTMLResponse:
            return HTMLResponse(not_found_html(
                "No report is served here: write one with `tipwatch report --year latest "
                "--out var/report` and start `tipwatch serve --report-dir var/report` "
                "(`make run` does both)."), status_code=404)


def docs_assets() -> Path:
    """Swagger UI's files, shipped by the ``fastapi-offline`` package."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


def not_found_html(message: str) -> str:
    """A small HTML page saying what was not found, with a way back to the map."""
    from html import escape

    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Not found</title>"
        "<link rel='stylesheet' href='/static/style.css'></head><body><main>"
        f"<h1>Not found</h1><p class='error'>{escape(message)}</p>"
        "<p><a href='/'>Back to the map</a></p></main></body></html>"
    )
