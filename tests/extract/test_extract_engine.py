"""The engine's shared reading, --jobs, rule ids in the store, Factbook texts without lost parts,
and the Tier 3 finding in more phrasings."""

from __future__ import annotations

import json

import duckdb
from typer.testing import CliRunner

from extract_helpers import nar as narrative
from tipwatch.cli import app
from tipwatch.extract import extract, extract_all
from tipwatch.extract.engine import Doc, split_sentences
from tipwatch.ingest.factbook import parse_text


def test_doc_splits_each_section_once_and_finds_triggers_in_one_pass() -> None:
    n = narrative(
        "TUV",
        profile="Women are subjected to forced labor in Ruritania. Children are forced to beg; "
        "boys work on farms.",
    )
    doc = Doc(n)
    a, b = n.spans["profile"]
    assert doc.sentences(a, b) is doc.sentences(a, b)  # split once, then reused
    assert doc.sentences(a, b) == split_sentences(n.text, a, b)
    assert len(doc.sentences(a, b)) == 3
    assert "forced" in doc.hits and len(doc.hits["forced"]) == 2
    beg = n.text.index("beg")
    assert beg in doc.hits["beg"]


def test_extract_all_with_jobs_gives_the_same_facts_in_the_same_order() -> None:
    from tipwatch.ingest import load_tip2018

    narratives = load_tip2018()[:150]
    one = extract_all(narratives, jobs=1)
    two = extract_all(narratives, jobs=2)
    assert len(one) > 2000
    assert one == two


def test_ingest_stores_rule_ids_and_json_shows_them(tmp_path) -> None:
    doc = tmp_path / "ruritania.txt"
    doc.write_text(
        "2019 Trafficking in Persons Report\n\nCHAD (Tier 2)\n\nTRAFFICKING PROFILE\n\n"
        "Traffickers exploit women from Cameroon in forced labor in Chad; boys are forced to "
        "beg.\n",
        encoding="utf-8",
    )
    corpus = tmp_path / "corpus.duckdb"
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(doc), "--corpus", str(corpus), "--jobs", "1"])
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(corpus), read_only=True)
    rows = con.execute("SELECT kind, value, rule_id FROM facts ORDER BY start").fetchall()
    con.close()
    assert rows and all(r[2] for r in rows)
    assert ("form", "forced_begging", "form.forced_begging") in rows
    res = runner.invoke(
        app,
        [
            "extract",
            "--country",
            "Chad",
            "--kind",
            "cited_country",
            "-f",
            "json",
            "--corpus",
            str(corpus),
            "--db",
            str(tmp_path / "none.duckdb"),
        ],
    )
    assert res.exit_code == 0, res.output
    cited = [f for f in json.loads(res.stdout) if f["doc_id"].startswith("txt:")]
    assert [(f["value"], f["direction"], f["rule_id"]) for f in cited] == [
        ("CMR", "from", "cited_country.prep")
    ]


def test_ingest_refuses_negative_jobs(tmp_path) -> None:
    from conftest import run_cli

    doc = tmp_path / "x.txt"
    doc.write_text("CHAD (Tier 2)\n\nTRAFFICKING PROFILE\n\nWomen are exploited.\n", "utf-8")
    res = run_cli("ingest", str(doc), "--jobs", "-1", "--corpus", str(tmp_path / "c.duckdb"))
    assert res.returncode == 2, res.stderr
    assert "--jobs -1" in res.stderr + res.stdout
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "c.duckdb").exists()


def test_an_older_corpus_gains_the_rule_id_column(tmp_path) -> None:
    from tipwatch.store import corpus as local

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(local.NARRATIVES_DDL)
    con.execute(
        "CREATE TABLE facts (doc_id VARCHAR NOT NULL, source VARCHAR, country VARCHAR, "
        "iso3 VARCHAR NOT NULL, year INTEGER NOT NULL, kind VARCHAR NOT NULL, value VARCHAR, "
        'direction VARCHAR, note VARCHAR, section VARCHAR, start INTEGER, "end" INTEGER, '
        "extractor_version VARCHAR, source_file VARCHAR, source_sha256 VARCHAR)"
    )
    con.close()
    n = narrative("TCD", profile="Boys are forced to beg in Chad.")
    con = local.connect(path)
    local.store_document(con, [n], extract(n), origin="test")
    got = con.execute("SELECT rule_id FROM facts WHERE kind = 'form'").fetchall()
    con.close()
    assert got == [("form.forced_begging",)]


