"""Streaks and statutory position as panel variables: agree with the audit and the streaks."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import run_cli
from tipwatch.rules.audit import audit
from tipwatch.rules.variables import FIELDS, panel_variables
from tipwatch.store import reader as queries


@pytest.fixture(scope="module")
def db(store_db: Path):  # noqa: ANN201
    con = duckdb.connect(str(store_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def var(db) -> pd.DataFrame:  # noqa: ANN001
    return db.execute(
        "SELECT p.tier, v.* FROM panel_variables v JOIN placements p USING (iso3, year)"
    ).df().set_index(["iso3", "year"])


def test_one_row_per_placement(db, var) -> None:  # noqa: ANN001
    assert len(var) == db.execute("SELECT count(*) FROM placements").fetchone()[0]
    assert var.index.is_unique


def test_tier_streak_equals_the_streaks_of_country(db, var) -> None:  # noqa: ANN001
    for iso3 in ("PRK", "MYS", "THA", "TKM", "USA", "DZA"):
        runs = queries.country_history(db, iso3)["streaks"]
        for run in runs:
            last = var.loc[(iso3, run["last_year"])]
            assert last["tier_streak"] == run["length"], (iso3, run)
            assert last["tier"] == run["tier"]


def test_waivers_and_downgrades_agree_with_the_audit_events(db, var) -> None:  # noqa: ANN001
    events = db.execute("SELECT iso3, year, event, waiver_no, reason, certain FROM events "
                        "WHERE event IN ('waiver', 'auto_downgrade')").fetchall()
    assert len(events) > 100
    for iso3, year, event, waiver_no, reason, certain in events:
        if event == "waiver":
            assert var.loc[(iso3, year), "waivers_used"] == waiver_no
        if not certain or (iso3, year - 1) not in var.index:
            continue
        before = var.loc[(iso3, year - 1)]
        # the year before a waiver or a downgrade, staying on met the automatic downgrade
        assert before["auto_downgrade_next_year"], (iso3, year, event)
        if event == "waiver":
            assert before["waiver_available_next_year"], (iso3, year)
        elif reason == "R_T3_AUTO_DOWNGRADE_WAIVERS_EXHAUSTED":
            assert not before["waiver_available_next_year"], (iso3, year)


def test_no_watch_list_no_statutory_pressure(var) -> None:  # noqa: ANN001
    off = var[var.tier != "2WL"]
    assert (off.watch_list_streak == 0).all() and (off.waivers_used == 0).all()
    assert not off.auto_downgrade_next_year.fillna(True).any()
    on = var[var.tier == "2WL"]
    assert (on.watch_list_streak >= 1).all()
    assert (on.watch_list_counted <= on.watch_list_streak).all()


def test_pure_function_on_a_made_up_history() -> None:
    rows = [{"iso3": "AAA", "name": "Testland", "year": y, "tier": t}
            for y, t in {2017: "2", 2018: "2WL", 2019: "2WL", 2020: "2WL", 2021: "3"}.items()]
    got = {r["year"]: r for r in panel_variables(rows, audit(rows, waivers={}, policy_lists={}))}
    assert [got[y]["watch_list_streak"] for y in range(2017, 2022)] == [0, 1, 2, 3, 0]
    assert got[2019]["auto_downgrade_next_year"] and got[2019]["waiver_available_next_year"]
    assert got[2020]["waivers_used"] == 1
    # from the 2019 report one waiver at most: after a waiver year, none is left
    assert got[2020]["auto_downgrade_next_year"] and not got[2020]["waiver_available_next_year"]
    assert got[2018]["auto_downgrade_next_year"] is False


def test_a_missing_year_makes_the_next_year_uncertain() -> None:
    rows = [{"iso3": "AAA", "name": "Testland", "year": y, "tier": t}
            for y, t in {2015: "2WL", 2017: "2WL"}.items()]
    got = {r["year"]: r for r in panel_variables(rows, audit(rows, waivers={}, policy_lists={}))}
    assert got[2017]["auto_downgrade_next_year"] is None
    assert got[2017]["watch_list_streak"] == 1


def test_exports_and_tiers_carry_the_columns(store_db: Path, tmp_path: Path, var) -> None:  # noqa: ANN001
    names = [f["name"] for f in FIELDS]
    res = run_cli("export", "--format", "all", "--out", str(tmp_path), "--db", str(store_db))
    assert res.returncode == 0, res.stderr
    csv = pd.read_csv(tmp_path / "tip_tiers.csv")
    parquet = pd.read_parquet(tmp_path / "tip_tiers.parquet")
    dta = pd.read_stata(tmp_path / "tip_tiers.dta")
    js = pd.DataFrame(json.loads((tmp_path / "tip_tiers.json").read_text(encoding="utf-8")))
    for frame in (csv, parquet, dta, js):
        assert set(names) <= set(frame.columns)
        got = frame.set_index(["iso3", "year"])["tier_streak"].sort_index()
        assert (got.astype(int) == var["tier_streak"].sort_index().astype(int)).all()
    pkg = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    for res_ in pkg["resources"]:
        fields = {f["name"]: f for f in res_["schema"]["fields"]}
        for n in names:
            assert len(fields[n]["description"]) > 30
    out = run_cli("tiers", "--year", "2013", "--format", "json", "--db", str(store_db))
    rows = {r["iso3"]: r for r in json.loads(out.stdout)}
    assert rows["CHN"]["tier"] == "3" and rows["CHN"]["tier_streak"] == 1
    out = run_cli("tiers", "--year", "2012", "--format", "csv", "--db", str(store_db))
    header = out.stdout.splitlines()[0].split(",")
    assert "auto_downgrade_next_year" in header and "waivers_used" in header
