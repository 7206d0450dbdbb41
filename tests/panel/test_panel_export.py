"""Exports: csv, parquet, json, dta and a Frictionless datapackage.json, all equal."""

from __future__ import annotations

import json

import pandas as pd

from conftest import run_cli
from tipwatch import load_placements


def test_export_all_formats_round_trip(store_db, tmp_path) -> None:
    out = tmp_path / "exp"
    res = run_cli("export", "--out", str(out), "--db", str(store_db))
    assert res.returncode == 0, res.stderr
    panel = load_placements().sort_values(["iso3", "year"]).reset_index(drop=True)
    frames = {
        "csv": pd.read_csv(out / "tip_tiers.csv", dtype={"tier": str}, keep_default_na=False),
        "parquet": pd.read_parquet(out / "tip_tiers.parquet"),
        "json": pd.DataFrame(json.loads((out / "tip_tiers.json").read_text())),
        "dta": pd.read_stata(out / "tip_tiers.dta"),
    }
    for fmt, df in frames.items():
        assert len(df) == len(panel), fmt
        assert df["iso3"].tolist() == panel["iso3"].tolist(), fmt
        assert df["tier"].astype(str).tolist() == panel["tier"].tolist(), fmt
        assert df["basis"].tolist() == panel["basis"].tolist(), fmt
    pkg = json.loads((out / "datapackage.json").read_text())
    names = [f["name"] for f in pkg["resources"][0]["schema"]["fields"]]
    assert names == list(frames["csv"].columns)
    assert {r["format"] for r in pkg["resources"]} == {"csv", "parquet", "json", "dta"}
    assert pkg["sources"] and all(s["licence"] for s in pkg["sources"])


def test_export_bad_format_and_bad_target(store_db, tmp_path) -> None:
    res = run_cli("export", "--format", "xlsx", "--out", str(tmp_path / "x"), "--db", str(store_db))
    assert res.returncode == 2 and "xlsx" in res.stderr
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())
    f = tmp_path / "afile"
    f.write_text("keep")
    res = run_cli("export", "--out", str(f), "--db", str(store_db))
    assert res.returncode == 2 and f.read_text() == "keep"


def test_python_api_returns_the_panel() -> None:
    df = load_placements()
    assert {"iso3", "year", "tier", "source", "basis"} <= set(df.columns)
    assert df["year"].dtype.kind == "i"
    assert df.duplicated(["iso3", "year"]).sum() == 0
