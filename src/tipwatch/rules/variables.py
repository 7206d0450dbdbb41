"""Streaks and statutory position as panel variables: one row per country × report year.

Researchers want the audit's readings as columns, not as text. :func:`panel_variables` is pure:
placements and the audit's events in, one row per placement out. The counts come from the same
pieces the audit uses — :func:`tipwatch.rules.history.watch_list_run` for the counted Watch
List years and the audit's ``waiver`` events for waivers — so a column never disagrees with an
event.

Columns (see :data:`FIELDS` for the descriptions exported with the data):

* ``tier_streak`` — consecutive reports at this tier, this year included (an unknown year ends
  the count, as in the streaks of ``tipwatch country``);
* ``watch_list_streak`` — consecutive reports on the Tier 2 Watch List, this year included
  (0 when not on it);
* ``watch_list_counted`` — of those, the years that count toward the automatic downgrade under
  the law of this year (counting starts with the 2009 report);
* ``auto_downgrade_next_year`` — staying on the Watch List in the next report would meet the
  automatic downgrade (22 U.S.C. 7107(b)(2)(D)(i)) under the law of the next year; empty when a
  missing year makes it uncertain;
* ``waiver_available_next_year`` — when it would, whether a waiver is still available then
  (22 U.S.C. 7107(b)(2)(D)(ii)); empty otherwise;
* ``waivers_used`` — waivers of the automatic downgrade used so far in the current Watch List
  run (0 off the Watch List);
* ``next_year_law`` — the report year whose law was applied for the next year (the newest
  encoded law when the next year is beyond it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from tipwatch.rules.history import WATCH, watch_list_run
from tipwatch.rules.law import Law, load_law

COLUMNS = (
    "iso3", "year", "tier_streak", "watch_list_streak", "watch_list_counted",
    "auto_downgrade_next_year", "waiver_available_next_year", "waivers_used", "next_year_law",
)

FIELDS: list[dict[str, Any]] = [
    {"name": "tier_streak", "type": "integer",
     "description": "Consecutive reports at this tier, this year included (an unknown year "
     "ends the count)"},
    {"name": "watch_list_streak", "type": "integer",
     "description": "Consecutive reports on the Tier 2 Watch List, this year included "
     "(0 when not on it)"},
    {"name": "watch_list_counted", "type": "integer",
     "description": "Watch List years of the current run that count toward the automatic "
     "downgrade under this year's law (22 U.S.C. 7107(b)(2)(D); counted from the 2009 report)"},
    {"name": "auto_downgrade_next_year", "type": "boolean",
     "description": "Staying on the Watch List in the next report would meet the automatic "
     "downgrade under the next year's law (22 U.S.C. 7107(b)(2)(D)(i)); empty if a missing "
     "year makes it uncertain"},
    {"name": "waiver_available_next_year", "type": "boolean",
     "description": "Where the automatic downgrade would apply next year: whether a waiver "
     "(22 U.S.C. 7107(b)(2)(D)(ii)) is still available under the next year's law"},
    {"name": "waivers_used", "type": "integer",
     "description": "Waivers of the automatic downgrade used so far in the current Watch List "
     "run, from the audit's waiver events"},
    {"name": "next_year_law", "type": "integer",
     "description": "Report year whose law was applied for the next year (the newest encoded "
     "law when the next year lies beyond it)"},
]


def panel_variables(
    placements: Iterable[Mapping[str, Any]],
    events: Iterable[Mapping[str, Any]],
    law: Law | None = None,
) -> list[dict[str, Any]]:
    """One row of streak and statutory variables per placement (sorted by country, year)."""
    law = law or load_law()
    hist: dict[str, dict[int, str]] = defaultdict(dict)
    for row in placements:
        hist[str(row["iso3"])][int(row["year"])] = str(row["tier"])
    waivers: dict[str, dict[int, int]] = defaultdict(dict)
    for e in events:
        if e["event"] == "waiver" and e.get("waiver_no") is not None:
            waivers[str(e["iso3"])][int(e["year"])] = int(e["waiver_no"])
    out: list[dict[str, Any]] = []
    for iso3 in sorted(hist):
        h = hist[iso3]
        tier_run = wl_run = used = 0
        prev_year: int | None = None
        for year in sorted(h):
            tier = h[year]
            follows = prev_year == year - 1
            tier_run = tier_run + 1 if follows and h[prev_year] == tier else 1  # type: ignore[index]
            wl_run = (wl_run + 1 if follows else 1) if tier == WATCH else 0
            used = waivers[iso3].get(year, used if follows else 0) if tier == WATCH else 0
            row = {"iso3": iso3, "year": year, "tier_streak": tier_run,
                   "watch_list_streak": wl_run, "waivers_used": used,
                   **_counted(h, year, law), **_next_year(h, year, law)}
            out.append(row)
            prev_year = year
    return out


def _law_year(law: Law, year: int) -> int:
    return min(max(year, law.first_year), law.latest_year)


def _counted_through(h: Mapping[int, str], year: int, law: Law) -> tuple[int, int]:
    """Counted Watch List years up to and including ``year`` (lo and hi readings of gaps)."""
    if h[year] != WATCH or not law.first_year <= year <= law.latest_year:
        return 0, 0
    at = law.at(year)
    if at.count_start is None or year < at.count_start:
        return 0, 0
    run = watch_list_run(h, year, law)
    return run.lo + 1, run.hi + 1


def _counted(h: Mapping[int, str], year: int, law: Law) -> dict[str, Any]:
    return {"watch_list_counted": _counted_through(h, year, law)[0]}


def _next_year(h: Mapping[int, str], year: int, law: Law) -> dict[str, Any]:
    """Would staying on the Watch List next year meet the automatic downgrade, and a waiver?"""
    applied = _law_year(law, year + 1)
    none = {"auto_downgrade_next_year": False, "waiver_available_next_year": None,
            "next_year_law": applied}
    at = law.at(applied)
    if h[year] != WATCH or not at.auto_downgrade:
        return none
    lo, hi = _counted_through(h, year, law)
    k = at.consecutive_years
    if lo >= k:
        return {"auto_downgrade_next_year": True,
                "waiver_available_next_year": lo - k + 1 <= at.max_waivers,
                "next_year_law": applied}
    if hi >= k:
        return {"auto_downgrade_next_year": None, "waiver_available_next_year": None,
                "next_year_law": applied}
    return none
