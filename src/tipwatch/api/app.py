"""The explorer's web application: JSON/CSV API, static pages, bundled map shapes, downloads.

``create_app(db_path)`` opens the store read-only once (:class:`~tipwatch.api.explorer.Explorer`)
and passes it to each router; each request works on its own cursor. The store does not change
while it is served, so rendered answers are cached per request key. The pieces:

* :mod:`.explorer` — the served store, its cache and the provenance of every answer;
* :mod:`.routes`, :mod:`.years_routes`, :mod:`.analysis_routes` — the API routers;
* :mod:`.pages` — the pages, static files, downloads, ``/docs`` and ``/report/``;
* :mod:`.handlers` — one-line JSON errors and security headers; :mod:`.serving` — HEAD,
  ETags, load shedding and bounded requests.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import AsyncIterator

from fastapi import FastAPI

from tipwatch.api.analysis_routes import build_analysis_router
from tipwatch.api.explorer import LICENCE, SOURCE, Explorer, version_str
from tipwatch.api.handlers import add_error_handlers, add_security_headers
from tipwatch.api.pages import add_pages
from tipwatch.api.routes import build_router
from tipwatch.api.routes import warm as warm_answers
from tipwatch.api.years_routes import build_years_router
from tipwatch.paths import db_path as default_db_path

__all__ = ["LICENCE", "SERVE_ENV", "SOURCE", "Explorer", "app_from_env", "create_app"]

DESCRIPTION = (
    "Read-only API over the Trafficking in Persons Report tier panel, the audit of "
    "each placement against the law, and the facts extracted from the narratives. "
    "Every JSON answer carries `meta` with its sources and licence."
)


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    if app.state.warm:  # answer every default request from memory from the first one on
        warm_answers(app.state.explorer)
    # What start-up built (the store's answers, the libraries) lives as long as the server:
    # collected once and frozen, so the collector never walks it again. A full collection over
    # it took 0.5 s and held every request of that moment (the load shedding answered 503).
    gc.collect()
    gc.freeze()
    yield
    app.state.explorer.close()


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
    explorer = Explorer(default_db_path(db_path))
    app = FastAPI(
        title="tipwatch explorer API", version=version_str(), description=DESCRIPTION,
        docs_url=None,  # served by pages from local files: the stock page loads a CDN
        redoc_url=None, lifespan=_lifespan,
    )
    app.state.explorer = explorer
    app.state.warm = warm
    add_error_handlers(app)
    add_security_headers(app)
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET"],
            allow_headers=[],
        )
    for build in (build_router, build_years_router, build_analysis_router):
        app.include_router(build(explorer))
    add_pages(app, explorer, report_dir)

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
