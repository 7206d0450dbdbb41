"""Consistency: cross-validated evidence model (no self-scoring) and rule flags with evidence."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import duckdb
import pytest

from conftest import run_cli
from tipwatch.analysis import consistency as cons
from tipwatch.analysis.inputs import RANK, Inputs
from tipwatch.analysis.load import inputs


@pytest.fixture(scope="module")
def inp(store_db: Path) -> Inputs:
    return inputs(store_db)


@pytest.fixture(scope="module")
def res(inp: Inputs) -> dict:
    return cons.consistency(inp)


def test_a_countrys_own_tiers_never_shape_its_expected_tier(inp: Inputs) -> None:
    """Flip every tier of one country: its own cross-validated predictions do not move."""
    base = cons.evidence_model(inp)
    target = "MYS"
    flipped = {y: {"1": "3", "2": "3", "2WL": "1", "3": "1"}.get(t, t)
               for y, t in inp.hist[target].items()}
    other = dataclasses.replace(inp, hist={**inp.hist, target: flipped},
                                build_id=inp.build_id + "|flipped")
    moved = cons.evidence_model(other)
    mine = [(r["year"], r["expected_rank"]) for r in base["rows"] if r["iso3"] == target]
    theirs = [(r["year"], r["expected_rank"]) for r in moved["rows"] if r["iso3"] == target]
    assert mine and mine == theirs
    assert [r["residual"] for r in base["rows"] if r["iso3"] == target] != \
        [r["residual"] for r in moved["rows"] if r["iso3"] == target]


def test_evidence_model_beats_the_mean_rank_and_marks_residuals(res: dict) -> None:
    s = res["score"]
    assert s["n"] > 500
    assert s["mae"] < s["mae_mean_rank_baseline"]
    for r in res["rows"]:
        assert r["residual"] == pytest.approx(RANK[r["tier"]] - r["expected_rank"], abs=0.011)
        assert r["unexplained"] == (abs(r["residual"]) >= cons.THRESHOLD)
        assert (r["note"] == cons.WORDING) == r["unexplained"]
    assert sum(r["unexplained"] for r in res["rows"]) == s["unexplained"] > 0
    for y in res["per_year"]:
        assert 0 <= y["scored"] <= y["narratives"]


def test_flags_rest_on_the_store(store_db: Path, res: dict) -> None:
    con = duckdb.connect(str(store_db), read_only=True)
    tiers = {(i, y): t for i, y, t in con.execute("SELECT iso3, year, tier FROM placements")
             .fetchall()}
    statements = {}
    for i, y, v in con.execute("SELECT iso3, year, value FROM facts "
                               "WHERE kind = 'tier_statement'").fetchall():
        statements.setdefault((i, y), json.loads(v))
    limit = {(i, y) for i, y in con.execute(
        "SELECT iso3, year FROM events WHERE event = 'violation' AND reason IN "
        "('R_TWL_WAIVERS_EXCEEDED', 'R_F_POST_DOWNGRADE_TWL_LIMIT')").fetchall()}
    con.close()
    kinds = {f["flag"] for f in res["flags"]}
    assert {"upgrade_without_increasing_efforts", "label_wording_mismatch"} <= kinds
    for f in res["flags"]:
        key = (f["iso3"], f["year"])
        assert f["evidence"], f
        if f["flag"].startswith("upgrade"):
            before, now = tiers[(f["iso3"], f["year"] - 1)], tiers[key]
            assert RANK[now] < RANK[before], f
        if f["flag"] == "upgrade_without_increasing_efforts":
            assert statements[key]["no_increasing_efforts"] is True
            assert f["evidence"][0]["doc_id"] and f["evidence"][0]["start"] is not None
        if f["flag"] == "label_wording_mismatch":
            assert statements[key]["tier"] in ("1", "2", "2WL")
            assert statements[key]["not_significant_efforts"] is True
    assert {(f["iso3"], f["year"]) for f in res["flags"]
            if f["flag"] == "watch_list_past_limit"} == limit


def test_wording_never_calls_a_placement_political(res: dict) -> None:
    text = json.dumps(res).lower()
    assert "political" not in text
    assert cons.WORDING in text


def test_filters_and_cli(store_db: Path, inp: Inputs) -> None:
    one = cons.consistency(inp, year=2018, iso3="MYS")
    assert [(r["iso3"], r["year"]) for r in one["rows"]] == [("MYS", 2018)]
    out = run_cli("consistency", "--year", "2018", "--format", "json", "--db", str(store_db))
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert body["rows"] and {r["year"] for r in body["rows"]} == {2018}
    bad = run_cli("consistency", "--country", "Narnia", "--db", str(store_db))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "Narnia" in bad.stderr


def test_a_store_without_facts_or_events_still_answers(store_db: Path, tmp_path: Path) -> None:
    import shutil

    bare = tmp_path / "bare.duckdb"
    shutil.copy(store_db, bare)
    con = duckdb.connect(str(bare))
    for table in ("events", "facts", "flows", "cited_by"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("CHECKPOINT")
    con.close()
    out = run_cli("consistency", "--format", "json", "--db", str(bare))
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert body["rows"] == [] and body["flags"] == []
    assert "not enough narrative facts" in body["score"]["note"]
    names = tmp_path / "names.csv"
    names.write_text("country\nChad\n", encoding="utf-8")
    risk = run_cli("risk", str(names), "--format", "json", "--db", str(bare))
    assert risk.returncode == 0, risk.stderr
    row = json.loads(risk.stdout)[0]
    assert row["iso3"] == "TCD" and row["forms"] == [] and row["cited_by"] == 0
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    res = run_cli("risk", str(empty), "--db", str(bare))
    assert res.returncode == 2 and "empty file" in res.stderr


def test_flags_quote_the_sentences_behind_them_from_an_ingested_corpus(
        store_db: Path, shared: Path, tmp_path: Path) -> None:
    import os

    corpus = tmp_path / "corpus.duckdb"
    flat = shared / "data" / "narratives" / "tip2018_teomotun" / \
        "tip2018_country_narratives_flat.csv"
    env = {**os.environ, "TIPWATCH_CORPUS": str(corpus)}
    res = run_cli("ingest", str(flat), "--format", "tip2018", env=env)
    assert res.returncode == 0, res.stderr
    out = run_cli("consistency", "--year", "2018", "--format", "json", "--db", str(store_db),
                  "--corpus", str(corpus))
    assert out.returncode == 0, out.stderr
    flags = json.loads(out.stdout)["flags"]
    con = duckdb.connect(str(corpus), read_only=True)
    quoted = 0
    for f in flags:
        for e in f["evidence"]:
            if "start" not in e:
                continue
            text = con.execute("SELECT text FROM narratives WHERE doc_id = ?",
                               [e["doc_id"]]).fetchone()[0]
            span = " ".join(text[e["start"]:e["end"]].split())
            assert span in e["sentence"] and e["sentence"] in " ".join(text.split())
            quoted += 1
    con.close()
    assert quoted >= 6  # two 2018 upgrades while all three counts fell
    missing = run_cli("consistency", "--corpus", str(tmp_path / "none.duckdb"),
                      "--db", str(store_db))
    assert missing.returncode == 2 and "no such file" in missing.stderr
