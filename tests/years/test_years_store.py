"""Every ingested year in the store: corpus merge, panel learning, conflicts, bad corpora.

The corpus is two consecutive report years (2025, 2026) written at test time from the 2018
narratives (tests/years_corpus.py), ingested with `tipwatch ingest` and built with
`tipwatch build`, as a user would.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest

import years_corpus as yc
from conftest import run_cli
from tipwatch.paths import DATA_DIR


@pytest.fixture()
def built(years_store) -> dict:
    return years_store


def _q(built: dict, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(built["env"]["TIPWATCH_DB"], read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_gaps_filled_from_the_corpus_are_marked_with_their_document(built):
    rows = _q(built, "SELECT iso3, year, tier, source, basis, evidence, note FROM placements "
                     "WHERE year IN (?, ?) AND source LIKE 'txt:%'", [yc.YEAR1, yc.YEAR2])
    read = {(r[0], r[1]): r for r in rows if r[4] == "read"}
    assert set(read) == yc.EXPECT_FILLED
    for (iso3, year), r in read.items():
        spec = yc.SCENARIO[iso3][0 if year == yc.YEAR1 else 1]
        assert r[2] == spec[0]
        assert r[3] == f"txt:{year}:{iso3}"
        assert r[5].startswith(f"report_{year}.txt")  # the file it was read from
        assert "read from the user's corpus" in r[6]
    assert "15 gaps filled, 4 deduced, 1 agree, 5 conflicts" in " ".join(
        built["build_out"].split())


def test_transition_phrases_fill_the_previous_year_as_deduced(built):
    rows = _q(built, "SELECT iso3, year, tier, note FROM placements WHERE basis = 'deduced' "
                     "AND source LIKE 'txt:%'")
    got = {(r[0], r[1]): r[2] for r in rows}
    assert got == yc.EXPECT_DEDUCED
    notes = {(r[0], r[1]): r[3] for r in rows}
    assert "was upgraded to Tier 2 Watch List" in notes[("BTN", yc.YEAR1)]
    assert "only Tier 3 is worse" in notes[("BTN", yc.YEAR1)]
    assert "7107(b)(2)(D)" in notes[("GIN", yc.YEAR1)] or "consecutive" in notes[
        ("GIN", yc.YEAR1)]


def test_agreeing_rows_gain_the_document_and_conflicts_keep_the_bundled_value(built):
    (all_sources,) = _q(built, "SELECT all_sources FROM placements WHERE iso3 = 'AFG' "
                               "AND year = ?", [yc.YEAR1])[0]
    assert f"txt:{yc.YEAR1}:AFG=3" in all_sources
    (tier,) = _q(built, "SELECT tier FROM placements WHERE iso3 = 'COL' AND year = ?",
                 [yc.YEAR1])[0]
    assert tier == "2"  # bundled value stays
    r = run_cli("conflicts", "--format", "json", env=built["env"])
    assert r.returncode == 0, r.stderr
    conflicts = json.loads(r.stdout)
    assert {(c["iso3"], c["year"], c["kind"]) for c in conflicts} == yc.EXPECT_CONFLICTS
    col = next(c for c in conflicts if c["iso3"] == "COL" and c["kind"] == "placement")
    assert col["panel_tier"] == "2" and col["corpus_tier"] == "1" and col["panel_source"]
    assert col["doc_id"] == f"txt:{yc.YEAR1}:COL" and col["evidence"]
    bol = next(c for c in conflicts if c["iso3"] == "BOL")
    assert bol["phrase"] == "was upgraded to Tier 2 Watch List" and bol["rule"]
    r = run_cli("conflicts", "--year", str(yc.YEAR1 - 1), "--format", "json", env=built["env"])
    assert {c["iso3"] for c in json.loads(r.stdout)} == {"TUR", "GIN"}


def test_coverage_and_audit_run_on_the_merged_panel(built):
    r = run_cli("coverage", "--format", "json", env=built["env"])
    cov = {row["year"]: row for row in json.loads(r.stdout)}
    assert cov[yc.YEAR2]["n_placements"] == len(yc.SCENARIO)
    with (DATA_DIR / "placements.csv").open(encoding="utf-8", newline="") as fh:
        bundled_2025 = sum(1 for row in csv.DictReader(fh) if int(row["year"]) == yc.YEAR1)
    assert cov[yc.YEAR1]["n_placements"] == bundled_2025 + 4 + len(yc.EXPECT_DEDUCED)
    assert cov[yc.YEAR1]["n_from_corpus"] == 4 + len(yc.EXPECT_DEDUCED)
    assert cov[yc.YEAR1]["n_conflicts"] == 3 and cov[yc.YEAR1 - 1]["n_conflicts"] == 2
    assert cov[yc.YEAR2]["status"] == "partial"  # no stated totals: completeness unknown
    r = run_cli("coverage", env=built["env"])
    assert "5 conflicts with the panel" in " ".join(r.stdout.split())
    events = _q(built, "SELECT iso3, event, tier, basis FROM events WHERE year = ? "
                       "AND iso3 IN ('TUR', 'GIN', 'CIV')", [yc.YEAR1])
    assert ("TUR", "watch_list_streak", "2WL", "deduced") in events  # a deduced placement
    assert ("CIV", "watch_list_streak", "2WL", "read") in events  # a placement read from 2025


def test_facts_of_every_year_in_the_store_with_provenance(built):
    rows = _q(built, "SELECT year, count(*), min(extractor_version), min(source_file) "
                     "FROM facts WHERE doc_id LIKE 'txt:%' GROUP BY year ORDER BY year")
    assert [r[0] for r in rows] == [yc.YEAR1, yc.YEAR2]
    assert all(r[1] > 100 and r[2] and r[3].startswith("report_") for r in rows)
    kinds = {r[0] for r in _q(built, "SELECT DISTINCT kind FROM facts WHERE year = ?",
                              [yc.YEAR2])}
    assert {"effort", "le_count", "recommendation", "cited_country"} <= kinds
    assert _q(built, "SELECT count(*) FROM cited_by WHERE year = ?", [yc.YEAR2])[0][0] > 0
    assert _q(built, "SELECT count(*) FROM flows WHERE year = ?", [yc.YEAR2])[0][0] > 0
    r = run_cli("country", "Ghana", "--format", "json", env=built["env"])
    years = [h["year"] for h in json.loads(r.stdout)["history"]]
    assert yc.YEAR1 in years and yc.YEAR2 in years


def test_changes_show_the_narratives_reasons(built):
    r = run_cli("changes", "--year", str(yc.YEAR2), "--format", "json", env=built["env"])
    rows = {c["iso3"]: c for c in json.loads(r.stdout)}
    assert rows["ZMB"]["direction"] == "downgrade"  # 1 (deduced) -> 2
    nga = rows["ECU"]
    assert nga["reasons"] and nga["reasons_text"]
    assert all(x["doc_id"] == f"txt:{yc.YEAR2}:ECU" and x["quote"] for x in nga["reasons"])
    assert nga["reasons"][0]["polarity"] == "failing"  # a downgrade lists failings first


def test_changed_corpus_is_noticed_and_no_corpus_gives_the_bundled_store(built, tmp_path):
    env = dict(built["env"])
    corpus = tmp_path / "corpus.duckdb"
    shutil.copy(env["TIPWATCH_CORPUS"], corpus)
    env["TIPWATCH_CORPUS"] = str(corpus)
    env["TIPWATCH_DB"] = str(tmp_path / "store.duckdb")
    assert run_cli("build", env=env).returncode == 0
    con = duckdb.connect(str(corpus))
    con.execute("UPDATE narratives SET iso3 = 'ZZZ' WHERE doc_id = ?", [f"txt:{yc.YEAR2}:AFG"])
    con.execute("UPDATE narratives SET year = 1850 WHERE doc_id = ?", [f"txt:{yc.YEAR2}:COL"])
    con.close()
    r = run_cli("build", env=env)
    assert r.returncode == 0, r.stderr
    assert "the corpus changed since the last build" in " ".join(r.stdout.split())
    assert f"left out txt:{yc.YEAR2}:AFG: country 'ZZZ' is not in the country table" in " ".join(
        r.stderr.split())
    assert "year 1850 is outside" in r.stderr
    con = duckdb.connect(env["TIPWATCH_DB"], read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM facts WHERE doc_id = ?",
                           [f"txt:{yc.YEAR2}:AFG"]).fetchone()[0] == 0
        assert con.execute("SELECT documents, merged, skipped FROM corpus_info").fetchone() == (
            17, 15, 2)
    finally:
        con.close()
    r = run_cli("build", "--corpus", str(tmp_path / "missing.duckdb"), env=env)
    assert r.returncode == 2 and "no such file" in r.stderr
    r = run_cli("build", "--no-corpus", env=env)
    assert r.returncode == 0
    con = duckdb.connect(env["TIPWATCH_DB"], read_only=True)
    try:
        with (DATA_DIR / "placements.csv").open(encoding="utf-8", newline="") as fh:
            bundled = sum(1 for _ in csv.DictReader(fh))
        assert con.execute("SELECT count(*) FROM placements").fetchone()[0] == bundled
        assert con.execute("SELECT count(*) FROM corpus_info").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM facts WHERE doc_id LIKE 'txt:%'"
                           ).fetchone()[0] == 0
    finally:
        con.close()


def test_corrupt_corpus_fails_with_one_line_and_keeps_the_store(built, tmp_path):
    env = dict(built["env"])
    store = tmp_path / "store.duckdb"
    shutil.copy(env["TIPWATCH_DB"], store)
    before = store.read_bytes()
    bad = tmp_path / "corpus.duckdb"
    bad.write_bytes(b"this is not a database" * 100)
    env["TIPWATCH_CORPUS"], env["TIPWATCH_DB"] = str(bad), str(store)
    r = run_cli("build", env=env)
    assert r.returncode == 2
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "corpus" in lines[0] and "Traceback" not in r.stderr
    assert store.read_bytes() == before
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == ["corpus.duckdb", "store.duckdb"]


def test_extract_reads_effort_facts_of_corpus_documents_from_the_store(built):
    r = run_cli("extract", "--kind", "effort", "--country", "Ecuador", "--year", str(yc.YEAR2),
                "--format", "json", env=built["env"])
    assert r.returncode == 0, r.stderr
    facts = json.loads(r.stdout)
    assert facts and all(f["doc_id"] == f"txt:{yc.YEAR2}:ECU" and f["quote"] for f in facts)
    assert {f["value"]["pillar"] for f in facts} >= {"prosecution", "protection"}


def test_a_database_that_is_not_a_corpus_fails_with_one_line(built, tmp_path):
    env = dict(built["env"])
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    env["TIPWATCH_CORPUS"], env["TIPWATCH_DB"] = str(other), str(tmp_path / "store.duckdb")
    r = run_cli("build", env=env)
    assert r.returncode == 2
    assert "not a tipwatch corpus" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "store.duckdb").exists()
