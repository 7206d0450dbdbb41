"""The audit rules of each report year: waivers, automatic downgrades, rule F, policy lists."""

from __future__ import annotations

from typing import Any

from tipwatch.rules import published
from tipwatch.rules.audit_events import (
    _CAP,
    _DOWNGRADE,
    _LISTS,
    _POLICY,
    _WAIVER,
    _Country,
    _event,
    _ordinal,
    _years,
)
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
from tipwatch.rules.law import Law


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