def test_factbook_text_before_the_first_label_is_kept() -> None:
    text = (
        "Ruritania is a source country for women subjected to forced labor; "
        "tier rating: Tier 2 Watch List (2008)"
    )
    n = parse_text(text, "CIV", 2008)
    assert n is not None
    assert n.sections["profile"].startswith("Ruritania is a source country")
    assert n.sections["tier_rating"].startswith("Tier 2 Watch List")
    kinds = {(f.kind, f.value) for f in extract(n, ["form", "role"])}
    assert ("form", "forced_labor") in kinds and ("role", "source") in kinds


def test_factbook_misspelt_label_is_read_as_the_label() -> None:
    n = parse_text(
        "currrent situation: Ruritania is a destination for men in forced labor; "
        "tier rating: Tier 2 (2015)",
        "BWA",
        2016,
    )
    assert n is not None
    assert n.sections["profile"] == "Ruritania is a destination for men in forced labor;"
    assert "currrent" not in n.sections["profile"]


def test_not_making_any_significant_efforts_is_the_tier_3_finding() -> None:
    for phrase, flag in [
        ("is not making any significant efforts to do so", True),
        ("does not make significant efforts to do so", True),
        ("has not made any significant efforts", True),
        ("is making significant efforts to do so", False),
        ("did not make significant efforts to address forced begging", False),
    ]:
        n = narrative(
            "TCD",
            intro=f"The Government of Chad does not fully meet the minimum standards and {phrase}"
            ". Therefore Chad remained on Tier 3.",
        )
        (tier,) = [f for f in extract(n) if f.kind == "tier_statement"]
        assert tier.value["not_significant_efforts"] is flag, phrase


def test_the_finding_is_read_only_where_the_text_states_it() -> None:
    def state(text: str) -> list:
        return [f.value for f in extract(narrative("TKM", profile=text), ["state_involvement"])]

    stated = "However, there was a government policy or pattern of forced labor in the harvest."
    assert "policy_or_pattern_finding" in state(stated)
    assert "state_policy_or_pattern" in state(stated)  # the finding describes it too
    described = "The authorities forced students to pick cotton in the harvest."
    assert state(described) == ["state_policy_or_pattern"]
    denied = "The report found no government policy or pattern of forced labor."
    assert "policy_or_pattern_finding" not in state(denied)
    non_state = "Non-state armed groups also recruited or used child soldiers."
    assert state(non_state) == []


def test_findings_agree_with_the_official_lists_in_listed_years() -> None:
    from tipwatch.extract.evaluation import finding_check
    from tipwatch.ingest import load_factbook
    from tipwatch.paths import shared_dir

    narratives = [n for n in load_factbook() if n.year >= 2020]
    facts = [f for n in narratives for f in extract(n, ["state_involvement"])]
    check = finding_check(facts, shared_dir() / "data" / "policy_or_pattern" / "lists.csv")
    assert check["findings"] >= 10
    assert check["precision"] >= 0.95, check["wrong"]


def test_the_store_and_the_api_facts_answer_carry_rule_ids(tmp_path) -> None:
    from tipwatch.store import build as store
    from tipwatch.store import explore as data

    db = tmp_path / "store.duckdb"
    store.build(db)
    con = store.connect(db)
    try:
        rows = data.facts(con, iso3="PRK", year=2018)
    finally:
        con.close()
    assert rows and all(r["rule_id"] for r in rows)
    assert {r["rule_id"].split(".")[0] for r in rows} == {r["kind"] for r in rows}
