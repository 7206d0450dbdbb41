"""Regenerate the bundled facts (src/tipwatch/data/facts.csv.gz) from ../shared.

Usage: .venv/bin/python scripts/extract_bundle.py
The output is reproducible: the same corpora and extractor version give the same bytes.
"""

from __future__ import annotations

import json
import sys
import time

from tipwatch.extract.bundle import write_bundle


def main() -> int:
    start = time.perf_counter()
    summary = write_bundle()
    summary["seconds"] = round(time.perf_counter() - start, 2)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
