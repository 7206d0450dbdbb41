"""CLI start-up: ``tipwatch --help`` and ``tipwatch tiers --year 2023`` against a bare interpreter.

    .venv/bin/python benchmarks/startup.py [--runs 21] [--db var/tipwatch.duckdb]

All three commands are timed in the same run, interleaved (one of each per round), and the
medians compared, so a busy machine slows the reference as much as the commands. Targets:
``--help`` at most 3x and ``tiers`` at most 5x a bare ``python -c pass``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = {"--help": 3.0, "tiers --year 2023": 5.0}


def _tipwatch() -> list[str]:
    script = BIN / "tipwatch"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tipwatch.cli"]


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                         cwd=REPO, check=False)
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {res.stderr.decode(errors='replace')}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21, help="rounds (median of each command)")
    ap.add_argument("--db", type=Path, default=None, help="store (default: var/tipwatch.duckdb)")
    ap.add_argument("--compare", type=Path, default=None, metavar="SRC",
                    help="also time another checkout's src/ folder (e.g. an older version)")
    args = ap.parse_args(argv)
    env = {**os.environ, "TIPWATCH_PROGRESS": "0", "COLUMNS": "100"}
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(os.environ.get("TIPWATCH_DB", REPO / "var" / "tipwatch.duckdb"))
        if not db.exists():
            db = Path(tmp) / "tipwatch.duckdb"
            subprocess.run([*_tipwatch(), "build", "--db", str(db)], check=True, env=env,
                           stdout=subprocess.DEVNULL)
        floor_tiers = ("import typer, pydantic, duckdb; "
                       f"duckdb.connect({str(db)!r}, read_only=True).close()")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            # what the libraries alone cost: typer (and the pydantic it uses to coerce
            # options), duckdb opening the store; no command can start faster than these
            "floor: import typer": [sys.executable, "-c", "import typer"],
            "floor: typer+duckdb open": [sys.executable, "-c", floor_tiers],
            "--help": [*_tipwatch(), "--help"],
            "tiers --year 2023": [*_tipwatch(), "tiers", "--year", "2023", "--db", str(db)],
        }
        envs = {name: env for name in commands}
        if args.compare is not None:
            old = [sys.executable, "-m", "tipwatch.cli"]
            commands["compared: --help"] = [*old, "--help"]
            commands["compared: tiers --year 2023"] = [*old, "tiers", "--year", "2023",
                                                       "--db", str(db)]
            for name in ("compared: --help", "compared: tiers --year 2023"):
                envs[name] = {**env, "PYTHONPATH": str(args.compare.resolve())}
        for name, cmd in commands.items():  # warm the file cache and the .pyc files
            _time(cmd, envs[name])
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(_time(cmd, envs[name]))
    med = {name: statistics.median(ts) for name, ts in times.items()}
    bare = med["python -c pass"]
    print(f"CLI start-up, median of {args.runs} interleaved runs")
    print(f"{'python -c pass':<27} {bare * 1000:7.1f} ms   1.0x  (reference)")
    for name in [n for n in med if n.startswith(("floor:", "compared:"))]:
        what = "libraries only" if name.startswith("floor") else str(args.compare)
        print(f"{name:<27} {med[name] * 1000:7.1f} ms  {med[name] / bare:4.1f}x  ({what})")
    missed = []
    for name, target in TARGETS.items():
        ratio = med[name] / bare
        ok = ratio <= target
        if not ok:
            missed.append(name)
        print(f"tipwatch {name:<18} {med[name] * 1000:7.1f} ms  {ratio:4.1f}x  "
              f"(target <= {target:.0f}x: {'met' if ok else 'NOT met'})")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
