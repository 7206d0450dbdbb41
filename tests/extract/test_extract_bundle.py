"""The bundled facts: reproducible from ../shared, text-free, loaded into a real store."""

from __future__ import annotations

import duckdb
import pytest

from tipwatch.extract import KINDS
from tipwatch.extract.bundle import BUNDLE, read_bundle, write_bundle

pytestmark = pytest.mark.corpus


def test_bundle_is_reproducible_from_the_shared_corpora(tmp_path):
    out = tmp_path / "facts.csv.gz"
    summary = write_bundle(out)
    assert out.read_bytes() == BUNDLE.read_bytes(), "run scripts/extract_bundle.py"
    assert (tmp_path / "facts.PROVENANCE.md").read_text() == (
        BUNDLE.with_name("facts.PROVENANCE.md").read_text()
    )
    assert {c["corpus"] for c in summary["corpora"]} == {"tip2018", "factbook"}
    assert all(len(c["sha256"]) == 64 for c in summary["corpora"])


def test_bundle_rows_carry_provenance_and_no_text():
    rows = read_bundle()
    # every kind of the engine, and the effort facts of the opening paragraphs (docs/years.md)
    assert {r["kind"] for r in rows} == {*KINDS, "effort"}
    for r in rows:
        assert r["doc_id"].startswith(("tip2018:", "factbook:"))
        assert r["source_sha256"] and r["extractor_version"] and r["section"]
        assert 0 <= int(r["start"]) < int(r["end"])
        assert len(r["value"]) < 200  # codes, numbers and short labels only
        if r["kind"] == "cited_country":
            assert r["value"] != r["iso3"] and len(r["value"]) == 3
        if r["kind"] == "effort":
            assert r["section"] in ("intro", "tier_rating"), r


def test_store_has_facts_and_flows(store_db):
    con = duckdb.connect(str(store_db), read_only=True)
    try:
        n_facts = con.execute("SELECT count(*) FROM facts").fetchone()[0]
        assert n_facts == len(read_bundle())
        bad = con.execute(
            "SELECT count(*) FROM flows WHERE origin_iso3 = destination_iso3 "
            "OR length(origin_iso3) <> 3 OR length(destination_iso3) <> 3"
        ).fetchone()[0]
        assert bad == 0
        # every flow edge comes from a directed cited_country fact of its narrative
        orphan = con.execute(
            """
            SELECT count(*) FROM flows f WHERE NOT EXISTS (
              SELECT 1 FROM facts x WHERE x.kind = 'cited_country' AND x.doc_id = f.doc_id
                AND x.direction IN ('from', 'to')
                AND ((x.direction = 'from' AND x.value = f.origin_iso3)
                     OR (x.direction = 'to' AND x.value = f.destination_iso3)))
            """
        ).fetchone()[0]
        assert orphan == 0
        assert con.execute("SELECT count(*) FROM flows WHERE year = 2018").fetchone()[0] > 100
        # the cited-by index has one row per (cited country, citing narrative)
        n_mentions, n_index = con.execute(
            "SELECT (SELECT count(*) FROM facts WHERE kind = 'cited_country'), "
            "(SELECT sum(mentions) FROM cited_by)"
        ).fetchone()
        assert n_mentions == n_index
        citing = {
            r[0]
            for r in con.execute(
                "SELECT citing_iso3 FROM cited_by WHERE cited_iso3 = 'PRK' AND year = 2018"
            ).fetchall()
        }
        assert {"CHN", "RUS"} <= citing and "PRK" not in citing
    finally:
        con.close()


def test_every_facts_source_is_described_in_the_store(store_db) -> None:
    import json

    import duckdb

    con = duckdb.connect(str(store_db), read_only=True)
    try:
        missing = con.execute(
            "SELECT DISTINCT f.source FROM facts f ANTI JOIN sources s ON s.id = f.source"
        ).fetchall()
        assert missing == []
        for publisher, licence, sha in con.execute(
            "SELECT publisher, licence, sha256 FROM sources WHERE id IN "
            "(SELECT DISTINCT source FROM facts)"
        ).fetchall():
            assert publisher and "public domain" in licence
            assert all(len(v) == 64 for v in json.loads(sha).values())
    finally:
        con.close()
