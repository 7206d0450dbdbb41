"""Fingerprint every kind of explorer answer, to compare the API before and after a change.

    .venv/bin/python scripts/api_fingerprint.py --db var/tipwatch.duckdb --out before.json
    (change the code)
    .venv/bin/python scripts/api_fingerprint.py --db var/tipwatch.duckdb --out after.json
    cmp before.json after.json

Asks the application in-process (no server) for each route with typical and bad parameters,
as GET, HEAD and GET with ``If-None-Match``, with and without a report folder and CORS, plus
``POST /api/risk`` bodies (JSON, CSV, too large, wrong type); records status, every header and
the SHA-256 of the body. Two runs over the same store file from the same checkout give the
same output (static files' ``Last-Modified`` and ``ETag`` follow the files' times, and quoted
narrative text comes from the research folder: compare runs in one place, e.g. before and
after a commit in one worktree).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

PATHS = [
    "/api", "/api/meta", "/api/years", "/api/years?format=csv", "/api/tiers",
    "/api/tiers?year=2012&format=csv", "/api/tiers?year=2015&tier=2WL&region=AF",
    "/api/tiers?year=1999", "/api/tiers?year=20x1", "/api/countries", "/api/countries?format=csv",
    "/api/countries/MMR", "/api/countries/burma?facts_limit=3", "/api/countries/Atlantis",
    "/api/changes?year=2012", "/api/changes?year=2012&format=csv", "/api/audit?year=2012",
    "/api/audit?event=waiver&format=csv", "/api/facts?country=NGA&limit=5",
    "/api/flows?year=2018", "/api/conflicts", "/api/corpus", "/api/countries/NGA/series",
    "/api/countries/NGA/series?format=csv", "/api/countries/NGA/recommendations",
    "/api/consistency?year=2012", "/api/countries/MMR/consistency",
    "/api/forecast/backtest?from=2020", "/api/countries/MMR/forecast", "/api/forecast?format=csv",
    "/", "/country/MMR", "/country/NOPE", "/favicon.ico", "/shapes/world.json", "/static/map.js",
    "/static/%2e%2e/app.py", "/downloads/panel.csv", "/downloads/panel.exe", "/docs",
    "/openapi.json", "/report/", "/report/.hidden", "/docs-assets/swagger-ui.css", "/nope",
]
RISK_BODIES = [
    (b'{"countries":["Burma","Atlantis"]}', "application/json"), (b"name\nBurma\n", "text/csv"),
    (b"x" * 70000, "application/json"), (b"x", "application/xml"),
]


def _row(kind: str, what: str, res: Any) -> list:
    headers = sorted((k, v) for k, v in res.headers.items() if k != "date")
    return [kind, what, res.status_code, headers, hashlib.sha256(res.content).hexdigest()]


def fingerprint(client: Any) -> list[list]:
    out = []
    for path in PATHS:
        for method in ("GET", "HEAD"):
            res = client.request(method, path)
            out.append(_row(method, path, res))
            if method == "GET" and "etag" in res.headers:
                again = client.get(path, headers={"If-None-Match": res.headers["etag"]})
                out.append(_row("GET If-None-Match", path, again))
    for body, kind in RISK_BODIES:
        res = client.post("/api/risk", content=body, headers={"content-type": kind})
        out.append(_row("POST", f"/api/risk {kind} {len(body)} bytes", res))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a built store")
    ap.add_argument("--out", type=Path, required=True, help="JSON file to write")
    args = ap.parse_args(argv)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from fastapi.testclient import TestClient

    from tipwatch.api.app import create_app

    result: dict[str, Any] = {}
    with TestClient(create_app(args.db)) as client:
        result["plain"] = fingerprint(client)
    with tempfile.TemporaryDirectory() as report:
        (Path(report) / "index.html").write_text("<!doctype html><title>r</title>")
        origin = "http://example.org"
        with TestClient(create_app(args.db, report_dir=report, cors_origins=[origin])) as client:
            result["report and CORS"] = fingerprint(client)
            res = client.get("/api/years", headers={"Origin": origin})
            result["CORS"] = _row("GET Origin", "/api/years", res)
    args.out.write_text(json.dumps(result, indent=0) + "\n", encoding="utf-8")
    print(f"{sum(len(v) for v in result.values())} answers fingerprinted into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
