"""Benchmark: store build time and in-process latency of the tiers / country queries.

Prints one line per figure. Run: ``.venv/bin/python benchmarks/panel.py``.
"""

from __future__ import annotations

import platform
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from tipwatch.store import build as store
from tipwatch.store import reader as queries


def _median_ms(fn, n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.99 * (len(samples) - 1))]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    import os

    print(
        f"machine: {cpu_model()}, {os.cpu_count()} cores, python "
        f"{platform.python_version()}, duckdb {duckdb.__version__}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        builds = []
        for _ in range(5):
            t = time.perf_counter()
            report = store.build(db)
            builds.append(time.perf_counter() - t)
        print(
            f"build: median {statistics.median(builds):.2f} s over 5 builds "
            f"({report.tables.get('placements')} placements, {len(report.tables)} tables)"
        )
        con = duckdb.connect(str(db), read_only=True)
        years = [r["year"] for r in queries.years(con)]
        isos = [r[0] for r in con.execute("SELECT DISTINCT iso3 FROM placements").fetchall()]
        i = iter(range(10**9))
        med, p99 = _median_ms(lambda: queries.tiers(con, years[next(i) % len(years)]), 300)
        print(f"tiers --year Y: median {med:.2f} ms, p99 {p99:.2f} ms (300 queries)")
        j = iter(range(10**9))
        med, p99 = _median_ms(lambda: queries.country_history(con, isos[next(j) % len(isos)]), 300)
        print(f"country NAME: median {med:.2f} ms, p99 {p99:.2f} ms (300 queries)")
        med, p99 = _median_ms(lambda: queries.changes(con, 2024), 100)
        print(f"changes --year 2024: median {med:.2f} ms, p99 {p99:.2f} ms (100 queries)")
        con.close()


if __name__ == "__main__":
    main()
