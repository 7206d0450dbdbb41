"""Audit of the panel: every country's tier history read under the law of each report year.

:func:`audit` is pure: placements in, events out. Events (the ``event`` column):

* ``watch_list_streak`` — a maximal run of consecutive Tier 2 Watch List years (at its last year);
* ``waiver`` — a watch-list year the law allowed only with a waiver of the automatic downgrade;
* ``auto_downgrade`` — Tier 3 after the counted watch-list years, waivers exhausted or withheld;
* ``post_downgrade_cap`` — rule F: the one watch-list year allowed after an automatic
  downgrade, and the year after it;
* ``special_case`` — reported on, not ranked;
* ``state_policy_or_pattern`` — a government named with a policy or pattern of trafficking;
* ``violation`` — a placement the encoded law would not allow;
* ``gap`` — a missing report year next to a watch-list year: counts through it are uncertain.

Waivers and downgrades are derived by the rule from the tier history, then cross-checked against
the published memoranda (``derivation`` says which). A missing year is neither a break nor a
continuation: an event that holds under only one reading has ``certain = False`` and its detail
names the missing year.

:func:`build_tables` writes the ``events`` and ``law`` tables into the store.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

from tipwatch.rules import published
from tipwatch.rules.history import (
    SPECIAL,
    TIER3,
    WATCH,
    auto_downgrades,
    current_run_since,
    label,
    watch_list_run,
    watch_list_runs_between,
)
from tipwatch.rules.law import Law, load_law
from tipwatch.rules.variables import COLUMNS as VARIABLE_COLUMNS
from tipwatch.rules.variables import panel_variables

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


def audit(
    placements: Iterable[Mapping[str, Any]],
    law: Law | None = None,
    waivers: published.Listings | None = None,
    policy_lists: published.Listings | None = None,
    *,
    cap_scope: str | None = None,
) -> list[dict[str, Any]]:
    """Audit every country's history; return events sorted by country and year.

    ``placements`` rows need ``iso3``, ``year``, ``tier`` and ``name`` (or ``country``);
    ``basis`` is carried into the events when present. ``waivers`` and ``policy_lists`` default
    to the bundled published lists; ``cap_scope`` overrides rule F's scope (``first_run`` or
    ``lifetime``).
    """
    law = law or load_law()
    waivers = published.waivers() if waivers is None else waivers
    policy_lists = published.policy_lists() if policy_lists is None else policy_lists
    by_iso: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in placements:
        year = int(row["year"])
        if law.first_year <= year <= law.latest_year:
            by_iso[str(row["iso3"])].append(row)
    events: list[dict[str, Any]] = []
    for iso3 in sorted(by_iso):
        c = _Country(iso3, by_iso[iso3])
        events += _streaks(c, law)
        events += _gaps(c, law)
        for year in sorted(c.hist):
            events += _year_events(c, year, law, waivers, cap_scope)
        events += _memo_only_waivers(c, law, waivers)
        events += _policy(c, law, policy_lists)
    order = {e: i for i, e in enumerate(EVENTS)}
    events.sort(key=lambda e: (e["iso3"], e["year"], order[e["event"]]))
    return events


def _streaks(c: _Country, law: Law) -> list[dict[str, Any]]:
    out = []
    years = sorted(c.hist)
    i = 0
    while i < len(years):
        if c.hist[years[i]] != WATCH:
            i += 1
            continue
        j = i
        while j + 1 < len(years) and years[j + 1] == years[j] + 1 and c.hist[years[j + 1]] == WATCH:
            j += 1
        first, last = years[i], years[j]
        at = law.at(last)
        n = last - first + 1
        counted = [y for y in range(first, last + 1)
                   if law.at(y).count_start is not None and y >= law.at(y).count_start]
        nxt = c.hist.get(last + 1)
        if nxt is None:
            then = ("no later report in the panel" if last + 1 > max(years)
                    else f"no placement for {last + 1} in the panel")
        else:
            then = f"then {label(nxt)} in {last + 1}"
        detail = (
            f"{c.name} was on the Tier 2 Watch List for {n} consecutive report year"
            f"{'s' if n > 1 else ''} ({_years(range(first, last + 1))}); "
            f"{len(counted)} of them count{'s' if len(counted) == 1 else ''} toward the "
            f"automatic downgrade"
            f"{' (counting from the ' + str(at.count_start) + ' report)' if at.count_start else ''}"
            f"; {then} ({at.cite('watch_list_triggers')})."
        )
        out.append(_event(
            c.iso3, c.name, last, "watch_list_streak", WATCH, detail, _LISTS,
            streak=n, first_year=first, last_year=last, next_tier=nxt,
            reason=f"counted={len(counted)}", derivation="panel",
            **c.prov(range(first, last + 1)),
        ))
        i = j + 1
    return out


def _gaps(c: _Country, law: Law) -> list[dict[str, Any]]:
    out = []
    years = sorted(c.hist)
    for y in range(years[0], years[-1] + 1):
        if y in c.hist:
            continue
        at = law.at(y)
        if not at.watch_list:
            continue
        before, after = c.hist.get(y - 1), c.hist.get(y + 1)
        if WATCH not in (before, after):
            continue
        detail = (
            f"No placement for {c.name} in {y} (between {label(before)} in {y - 1} and "
            f"{label(after)} in {y + 1}): the audit counts {y} neither as a Watch List year nor "
            f"as a break, so events that depend on it are marked uncertain."
        )
        out.append(_event(c.iso3, c.name, y, "gap", None, detail, _LISTS,
                          derivation="panel", certain=False,
                          **c.prov([y - 1, y + 1])))
    return out


def _memo_note(year: int, iso3: str, waivers: published.Listings) -> tuple[str, str | None, str]:
    hit = waivers.get((year, iso3))
    if hit:
        status = "" if hit.status == "verified" else f" ({hit.status})"
        return (f"confirmed by the published waiver list{status}: {hit.document}",
                hit.source_url, "rule, confirmed by memo")
    if year in published.list_years(waivers):
        return (f"implied by the rule; not on the {year} waiver list read",
                None, "rule, not on the memo list read")
    return (f"implied by the rule (no {year} waiver memorandum read)", None, "rule")


def _year_events(c: _Country, year: int, law: Law, waivers: published.Listings,
                 cap_scope: str | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    tier = c.hist[year]
    at = law.at(year)
    if tier not in at.tiers and tier != "1or2":
        out.append(_event(
            c.iso3, c.name, year, "violation", tier,
            f"{label(tier)} is not a placement the law provides in {year} "
            f"({at.cite('tiers_available')}).",
            _LISTS, reason="tier_not_available", derivation="rule", **c.prov([year]),
        ))
    if tier == SPECIAL:
        out.append(_event(
            c.iso3, c.name, year, "special_case", tier,
            f"{c.name} was a Special Case in {year}: reported on but not ranked; the statute has "
            f"no such list, and the audit reads the year as a break in any Watch List run "
            f"({at.cite('special_case_breaks_run')}).",
            "22 U.S.C. 7107(b)(1)", derivation="panel", **c.prov([year]),
        ))
    if at.auto_downgrade and tier in (WATCH, TIER3):
        out += _downgrade_rule(c, year, law, waivers)
    if at.cap["in_force"]:
        out += _cap_rule(c, year, law, cap_scope or at.cap["scope"])
    return out


def _downgrade_rule(c: _Country, year: int, law: Law,
                    waivers: published.Listings) -> list[dict[str, Any]]:
    at = law.at(year)
    tier = c.hist[year]
    run = watch_list_run(c.hist, year, law)
    k = at.consecutive_years
    if run.hi < k:
        return []
    n = run.lo if run.lo >= k else run.hi
    certain = run.lo >= k
    first = year - n
    run_years = list(range(first, year))
    gap_note = (
        "" if certain else
        f" This holds only if the missing year{'s' if len(run.gaps) > 1 else ''} "
        f"{', '.join(map(str, run.gaps))} was also on the Watch List."
    )
    waiver_no = n - k + 1
    common = dict(streak=n, first_year=first, last_year=year - 1, certain=certain,
                  **c.prov([*run_years, year]))
    if tier == WATCH:
        if waiver_no <= at.max_waivers:
            note, url, how = _memo_note(year, c.iso3, waivers)
            detail = (
                f"{c.name} had {n} consecutive counted Watch List years ({_years(run_years)}) "
                f"before {year}; staying on the Watch List in {year} needed the "
                f"{_ordinal(waiver_no)} waiver of the automatic downgrade "
                f"(at most {at.max_waivers} under {at.cite('max_waiver_years')}); {note}.{gap_note}"
            )
            return [_event(c.iso3, c.name, year, "waiver", tier, detail, _WAIVER,
                           waiver_no=waiver_no, reason=f"R_TWL_WAIVER_{waiver_no}",
                           derivation=how, evidence=url, **common)]
        detail = (
            f"{c.name} was on the Watch List in {year} after {n} consecutive counted Watch List "
            f"years ({_years(run_years)}): that needs waiver no. {waiver_no}, but the law of "
            f"{year} allows at most {at.max_waivers} ({at.cite('max_waiver_years')}), so at most "
            f"{at.max_consecutive_watch_list} consecutive counted years.{gap_note}"
        )
        return [_event(c.iso3, c.name, year, "violation", tier, detail, _WAIVER,
                       waiver_no=waiver_no, reason="R_TWL_WAIVERS_EXCEEDED",
                       derivation="rule", **common)]
    # Tier 3 after the counted watch-list years: the automatic downgrade
    exhausted = waiver_no > at.max_waivers
    reason = ("R_T3_AUTO_DOWNGRADE_WAIVERS_EXHAUSTED" if exhausted
              else "R_T3_AUTO_DOWNGRADE_NO_WAIVER")
    used = max(0, n - k)
    why = (
        f"{used} waiver year{'s' if used != 1 else ''} already used and the law of {year} "
        f"allows at most {at.max_waivers}" if exhausted
        else f"a waiver (no. {waiver_no} of at most {at.max_waivers}) was possible but not granted"
    )
    hit = waivers.get((year, c.iso3))
    conflict = (f" Note: a published list names a {year} waiver ({hit.document})." if hit else "")
    detail = (
        f"{c.name} moved to Tier 3 in {year} after {n} consecutive counted Watch List years "
        f"({_years(run_years)}): {why}, so the automatic downgrade applied "
        f"({at.cite('auto_downgrade')}).{gap_note}{conflict}"
    )
    return [_event(c.iso3, c.name, year, "auto_downgrade", tier, detail, _DOWNGRADE,
                   waiver_no=used, reason=reason, derivation="rule", **common)]


def _capped(c: _Country, year: int, law: Law) -> tuple[int, int] | None:
    """Rule F context at ``year``: (latest counted downgrade, watch-list runs since it)."""
    cap = law.at(year).cap
    downs = [d for d in auto_downgrades(c.hist, law, before=year)
             if cap["downgrades_from"] is not None and d >= cap["downgrades_from"]]
    if not downs:
        return None
    d = max(downs)
    return d, watch_list_runs_between(c.hist, d, year + 1 if c.hist.get(year) == WATCH else year)


def _cap_rule(c: _Country, year: int, law: Law, scope: str) -> list[dict[str, Any]]:
    at = law.at(year)
    cap = at.cap
    tier = c.hist[year]
    limit = int(cap["max_consecutive_years"])
    if tier == WATCH:
        found = _capped(c, year, law)
        if not found:
            return []
        d, runs = found
        if scope == "first_run" and runs != 1:
            return []
        length = current_run_since(c.hist, year, d) + 1
        if length < limit:
            return []
        if length == limit:
            nxt = c.hist.get(year + 1)
            then = (f"in {year + 1} it was placed on {label(nxt)}" if nxt
                    else f"the panel has no placement for {year + 1}")
            detail = (
                f"Rule F applies: {c.name} has been on the Watch List for {length} consecutive "
                f"year{'s' if length != 1 else ''} ({_years(range(year - length + 1, year + 1))}) "
                f"since its {d} automatic downgrade, the most the law allows, so it may not stay "
                f"on the Watch List in {year + 1}; {then} ({at.cite('post_downgrade_cap')})."
            )
            return [_event(c.iso3, c.name, year, "post_downgrade_cap", tier, detail, _CAP,
                           streak=length, first_year=year - length + 1, last_year=year,
                           next_tier=nxt, reason="R_F_CAP_REACHED", derivation="rule",
                           **c.prov(range(year - length + 1, year + 2)))]
        detail = (
            f"{c.name} was on the Watch List for a {_ordinal(length)} consecutive year in {year} "
            f"after its {d} automatic downgrade; rule F allows at most {limit} "
            f"({at.cite('post_downgrade_cap')})."
        )
        return [_event(c.iso3, c.name, year, "violation", tier, detail, _CAP,
                       streak=length, first_year=year - length + 1, last_year=year,
                       reason="R_F_POST_DOWNGRADE_TWL_LIMIT", derivation="rule",
                       **c.prov(range(year - length + 1, year + 1)))]
    prev = year - 1
    if c.hist.get(prev) != WATCH:
        return []
    found = _capped(c, prev, law)
    if not found or not law.at(prev).cap["in_force"]:
        return []
    d, runs = found
    if scope == "first_run" and runs != 1:
        return []
    length = current_run_since(c.hist, prev, d) + 1
    if length != limit:
        return []
    first = prev - length + 1
    detail = (
        f"Rule F: after its {d} automatic downgrade {c.name} may be on the Watch List for at most "
        f"{limit} consecutive year ({_years(range(first, prev + 1))}); in {year} it was placed on "
        f"{label(tier)} ({at.cite('post_downgrade_cap')})."
    )
    return [_event(c.iso3, c.name, year, "post_downgrade_cap", tier, detail, _CAP,
                   streak=length, first_year=first, last_year=prev, next_tier=tier,
                   reason="R_F_POST_DOWNGRADE_TWL_LIMIT", derivation="rule",
                   **c.prov(range(first, year + 1)))]


def _memo_only_waivers(c: _Country, law: Law,
                       waivers: published.Listings) -> list[dict[str, Any]]:
    """Published waivers the rule does not derive from the panel (missing year or conflict)."""
    out = []
    for (year, iso3), hit in sorted(waivers.items()):
        if iso3 != c.iso3 or not (law.first_year <= year <= law.latest_year):
            continue
        at = law.at(year)
        tier = c.hist.get(year)
        run = watch_list_run(c.hist, year, law)
        if tier == WATCH and at.auto_downgrade and run.hi >= at.consecutive_years:
            continue  # derived by the rule (certain or not) in _downgrade_rule
        if tier is None:
            state = (f"the panel has no placement for {year}; the waiver implies {c.name} was on "
                     f"the Watch List that year")
        else:
            state = (f"but the panel shows {label(tier)} in {year} after {run.lo} consecutive "
                     f"counted Watch List years, so the rule does not imply a waiver "
                     f"(a conflict to review)")
        detail = (f"A published list names a {year} waiver of the automatic downgrade for "
                  f"{c.name} ({hit.document}); {state} ({at.cite('max_waiver_years')}).")
        out.append(_event(c.iso3, c.name, year, "waiver", tier, detail, _WAIVER,
                          derivation="memo only", evidence=hit.source_url,
                          certain=hit.status == "verified", reason="R_TWL_WAIVER",
                          **c.prov([year])))
    return out


def _policy(c: _Country, law: Law, lists: published.Listings) -> list[dict[str, Any]]:
    out = []
    for (year, iso3), hit in sorted(lists.items()):
        if iso3 != c.iso3 or not (law.first_year <= year <= law.latest_year):
            continue
        at = law.at(year)
        if not at.policy_or_pattern:
            continue  # before the 2019 report a state policy was not proof by itself
        tier = c.hist.get(year)
        source = {published.OFFICIAL: "the report's official list"}.get(
            hit.status, "a published list" if hit.status != "text flag"
            else "the report summary text (keyword flag)")
        placed = (f"placed on {label(tier)}" if tier else f"no placement in the panel for {year}")
        detail = (
            f"{c.name} is named by {source} for {year} as having a government policy or pattern "
            f"of trafficking ({hit.document}); by law that is proof of no significant efforts, "
            f"so Tier 3 ({at.cite('policy_or_pattern_is_proof')}); {placed}."
        )
        out.append(_event(c.iso3, c.name, year, "state_policy_or_pattern", tier, detail, _POLICY,
                          reason="R_T3_POLICY_OR_PATTERN",
                          derivation="list" if hit.status != "text flag" else "text flag",
                          evidence=hit.source_url or hit.evidence, certain=hit.certain,
                          **c.prov([year])))
        if tier is not None and tier != TIER3:
            out.append(_event(
                c.iso3, c.name, year, "violation", tier,
                f"{c.name} is named for {year} with a government policy or pattern of "
                f"trafficking yet placed on {label(tier)}; the law of {year} requires Tier 3 "
                f"({at.cite('policy_or_pattern_is_proof')}).",
                _POLICY, reason="R_T3_POLICY_OR_PATTERN", derivation="rule",
                evidence=hit.source_url or hit.evidence, **c.prov([year]),
            ))
    return out


def summary(events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Events per report year by kind (one row per year, one column per event kind)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(EVENTS, 0))
    for e in events:
        counts[int(e["year"])][str(e["event"])] += 1
    return [{"year": y, **counts[y]} for y in sorted(counts)]


def build_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Write ``law`` (dated parameters) and ``events`` (the audit of ``placements``)."""
    law = load_law()
    con.execute(
        "CREATE OR REPLACE TABLE law (parameter VARCHAR, from_year INTEGER, to_year INTEGER, "
        "value VARCHAR, citation VARCHAR, reading VARCHAR, description VARCHAR)"
    )
    con.executemany(
        "INSERT INTO law VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(r["parameter"], r["from_year"], r["to_year"], json.dumps(r["value"]), r["citation"],
          r["reading"] or None, r["description"]) for r in law.rows()],
    )
    rows = con.execute(
        "SELECT iso3, name, year, tier, basis, source FROM placements ORDER BY iso3, year"
    ).fetchall()
    placements = [dict(zip(("iso3", "name", "year", "tier", "basis", "source"), r, strict=True))
                  for r in rows]
    events = audit(placements, law)
    write_events(con, events)
    write_variables(con, panel_variables(placements, events, law))


