"""Engine benchmark: every fact kind over the 815 texts, beside a one-kind n-gram reference.

In one run, on one core, over the same texts (the 2018 narratives and every Factbook text,
already read into memory):

* the reference: a pure-Python token n-gram lookup of the country table's names (one fact
  kind: which countries a text names), the simplest matcher one would write;
* the engine: :func:`tipwatch.extract.extract`, all kinds.

Targets: the engine reads >= 1,000 narratives/s and is >= 3x the reference. Times are CPU
seconds of this process (``time.process_time``), so that other work on the machine does not
count; wall seconds are printed beside them. Each side is run ``--repeat`` times and the best
run counts (the first run of the engine also compiles its patterns; it is printed too).

    .venv/bin/python benchmarks/engine.py [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tipwatch.paths import DATA_DIR

TARGET_PER_S = 1000.0
TARGET_RATIO = 3.0
_TOKEN = re.compile(r"[a-z0-9]+")


_ALL_CPUS: set[int] = set()


def _one_core() -> str:
    try:
        _ALL_CPUS.update(os.sched_getaffinity(0))
        cpu = min(_ALL_CPUS)
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return "not pinned"


def country_ngrams() -> tuple[dict[tuple[str, ...], str], int]:
    """The country table's names and aliases as token tuples -> ISO3."""
    table: dict[tuple[str, ...], str] = {}
    with open(DATA_DIR / "countries.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names = [row["name"], *(a for a in (row.get("aliases") or "").split("|") if a)]
            for name in names:
                key = tuple(_TOKEN.findall(name.lower()))
                if key:
                    table.setdefault(key, row["iso3"])
    return table, max(len(k) for k in table)


def reference(texts: list[str], table: dict[tuple[str, ...], str], longest: int) -> int:
    """Country names found by n-gram lookup (longest first at each token); returns the count."""
    found = 0
    for text in texts:
        tokens = _TOKEN.findall(text.lower())
        i, n = 0, len(tokens)
        while i < n:
            for k in range(min(longest, n - i), 0, -1):
                if tuple(tokens[i : i + k]) in table:
                    found += 1
                    i += k
                    break
            else:
                i += 1
    return found


def _timed(fn, repeat: int) -> tuple[float, float, float, object]:
    """(best CPU s, wall s of that run, first CPU s, result)."""
    best = first = float("inf")
    wall = 0.0
    result = None
    for i in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        result = fn()
        c, w = time.process_time() - c0, time.perf_counter() - w0
        if i == 0:
            first = c
        if c < best:
            best, wall = c, w
    return best, wall, first, result


def _child_run(args: list[str], all_cores: bool = False) -> tuple[float, float]:
    """(CPU s, wall s) of one command run to completion (on this process's core, or on all
    cores the machine gave it)."""

    def unpin() -> None:
        if all_cores and _ALL_CPUS:
            os.sched_setaffinity(0, _ALL_CPUS)

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    w0 = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, preexec_fn=unpin)
    wall = time.perf_counter() - w0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def _cli(ref_per_doc: float, n_docs: int) -> dict:
    """``tipwatch ingest`` of the 2018 set and the Factbook texts into a fresh corpus."""
    from tipwatch.ingest import factbook, tip2018

    script = Path(sys.executable).with_name("tipwatch")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "tipwatch.cli"]
    files = [
        str(tip2018.default_path() / tip2018.FLAT_CSV),
        str(factbook.default_path()),
    ]
    start_cpu, start_wall = min(_child_run([*cmd, "--help"]) for _ in range(3))
    with tempfile.TemporaryDirectory() as tmp:
        cpu1, _w1 = _child_run([*cmd, "ingest", *files, "--corpus", f"{tmp}/a.duckdb", "-j", "1"])
        _c0, wall0 = _child_run(
            [*cmd, "ingest", *files, "--corpus", f"{tmp}/b.duckdb", "-j", "0"], all_cores=True
        )
    net = max(cpu1 - start_cpu, 1e-6)
    return {
        "startup_cpu_s": round(start_cpu, 3),
        "startup_wall_s": round(start_wall, 3),
        "jobs1_cpu_s": round(net, 3),
        "jobs0_wall_s": round(wall0 - start_wall, 3),
        "narratives_per_s": round(n_docs / net, 1),
        "ratio": round(ref_per_doc * n_docs / net, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    pinned = _one_core()

    from tipwatch.extract import extract
    from tipwatch.ingest import load_factbook, load_tip2018

    narratives = list(load_tip2018()) + list(load_factbook())
    texts = [n.text for n in narratives]
    n_docs = len(narratives)
    table, longest = country_ngrams()

    ref_s, ref_wall, _ref_first, ref_found = _timed(
        lambda: reference(texts, table, longest), args.repeat
    )
    eng_s, eng_wall, eng_first, facts = _timed(
        lambda: sum(len(extract(n)) for n in narratives), args.repeat
    )
    out = {
        "cpu": pinned,
        "narratives": n_docs,
        "megabytes": round(sum(len(t.encode("utf-8")) for t in texts) / 1e6, 3),
        "reference": {
            "what": "token n-gram lookup of the country table's names (one kind)",
            "cpu_s": round(ref_s, 3),
            "wall_s": round(ref_wall, 3),
            "narratives_per_s": round(n_docs / ref_s, 1),
            "names_found": ref_found,
        },
        "engine": {
            "what": "tipwatch.extract.extract, all kinds",
            "cpu_s": round(eng_s, 3),
            "wall_s": round(eng_wall, 3),
            "first_run_cpu_s": round(eng_first, 3),
            "narratives_per_s": round(n_docs / eng_s, 1),
            "facts": facts,
        },
        "ratio": round(ref_s / eng_s, 2),
        "targets": {"narratives_per_s": TARGET_PER_S, "ratio": TARGET_RATIO},
    }
    out["cli"] = _cli(ref_s / n_docs, n_docs)
    ok = n_docs / eng_s >= TARGET_PER_S and ref_s / eng_s >= TARGET_RATIO
    ok = ok and out["cli"]["ratio"] >= 1.0
    out["meets_targets"] = ok
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        r, e = out["reference"], out["engine"]
        print(f"== engine vs reference, {n_docs} narratives, {out['megabytes']} MB ({pinned})")
        print(
            f"   reference (n-gram, country names only): {r['cpu_s']} s CPU "
            f"({r['wall_s']} s wall), {r['narratives_per_s']} narratives/s"
        )
        print(
            f"   engine (all kinds):                     {e['cpu_s']} s CPU "
            f"({e['wall_s']} s wall), {e['narratives_per_s']} narratives/s "
            f"(first run {e['first_run_cpu_s']} s)"
        )
        print(
            f"   engine / reference: {out['ratio']}x (target >= {TARGET_RATIO}x); "
            f"{e['narratives_per_s']} narratives/s (target >= {TARGET_PER_S:.0f})"
        )
        c = out["cli"]
        print(
            f"   CLI ingest of both sets into a fresh corpus, start-up ({c['startup_cpu_s']} s "
            f"CPU) subtracted: --jobs 1 {c['jobs1_cpu_s']} s CPU = {c['narratives_per_s']} "
            f"narratives/s, {c['ratio']}x the reference (target >= 1x); --jobs 0 "
            f"{c['jobs0_wall_s']} s wall (start-up {c['startup_wall_s']} s wall)"
        )
        print(f"   {'ok' if ok else 'MISS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
