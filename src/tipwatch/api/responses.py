"""How answers are written: compact JSON, CSV with the source and licence headers, errors.

Every router and page of the explorer writes its answers through these, so the bytes of an
answer do not depend on which router served it.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse, Response

from tipwatch.api.explorer import LICENCE, SOURCE
from tipwatch.output import to_csv


def json_response(payload: Any) -> Response:
    """``payload`` as compact UTF-8 JSON (values JSON does not know written as text)."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(body.encode("utf-8"), media_type="application/json")


def csv_response(rows: list[dict[str, Any]], columns: list[str] | None, name: str) -> Response:
    """``rows`` as CSV (``columns``, or the first row's keys), named ``<name>.csv``."""
    if columns is None:
        columns = list(rows[0]) if rows else []
    return Response(
        to_csv(rows, columns).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'inline; filename="{name}.csv"',
            "X-Source": SOURCE,
            "X-Licence": LICENCE,
        },
    )


def error_response(status: int, message: str) -> JSONResponse:
    """``{"detail": message, "status": status}``: the one-line error of every route."""
    return JSONResponse({"detail": message, "status": status}, status_code=status)
