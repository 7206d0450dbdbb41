"""Draw a batch of 2018 narratives for law-enforcement labels, reproducibly.

The rule: every 2018 narrative of the research folder's flat file
(``../shared/data/narratives/tip2018_teomotun/tip2018_country_narratives_flat.csv``) whose
PROSECUTION section is not empty and whose document is not labelled anywhere in
``tests/devset/`` (any sub-folder) nor named with ``--exclude`` (narratives whose extracted
figures were already read, e.g. in a review of what a rule change added or removed), sorted by
ISO3 code, then ``random.Random(seed).sample`` of ``size`` of them. Prints the ISO3 codes in
draw order.

    .venv/bin/python scripts/draw_lawenf_batch.py --seed 20261202 --size 12 [--exclude A,B]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAT = "data/narratives/tip2018_teomotun/tip2018_country_narratives_flat.csv"


def labelled_iso3(devset: Path) -> set[str]:
    """ISO3 codes of every 2018 narrative with a label file anywhere under ``devset``."""
    return {p.stem.split("_", 1)[1] for p in devset.rglob("tip2018_*.yaml")}


def candidates(flat: Path, devset: Path, exclude: frozenset[str] = frozenset()) -> list[str]:
    taken = labelled_iso3(devset) | exclude
    csv.field_size_limit(sys.maxsize)
    with flat.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return sorted(
        r["iso3"]
        for r in rows
        if r["iso3"] and r["iso3"] not in taken and (r.get("prosecutions") or "").strip()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--size", type=int, default=12)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--exclude", default="", help="comma-separated ISO3 codes to leave out")
    args = parser.parse_args(argv)
    exclude = frozenset(c.strip().upper() for c in args.exclude.split(",") if c.strip())
    pool = candidates(args.shared / FLAT, ROOT / "tests" / "devset", exclude)
    if len(pool) < args.size:
        print(f"only {len(pool)} unlabelled narratives, asked for {args.size}", file=sys.stderr)
        return 2
    for iso3 in random.Random(args.seed).sample(pool, args.size):
        print(iso3)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
