"""Loud data checks over the placement panel (run by ``import-placements``, ``build`` and tests).

Errors stop an import or a build; warnings (e.g. a count that differs from a stated total,
whose reason the research folder records) are kept in the store's ``data_checks`` table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from tipwatch import countries
from tipwatch.tiers import TIERS

VALID_TIERS = frozenset(TIERS)
#: The Tier 2 Watch List exists from the 2004 report (TVPRA 2003, Pub. L. 108-193, 117 Stat. 2883).
WATCH_LIST_FROM = 2004
FIRST_REPORT = 2001

_CATEGORY_TIERS = {
    "1": ("1",),
    "2": ("2",),
    "2WL": ("2WL",),
    "3": ("3",),
    "special": ("special",),
    "2+2WL": ("2", "2WL"),
    "total": TIERS,
}


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning" | "info"
    check: str
    year: int | None
    message: str


def count_category(df: pd.DataFrame, year: int, category: str) -> int:
    tiers = _CATEGORY_TIERS[category]
    sub = df[df["year"] == year]
    return int(sub["tier"].isin(tiers).sum())


def check_panel(df: pd.DataFrame, stated: pd.DataFrame | None = None) -> list[Finding]:
    """Check allowed values, uniqueness, identities and stated totals."""
    out: list[Finding] = []
    bad_tier = df[~df["tier"].isin(VALID_TIERS)]
    for r in bad_tier.itertuples(index=False):
        out.append(
            Finding("error", "tier_value", int(r.year), f"{r.iso3} {r.year}: tier {r.tier!r}")
        )
    early_wl = df[(df["tier"] == "2WL") & (df["year"] < WATCH_LIST_FROM)]
    for r in early_wl.itertuples(index=False):
        out.append(
            Finding(
                "error",
                "tier_allowed_in_year",
                int(r.year),
                f"{r.iso3} {r.year}: Tier 2 Watch List before {WATCH_LIST_FROM}",
            )
        )
    early = df[df["year"] < FIRST_REPORT]
    for r in early.itertuples(index=False):
        out.append(
            Finding(
                "error",
                "year_range",
                int(r.year),
                f"{r.iso3}: year {r.year} before the first report ({FIRST_REPORT})",
            )
        )
    dup = df[df.duplicated(["iso3", "year"], keep=False)]
    for (iso3, year), _ in dup.groupby(["iso3", "year"]):
        out.append(
            Finding(
                "error", "one_row_per_country_year", int(year), f"{iso3} {year}: more than one row"
            )
        )
    known = {c.iso3 for c in countries.all_countries()}
    for iso3 in sorted(set(df["iso3"]) - known):
        out.append(Finding("error", "iso3_known", None, f"unknown ISO3 code {iso3}"))
    if "basis" in df.columns:
        bad = df[~df["basis"].isin(["read", "deduced"])]
        for r in bad.itertuples(index=False):
            out.append(
                Finding(
                    "error", "basis_value", int(r.year), f"{r.iso3} {r.year}: basis {r.basis!r}"
                )
            )
    years = sorted(int(y) for y in df["year"].unique())
    if years:
        for y in range(years[0], years[-1] + 1):
            if y not in years:
                out.append(Finding("warning", "year_missing", y, f"{y}: no placements at all"))
    if stated is not None and len(stated):
        for r in stated.itertuples(index=False):
            if r.category not in _CATEGORY_TIERS:
                continue
            have = count_category(df, int(r.year), r.category)
            label = "total" if r.category == "total" else f"tier {r.category}"
            if have == int(r.stated):
                out.append(
                    Finding(
                        "info",
                        "stated_total",
                        int(r.year),
                        f"{r.year} {label}: {have} = stated {r.stated}",
                    )
                )
            else:
                note = f" ({r.note})" if getattr(r, "note", "") else ""
                out.append(
                    Finding(
                        "warning",
                        "stated_total",
                        int(r.year),
                        f"{r.year} {label}: panel {have} vs stated {r.stated}{note}",
                    )
                )
    return out
