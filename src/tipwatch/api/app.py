"""The explorer's web application: JSON/CSV API, static pages, bundled map shapes, downloads.

``create_app(db_path)`` opens the store read-only once; each request works on its own cursor.
The store does not change while it is served, so rendered answers are cached per request key.
Bad parameters answer 422 (malformed) or 404 (unknown year/country) with a one-line message;
nothing raises through to a 500 with a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from tipwatch import __version__ as _version
from tipwatch.api import downloads
from tipwatch.api.analysis_routes import build_analysis_router
from tipwatch.api.routes import build_router
from tipwatch.api.years_routes import build_years_router
from tipwatch.errors import (
    BadInputError,
    TipwatchError,
    UnknownCountryError,
    UnknownYearError,
)
from tipwatch.paths import DATA_DIR
from tipwatch.paths import db_path as default_db_path
from tipwatch.store import explore as data
from tipwatch.store.build import build_id, connect

WEB_DIR = Path(__file__).resolve().parent / "web"
SHAPES_FILE = DATA_DIR / "shapes" / "world.json"

LICENCE = (
    "Tier placements and facts: U.S. Department of State, Trafficking in Persons Report "
    "(U.S. government work, public domain); compiled by tipwatch from the sources listed, "
    "each under its own licence. Map shapes: Natural Earth (public domain)."
)
SOURCE = "U.S. Department of State, Trafficking in Persons Report, via the tipwatch store"

# Content Security Policy: everything comes from this server, nothing from the network.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

REPORT_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def _version_str() -> str:
    return str(_version) if _version else "dev"


class Explorer:
    """The served store: one read-only connection, a cache of rendered answers, provenance."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.con = connect(db, build_if_missing=False)
        self._lock = threading.Lock()
        self._cache: dict[tuple, Any] = {}
        st = os.stat(db)
        built = dt.datetime.fromtimestamp(st.st_mtime, tz=dt.UTC)
        self.store_built = built.replace(microsecond=0).isoformat()
        cur = self.con.cursor()
        try:
            #: names this store's contents in ETags (stores built before ids: size and time)
            self.build_id = build_id(cur) or f"s{st.st_size:x}{int(st.st_mtime):x}"
            self.schema = data.read_schema(cur)
            self.all_sources = data.sources(cur)
            if "built_at" in data.table_columns(cur, "build_info"):
                row = cur.execute("SELECT max(built_at) FROM build_info").fetchone()
                if row and row[0] is not None:
                    self.store_built = row[0].astimezone(dt.UTC).replace(
                        microsecond=0).isoformat()
        finally:
            cur.close()

    def cached(self, key: tuple, compute: Callable[[Any], Any]) -> Any:
        """``compute(cursor)`` once per key; later calls answer from the cache."""
        try:
            return self._cache[key]
        except KeyError:
            pass
        cur = self.con.cursor()
        try:
            with data.known_schema(self.schema):
                value = compute(cur)
        finally:
            cur.close()
        with self._lock:
            if len(self._cache) > 20000:
                self._cache.clear()
            self._cache[key] = value
        return value

    def meta(self, source_ids: set[str] | None = None, **query: Any) -> dict[str, Any]:
        srcs = self.all_sources
        if source_ids is not None:
            srcs = [s for s in srcs if s["id"] in source_ids]
        return {
            "source": SOURCE,
            "licence": LICENCE,
            "sources": srcs,
            "store": self.db.name,
            "store_built": self.store_built,
            "tipwatch": _version_str(),
            "query": {k: v for k, v in query.items() if v is not None},
        }

    def close(self) -> None:
        self.con.close()


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    if app.state.warm:  # answer every default request from memory from the first one on
        from tipwatch.api.routes import warm

        warm(app.state.explorer)
    yield
    app.state.explorer.close()


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message, "status": status}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        where = ".".join(loc) or "request"
        parts.append(f"parameter {where!r}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(
    db_path: str | os.PathLike[str] | None = None,
    *,
    cors_origins: list[str] | None = None,
    report_dir: str | os.PathLike[str] | None = None,
    warm: bool = False,
    max_in_flight: int | None = None,
) -> FastAPI:
    """The FastAPI application over the store at ``db_path`` (read-only).

    ``cors_origins`` enables CORS for those origins only (off by default); ``report_dir``, when
    it holds a built report, is served under ``/report/``. ``warm`` precomputes the default
    answer for every country and year at startup (the store is read-only while served).
    ``max_in_flight`` bounds the requests worked on at once (see :mod:`tipwatch.api.serving`).
    """
    db = default_db_path(db_path)
    explorer = Explorer(db)
    app = FastAPI(
        title="tipwatch explorer API",
        version=_version_str(),
        description=(
            "Read-only API over the Trafficking in Persons Report tier panel, the audit of "
            "each placement against the law, and the facts extracted from the narratives. "
            "Every JSON answer carries `meta` with its sources and licence."
        ),
        docs_url=None,  # served below from local files: the stock page loads a CDN
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.explorer = explorer
    app.state.warm = warm

    @app.exception_handler(RequestValidationError)
    async def _on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc))

    @app.exception_handler(UnknownYearError)
    @app.exception_handler(UnknownCountryError)
    async def _on_unknown(_: Request, exc: TipwatchError) -> JSONResponse:
        return _error(404, str(exc))

    @app.exception_handler(BadInputError)
    async def _on_bad(_: Request, exc: TipwatchError) -> JSONResponse:
        return _error(422, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _on_http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _on_crash(_: Request, exc: Exception) -> JSONResponse:  # pragma: no cover
        return _error(500, f"internal error: {type(exc).__name__}")

    @app.middleware("http")
    async def _headers(request: Request, call_next):  # noqa: ANN001, ANN202
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        path = request.url.path
        if path.startswith("/report"):  # the standalone report carries its own inline styles
            response.headers.setdefault("Content-Security-Policy", REPORT_CSP)
        elif not path.startswith("/docs") and path != "/openapi.json":
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET"],
            allow_headers=[],
        )

    app.include_router(build_router(explorer))
    app.include_router(build_years_router(explorer))
    app.include_router(build_analysis_router(explorer))

    # ---------------------------------------------------------------- pages and files
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
            return HTMLResponse(_not_found_html(str(exc)), status_code=404)
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
            return _error(404, f"no download format {fmt!r}; choose one of "
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
    app.mount("/docs-assets", StaticFiles(directory=_docs_assets()), name="docs-assets")

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
            return HTMLResponse(_not_found_html(
                "No report is served here: write one with `tipwatch report --year latest "
                "--out var/report` and start `tipwatch serve --report-dir var/report` "
                "(`make run` does both)."), status_code=404)

    from tipwatch.api.serving import MAX_IN_FLIGHT, Serving

    app.add_middleware(Serving, build_id=explorer.build_id,
                       max_in_flight=max_in_flight or MAX_IN_FLIGHT)
    return app


#: Environment variable holding the ``create_app`` arguments of ``tipwatch serve`` (JSON), so
#: that each of several worker processes builds the same application (``app_from_env``).
SERVE_ENV = "TIPWATCH_SERVE"


def app_from_env() -> FastAPI:
    """The application described by ``$TIPWATCH_SERVE`` (uvicorn's factory for workers)."""
    import json

    args = json.loads(os.environ[SERVE_ENV])
    return create_app(args.pop("db"), **args)


def _docs_assets() -> Path:
    """Swagger UI's files, shipped by the ``fastapi-offline`` package."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


def _not_found_html(message: str) -> str:
    from html import escape

    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Not found</title>"
        "<link rel='stylesheet' href='/static/style.css'></head><body><main>"
        f"<h1>Not found</h1><p class='error'>{escape(message)}</p>"
        "<p><a href='/'>Back to the map</a></p></main></body></html>"
    )

