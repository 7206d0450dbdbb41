"""Annual report build time: HTML only, and HTML + PDF, for the latest complete report year.

    .venv/bin/python benchmarks/report.py [--db var/tipwatch.duckdb] [--year latest]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_S = 30.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=None, help="store (default: var/tipwatch.duckdb)")
    ap.add_argument("--year", default="latest")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from tipwatch import store
    from tipwatch.paths import db_path
    from tipwatch.report.builder import build_report

    with tempfile.TemporaryDirectory() as tmp:
        db = db_path(args.db)
        if not db.exists():
            db = Path(tmp) / "tipwatch.duckdb"
            store.build(db)
        t = time.perf_counter()
        html_only = build_report(args.year, Path(tmp) / "html", db=db, pdf=False)
        t_html = time.perf_counter() - t
        t = time.perf_counter()
        full = build_report(args.year, Path(tmp) / "full", db=db, pdf=True)
        t_full = time.perf_counter() - t
        size_html = full.html.stat().st_size / 1e6
        size_pdf = full.pdf.stat().st_size / 1e6 if full.pdf else 0.0
    print(f"report {html_only.year}: {full.n_countries} country pages")
    print(f"HTML only      {t_html:6.1f} s  ({size_html:.1f} MB)")
    print(f"HTML + PDF     {t_full:6.1f} s  ({full.pages} PDF pages, {size_pdf:.1f} MB)  "
          f"(target < {TARGET_S:.0f} s: {'met' if t_full < TARGET_S else 'NOT met'})")
    return 0 if t_full < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
