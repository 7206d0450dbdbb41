"""Queries over the store: tiers of a year, a country's history and streaks, changes, coverage.

Every function takes an open DuckDB connection (:func:`tipwatch.store.build.connect`) and uses
parameterized SQL only. Results are plain lists of dicts, ready for JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tipwatch import countries
from tipwatch.errors import BadInputError, UnknownCountryError, UnknownYearError
from tipwatch.tiers import TIER_LABELS, TIER_RANK, TIERS

if TYPE_CHECKING:  # the caller opens the connection; importing duckdb here would slow the CLI
    import duckdb

#: Streak and statutory columns of each placement (``panel_variables``, from the audit).
VARIABLES = ("tier_streak", "watch_list_streak", "watch_list_counted", "auto_downgrade_next_year",
             "waiver_available_next_year", "waivers_used")

_TIER_ALIASES = {
    "1": "1",
    "t1": "1",
    "tier1": "1",
    "2": "2",
    "t2": "2",
    "tier2": "2",
    "2wl": "2WL",
    "t2wl": "2WL",
    "tier2wl": "2WL",
    "wl": "2WL",
    "watchlist": "2WL",
    "tier2watchlist": "2WL",
    "twl": "2WL",
    "3": "3",
    "t3": "3",
    "tier3": "3",
    "special": "special",
    "specialcase": "special",
    "1or2": "1or2",
}


def normalize_tier(tier: str) -> str:
    """Accept ``2WL``, ``2wl``, ``Tier 2 Watch List``, ``tier3``… and return the tier code."""
    key = "".join(ch for ch in tier.casefold() if ch.isalnum())
    if key not in _TIER_ALIASES:
        raise BadInputError(f"unknown tier {tier!r}; use one of {', '.join(TIERS)}")
    return _TIER_ALIASES[key]


def normalize_region(region: str) -> str:
    code = region.strip().upper()
    if code not in countries.REGIONS:
        raise BadInputError(f"unknown region {region!r}; use one of {', '.join(countries.REGIONS)}")
    return code


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None,
         convert: Callable[[Any], Any] | None = None) -> list[dict]:
    """The rows of a parameterized query as dicts (each value through ``convert`` if given):
    every reader of the store reads rows through here."""
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    if convert is None:
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    return [dict(zip(cols, (convert(v) for v in row), strict=True)) for row in cur.fetchall()]


_rows = rows


def year_range(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    lo, hi = con.execute("SELECT min(year), max(year) FROM years").fetchone()
    return int(lo), int(hi)


def latest_complete_year(con: duckdb.DuckDBPyConnection) -> int:
    """The newest report year whose status is ``complete``."""
    row = con.execute("SELECT max(year) FROM years WHERE status = 'complete'").fetchone()
    if row[0] is None:  # pragma: no cover - the bundled panel has complete years
        return year_range(con)[1]
    return int(row[0])


def resolve_year(con: duckdb.DuckDBPyConnection, year: int | str) -> int:
    """A report year in the panel. ``latest`` = newest complete year, ``newest`` = last year."""
    lo, hi = year_range(con)
    if isinstance(year, str):
        text = year.strip().lower()
        if text == "latest":
            return latest_complete_year(con)
        if text == "newest":
            return hi
        if not text.isdigit():
            raise UnknownYearError(f"year {year!r} is not a report year (e.g. 2023 or 'latest')")
        year = int(text)
    if not lo <= year <= hi:
        raise UnknownYearError(f"report year {year} is outside the panel ({lo}–{hi})")
    return year


def years(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every report year with its status and tier counts."""
    return _rows(con, "SELECT * FROM years ORDER BY year")


def year_info(con: duckdb.DuckDBPyConnection, year: int) -> dict:
    rows = _rows(con, "SELECT * FROM years WHERE year = ?", [year])
    if not rows:
        raise UnknownYearError(f"report year {year} is not in the panel")
    return rows[0]


