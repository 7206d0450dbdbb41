"""API latency and throughput on loopback against a real ``tipwatch serve`` (uvicorn).

For ``/api/countries/{iso3}`` (cycling over every ranked country) and ``/api/tiers`` (cycling
over every report year), an open-loop load generator sends requests at a fixed rate (default
200 req/s) from a bounded pool of keep-alive connections and records each request's latency
from its *scheduled* send time (so queueing delays count). Then a closed-loop run measures the
most requests/s a few connections get. Prints p50 / p99 / max latency and requests/s.

    .venv/bin/python benchmarks/api.py [--db var/tipwatch.duckdb] [--rate 200] [--seconds 10]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import queue
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_P99_MS = 50.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, warm: bool = True) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tipwatch.cli", "serve", "--port", str(port), "--db", str(db),
         "--warm" if warm else "--no-warm"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def open_loop(port: int, paths: list[str], rate: float, seconds: float,
              workers: int) -> dict[str, float]:
    """Send ``rate`` req/s for ``seconds``; latency counted from each scheduled send time."""
    jobs: queue.Queue[tuple[float, str] | None] = queue.Queue()
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            job = jobs.get()
            if job is None:
                break
            scheduled, path = job
            try:
                conn.request("GET", path)
                res = conn.getresponse()
                res.read()
                ok = res.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            done = time.perf_counter()
            with lock:
                latencies.append((done - scheduled) * 1000)
                if not ok:
                    errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    n = int(rate * seconds)
    start = time.perf_counter()
    for i, path in zip(range(n), itertools.cycle(paths), strict=False):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        jobs.put((scheduled, path))
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {
        "requests": n, "errors": errors[0], "rps": n / elapsed,
        "p50": statistics.median(latencies), "p99": pct(latencies, 99),
        "max": max(latencies),
    }


def closed_loop(port: int, paths: list[str], seconds: float, conns: int) -> float:
    """Requests/s with ``conns`` connections each sending the next request at once."""
    count = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        for path in itertools.islice(itertools.cycle(paths), offset, None):
            if time.perf_counter() >= stop:
                break
            conn.request("GET", path)
            conn.getresponse().read()
            n += 1
        conn.close()
        with lock:
            count[0] += n

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i * 7,)) for i in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count[0] / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=None, help="store (default: var/tipwatch.duckdb)")
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=16)
    args = ap.parse_args(argv)

    sys.path.insert(0, str(REPO / "src"))
    from tipwatch.paths import db_path
    from tipwatch.store import build as store

    tmp = None
    db = db_path(args.db)
    if not db.exists():
        tmp = tempfile.TemporaryDirectory()
        db = Path(tmp.name) / "tipwatch.duckdb"
        store.build(db)
    con = store.connect(db)
    iso3s = [r[0] for r in con.execute("SELECT DISTINCT iso3 FROM placements ORDER BY 1")
             .fetchall()]
    years = [r[0] for r in con.execute("SELECT year FROM years ORDER BY 1").fetchall()]
    con.close()

    port = free_port()
    t0 = time.perf_counter()
    proc = start_server(db, port)
    print(f"server ready (store opened, every country and year precomputed) in "
          f"{time.perf_counter() - t0:.1f} s")
    print(f"API on loopback, uvicorn single process, {os.cpu_count()} CPUs; "
          f"open loop at {args.rate:.0f} req/s for {args.seconds:.0f} s, "
          f"{args.workers} keep-alive connections; latency from scheduled send time")
    ok = True
    try:
        suites = {
            "/api/countries/{iso3}": [f"/api/countries/{i}" for i in iso3s],
            "/api/tiers?year=": [f"/api/tiers?year={y}" for y in years],
        }
        for name, paths in suites.items():
            res = open_loop(port, paths, args.rate, args.seconds, args.workers)
            meets = res["p99"] < TARGET_P99_MS and res["errors"] == 0
            ok &= meets
            print(f"{name:24s} {res['requests']:5d} req  {res['rps']:6.1f} req/s  "
                  f"p50 {res['p50']:6.2f} ms  p99 {res['p99']:6.2f} ms  "
                  f"max {res['max']:7.2f} ms  errors {res['errors']}  "
                  f"(target p99 < {TARGET_P99_MS:.0f} ms: {'met' if meets else 'NOT met'})")
        for name, paths in suites.items():
            rps = closed_loop(port, paths, min(5.0, args.seconds), conns=4)
            print(f"{name:24s} closed loop, 4 connections: {rps:7.1f} req/s")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    # the same load on a server that computes each answer on first request (--no-warm)
    port = free_port()
    proc = start_server(db, port, warm=False)
    try:
        paths = [f"/api/countries/{i}" for i in iso3s]
        res = open_loop(port, paths, args.rate, len(paths) / args.rate, args.workers)
        print(f"{'cold /api/countries/{iso3}':24s} {res['requests']:5d} req  {res['rps']:6.1f} "
              f"req/s  p50 {res['p50']:6.2f} ms  p99 {res['p99']:6.2f} ms  "
              f"max {res['max']:7.2f} ms  (--no-warm: every request is a first request)")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if tmp is not None:
            tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
