"""Features of one country-year for the forecast of the next report, each with its words.

:func:`features` turns a country's tier history up to report year ``Y``, the law of ``Y + 1``
(automatic downgrade, waivers left, the post-downgrade cap), the published policy-or-pattern
lists and the facts of the year-``Y`` narrative (when the store has it) into named numbers.
:func:`describe` says what a feature's value means, for the reasons a forecast lists.
"""

from __future__ import annotations

from typing import Any

from tipwatch.analysis.inputs import RANK, Inputs
from tipwatch.rules.history import WATCH, auto_downgrades, watch_list_run, watch_list_runs_between
from tipwatch.rules.law import Law, LawYear

REGIONS = ("AF", "EAP", "EUR", "NEA", "SCA", "WHA")

#: Feature names, in model order.
NAMES: tuple[str, ...] = (
    "tier_1", "tier_2", "tier_2wl", "tier_3",
    "years_at_tier",
    "years_at_2", "years_at_2wl", "years_at_3",
    "moves_last_5", "downs_last_5", "ups_last_5",
    "watch_list_counted",
    "auto_downgrade_next",
    "waiver_available_next",
    "waivers_used",
    "post_downgrade_cap_next",
    "ever_auto_downgraded",
    "years_since_move",
    "last_move_up", "last_move_down",
    *(f"region_{r}" for r in REGIONS),
    "policy_or_pattern",
    "narrative",
    "no_increasing_efforts",
    "not_significant_efforts",
    "counts_fell",
    "counts_rose",
    "official_complicity",
    "watch_list_no_increasing",
)


def law_for(law: Law, year: int) -> tuple[LawYear, bool]:
    """The law of ``year``; past the encoded range, the law in force at its end (flagged)."""
    if year > law.latest_year:
        return law.at(law.latest_year), True
    return law.at(max(year, law.first_year)), False


def _years_at_tier(h: dict[int, str], year: int) -> int:
    tier, n, y = h[year], 0, year
    while h.get(y) == tier:
        n += 1
        y -= 1
    return n


def _last_move(h: dict[int, str], year: int) -> tuple[int, int]:
    """(years since the last change of rank, its direction: +1 up, -1 down, 0 none known)."""
    y = year
    while y - 1 in h and h[y - 1] in RANK and h[y] in RANK:
        if RANK[h[y - 1]] != RANK[h[y]]:
            return year - y + 1, (1 if RANK[h[y]] < RANK[h[y - 1]] else -1)
        y -= 1
    return year - y + 1, 0


def _recent_moves(h: dict[int, str], year: int, span: int = 5) -> tuple[int, int]:
    """(downgrades, upgrades) between consecutive ranked reports in the last ``span`` reports."""
    down = up = 0
    for y in range(year - span + 1, year + 1):
        a, b = h.get(y - 1), h.get(y)
        if a in RANK and b in RANK:
            down += RANK[b] > RANK[a]
            up += RANK[b] < RANK[a]
    return down, up


def _counts_change(narr: Any) -> tuple[int, int]:
    fell = rose = 0
    for c in narr.counts.values():
        v, p = c.get("value"), c.get("prior_value")
        if isinstance(v, int | float) and isinstance(p, int | float):
            fell += v < p
            rose += v > p
    return fell, rose


def features(inp: Inputs, iso3: str, year: int, law: Law) -> dict[str, float]:
    """The feature values of ``iso3`` placed in report ``year``, for the report ``year + 1``."""
    h = inp.hist[iso3]
    tier = h[year]
    nxt, _ = law_for(law, year + 1)
    run = watch_list_run(h, year + 1, law) if nxt.year == year + 1 else _run_beyond(h, year, law)
    counted = run.lo if tier == WATCH else 0
    k = nxt.consecutive_years
    auto = bool(nxt.auto_downgrade and tier == WATCH and k and counted >= k)
    waiver_no = counted - k + 1 if auto else 0
    waiver_left = auto and waiver_no <= nxt.max_waivers
    used = max(0, counted - k) if tier == WATCH and k else 0
    cap_next = _cap_binds(h, year, law, nxt)
    since, direction = _last_move(h, year)
    region = inp.regions.get(iso3)
    listed = inp.policy.get((year, iso3))
    narr = inp.narratives.get((iso3, year))
    ts = (narr.tier_statement or {}) if narr else {}
    fell, rose = _counts_change(narr) if narr else (0, 0)
    at_tier = float(min(_years_at_tier(h, year), 10))
    downs, ups = _recent_moves(h, year)
    out = {
        "tier_1": float(tier == "1"), "tier_2": float(tier == "2"),
        "tier_2wl": float(tier == WATCH), "tier_3": float(tier == "3"),
        "years_at_tier": at_tier,
        "years_at_2": at_tier * (tier == "2"), "years_at_2wl": at_tier * (tier == WATCH),
        "years_at_3": at_tier * (tier == "3"),
        "moves_last_5": float(downs + ups), "downs_last_5": float(downs),
        "ups_last_5": float(ups),
        "watch_list_counted": float(counted),
        "auto_downgrade_next": float(auto and not waiver_left),
        "waiver_available_next": float(waiver_left),
        "waivers_used": float(used),
        "post_downgrade_cap_next": float(cap_next),
        "ever_auto_downgraded": float(bool(auto_downgrades(h, law, before=year + 1)
                                           if year <= law.latest_year else 0)),
        "years_since_move": float(min(since, 10)),
        "last_move_up": float(direction == 1), "last_move_down": float(direction == -1),
        **{f"region_{r}": float(region == r) for r in REGIONS},
        "policy_or_pattern": float(listed is not None),
        "narrative": float(narr is not None),
        "no_increasing_efforts": float(bool(ts.get("no_increasing_efforts"))),
        "not_significant_efforts": float(bool(ts.get("not_significant_efforts"))),
        "counts_fell": float(fell), "counts_rose": float(rose),
        "official_complicity": float(bool(narr and narr.state_involvement)),
        "watch_list_no_increasing": float(tier == WATCH and bool(ts.get("no_increasing_efforts"))),
    }
    return out


