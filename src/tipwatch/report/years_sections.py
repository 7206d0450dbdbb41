"""The report's multi-year sections per country: law-enforcement counts over the years and
recommendations tracked across consecutive years (up to the report's year)."""

from __future__ import annotations

from typing import Any

from tipwatch.analysis.series import MEASURES

#: years of counts shown per country (the latest ones up to the report year)
SERIES_YEARS = 6


def collect(con: Any, year: int, iso3s: list[str]) -> dict[str, dict[str, Any]]:
    """iso3 -> ``{"series": {...}, "recommendations": {...}}`` for the countries that have them."""
    from tipwatch.analysis import recommendations, series

    out: dict[str, dict[str, Any]] = {}
    has_facts = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_name = 'facts' AND column_name = 'kind'").fetchone()[0]
    if not has_facts:
        return out
    wanted = set(iso3s)
    with_counts = {r[0] for r in con.execute(
        "SELECT DISTINCT iso3 FROM facts WHERE kind = 'le_count' AND year <= ?", [year]
    ).fetchall()} & wanted
    for iso3 in sorted(with_counts):
        rows = [r for r in series.series(con, iso3) if r["year"] <= year]
        years = sorted({r["year"] for r in rows})[-SERIES_YEARS:]
        if len(years) < 2:
            continue  # one year is already in the facts list
        cells = {(r["measure"], r["year"]): r for r in rows}
        out.setdefault(iso3, {})["series"] = {
            "years": years,
            "rows": [{"measure": m.replace("_", " "),
                      "cells": [cells.get((m, y)) for y in years]}
                     for m in MEASURES if any((m, y) in cells for y in years)],
            "mismatches": [r for r in rows if r.get("prior_check") == "mismatch"
                           and r["year"] in years],
        }
    pairs = con.execute(
        "SELECT DISTINCT a.iso3 FROM facts a JOIN facts b ON a.iso3 = b.iso3 "
        "AND b.year = a.year - 1 AND b.kind = 'recommendation' "
        "WHERE a.kind = 'recommendation' AND a.year <= ?", [year]).fetchall()
    for (iso3,) in pairs:
        if iso3 not in wanted:
            continue
        res = recommendations.for_country(con, iso3)
        mine = [r for r in res["rows"] if r["year"] == year]
        if not res["pairs"] or not mine:
            continue
        counts: dict[str, int] = {}
        for r in mine:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        out.setdefault(iso3, {})["recommendations"] = {
            "counts": counts, "carry_over_rate": res["carry_over_rate"],
            "oldest": res["oldest_still_repeated"], "pairs": res["pairs"]}
    return out
