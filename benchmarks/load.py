"""Load benchmark: open-loop requests against a real ``tipwatch serve`` on 127.0.0.1.

Two phases over a mix of API answers, pages and ``HEAD`` requests:

1. ``--rate`` (default 500 req/s) for ``--seconds`` (default 60): every request answered
   (no error, no 503) and p99 latency <= 100 ms.
2. ``--overload-rate`` (default 2,000 req/s) for ``--overload-seconds`` (default 20): what the
   server cannot take is answered 503 within 100 ms (p99), the rest served with p99 <= 100 ms,
   and no request fails or hangs.

Memory: the resident set of the server processes (parent and workers) is sampled every second;
it must stay flat (end <= start + 10 % + 20 MB) from the end of the warm-up to the end.

Open loop: request *i* is due at ``start + i / rate`` whatever happened to earlier ones, and its
latency counts from that due time (a late send counts against the server). The load generator
runs on the same machine as the server and takes CPU from it: the figures include that cost.
Everything stays on loopback, the number of requests and connections is bounded, and the run
stops by itself (the server is stopped at the end). Exits 1 when a target is missed.

    .venv/bin/python benchmarks/load.py [--seconds 60] [--workers 2] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
MAX_CONNECTIONS = 1024  # client side: beyond this a due request counts as an error
TIMEOUT = 10.0  # seconds before a request counts as hung
P99_TARGET_MS = 100.0

ISO3 = ["MYS", "USA", "GBR", "RUS", "CHN", "IND", "BRA", "NGA", "THA", "PHL", "MEX", "DEU",
        "FRA", "ITA", "ESP", "TUR", "EGY", "KEN", "ZAF", "ARG", "COL", "PER", "VNM", "IDN",
        "PAK", "BGD", "IRN", "SAU", "ARE", "QAT", "KWT", "UKR", "POL", "ROU", "MDA", "TCD"]


def mix(rng: random.Random) -> list[tuple[str, str]]:
    """(method, path) of each request, in the proportions users send them."""
    years = [str(y) for y in range(2001, 2026)] + ["latest"]
    reqs: list[tuple[str, str]] = []
    for _ in range(4000):
        r = rng.random()
        if r < 0.30:
            path = f"/api/countries/{rng.choice(ISO3)}"
        elif r < 0.50:
            path = f"/api/tiers?year={rng.choice(years)}"
        elif r < 0.60:
            path = f"/api/changes?year={rng.choice(years)}"
        elif r < 0.65:
            path = "/api/countries"
        elif r < 0.70:
            path = "/api/years"
        elif r < 0.77:
            path = f"/api/audit?country={rng.choice(ISO3)}"
        elif r < 0.84:
            path = f"/api/facts?country={rng.choice(ISO3)}&limit=50"
        elif r < 0.90:
            path = rng.choice(["/", "/country/MYS", "/static/style.css", "/api/meta"])
        else:
            path = f"/api/tiers?year={rng.choice(years)}&format=csv"
        method = "HEAD" if rng.random() < 0.05 else "GET"
        reqs.append((method, path))
    return reqs


@dataclass
class Phase:
    name: str
    rate: float
    seconds: float
    sent: int = 0
    ok: int = 0
    shed: int = 0
    other: collections.Counter = field(default_factory=collections.Counter)
    errors: collections.Counter = field(default_factory=collections.Counter)
    lat_ok: list[float] = field(default_factory=list)
    lat_shed: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    cpu_client: float = 0.0  # CPU seconds used by this load generator during the phase
    cpu_server: float = 0.0  # CPU seconds used by the server processes during the phase


class Client:
    """A bounded pool of keep-alive HTTP/1.1 connections (raw asyncio streams: cheap)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.idle: collections.deque = collections.deque()
        self.open = 0
        self.retried = 0  # requests re-sent after the server closed an idle connection

    async def request(self, method: str, path: str) -> int:
        """One request; a kept-alive connection the server closed meanwhile (its idle timeout)
        is retried once on a new connection, as HTTP clients do for idempotent requests."""
        if self.idle:
            try:
                return await self._request(method, path, self.idle.pop())
            except (asyncio.IncompleteReadError, ConnectionResetError) as exc:
                if getattr(exc, "partial", b""):
                    raise
                self.retried += 1
        return await self._request(method, path, None)

    async def _request(self, method: str, path: str, conn: tuple | None) -> int:
        if conn is not None:
            reader, writer = conn
        else:
            if self.open >= MAX_CONNECTIONS:
                raise ConnectionError("client connection limit")
            self.open += 1
            try:
                reader, writer = await asyncio.open_connection(HOST, self.port)
            except BaseException:
                self.open -= 1
                raise
        try:
            writer.write(f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            low = head.lower()
            at = low.find(b"\r\ncontent-length:")
            length = int(low[at + 17:low.index(b"\r\n", at + 2)]) if at >= 0 else 0
            close = b"\r\nconnection: close" in low
            if method != "HEAD" and status not in (204, 304) and length:
                await reader.readexactly(length)
        except BaseException:
            self.open -= 1
            writer.close()
            raise
        if close:
            self.open -= 1
            writer.close()
        else:
            self.idle.append((reader, writer))
        return status


async def run_phase(client: Client, phase: Phase, reqs: list, rng: random.Random) -> None:
    loop = asyncio.get_running_loop()
    total = int(phase.rate * phase.seconds)
    start = loop.time()
    pending: set[asyncio.Task] = set()

    async def one(due: float, method: str, path: str) -> None:
        try:
            async with asyncio.timeout(TIMEOUT):
                status = await client.request(method, path)
        except TimeoutError:
            phase.errors["timeout"] += 1
            return
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
            phase.errors[type(exc).__name__] += 1
            return
        ms = (loop.time() - due) * 1000
        if status == 503:
            phase.shed += 1
            phase.lat_shed.append(ms)
        elif status in (200, 304):
            phase.ok += 1
            phase.lat_ok.append(ms)
        else:
            phase.other[status] += 1
            phase.lat_ok.append(ms)

    i = 0
    while i < total:
        now = loop.time()
        due_n = min(total, int((now - start) * phase.rate) + 1)
        while i < due_n:
            method, path = reqs[i % len(reqs)]
            task = loop.create_task(one(start + i / phase.rate, method, path))
            pending.add(task)
            task.add_done_callback(pending.discard)
            i += 1
            phase.sent += 1
        await asyncio.sleep(0.001)
    if pending:
        await asyncio.wait(pending, timeout=TIMEOUT + 1)
    phase.elapsed = loop.time() - start


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(q / 100 * len(s)))]


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children[ppid].append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def server_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/statm", encoding="ascii") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e6


