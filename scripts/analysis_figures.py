"""Write the forecast's reliability diagram and scores for the docs (docs/analysis-*.svg|json).

    .venv/bin/python scripts/analysis_figures.py [--db var/tipwatch.duckdb] [--out docs]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=None)
    ap.add_argument("--out", type=Path, default=REPO / "docs")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from tipwatch.analysis import forecast as fc
    from tipwatch.analysis.chart import backtest_svg
    from tipwatch.analysis.load import inputs
    from tipwatch.atomic import write_text

    bt = fc.backtest(inputs(args.db))
    write_text(args.out / "analysis-reliability.svg", backtest_svg(bt) + "\n")
    s = bt["scores"]
    keep = {d: {k: v for k, v in s[d].items() if k != "reliability"} for d in ("down", "up")}
    write_text(args.out / "analysis-scores.json",
               json.dumps({"n": s["n"], "years": s["years"], **keep,
                           "log_loss": s["log_loss"]}, indent=2) + "\n")
    print(f"wrote {args.out / 'analysis-reliability.svg'} and analysis-scores.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
