"""The routes an explorer application answers, as ``(METHOD, path)`` pairs, for the house tests.

Walks ``app.routes``, into included routers (FastAPI keeps them nested) and mounts: a mount at
``/static`` is written ``GET /static/{file}`` (it serves the files under it). ``HEAD`` is left
out: every GET route answers it (:mod:`tipwatch.api.serving`), which docs/api.md says once.
Path parameters are compared by position, not name (``{ident}`` and ``{iso3}`` are one route).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from starlette.routing import Mount


def routes(app_routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for route in app_routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:  # an included router (FastAPI 0.16x keeps them nested)
            context = getattr(route, "include_context", None)
            yield from routes(inner.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, Mount):
            yield "GET", prefix + route.path + "/{file}"
        else:
            for method in sorted(getattr(route, "methods", None) or ()):
                if method != "HEAD":
                    yield method, prefix + route.path


def shape(path: str) -> str:
    """``/api/countries/{ident}`` -> ``/api/countries/{}``: parameters by position only."""
    return re.sub(r"\{[^}]*\}", "{}", path)
