"""Errors as one-line JSON and the security headers of every answer.

Bad parameters answer 422 (malformed) or 404 (unknown year/country) with a one-line message;
nothing raises through to a 500 with a traceback.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from tipwatch.api.responses import error_response
from tipwatch.errors import BadInputError, TipwatchError, UnknownCountryError, UnknownYearError

# Content Security Policy: everything comes from this server, nothing from the network.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

REPORT_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def validation_message(exc: RequestValidationError) -> str:
    """The validation errors of one request as one line: ``parameter 'year': ...``."""
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        where = ".".join(loc) or "request"
        parts.append(f"parameter {where!r}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def add_error_handlers(app: FastAPI) -> None:
    """Every failure answers ``{"detail": "one line", "status": N}``."""

    @app.exception_handler(RequestValidationError)
    async def _on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, validation_message(exc))

    @app.exception_handler(UnknownYearError)
    @app.exception_handler(UnknownCountryError)
    async def _on_unknown(_: Request, exc: TipwatchError) -> JSONResponse:
        return error_response(404, str(exc))

    @app.exception_handler(BadInputError)
    async def _on_bad(_: Request, exc: TipwatchError) -> JSONResponse:
        return error_response(422, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _on_http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _on_crash(_: Request, exc: Exception) -> JSONResponse:  # pragma: no cover
        return error_response(500, f"internal error: {type(exc).__name__}")


def add_security_headers(app: FastAPI) -> None:
    """``nosniff``, no referrer, and the CSP of the explorer (or of the standalone report)."""

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
