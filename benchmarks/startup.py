"""CLI start-up: ``tipwatch --help`` and ``tipwatch tiers --year 2023`` against a bare interpreter.

    .venv/bin/python benchmarks/startup.py [--runs 21] [--db var/tipwatch.duckdb]

Every command is timed in the same run, interleaved (one of each per round), and the medians
compared, so a busy machine slows the reference as much as the commands. Targets: ``--help`` at
most 3x and ``tiers`` (table and JSON) at most 5x a bare ``python -c pass``, in wall time. The
CPU time of each command (user + system, from ``getrusage(RUSAGE_CHILDREN)``) is compared the
same way: on a machine shared with other work it holds better than wall time. The typer path
(``TIPWATCH_FASTPATH=0``) and the libraries' own import costs are timed alongside for reference.
A store without a current tiers cache (built by older code) is replaced by a fresh build in a
temporary folder, so the figures are those of the fast path.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = {"--help": 3.0, "tiers --year 2023": 5.0, "tiers --year 2023 -f json": 5.0}


def _tipwatch() -> list[str]:
    script = BIN / "tipwatch"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tipwatch.cli"]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``cmd``."""
    cpu = _cpu()
    start = time.perf_counter()
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                         cwd=REPO, check=False)
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {res.stderr.decode(errors='replace')}")
    return elapsed, _cpu() - cpu


def _has_cache(db: Path) -> bool:
    sys.path.insert(0, str(REPO / "src"))
    from tipwatch.store.tiers_cache import read

    return read(str(db), "2023") is not None


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
        if not db.exists() or not _has_cache(db):
            print(f"{db}: no store with a current tiers cache; building one in {tmp}")
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
            "tiers --year 2023 -f json": [*_tipwatch(), "tiers", "--year", "2023", "-f", "json",
                                          "--db", str(db)],
            "typer path: --help": [*_tipwatch(), "--help"],
            "typer path: tiers": [*_tipwatch(), "tiers", "--year", "2023", "--db", str(db)],
        }
        envs = {name: env for name in commands}
        for name in ("typer path: --help", "typer path: tiers"):
            envs[name] = {**env, "TIPWATCH_FASTPATH": "0"}
        if args.compare is not None:
            old = [sys.executable, "-m", "tipwatch.cli"]
            commands["compared: --help"] = [*old, "--help"]
            commands["compared: tiers --year 2023"] = [*old, "tiers", "--year", "2023",
                                                       "--db", str(db)]
            for name in ("compared: --help", "compared: tiers --year 2023"):
                envs[name] = {**env, "PYTHONPATH": str(args.compare.resolve())}
        for name, cmd in commands.items():  # warm the file cache and the .pyc files
            _time(cmd, envs[name])
        load = os.getloadavg()
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                w, c = _time(cmd, envs[name])
                wall[name].append(w)
                cpu[name].append(c)
    med = {name: statistics.median(ts) for name, ts in wall.items()}
    med_cpu = {name: statistics.median(ts) for name, ts in cpu.items()}
    bare, bare_cpu = med["python -c pass"], med_cpu["python -c pass"]

    def line(label: str, name: str, note: str) -> str:
        return (f"{label:<34} {med[name] * 1000:7.1f} ms {med[name] / bare:5.1f}x   cpu "
                f"{med_cpu[name] * 1000:6.1f} ms {med_cpu[name] / bare_cpu:5.1f}x  {note}")

    print(f"CLI start-up, median of {args.runs} interleaved runs, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} cores)")
    print(line("python -c pass", "python -c pass", "(reference)"))
    for name in [n for n in med if n.startswith(("floor:", "compared:", "typer path:"))]:
        what = ("libraries only" if name.startswith("floor") else "TIPWATCH_FASTPATH=0"
                if name.startswith("typer") else str(args.compare))
        print(line(name, name, f"({what})"))
    missed = []
    for name, target in TARGETS.items():
        ratio = med[name] / bare
        ok = ratio <= target
        if not ok:
            missed.append(name)
        print(line(f"tipwatch {name}", name,
                   f"(target <= {target:.0f}x: {'met' if ok else 'NOT met'})"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
