"""Risk lookup latency: ``POST /api/risk`` with 300 names on loopback against a real server.

Starts ``tipwatch serve`` (uvicorn), sends one warm-up request (the first one computes every
profile for the store build), then ``--requests`` requests of 300 names each — every request a
different sample of spellings from the country table (names, aliases, ISO3 codes, lower case,
some unknown names) — over one keep-alive connection, and reports p50 / p99 / max. Reference in
the same run: ``GET /api`` (the smallest answer) on the same connection and the in-process
lookup of the same lists. Exits 1 when p99 exceeds 50 ms.

    .venv/bin/python benchmarks/risk.py [--db var/tipwatch.duckdb] [--requests 300]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_P99_MS = 50.0
NAMES_PER_REQUEST = 300


def spellings(seed: int, n: int) -> list[list[str]]:
    from tipwatch import countries

    rng = random.Random(seed)
    pool: list[str] = []
    for c in countries.panel_countries():
        pool += [c.name, c.iso3, c.name.lower(), *c.aliases]
    pool += ["Narnia", "Atlantis", "Ruritania", "Viet Nam", "Burma", "Ivory Coast"]
    return [[rng.choice(pool) for _ in range(NAMES_PER_REQUEST)] for _ in range(n)]


def timed(conn: http.client.HTTPConnection, method: str, path: str,
          body: bytes | None = None) -> tuple[float, int, bytes]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    t0 = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    res = conn.getresponse()
    data = res.read()
    return (time.perf_counter() - t0) * 1000, res.status, data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    sys.path.insert(0, str(HERE))
    from api import free_port, pct, start_server
    from tipwatch.analysis import risk
    from tipwatch.analysis.load import inputs
    from tipwatch.paths import db_path
    from tipwatch.store import build as store

    tmp = None
    db = db_path(args.db)
    if not db.exists():
        tmp = tempfile.TemporaryDirectory()
        db = Path(tmp.name) / "tipwatch.duckdb"
        store.build(db)
    lists = spellings(7, args.requests)
    port = free_port()
    proc = start_server(db, port, warm=False)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        first, status, _ = timed(conn, "POST", "/api/risk",
                                 json.dumps({"countries": lists[0]}).encode())
        if status != 200:
            raise SystemExit(f"warm-up request failed with HTTP {status}")
        lat, ref, sizes, errors = [], [], [], 0
        for names in lists:
            ms, status, data = timed(conn, "POST", "/api/risk",
                                     json.dumps({"countries": names}).encode())
            rows = json.loads(data)["data"] if status == 200 else []
            if status != 200 or len(rows) != len(names) or \
                    [r["input"] for r in rows] != names:
                errors += 1
            lat.append(ms)
            sizes.append(len(data))
            ref.append(timed(conn, "GET", "/api")[0])
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    inp = inputs(db)
    risk.lookup(inp, lists[0])
    inproc = []
    for names in lists:
        t0 = time.perf_counter()
        risk.lookup(inp, names)
        inproc.append((time.perf_counter() - t0) * 1000)
    p99 = pct(lat, 99)
    meets = p99 <= TARGET_P99_MS and errors == 0
    print(f"first request (computes every profile for the store build): {first:.0f} ms")
    print(f"POST /api/risk, {NAMES_PER_REQUEST} names, {len(lat)} requests, one keep-alive "
          f"connection: p50 {statistics.median(lat):.2f} ms  p99 {p99:.2f} ms  "
          f"max {max(lat):.2f} ms  answer {statistics.median(sizes) / 1024:.0f} KiB  "
          f"errors {errors}  (target p99 <= {TARGET_P99_MS:.0f} ms: "
          f"{'met' if meets else 'NOT met'})")
    print(f"reference GET /api, same connection: p50 {statistics.median(ref):.2f} ms  "
          f"p99 {pct(ref, 99):.2f} ms")
    print(f"reference in-process lookup of the same lists: p50 {statistics.median(inproc):.2f} "
          f"ms  p99 {pct(inproc, 99):.2f} ms")
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
