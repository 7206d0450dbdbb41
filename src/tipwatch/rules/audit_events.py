"""The audit's event record: event kinds, columns, statute citations, the per-country view."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

EVENTS = (
    "watch_list_streak",
    "waiver",
    "auto_downgrade",
    "post_downgrade_cap",
    "special_case",
    "state_policy_or_pattern",
    "violation",
    "gap",
)

COLUMNS = (
    "iso3", "country", "year", "event", "tier", "detail", "streak", "first_year", "last_year",
    "next_tier", "waiver_no", "reason", "statute", "derivation", "certain", "basis", "sources",
    "evidence",
)

_DOWNGRADE = "22 U.S.C. 7107(b)(2)(D)(i)"
_WAIVER = "22 U.S.C. 7107(b)(2)(D)(ii)"
_CAP = "22 U.S.C. 7107(b)(2)(F)"
_POLICY = "22 U.S.C. 7107(b)(3)(B)"
_LISTS = "22 U.S.C. 7107(b)(1)(A)-(C), (b)(2)(A)(iii)"

def _event(iso3: str, country: str, year: int, event: str, tier: str | None, detail: str,
           statute: str, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(iso3=iso3, country=country, year=year, event=event, tier=tier, detail=detail,
               statute=statute, certain=True)
    row.update(extra)
    return row


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth"}.get(n, f"{n}th")


def _years(ys: Iterable[int]) -> str:
    ys = sorted(ys)
    if not ys:
        return ""
    return str(ys[0]) if len(ys) == 1 else f"{ys[0]}-{ys[-1]}"


class _Country:
    """One country's placements and the helpers the checks share."""

    def __init__(self, iso3: str, rows: list[Mapping[str, Any]]) -> None:
        self.iso3 = iso3
        self.rows = {int(r["year"]): r for r in rows}
        self.hist = {y: str(r["tier"]) for y, r in self.rows.items()}
        last = self.rows[max(self.rows)]
        self.name = str(last.get("name") or last.get("country") or iso3)

    def prov(self, years: Iterable[int]) -> dict[str, str | None]:
        """Provenance of the placements involved: their ``basis`` and ``year=source`` list."""
        known = [y for y in sorted(set(years)) if y in self.rows]
        basis = sorted({str(self.rows[y]["basis"]) for y in known if self.rows[y].get("basis")})
        sources = [f"{y}={self.rows[y]['source']}" for y in known if self.rows[y].get("source")]
        return {"basis": ",".join(basis) or None, "sources": ";".join(sources) or None}
