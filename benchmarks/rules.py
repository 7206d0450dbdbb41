"""Benchmark the rules area: audit of the whole bundled panel, and place() calls per second.

Run: ``.venv/bin/python benchmarks/rules.py``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import random
import statistics
import time

from tipwatch.panel import load_placements
from tipwatch.rules.assessment import Assessment
from tipwatch.rules.audit import audit
from tipwatch.rules.law import load_law
from tipwatch.rules.place import place


def bench_audit(repeats: int = 7) -> None:
    law = load_law()
    rows = load_placements().to_dict("records")
    audit(rows, law)  # warm the caches (law resolution, published lists)
    times = []
    events = []
    for _ in range(repeats):
        start = time.perf_counter()
        events = audit(rows, law)
        times.append(time.perf_counter() - start)
    countries = len({r["iso3"] for r in rows})
    print(f"audit of the whole panel: {len(rows)} placements, {countries} countries, "
          f"{len(events)} events")
    print(f"  median {statistics.median(times) * 1000:.1f} ms, best {min(times) * 1000:.1f} ms "
          f"over {repeats} runs (target: well under 1 s)")


def bench_place(n: int = 20000) -> None:
    law = load_law()
    rng = random.Random(7)
    rows = load_placements().to_dict("records")
    by_iso: dict[str, dict[int, str]] = {}
    for r in rows:
        by_iso.setdefault(r["iso3"], {})[int(r["year"])] = str(r["tier"])
    histories = list(by_iso.values())
    cases = []
    for _ in range(500):
        year = rng.randint(law.first_year, law.latest_year)
        a = Assessment(
            country="Testland", report_year=year, fully_complies=rng.random() < 0.2,
            significant_efforts=rng.random() < 0.8, increasing_efforts=rng.random() < 0.5,
            victims_very_significant_or_increasing=rng.random() < 0.3,
            waiver={"written_plan": True, "plan_would_be_significant_efforts": True,
                    "sufficient_resources": True, "granted": rng.random() < 0.5},
        )
        hist = {y: t for y, t in rng.choice(histories).items() if y < year}
        cases.append((a, hist))
    for a, hist in cases:
        place(a, hist, law)
    start = time.perf_counter()
    for i in range(n):
        a, hist = cases[i % len(cases)]
        place(a, hist, law)
    elapsed = time.perf_counter() - start
    print(f"place(): {n} calls with real panel histories in {elapsed:.2f} s = "
          f"{n / elapsed:,.0f} calls/s")


if __name__ == "__main__":
    bench_audit()
    bench_place()