def tiers(
    con: duckdb.DuckDBPyConnection, year: int, tier: str | None = None, region: str | None = None
) -> list[dict]:
    """Every placement of ``year`` (optionally one tier, one region), best tier first."""
    sql = (
        "SELECT p.name AS country, p.iso3, p.year, p.tier, p.source, p.basis, c.region, "
        "p.evidence, p.note, " + ", ".join(f"v.{c}" for c in VARIABLES)
        + " FROM placements p JOIN countries c USING (iso3) "
        "LEFT JOIN panel_variables v USING (iso3, year) WHERE p.year = ?"
    )
    params: list[Any] = [year]
    if tier:
        sql += " AND p.tier = ?"
        params.append(normalize_tier(tier))
    if region:
        sql += " AND c.region = ?"
        params.append(normalize_region(region))
    sql += (
        " ORDER BY CASE p.tier WHEN '1' THEN 1 WHEN '1or2' THEN 2 WHEN '2' THEN 3 "
        "WHEN '2WL' THEN 4 WHEN '3' THEN 5 ELSE 6 END, p.name"
    )
    rows = _rows(con, sql, params)
    for r in rows:
        r["tier_label"] = TIER_LABELS[r["tier"]]
    return rows


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def streaks_of(
    history: list[dict], report_years: set[int], newest_year: int | None = None
) -> list[dict]:
    """Runs of the same tier over consecutive report years.

    A report year with no row for the country is unknown: it ends a run, and the run after it
    is marked ``after_gap`` (it may be longer than shown). ``current`` marks the last run when
    it reaches ``newest_year`` (the newest report year of the panel; default: the last run).
    """
    runs: list[dict] = []
    prev_year: int | None = None
    for h in history:
        year, tier = int(h["year"]), h["tier"]
        gap = prev_year is not None and any(y in report_years for y in range(prev_year + 1, year))
        if runs and not gap and runs[-1]["tier"] == tier and prev_year == year - 1:
            runs[-1]["last_year"] = year
            runs[-1]["length"] += 1
        else:
            runs.append(
                {
                    "tier": tier,
                    "first_year": year,
                    "last_year": year,
                    "length": 1,
                    "after_gap": bool(gap),
                }
            )
        prev_year = year
    for i, run in enumerate(runs):
        run["current"] = i == len(runs) - 1 and (
            newest_year is None or run["last_year"] == newest_year)
        label = TIER_LABELS[run["tier"]]
        bound = "at least " if run["after_gap"] else ""
        where = "on " if run["tier"] == "2WL" else ""
        span = (
            f"{run['first_year']}–{run['last_year']}"
            if run["length"] > 1
            else str(run["first_year"])
        )
        nth = _ordinal(run["length"])
        if run["tier"] == "2WL":
            run["text"] = f"{bound}{nth} consecutive year {where}{label} ({span})"
        else:
            run["text"] = f"{label} for {bound}the {nth} consecutive year ({span})"
        if run["after_gap"]:
            run["text"] += "; an earlier report year is unknown"
    return runs


def country_history(con: duckdb.DuckDBPyConnection, name_or_iso3: str) -> dict:
    """History (every known year), streaks, first and last year of one country."""
    country = countries.resolve(name_or_iso3)
    history = _rows(
        con,
        "SELECT year, tier, source, basis, evidence, note FROM placements WHERE iso3 = ? "
        "ORDER BY year",
        [country.iso3],
    )
    if not history:
        raise UnknownCountryError(
            name_or_iso3,
            where=f"{country.name} ({country.iso3}) is not ranked in any report of the panel",
        )
    report_years = {
        int(r["year"]) for r in _rows(con, "SELECT year FROM years WHERE n_placements > 0")
    }
    lo, hi = year_range(con)
    runs = streaks_of(history, report_years, newest_year=hi)
    last = history[-1]
    return {
        "iso3": country.iso3,
        "name": country.name,
        "region": country.region,
        "cow": country.cow,
        "aliases": list(country.aliases),
        "first_year": int(history[0]["year"]),
        "last_year": int(history[-1]["year"]),
        "missing_years": [
            y
            for y in range(int(history[0]["year"]), hi + 1)
            if y not in {int(h["year"]) for h in history}
        ],
        "history": history,
        "streaks": runs,
        "current_streak": runs[-1] if runs[-1]["current"] else None,
        "standing": standing(con, country.name, last, hi),
        "policy_or_pattern": policy_or_pattern(con, country.iso3),
    }


def standing(con: duckdb.DuckDBPyConnection, name: str, last: dict, newest: int) -> dict:
    """Where a country stands in the newest report year of the panel, said plainly.

    A country without a placement in the newest year is not shown at an older tier as if it
    were current: the text says that the newest year has no placement for it and why.
    """
    status = year_info(con, newest)["status"]
    year, tier = int(last["year"]), str(last["tier"])
    placed = year == newest
    if placed:
        text = f"{TIER_LABELS[tier]} in the {newest} report"
    else:
        why = {"partial": f"the {newest} year is partial",
               "missing": f"the panel holds no placements for {newest}"}.get(
            status, f"{name} has no {newest} placement")
        text = (f"not in the {newest} panel: {why} (last placed: {TIER_LABELS[tier]} "
                f"in {year})")
    return {"newest_year": newest, "newest_status": status, "placed": placed,
            "year": year, "tier": tier, "text": text}


