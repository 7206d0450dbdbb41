"""Coverage of the panel per report year: tier counts, stated totals, status.

Status: ``missing`` (no placement), ``partial`` (a stated total exceeds what the panel holds,
or the panel disagrees with a stated count), ``complete`` (every tier present and every stated
total matched).
"""

from __future__ import annotations

import pandas as pd

from tipwatch.checks import count_category
from tipwatch.tiers import TIERS

TIER_COLUMNS = {t: f"n_{t.lower()}" for t in TIERS}  # n_1, n_2, n_2wl, n_3, n_special, n_1or2


def year_status(placements: pd.DataFrame, stated: pd.DataFrame) -> pd.DataFrame:
    """One row per report year from the first to the last in the panel."""
    rows = []
    first, last = int(placements["year"].min()), int(placements["year"].max())
    for year in range(first, last + 1):
        sub = placements[placements["year"] == year]
        counts = {col: int((sub["tier"] == tier).sum()) for tier, col in TIER_COLUMNS.items()}
        st = stated[stated["year"] == year]
        mismatches = []
        stated_total = None
        for r in st.itertuples(index=False):
            have = count_category(placements, year, r.category)
            if r.category == "total":
                stated_total = int(r.stated)
            if have != int(r.stated):
                mismatches.append(f"{r.category}: {have} vs stated {r.stated}")
        if sub.empty:
            status, reason = "missing", "no placement known for this report year"
        elif mismatches:
            status, reason = "partial", "; ".join(mismatches)
        else:
            status, reason = "complete", ""
        rows.append(
            {
                "year": year,
                "status": status,
                "n_placements": int(len(sub)),
                **counts,
                "n_deduced": int((sub.get("basis", pd.Series(dtype=str)) == "deduced").sum()),
                "stated_total": stated_total,
                "reason": reason,
            }
        )
    df = pd.DataFrame(rows)
    df["stated_total"] = df["stated_total"].astype("Int64")
    return df