def write_variables(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """The ``panel_variables`` table: streak and statutory variables per country-year."""
    con.execute(
        "CREATE OR REPLACE TABLE panel_variables (iso3 VARCHAR, year INTEGER, "
        "tier_streak INTEGER, watch_list_streak INTEGER, watch_list_counted INTEGER, "
        "auto_downgrade_next_year BOOLEAN, waiver_available_next_year BOOLEAN, "
        "waivers_used INTEGER, next_year_law INTEGER, PRIMARY KEY (iso3, year))"
    )
    if rows:
        con.executemany(
            f"INSERT INTO panel_variables VALUES ({', '.join('?' * len(VARIABLE_COLUMNS))})",
            [tuple(r[c] for c in VARIABLE_COLUMNS) for r in rows],
        )


def write_events(con: duckdb.DuckDBPyConnection, events: list[dict[str, Any]]) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE events (iso3 VARCHAR, name VARCHAR, year INTEGER, "
        "event VARCHAR, tier VARCHAR, detail VARCHAR, streak INTEGER, first_year INTEGER, "
        "last_year INTEGER, next_tier VARCHAR, waiver_no INTEGER, reason VARCHAR, "
        "statute VARCHAR, derivation VARCHAR, certain BOOLEAN, basis VARCHAR, sources VARCHAR, "
        "evidence VARCHAR)"
    )
    if events:
        con.executemany(
            f"INSERT INTO events VALUES ({', '.join('?' * len(COLUMNS))})",
            [tuple(e[c] for c in COLUMNS) for e in events],
        )
