"""Tier histories: the watch-list run before a year and earlier automatic downgrades.

A history maps report year -> tier string (``"1"``, ``"2"``, ``"2WL"``, ``"3"``, ``"special"``,
``"1or2"``). A missing year is *unknown*: it is neither a break nor a continuation, so every
count comes as a pair ``(lo, hi)`` — ``lo`` reads each missing year as a break, ``hi`` as a
watch-list year — plus the missing years that make them differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tipwatch.rules.law import Law
from tipwatch.tiers import TIER_LABELS

WATCH = "2WL"
TIER3 = "3"
SPECIAL = "special"
TIER_ORDER = {"1": 0, "1or2": 1, "2": 1, "2WL": 2, "3": 3}
TIER_LABEL = TIER_LABELS


def label(tier: str | None) -> str:
    return "no placement" if tier is None else TIER_LABEL.get(tier, tier)


@dataclass(frozen=True)
class Run:
    """Counted consecutive watch-list years immediately before a report year."""

    lo: int
    hi: int
    first_year: int | None  # first counted year of the run (lo reading)
    gaps: tuple[int, ...]  # missing years that make lo and hi differ

    @property
    def certain(self) -> bool:
        return self.lo == self.hi


def watch_list_run(history: Mapping[int, str], year: int, law: Law) -> Run:
    """The run of counted watch-list years before ``year`` (counting from the law's start)."""
    at = law.at(year)
    start = at.count_start
    if start is None:
        return Run(0, 0, None, ())
    lo = hi = 0
    first: int | None = None
    gaps: list[int] = []
    lo_open = True
    y = year - 1
    while y >= start:
        tier = history.get(y)
        if tier is None:
            if y < min(history, default=year):
                break  # before the country's first placement: nothing to count
            gaps.append(y)
            lo_open = False
            hi += 1
        elif tier == WATCH:
            hi += 1
            if lo_open:
                lo += 1
                first = y
        elif tier == SPECIAL and not at.special_case_breaks_run:
            pass  # read as neither a watch-list year nor a break
        else:
            break
        y -= 1
    if lo == hi:
        gaps = []
    return Run(lo, hi, first, tuple(sorted(gaps)))


def auto_downgrades(history: Mapping[int, str], law: Law, before: int) -> list[int]:
    """Years before ``before`` in which Tier 3 followed enough counted watch-list years."""
    found = []
    for y in sorted(history):
        if y >= before or history[y] != TIER3:
            continue
        if not law.at(y).auto_downgrade:
            continue
        if watch_list_run(history, y, law).lo >= law.at(y).consecutive_years:
            found.append(y)
    return found


def current_run_since(history: Mapping[int, str], year: int, after: int) -> int:
    """Consecutive watch-list years immediately before ``year`` that lie after ``after``."""
    n = 0
    y = year - 1
    while y > after and history.get(y) == WATCH:
        n += 1
        y -= 1
    return n


def watch_list_runs_between(history: Mapping[int, str], after: int, year: int) -> int:
    """Number of distinct watch-list runs that started after ``after`` and before ``year``."""
    runs = 0
    prev = None
    for y in range(after + 1, year):
        tier = history.get(y)
        if tier == WATCH and prev != WATCH:
            runs += 1
        prev = tier
    return runs