def _run_beyond(h: dict[int, str], year: int, law: Law) -> Any:
    """The watch-list run before a year past the law's range (counted under its last law)."""
    shifted = {y: t for y, t in h.items() if y <= year}
    last = law.latest_year
    # count the run ending at ``year`` as the law of ``last`` would count a run before ``last``
    offset = year + 1 - last
    moved = {y - offset: t for y, t in shifted.items()}
    return watch_list_run(moved, last, law)


def _cap_binds(h: dict[int, str], year: int, law: Law, nxt: LawYear) -> bool:
    """Rule F: the country may not stay on the Watch List in ``year + 1``."""
    cap = nxt.cap
    if not cap.get("in_force") or h.get(year) != WATCH or year > law.latest_year:
        return False
    start = cap.get("downgrades_from")
    downs = [d for d in auto_downgrades(h, law, before=year + 1) if start and d >= start]
    if not downs:
        return False
    d = max(downs)
    if cap.get("scope", "first_run") == "first_run" and \
            watch_list_runs_between(h, d, year + 1) != 1:
        return False  # the cap binds the first Watch List run after the downgrade only
    n, y = 0, year
    while y > d and h.get(y) == WATCH:
        n += 1
        y -= 1
    return n >= int(cap.get("max_consecutive_years") or 1)


_TIER_WORDS = {"tier_1": "Tier 1", "tier_2": "Tier 2", "tier_2wl": "Tier 2 Watch List",
               "tier_3": "Tier 3"}


def describe(name: str, value: float, year: int) -> str:
    """A feature value in words (``year`` is the report the features are read from)."""
    v = int(value)
    if name in _TIER_WORDS:
        return f"placed on {_TIER_WORDS[name]} in {year}" if v else \
            f"not on {_TIER_WORDS[name]} in {year}"
    if name.startswith("region_"):
        return f"in the {name[7:]} region" if v else f"outside the {name[7:]} region"
    words = {
        "years_at_tier": f"{v} consecutive report{'s' if v != 1 else ''} at the same tier"
                         f"{' (or more)' if v >= 10 else ''}",
        "watch_list_counted": f"{v} counted consecutive Watch List year{'s' if v != 1 else ''}",
        "auto_downgrade_next": "the automatic downgrade applies in the next report (no waiver "
                               "left)" if v else "no automatic downgrade due next report",
        "waiver_available_next": "staying on the Watch List next report needs a waiver, and "
                                 "one is still available" if v else "no waiver decision due",
        "waivers_used": f"{v} waiver{'s' if v != 1 else ''} of the automatic downgrade used "
                        "in the current run",
        "post_downgrade_cap_next": "the post-downgrade cap (rule F) bars another Watch List "
                                   "year" if v else "the post-downgrade cap does not bind",
        "ever_auto_downgraded": "automatically downgraded before" if v
                                else "never automatically downgraded",
        "years_since_move": f"{v} report{'s' if v != 1 else ''} since the last change of tier"
                            f"{' (or more)' if v >= 10 else ''}",
        "last_move_up": "the last change was an upgrade" if v else "the last change was not an "
                                                                  "upgrade",
        "last_move_down": "the last change was a downgrade" if v else "the last change was not "
                                                                      "a downgrade",
        "policy_or_pattern": f"named with a government policy or pattern of trafficking in "
                             f"{year}" if v else "not named with a policy or pattern",
        "narrative": f"the {year} narrative's facts are in the store" if v else
                     f"no {year} narrative facts in the store",
        "no_increasing_efforts": "the narrative says the government did not demonstrate "
                                 "overall increasing efforts" if v else
                                 "no statement of a lack of increasing efforts",
        "not_significant_efforts": "the narrative says the government is not making "
                                   "significant efforts" if v else
                                   "no statement of a lack of significant efforts",
        "counts_fell": f"{v} law-enforcement count{'s' if v != 1 else ''} fell from the prior "
                       "period",
        "counts_rose": f"{v} law-enforcement count{'s' if v != 1 else ''} rose from the prior "
                       "period",
        "official_complicity": "the narrative describes official complicity" if v else
                               "no official complicity described",
        "years_at_2": f"{v} consecutive report{'s' if v != 1 else ''} on Tier 2",
        "years_at_2wl": f"{v} consecutive report{'s' if v != 1 else ''} on the Watch List",
        "years_at_3": f"{v} consecutive report{'s' if v != 1 else ''} on Tier 3",
        "moves_last_5": f"{v} change{'s' if v != 1 else ''} of tier in the last five reports",
        "downs_last_5": f"{v} downgrade{'s' if v != 1 else ''} in the last five reports",
        "ups_last_5": f"{v} upgrade{'s' if v != 1 else ''} in the last five reports",
        "watch_list_no_increasing": "on the Watch List with no overall increasing efforts "
                                    "stated" if v else "not a Watch List placement for lack of "
                                    "increasing efforts",
    }
    return words.get(name, f"{name} = {value:g}")
