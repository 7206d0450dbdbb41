"""Queries and their CLI: tiers, country (history and streaks), changes, coverage."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest

from conftest import run_cli
from tipwatch import panel
from tipwatch import tiers as tier_codes
from tipwatch.errors import BadInputError, UnknownYearError
from tipwatch.paths import DATA_DIR
from tipwatch.store import reader as queries


@pytest.fixture(scope="module")
def con(store_db):
    c = duckdb.connect(str(store_db), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def df():
    return panel.load_placements()


def test_tiers_json_shape_and_content(store_db, df) -> None:
    res = run_cli("tiers", "--year", "2013", "--format", "json", "--db", str(store_db))
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    expected = df[df.year == 2013]
    assert len(rows) == len(expected)
    for r in rows:
        assert {"country", "iso3", "year", "tier", "source", "basis"} <= set(r)
        assert r["tier"] in tier_codes.TIERS and r["year"] == 2013
    assert {r["iso3"]: r["tier"] for r in rows} == dict(
        zip(expected.iso3, expected.tier, strict=True)
    )


def test_tiers_filters(con, df) -> None:
    t3 = queries.tiers(con, 2022, tier="3")
    assert {r["iso3"] for r in t3} == set(df[(df.year == 2022) & (df.tier == "3")].iso3)
    wl = queries.tiers(con, 2022, tier="Tier 2 Watch List", region="af")
    assert wl and all(r["tier"] == "2WL" and r["region"] == "AF" for r in wl)
    with pytest.raises(BadInputError):
        queries.tiers(con, 2022, tier="4")
    with pytest.raises(BadInputError):
        queries.tiers(con, 2022, region="Mars")


def test_year_validation(con) -> None:
    with pytest.raises(UnknownYearError):
        queries.resolve_year(con, 1999)
    with pytest.raises(UnknownYearError):
        queries.resolve_year(con, "next year")
    latest = queries.resolve_year(con, "latest")
    statuses = {r["year"]: r["status"] for r in queries.years(con)}
    assert statuses[latest] == "complete"
    assert all(s != "complete" for y, s in statuses.items() if y > latest)


@pytest.mark.parametrize("args", [["--year", "1990"], ["--year", "abc"], ["--tier", "9"]])
def test_cli_bad_query_input_exits_2(store_db, args) -> None:
    res = run_cli("tiers", *args, "--db", str(store_db))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and res.stderr.strip()


def _expected_current_run(df, iso3):
    hist = df[df.iso3 == iso3].set_index("year")["tier"].to_dict()
    last = max(hist)
    n, y = 0, last
    while y in hist and hist[y] == hist[last]:
        n += 1
        y -= 1
    # a run after an unknown year (with an earlier known year) may be longer than shown
    gap_before = y not in hist and any(h < y for h in hist)
    return hist[last], n, gap_before


@pytest.mark.parametrize(
    "name",
    [
        "North Korea",
        "Burma",
        "Malaysia",
        "Somalia",
        "Chad",
        "Netherlands Antilles",
        "Kosovo",
        "United States",
    ],
)
def test_country_history_and_current_streak(con, df, name) -> None:
    data = queries.country_history(con, name)
    sub = df[df.iso3 == data["iso3"]].sort_values("year")
    assert [h["year"] for h in data["history"]] == sub.year.tolist()
    assert [h["tier"] for h in data["history"]] == sub.tier.tolist()
    assert data["first_year"] == sub.year.min() and data["last_year"] == sub.year.max()
    tier, n, gap = _expected_current_run(df, data["iso3"])
    last_run = data["streaks"][-1]
    assert (last_run["tier"], last_run["length"]) == (tier, n)
    assert last_run["after_gap"] == gap
    assert sum(s["length"] for s in data["streaks"]) == len(sub)
    # "current" is the newest report year of the panel, never an older year shown as current
    newest = int(df.year.max())
    placed = int(sub.year.max()) == newest
    assert data["standing"]["placed"] is placed and data["standing"]["newest_year"] == newest
    assert (data["current_streak"] == last_run) if placed else data["current_streak"] is None
    assert [s["current"] for s in data["streaks"]].count(True) == (1 if placed else 0)


def test_a_country_missing_from_the_newest_year_says_so(con, df) -> None:
    newest = int(df.year.max())
    status = con.execute("SELECT status FROM years WHERE year = ?", [newest]).fetchone()[0]
    placed = set(df[df.year == newest].iso3)
    absent = sorted(set(df[df.year == newest - 1].iso3) - placed)
    assert absent, "every country of the previous year is placed in the newest year"
    for iso3 in absent[:5]:
        data = queries.country_history(con, iso3)
        text = data["standing"]["text"]
        assert text.startswith(f"not in the {newest} panel: the {newest} year is {status}")
        assert str(data["standing"]["year"]) in text and data["current_streak"] is None
    data = queries.country_history(con, sorted(placed)[0])
    assert data["standing"]["text"].endswith(f"in the {newest} report")


def test_country_lists_its_policy_or_pattern_findings(con) -> None:
    official = {}
    with (DATA_DIR / "policy_or_pattern.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            official.setdefault(row["iso3"], set()).add(int(row["year"]))
    assert {"KHM", "TKM"} <= set(official)
    for iso3, years in official.items():
        found = queries.country_history(con, iso3)["policy_or_pattern"]
        assert {r["year"] for r in found} == years, iso3
        assert all(r["certain"] for r in found)
    assert 2025 in official["KHM"] and 2025 not in official["TKM"]


def test_streak_text_reads_like_the_report(con) -> None:
    cur = queries.country_history(con, "PRK")["current_streak"]
    assert cur["text"].startswith(f"Tier 3 for the {cur['length']}")
    assert "consecutive year" in cur["text"]
    runs = queries.streaks_of(
        [{"year": 2022, "tier": "2WL"}, {"year": 2023, "tier": "2WL"}], {2021, 2022, 2023}
    )
    assert runs[-1]["text"].startswith("2nd consecutive year on Tier 2 Watch List")


def test_gap_year_breaks_a_run(con) -> None:
    runs = queries.streaks_of(
        [{"year": 2018, "tier": "3"}, {"year": 2020, "tier": "3"}], {2018, 2019, 2020}
    )
    assert len(runs) == 2 and runs[1]["after_gap"] and "at least" in runs[1]["text"]


def test_country_json_shape(store_db) -> None:
    res = run_cli("country", "Côte d'Ivoire", "--format", "json", "--db", str(store_db))
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["iso3"] == "CIV" and data["name"] == "Côte d'Ivoire"
    assert {"iso3", "name", "history", "streaks"} <= set(data)
    assert all({"year", "tier", "source"} <= set(h) for h in data["history"])


def test_changes_match_the_panel(con, df) -> None:
    for year in (2014, 2021, 2024):
        got = {r["iso3"]: r for r in queries.changes(con, year)}
        cur = df[df.year == year].set_index("iso3").tier
        prev = df[df.year == year - 1].set_index("iso3").tier
        both = cur.index.intersection(prev.index)
        moved = {i for i in both if cur[i] != prev[i]}
        assert set(got) == moved
        for iso3, r in got.items():
            a, b = tier_codes.TIER_RANK.get(prev[iso3]), tier_codes.TIER_RANK.get(cur[iso3])
            if a is not None and b is not None and "1or2" not in (prev[iso3], cur[iso3]):
                assert r["direction"] == ("upgrade" if b < a else "downgrade")


def test_coverage_counts_and_status(con, df) -> None:
    rows = queries.coverage(con)
    assert [r["year"] for r in rows] == list(range(2001, int(df.year.max()) + 1))
    for r in rows:
        sub = df[df.year == r["year"]]
        assert r["n_placements"] == len(sub)
        assert r["n_2wl"] == int((sub.tier == "2WL").sum())
        assert r["n_deduced"] == int((sub.basis == "deduced").sum())
        assert r["status"] in {"complete", "partial", "missing"}
    by_year = {r["year"]: r for r in rows}
    # 2019: every one of the 187 stated entities is known; 2025: 119 of 188.
    assert by_year[2019]["status"] == "complete" and by_year[2019]["n_placements"] == 187
    assert by_year[2025]["status"] == "partial" and by_year[2025]["n_placements"] < 188


def test_cli_coverage_and_changes_run(store_db) -> None:
    res = run_cli("coverage", "--format", "csv", "--db", str(store_db))
    assert res.returncode == 0 and res.stdout.startswith("year,status")
    res = run_cli("changes", "--year", "2013", "--format", "json", "--db", str(store_db))
    rows = json.loads(res.stdout)
    china = [r for r in rows if r["iso3"] == "CHN"]
    assert china and china[0]["to_tier"] == "3" and china[0]["direction"] == "downgrade"
