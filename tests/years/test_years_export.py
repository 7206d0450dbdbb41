"""Export with facts: the long-format facts table and facts as panel variables."""

from __future__ import annotations

import json

import pandas as pd

import years_corpus as yc
from conftest import run_cli


def test_export_adds_fact_variables_and_the_facts_table(years_store, tmp_path):
    out = tmp_path / "export"
    r = run_cli("export", "--format", "csv,dta", "--out", str(out), "--facts", "--variables",
                env=years_store["env"])
    assert r.returncode == 0, r.stderr
    panel = pd.read_csv(out / "tip_tiers.csv")
    nga = panel[(panel.iso3 == "ECU") & (panel.year == yc.YEAR2)].iloc[0]
    truth = years_store["written"].counts[("ECU", yc.YEAR2)]
    for measure, value in truth.items():
        assert nga[measure] == value
    assert nga["role_source"] == 1 and nga["n_cited_countries"] > 0
    assert nga["n_failings"] > 0 and nga["efforts_increasing"] in (0, 1)
    old = panel[(panel.iso3 == "ECU") & (panel.year == 2010)].iloc[0]
    assert pd.isna(old["investigations"]) and pd.isna(old["role_source"])  # no narrative
    dta = pd.read_stata(out / "tip_tiers.dta")
    assert "n_cited_by" in dta.columns and len(dta) == len(panel)
    facts = pd.read_csv(out / "tip_facts.csv")
    le = facts[(facts.kind == "le_count") & (facts.doc_id == f"txt:{yc.YEAR2}:ECU")]
    assert dict(zip(le.key, le.value.astype(int), strict=True)) == truth
    assert set(facts.year) >= {2018, yc.YEAR1, yc.YEAR2}
    pkg = json.loads((out / "datapackage.json").read_text())
    panel_fields = {f["name"]: f for f in pkg["resources"][0]["schema"]["fields"]}
    for col in panel.columns:
        assert col in panel_fields and panel_fields[col]["description"], col
    facts_res = next(x for x in pkg["resources"] if x["name"] == "facts-csv")
    assert [f["name"] for f in facts_res["schema"]["fields"]] == list(facts.columns)
    assert facts_res["rows"] == len(facts)
