"""What the annual report shows of the analyses for one report year (pure reads of the store).

:func:`foresight` returns the forecast of the next report (or why there is none), the backtest
scores beside the baselines with the reliability diagram, and the year's placements that the
narrative's own evidence does not explain, with the rule flags.
"""

from __future__ import annotations

import base64
from typing import Any

from tipwatch.errors import BadInputError

TOP_FORECASTS = 20


def foresight(con: Any, year: int) -> dict[str, Any]:
    from tipwatch.analysis import consistency as cons
    from tipwatch.analysis import forecast as fc
    from tipwatch.analysis.chart import backtest_svg
    from tipwatch.analysis.load import inputs_from

    inp = inputs_from(con)
    out: dict[str, Any] = {"next_year": year + 1, "forecast": None, "why_none": ""}
    try:
        f = fc.forecast(inp, year + 1)
        out["forecast"] = {**f, "rows": f["rows"][:TOP_FORECASTS], "n": len(f["rows"])}
    except BadInputError as exc:
        out["why_none"] = str(exc)
    bt = fc.backtest(inp)
    from tipwatch.commands.analysis import score_rows

    out["scores"] = score_rows(bt["scores"])
    out["score_years"] = bt["scores"]["years"]
    svg = backtest_svg(bt)
    out["reliability"] = ("data:image/svg+xml;base64," +
                          base64.b64encode(svg.encode("utf-8")).decode("ascii"))
    c = cons.consistency(inp, year=year)
    out["consistency"] = {
        "wording": c["wording"], "threshold": c["threshold"],
        "scored": len(c["rows"]),
        "unexplained": [r for r in c["rows"] if r["unexplained"]],
        "flags": c["flags"], "score": c["score"],
    }
    return out