def policy_or_pattern(con: duckdb.DuckDBPyConnection, iso3: str) -> list[dict]:
    """The years a government was found to have a policy or pattern of trafficking (audit)."""
    import duckdb

    try:
        return _rows(
            con,
            "SELECT year, tier, derivation, certain, evidence FROM events "
            "WHERE iso3 = ? AND event = 'state_policy_or_pattern' ORDER BY year",
            [iso3],
        )
    except duckdb.CatalogException:  # a store built without the rules area
        return []


def changes(con: duckdb.DuckDBPyConnection, year: int) -> list[dict]:
    """Countries whose tier differs from the previous report (both years known)."""
    rows = _rows(
        con,
        "SELECT cur.name AS country, cur.iso3, cur.year, prev.year AS previous_year, "
        "prev.tier AS from_tier, cur.tier AS to_tier, cur.basis AS basis, "
        "prev.basis AS previous_basis FROM placements cur JOIN placements prev "
        "ON prev.iso3 = cur.iso3 AND prev.year = cur.year - 1 "
        "WHERE cur.year = ? AND cur.tier <> prev.tier ORDER BY cur.name",
        [year],
    )
    for r in rows:
        a, b = TIER_RANK.get(r["from_tier"]), TIER_RANK.get(r["to_tier"])
        if a is None or b is None:
            r["direction"] = "to special case" if b is None else "from special case"
        elif "1or2" in (r["from_tier"], r["to_tier"]) and abs(a - b) <= 0.5:
            r["direction"] = "unclear"
        else:
            r["direction"] = "upgrade" if b < a else "downgrade"
        r["from_label"] = TIER_LABELS[r["from_tier"]]
        r["to_label"] = TIER_LABELS[r["to_tier"]]
    return rows


def coverage(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Per report year: counts per tier, the totals the sources state, and mismatches."""
    out = years(con)
    stated = _rows(con, "SELECT year, category, stated, source FROM stated_totals ORDER BY year")
    from tipwatch.store.years_reader import per_year_corpus

    corpus = per_year_corpus(con)  # placements read from the user's corpus, conflicts
    for row in out:
        mine = [s for s in stated if s["year"] == row["year"]]
        row["stated"] = ", ".join(f"{s['category']}={s['stated']}" for s in mine)
        row["stated_totals"] = mine
        row["mismatches"] = row.pop("reason")
        row.update(corpus.get(int(row["year"]), {"n_from_corpus": 0, "n_conflicts": 0}))
    return out


def audit_events(con: duckdb.DuckDBPyConnection, year: int | None = None, iso3: str | None = None,
           event: str | None = None) -> list[dict]:
    """Audit events (all, or of one year / country / kind), by country and year.

    (Not named ``events``: on a store without the table, DuckDB would scan a module-level
    Python object of the table's name instead of failing.)"""
    import duckdb

    sql, params = "SELECT * FROM events WHERE true", []
    for column, value in (("year", year), ("iso3", iso3), ("event", event)):
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    try:
        return _rows(con, sql + " ORDER BY iso3, year", params)
    except duckdb.CatalogException:
        raise BadInputError(
            "the store has no audit events; rebuild it with `tipwatch build`"
        ) from None


def merge_summary(db: Path) -> tuple[dict | None, list[tuple], dict[str, int], int]:
    """What a build merged from the user's corpus: (corpus state, skipped documents with
    their reason, placements per outcome, conflicts), read from the store at ``db``."""
    import duckdb

    from tipwatch.store.corpus_merge import built_state

    con = duckdb.connect(str(db), read_only=True)
    try:
        state = built_state(con)
        skipped = con.execute("SELECT doc_id, reason FROM corpus_skipped ORDER BY doc_id"
                              ).fetchall()
        outcomes = dict(con.execute("SELECT outcome, count(*) FROM corpus_placements "
                                    "GROUP BY outcome").fetchall())
        n_conf = con.execute("SELECT count(*) FROM conflicts").fetchone()[0]
    finally:
        con.close()
    return state, skipped, outcomes, n_conf


def build_id(con: duckdb.DuckDBPyConnection) -> str | None:
    """The id written by the build that made this store (None for stores built before ids)."""
    import duckdb

    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()
    except duckdb.Error:
        return None
    return str(row[0]) if row else None
