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

The store step :mod:`tipwatch.store.steps.audit` saves the events, the law and the panel
variables as tables. The rule of each report year is in :mod:`tipwatch.rules.audit_years`,
the event record and the per-country view in :mod:`tipwatch.rules.audit_events`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from tipwatch.rules import published
from tipwatch.rules.audit_events import _LISTS, COLUMNS, EVENTS, _Country, _event, _years
from tipwatch.rules.audit_years import _memo_only_waivers, _policy, _year_events
from tipwatch.rules.history import WATCH, label
from tipwatch.rules.law import Law, load_law

__all__ = ["COLUMNS", "EVENTS", "audit", "summary"]


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

def summary(events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Events per report year by kind (one row per year, one column per event kind)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(EVENTS, 0))
    for e in events:
        counts[int(e["year"])][str(e["event"])] += 1
    return [{"year": y, **counts[y]} for y in sorted(counts)]