def server_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its descendants."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/api/years", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("server did not come up")


async def sample_rss(pid: int, out: list[tuple[float, float]], stop: asyncio.Event) -> None:
    t0 = time.monotonic()
    while not stop.is_set():
        out.append((time.monotonic() - t0, server_rss_mb(pid)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


async def drive(port: int, pid: int, phases: list[Phase]) -> list[tuple[float, float]]:
    rng = random.Random(7)
    reqs = mix(rng)
    client = Client(port)
    # warm-up: every distinct request once per worker (answers are then kept by each worker)
    warm = Phase("warm-up", 200, 0)
    for method, path in dict.fromkeys(reqs):
        for _ in range(3):
            try:
                await client.request(method, path)
            except (OSError, ConnectionError, asyncio.IncompleteReadError) as exc:
                warm.errors[type(exc).__name__] += 1
    rss: list[tuple[float, float]] = []
    stop = asyncio.Event()
    sampler = asyncio.get_running_loop().create_task(sample_rss(pid, rss, stop))
    for phase in phases:
        c0, s0 = time.process_time(), server_cpu_s(pid)
        await run_phase(client, phase, reqs, rng)
        phase.cpu_client = time.process_time() - c0
        phase.cpu_server = server_cpu_s(pid) - s0
    stop.set()
    print(f"client: {client.retried} requests re-sent on a new connection after the server "
          "closed an idle kept-alive one")
    await sampler
    return rss


def report(phases: list[Phase], rss: list[tuple[float, float]], workers: int) -> bool:
    ok_all = True
    print(f"server: tipwatch serve --workers {workers} on {HOST}, load generator in the same "
          f"machine ({os.cpu_count()} cores, shared), open loop")
    print(f"{'phase':<10} {'offered/s':>9} {'sent':>7} {'served':>7} {'503':>6} {'errors':>6} "
          f"{'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'503 p99':>7}")
    for ph in phases:
        errors = sum(ph.errors.values()) + sum(ph.other.values())
        print(f"{ph.name:<10} {ph.sent / max(ph.elapsed, 1e-9):>9.0f} {ph.sent:>7} {ph.ok:>7} "
              f"{ph.shed:>6} {errors:>6} {pct(ph.lat_ok, 50):>7.1f} {pct(ph.lat_ok, 99):>7.1f} "
              f"{max(ph.lat_ok, default=0):>7.1f} {pct(ph.lat_shed, 99):>7.1f}")
        if ph.errors or ph.other:
            print(f"           errors: {dict(ph.errors)} other statuses: {dict(ph.other)}")
        print(f"           CPU over {ph.elapsed:.0f} s: load generator {ph.cpu_client:.1f} s, "
              f"server {ph.cpu_server:.1f} s (of {2 * ph.elapsed:.0f} core-seconds)")
    base, over = phases[0], phases[1:]
    checks = [
        (f"{base.name}: 0 errors", not base.errors and not base.other),
        (f"{base.name}: 0 answered 503", not base.shed),
        (f"{base.name}: p99 <= {P99_TARGET_MS:.0f} ms", pct(base.lat_ok, 99) <= P99_TARGET_MS),
    ]
    for ph in over:
        checks += [
            (f"{ph.name}: 0 errors (every request answered)", not ph.errors and not ph.other),
            (f"{ph.name}: 503 within {P99_TARGET_MS:.0f} ms (p99)",
             pct(ph.lat_shed, 99) <= P99_TARGET_MS),
            (f"{ph.name}: served p99 <= {P99_TARGET_MS:.0f} ms",
             pct(ph.lat_ok, 99) <= P99_TARGET_MS),
        ]
    if rss:
        start, end, peak = rss[0][1], rss[-1][1], max(r for _, r in rss)
        print(f"server RSS: start {start:.0f} MB, end {end:.0f} MB, max {peak:.0f} MB "
              f"({len(rss)} samples)")
        checks.append(("memory flat (end <= start + 10 % + 20 MB)", end <= start * 1.1 + 20))
    for name, passed in checks:
        print(f"  [{'ok' if passed else 'MISS'}] {name}")
        ok_all &= passed
    return ok_all


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--rate", type=float, default=500.0)
    ap.add_argument("--overload-rate", type=float, default=2000.0)
    ap.add_argument("--overload-seconds", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=0, help="0: the number of cores")
    ap.add_argument("--db", type=Path, default=None, help="a built store (default: build one)")
    args = ap.parse_args(argv)
    if not (0 < args.seconds <= 600 and 0 < args.overload_seconds <= 600
            and 0 < args.rate <= 5000 and 0 < args.overload_rate <= 5000):
        ap.error("seconds must be in (0, 600] and rates in (0, 5000]")
    workers = args.workers or len(os.sched_getaffinity(0))
    root = Path(__file__).resolve().parent.parent
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="tipwatch-load-") as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "tipwatch.duckdb"
            subprocess.run([python, "-m", "tipwatch.cli", "build", "--db", str(db)],
                           cwd=root, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        proc = subprocess.Popen(
            [python, "-m", "tipwatch.cli", "serve", "--host", HOST, "--port", str(port),
             "--db", str(db), "--workers", str(workers)],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_ready(f"http://{HOST}:{port}", proc)
            phases = [Phase(f"{args.rate:.0f}/s", args.rate, args.seconds),
                      Phase(f"{args.overload_rate:.0f}/s", args.overload_rate,
                            args.overload_seconds)]
            try:
                import uvloop

                uvloop.install()
            except ImportError:  # pragma: no cover - uvloop is a dependency
                pass
            rss = asyncio.run(drive(port, proc.pid, phases))
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    return 0 if report(phases, rss, workers) else 1


if __name__ == "__main__":
    sys.exit(main())
