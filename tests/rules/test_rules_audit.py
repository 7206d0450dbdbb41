"""The audit: events derived from tier histories, gaps, cross-checks, and the store tables."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tipwatch.panel import load_placements
from tipwatch.rules import published
from tipwatch.rules.audit import EVENTS, audit, summary


def _rows(hist: dict[int, str], iso3: str = "AAA", name: str = "Testland") -> list[dict]:
    return [{"iso3": iso3, "name": name, "year": y, "tier": t} for y, t in hist.items()]


def _ev(events: list[dict], kind: str) -> list[dict]:
    return [e for e in events if e["event"] == kind]


def test_waivers_and_downgrade_are_derived_from_the_history() -> None:
    hist = {2009: "2WL", 2010: "2WL", 2011: "2WL", 2012: "2WL", 2013: "3"}
    ev = audit(_rows(hist), waivers={}, policy_lists={})
    waivers = _ev(ev, "waiver")
    assert [(e["year"], e["waiver_no"]) for e in waivers] == [(2011, 1), (2012, 2)]
    (down,) = _ev(ev, "auto_downgrade")
    assert down["year"] == 2013 and down["reason"] == "R_T3_AUTO_DOWNGRADE_WAIVERS_EXHAUSTED"
    assert "7107(b)(2)(D)" in down["statute"] and down["certain"]
    (streak,) = _ev(ev, "watch_list_streak")
    assert (streak["streak"], streak["first_year"], streak["last_year"], streak["next_tier"]) == (
        4, 2009, 2012, "3")
    assert not _ev(ev, "violation")


def test_withheld_waiver_is_a_downgrade_with_its_own_reason() -> None:
    ev = audit(_rows({2014: "2WL", 2015: "2WL", 2016: "2WL", 2017: "3"}), waivers={},
               policy_lists={})
    (down,) = _ev(ev, "auto_downgrade")
    assert down["reason"] == "R_T3_AUTO_DOWNGRADE_NO_WAIVER" and down["waiver_no"] == 1


def test_runs_count_only_from_2009() -> None:
    ev = audit(_rows({2005: "2WL", 2006: "2WL", 2007: "2WL", 2008: "2WL", 2009: "2WL",
                      2010: "3"}), waivers={}, policy_lists={})
    assert not _ev(ev, "auto_downgrade") and not _ev(ev, "waiver")
    (streak,) = _ev(ev, "watch_list_streak")
    assert streak["streak"] == 5 and streak["reason"] == "counted=1"


def test_too_many_watch_list_years_is_a_violation_under_each_law() -> None:
    old = audit(_rows({y: "2WL" for y in range(2011, 2016)}), waivers={}, policy_lists={})
    assert [e["year"] for e in _ev(old, "violation")] == [2015]  # 5th year > 4
    new = audit(_rows({y: "2WL" for y in range(2019, 2023)}), waivers={}, policy_lists={})
    assert [e["year"] for e in _ev(new, "violation")] == [2022]  # 4th year > 3


def test_special_case_breaks_the_run() -> None:
    ev = audit(_rows({2010: "2WL", 2011: "2WL", 2012: "special", 2013: "2WL", 2014: "2WL",
                      2015: "2"}), waivers={}, policy_lists={})
    assert not _ev(ev, "waiver")
    assert [e["year"] for e in _ev(ev, "special_case")] == [2012]


def test_a_missing_year_is_neither_break_nor_continuation() -> None:
    ev = audit(_rows({2011: "2WL", 2013: "2WL", 2014: "2"}), waivers={}, policy_lists={})
    (gap,) = _ev(ev, "gap")
    assert gap["year"] == 2012 and not gap["certain"]
    (waiver,) = _ev(ev, "waiver")  # 2013 needs a waiver only if 2012 was on the watch list
    assert waiver["year"] == 2013 and waiver["certain"] is False and "2012" in waiver["detail"]
    # under the 2019+ law the same gap may hide one watch-list year too many
    ev = audit(_rows({2017: "2WL", 2018: "2WL", 2020: "2WL", 2021: "2"}), waivers={},
               policy_lists={})
    (violation,) = _ev(ev, "violation")
    assert violation["year"] == 2020 and violation["certain"] is False
    assert not _ev(ev, "waiver")


def test_memo_cross_check_and_memo_only_waivers() -> None:
    memo = published.Listing(2013, "AAA", "Testland", "verified", "Memo 2013", "https://x.test/m")
    hist = {2011: "2WL", 2012: "2WL", 2013: "2WL", 2014: "2"}
    ev = audit(_rows(hist), waivers={(2013, "AAA"): memo}, policy_lists={})
    (w,) = _ev(ev, "waiver")
    assert w["derivation"] == "rule, confirmed by memo" and w["evidence"] == "https://x.test/m"
    # the same memo when the panel has no row that year: a waiver from the memo only
    ev = audit(_rows({2011: "2WL", 2012: "2WL", 2014: "2"}), waivers={(2013, "AAA"): memo},
               policy_lists={})
    (w,) = _ev(ev, "waiver")
    assert w["derivation"] == "memo only" and w["tier"] is None


def test_policy_or_pattern_needs_tier_3_from_2019_only() -> None:
    lst = {
        (y, "AAA"): published.Listing(y, "AAA", "Testland", "verified", "list", "https://x.test")
        for y in (2016, 2020, 2021)
    }
    ev = audit(_rows({2016: "2", 2020: "3", 2021: "2WL"}), waivers={}, policy_lists=lst)
    assert [e["year"] for e in _ev(ev, "state_policy_or_pattern")] == [2020, 2021]
    assert [e["year"] for e in _ev(ev, "violation")] == [2021]


def test_rule_f_cap_and_its_violation() -> None:
    capped = audit(_rows({2019: "2WL", 2020: "2WL", 2021: "3", 2022: "2WL", 2023: "2"}),
                   waivers={}, policy_lists={})
    reached, barred = _ev(capped, "post_downgrade_cap")
    assert (reached["year"], reached["tier"], reached["reason"]) == (2022, "2WL", "R_F_CAP_REACHED")
    assert (barred["year"], barred["tier"]) == (2023, "2") and barred["first_year"] == 2022
    broken = audit(_rows({2019: "2WL", 2020: "2WL", 2021: "3", 2022: "2WL", 2023: "2WL"}),
                   waivers={}, policy_lists={})
    assert [(e["year"], e["reason"]) for e in _ev(broken, "violation")] == [
        (2023, "R_F_POST_DOWNGRADE_TWL_LIMIT")]


def test_summary_counts_every_event() -> None:
    ev = audit(load_placements().to_dict("records"))
    rows = summary(ev)
    assert sum(sum(r[k] for k in EVENTS) for r in rows) == len(ev)
    years = [r["year"] for r in rows]
    assert years == sorted(years)


def test_bundled_panel_reproduces_the_memo_years() -> None:
    """Where a full memo list was read (2013, 2015), the rule implies exactly that set."""
    ev = audit(load_placements().to_dict("records"))
    memos = published.waivers()
    for year in (2013, 2015):
        derived = {e["iso3"] for e in ev if e["event"] == "waiver" and e["year"] == year
                   and e["derivation"].startswith("rule")}
        assert derived == {iso for (y, iso) in memos if y == year}, year


def test_store_has_events_and_law(store_db: Path) -> None:
    with duckdb.connect(str(store_db), read_only=True) as con:
        n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        kinds = {k for (k,) in con.execute("SELECT DISTINCT event FROM events").fetchall()}
        n_law = con.execute("SELECT count(*) FROM law").fetchone()[0]
        missing_detail = con.execute(
            "SELECT count(*) FROM events WHERE detail IS NULL OR statute IS NULL").fetchone()[0]
    assert n_events == len(audit(load_placements().to_dict("records")))
    assert kinds <= set(EVENTS) and {"waiver", "auto_downgrade"} <= kinds
    assert n_law > 10 and missing_detail == 0
