"""`tipwatch ingest`, `extract` and `cited-by` as a user runs them (real store and files)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from conftest import run_cli

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "sample_report.txt"


@pytest.fixture()
def env(tmp_path, store_db) -> dict[str, str]:
    e = dict(os.environ)
    e["TIPWATCH_DB"] = str(store_db)
    e["TIPWATCH_CORPUS"] = str(tmp_path / "corpus.duckdb")
    return e


def _corpus_rows(path: str) -> tuple[int, int]:
    con = duckdb.connect(path, read_only=True)
    try:
        return (
            con.execute("SELECT count(*) FROM narratives").fetchone()[0],
            con.execute("SELECT count(*) FROM facts").fetchone()[0],
        )
    finally:
        con.close()


def test_ingest_then_extract_shows_local_facts_with_quotes(env):
    r = run_cli("ingest", str(SAMPLE), env=env)
    assert r.returncode == 0, r.stderr
    assert "FREEDONIA" in r.stderr and "skipped" in r.stderr  # the warning names what and why
    n, f = _corpus_rows(env["TIPWATCH_CORPUS"])
    assert n == 2 and f > 10
    r = run_cli("extract", "--year", "2031", "--country", "Moldova", "--format", "json", env=env)
    assert r.returncode == 0, r.stderr
    facts = json.loads(r.stdout)
    kinds = {x["kind"] for x in facts}
    assert {"tier_statement", "role", "form", "cited_country", "le_count"} <= kinds
    for x in facts:
        assert {
            "country",
            "iso3",
            "year",
            "kind",
            "value",
            "section",
            "start",
            "end",
            "doc_id",
            "extractor_version",
            "quote",
        } <= set(x)
        assert x["iso3"] == "MDA" and x["year"] == 2031 and x["quote"]
    cited = {x["value"]: x["direction"] for x in facts if x["kind"] == "cited_country"}
    assert cited.get("RUS") == "to" and cited.get("UKR") == "from"
    le = {x["value"]["measure"]: x["value"] for x in facts if x["kind"] == "le_count"}
    assert le["investigations"]["value"] == 41 and le["investigations"]["prior_value"] == 55
    assert le["convictions"]["value"] == 9
    # ingesting the same file again replaces, it does not duplicate
    assert run_cli("ingest", str(SAMPLE), env=env).returncode == 0
    assert _corpus_rows(env["TIPWATCH_CORPUS"]) == (n, f)


def test_bad_file_is_refused_and_nothing_is_stored(env, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj")  # truncated
    r = run_cli("ingest", str(bad), env=env)
    assert r.returncode == 2
    assert "truncated PDF" in r.stderr and "Traceback" not in r.stderr
    assert not Path(env["TIPWATCH_CORPUS"]).exists()
    # a good and a bad file: the good one is stored whole, the bad one not at all, exit 2
    r = run_cli("ingest", str(SAMPLE), str(bad), env=env)
    assert r.returncode == 2 and "1 of 2 inputs refused" in r.stderr
    assert _corpus_rows(env["TIPWATCH_CORPUS"])[0] == 2


def test_extract_north_korea_2018_from_the_bundle(env):
    r = run_cli("extract", "--year", "2018", "--country", "North Korea", "-f", "json", env=env)
    assert r.returncode == 0, r.stderr
    facts = json.loads(r.stdout)
    assert facts and all(x["doc_id"] == "tip2018:PRK" for x in facts)
    tier = [x for x in facts if x["kind"] == "tier_statement"]
    assert tier and tier[0]["value"]["tier"] == "3"
    assert tier[0]["value"]["not_significant_efforts"] is True
    assert any(
        x["kind"] == "state_involvement" and x["value"] == "state_policy_or_pattern" for x in facts
    )
    for x in facts:  # every quote is the located slice of the text
        assert x["quote"] and len(x["quote"]) == x["end"] - x["start"]
    r = run_cli("extract", "--year", "2018", "--country", "North Korea", env=env)
    assert r.returncode == 0 and "tip2018:PRK" in r.stdout


def test_cited_by_north_korea_2018(env):
    r = run_cli("cited-by", "North Korea", "--year", "2018", "-f", "json", env=env)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    citing = {x["iso3"] for x in rows}
    assert "PRK" not in citing and len(citing) >= 5
    assert {"CHN", "RUS"} <= citing
    for x in rows:
        assert x["year"] == 2018 and x["mentions"] == len(x["locators"]) >= 1
        assert any(t in x["quote"] for t in ("Korea", "DPRK", "Korean"))
    r = run_cli("cited-by", "DPRK", "--year", "2018", "-f", "csv", env=env)
    assert r.returncode == 0 and r.stdout.splitlines()[0].startswith("doc_id,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "--country", "Atlantis"], "unknown country"),
        (["extract", "--kind", "colour"], "unknown --kind"),
        (["cited-by", "Narnia"], "unknown country"),
        (["ingest", "/no/such/file.html"], "no such file"),
        (["ingest", "--format", "docx", "x"], "unknown --format"),
        (["extract", "--year", "1850"], "outside the panel (2001–2025)"),
        (["cited-by", "Chad", "--year", "3000"], "outside the panel (2001–2025)"),
        (["ingest", "x.txt", "--year", "1850"], "outside the panel (2001–2025)"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(env, args, message):
    r = run_cli(*args, env=env)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert message in r.stderr and "Traceback" not in r.stderr
