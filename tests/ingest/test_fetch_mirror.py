"""``tipwatch fetch`` against a mirror on 127.0.0.1 serving the 2018 narratives in each era's
page layout: every narrative is found, read and extracted as from the clean text.

The mirror's slugs are deliberately not derivable from the names ("afghanistan-x"): the
fetcher must take them from the index page and resolve each link by its text.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from conftest import run_cli
from layout_render import (
    KINDS,
    Mirror,
    agreement,
    archive2009,
    archive_index,
    clean_facts,
    landing_page,
    name_of,
    slug_of,
    stategov,
)
from tipwatch.extract import extract
from tipwatch.ingest import load_tip2018
from tipwatch.ingest.crawl import year_slug
from tipwatch.store import corpus as local

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def narratives(shared):
    return load_tip2018()


@pytest.fixture(scope="module")
def clean(narratives):
    return clean_facts(narratives)


@pytest.fixture(scope="module")
def mirror(narratives):
    with Mirror() as m:
        for year, joiner in ((2019, " • "), (2022, "li")):
            ys = year_slug(year)
            links = [(slug_of(n), name_of(n).title()) for n in narratives]
            m.add_html(f"/reports/{ys}/", landing_page(year, links))
            for n in narratives:
                m.add_html(f"/reports/{ys}/{slug_of(n)}/", stategov(n, year, joiner))
        links = [(str(258700 + i), name_of(n).title()) for i, n in enumerate(narratives)]
        m.add_html("/j/tip/rls/tiprpt/countries/2009/index.htm", archive_index(2009, links))
        for i, n in enumerate(narratives):
            m.add_html(f"/j/tip/rls/tiprpt/countries/2009/{258700 + i}.htm", archive2009(n))
        yield m


def _corpus_facts(db: Path, year: int) -> dict[str, list]:
    con = local.connect(db)
    try:
        out: dict[str, list] = {}
        rows = con.execute("SELECT doc_id FROM narratives WHERE year = ?", [year]).fetchall()
        for (doc_id,) in rows:
            n = local.narrative(con, doc_id)
            out[n.country] = extract(n)
    finally:
        con.close()
    return out


def _fetch(mirror, tmp_path, *args):
    db = tmp_path / "corpus.duckdb"
    res = run_cli("fetch", "--base-url", mirror.url, "--delay", "0", "--cache",
                  str(tmp_path / "cache"), "--corpus", str(db), "--format", "json", *args)
    assert res.returncode == 0, res.stderr[-2000:]
    return db, json.loads(res.stdout)


@pytest.mark.parametrize(
    ("year", "extra"),
    [(2019, ()), (2022, ()), (2009, ("--index-url", "/j/tip/rls/tiprpt/countries/2009/index.htm"))],
    ids=["state.gov-2019", "state.gov-2022", "archive-2009"],
)
def test_every_narrative_is_fetched_and_read_as_from_the_clean_text(
    mirror, narratives, clean, tmp_path, year, extra
):
    extra = tuple(mirror.url + e if e.startswith("/") else e for e in extra)
    db, summary = _fetch(mirror, tmp_path, "--year", str(year), *extra)
    assert summary["narratives"] == len(narratives) == 187
    assert summary["fetched"] == 188 and summary["failed"] == 0  # the index page + 187
    statuses = {d["status"] for d in summary["documents"]}
    assert statuses == {"stored"}
    # the landing page's non-country links are reported, not fetched
    if year != 2009:
        assert sum("names no country" in w for w in summary["warning_lines"]) == 2
    got = _corpus_facts(db, year)
    assert set(got) == set(clean)
    scores = agreement(clean, got)
    print(year, {k: round(v, 4) for k, v in scores.items()})
    for kind in KINDS:
        assert scores[kind] >= 0.98, (kind, scores[kind])
    assert scores["tier_statement"] == 1.0
    for iso3, facts in clean.items():
        ts = [f.value for f in facts if f.kind == "tier_statement"]
        assert ts == [f.value for f in got[iso3] if f.kind == "tier_statement"], iso3


def test_provenance_of_every_fetched_document(mirror, narratives, tmp_path):
    db, summary = _fetch(mirror, tmp_path, "--year", "2022", "--country", "Bolivia",
                         "--country", "Congo, Democratic Republic of the")
    assert summary["narratives"] == 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT source_id, url, http_status, etag, bytes, sha256, fetched_at, status, doc_ids "
            "FROM sources ORDER BY iso3"
        ).fetchall()
        facts = con.execute(
            "SELECT DISTINCT doc_id, source_file, source_sha256 FROM facts ORDER BY doc_id"
        ).fetchall()
    finally:
        con.close()
    assert [json.loads(r[8]) for r in rows] == [["html:2022:BOL"], ["html:2022:COD"]]
    import hashlib

    for r in rows:
        assert r[1].startswith(mirror.url + "/reports/2022-trafficking-in-persons-report/")
        assert r[2] == 200 and r[3].startswith('"') and r[7] == "stored"
        path = r[1].removeprefix(mirror.url)
        body = mirror.pages[path][1]
        assert r[4] == len(body) and r[5] == hashlib.sha256(body).hexdigest()
        assert r[6][:2] == "20" and "T" in r[6]
    assert [(f[0], f[1]) for f in facts] == [("html:2022:BOL", rows[0][1]),
                                            ("html:2022:COD", rows[1][1])]
    assert [f[2] for f in facts] == [rows[0][5], rows[1][5]]
