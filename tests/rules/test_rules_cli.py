"""The assess and audit commands, run as a user runs them (subprocess, real store)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import run_cli

FULL_WAIVER = ("waiver: {written_plan: true, plan_would_be_significant_efforts: true, "
               "sufficient_resources: true, granted: true}\n")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _one_line_error(res, *needles: str) -> None:  # noqa: ANN001
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and res.stdout == ""
    text = " ".join(res.stderr.split())
    for needle in needles:
        assert needle in text, text


def test_assess_uses_the_store_history(tmp_path: Path, store_db: Path) -> None:
    """Malaysia 2021 after the 2018-2020 watch-list run: the one-year waiver is used up."""
    f = _write(tmp_path, "my.yaml",
               "country: Malaysia\nreport_year: 2021\nfully_complies: false\n"
               "significant_efforts: true\nincreasing_efforts: false\n" + FULL_WAIVER)
    res = run_cli("assess", str(f), "--format", "json", "--explain", "--db", str(store_db))
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["iso3"] == "MYS" and data["tier"] == "3"
    assert data["history_from"] == "the store"
    assert [r["code"] for r in data["reasons"]][-1] == "R_T3_AUTO_DOWNGRADE_WAIVERS_EXHAUSTED"
    assert any("7107(d)" in c for c in data["consequences"])
    assert any("counted watch-list years just before 2021: 3" in p for p in data["path"])


def test_assess_history_in_the_file_wins(tmp_path: Path, store_db: Path) -> None:
    f = _write(tmp_path, "my.json", json.dumps({
        "country": "MYS", "report_year": 2021, "fully_complies": False,
        "significant_efforts": True, "increasing_efforts": False,
        "history": {"2019": "2", "2020": "2WL"},
    }))
    res = run_cli("assess", str(f), "--format", "json", "--db", str(store_db))
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["tier"] == "2WL" and data["history_from"] == "the assessment file"
    assert "path" not in data


def test_assess_explain_prints_the_decision_path(tmp_path: Path, store_db: Path) -> None:
    f = _write(tmp_path, "cn.yaml",
               "country: People's Republic of China\nreport_year: 2017\nfully_complies: false\n"
               "significant_efforts: true\nincreasing_efforts: false\n"
               "evidence: {b7: official complicity not addressed}\n")
    res = run_cli("assess", str(f), "--explain", "--db", str(store_db))
    assert res.returncode == 0, res.stderr
    out = " ".join(res.stdout.split())
    assert "Tier 3" in out and "R_T3_AUTO_DOWNGRADE_NO_WAIVER" in out
    assert "Decision path:" in out and "waiver no. 2 not granted" in out
    assert "official complicity not addressed" in out


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ("country: Malaysia\nreport_year: 2021\nfully_complies: false\n"
         "significant_efforts: maybe\n", ("line 4, column 22", "significant_efforts")),
        ("country: Malaysia\nreport_year: 2021\nfully_complies: false\n"
         "significant_efforts: true\ncolour: red\n", ("line 5", "colour", "unknown field")),
        ("country: Malaysia\nreport_year: 2021\nfully_complies: false\nsignificant_efforts: true\n"
         "policy_or_pattern: [forced_labour]\n", ("line 5", "policy_or_pattern.0")),
        ("country: Malaysia\nreport_year: [2021\n", ("line", "not valid YAML/JSON")),
        ("- just\n- a list\n", ("must be a mapping",)),
    ],
)
def test_malformed_assessment_names_field_and_position(
    tmp_path: Path, store_db: Path, text: str, needles: tuple[str, ...]
) -> None:
    f = _write(tmp_path, "bad.yaml", text)
    res = run_cli("assess", str(f), "--db", str(store_db))
    _one_line_error(res, "bad.yaml", *needles)


def test_unknown_country_and_year_out_of_range(tmp_path: Path, store_db: Path) -> None:
    f = _write(tmp_path, "x.yaml", "country: Atlantis\nreport_year: 2020\n"
               "fully_complies: false\nsignificant_efforts: true\n")
    _one_line_error(run_cli("assess", str(f), "--db", str(store_db)), "unknown country",
                    "Atlantis")
    f = _write(tmp_path, "y.yaml", "country: Chad\nreport_year: 1999\n"
               "fully_complies: false\nsignificant_efforts: true\n")
    _one_line_error(run_cli("assess", str(f), "--db", str(store_db)), "1999", "outside")
    _one_line_error(run_cli("assess", str(tmp_path / "none.yaml"), "--db", str(store_db)),
                    "no such file")


def test_audit_summary_counts_per_year(store_db: Path) -> None:
    res = run_cli("audit", "--summary", "--format", "json", "--db", str(store_db))
    assert res.returncode == 0, res.stderr
    rows = {r["year"]: r for r in json.loads(res.stdout)}
    full = run_cli("audit", "--format", "json", "--db", str(store_db))
    events = json.loads(full.stdout)
    for year, row in rows.items():
        n = sum(1 for e in events if e["year"] == year and e["event"] == "waiver")
        assert row["waiver"] == n
    assert rows[2013]["waiver"] >= 12 and rows[2013]["auto_downgrade"] >= 3
    assert all(rows[y]["waiver"] == 0 for y in rows if y < 2011)


def test_audit_filters_and_formats(store_db: Path) -> None:
    res = run_cli("audit", "--country", "Malaysia", "--event", "auto_downgrade", "--format",
                  "json", "--db", str(store_db))
    assert res.returncode == 0, res.stderr
    events = json.loads(res.stdout)
    assert {e["year"] for e in events} >= {2014, 2021}
    assert all({"country", "iso3", "year", "event", "detail"} <= e.keys() for e in events)
    assert all(e["iso3"] == "MYS" and e["event"] == "auto_downgrade" for e in events)
    res = run_cli("audit", "--year", "2015", "--event", "waiver", "--format", "csv",
                  "--db", str(store_db))
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and all(r["year"] == "2015" for r in rows)
    assert all("confirmed by memo" in r["derivation"] for r in rows)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--year", "1990"), "1990"),
        (("--country", "Narnia"), "unknown country"),
        (("--event", "downgrade"), "unknown event"),
    ],
)
def test_audit_bad_input(store_db: Path, args: tuple[str, ...], needle: str) -> None:
    _one_line_error(run_cli("audit", *args, "--db", str(store_db)), needle)


def test_audit_on_a_store_without_events(tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE years (year INTEGER, status VARCHAR)")
    _one_line_error(run_cli("audit", "--db", str(db)), "no audit events", "tipwatch build")


def test_audit_events_carry_provenance(store_db: Path) -> None:
    res = run_cli("audit", "--country", "China", "--year", "2013", "--format", "json",
                  "--db", str(store_db))
    events = json.loads(res.stdout)
    (down,) = [e for e in events if e["event"] == "auto_downgrade"]
    assert down["sources"] and "2012=" in down["sources"] and down["basis"]
    assert "2009" in down["detail"] and "7107(b)(2)(D)" in down["detail"] + down["statute"]


def test_law_command_resolves_one_year() -> None:
    res = run_cli("law", "--year", "2019", "--format", "json")
    assert res.returncode == 0, res.stderr
    rows = {r["parameter"]: r for r in json.loads(res.stdout)}
    assert rows["max_waiver_years"]["value"] == 1
    assert "115-427" in rows["max_waiver_years"]["citation"]
    assert rows["post_downgrade_cap"]["reading"]
    old = {r["parameter"]: r for r in json.loads(run_cli("law", "--year", "2012", "--format",
                                                         "json").stdout)}
    assert old["max_waiver_years"]["value"] == 2
    _one_line_error(run_cli("law", "--year", "1990"), "1990", "outside")
