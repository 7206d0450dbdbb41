"""The API and the report over a small store built in code (a dozen countries, same build)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from conftest import SMALL_COUNTRIES
from http_helpers import get_json
from tipwatch.report.builder import build_report
from tipwatch.store.reader import build_id


def test_the_small_build_keeps_those_countries_and_says_it_is_small(small_store: Path,
                                                                    store_db: Path) -> None:
    with duckdb.connect(str(small_store), read_only=True) as con:
        placed = {r[0] for r in con.execute("SELECT DISTINCT iso3 FROM placements").fetchall()}
        narrated = {r[0] for r in con.execute("SELECT DISTINCT iso3 FROM facts").fetchall()}
        n_countries = con.execute("SELECT count(*) FROM countries").fetchone()[0]
        severities = {r[0] for r in con.execute("SELECT severity FROM data_checks").fetchall()}
        small_id = build_id(con)
    with duckdb.connect(str(store_db), read_only=True) as con:
        full_countries = con.execute("SELECT count(*) FROM countries").fetchone()[0]
        full_id = build_id(con)
    assert placed == set(SMALL_COUNTRIES) and narrated <= set(SMALL_COUNTRIES)
    assert n_countries == full_countries  # the identity table stays whole
    assert "error" not in severities  # the stated totals no longer add up: warnings only
    assert small_id and small_id != full_id  # never taken for the full store


def test_tiers_and_histories_are_the_full_stores_for_those_countries(small_client,  # noqa: ANN001
                                                                     api_client) -> None:
    for year in ("2008", "2019", "2024"):
        status, small = get_json(small_client, f"/api/tiers?year={year}")
        assert status == 200
        _, full = get_json(api_client, f"/api/tiers?year={year}")
        keep = [r for r in full["data"] if r["iso3"] in SMALL_COUNTRIES]
        assert small["data"] == keep and len(keep) >= 10
    for iso3 in ("NGA", "PRK", "MYS"):
        _, small = get_json(small_client, f"/api/countries/{iso3}")
        _, full = get_json(api_client, f"/api/countries/{iso3}")
        assert small["data"]["history"] == full["data"]["history"]
        assert small["data"]["events"] == full["data"]["events"]


def test_the_report_of_a_small_store_has_a_page_per_placed_country(small_store: Path,
                                                                   tmp_path: Path) -> None:
    result = build_report(2023, tmp_path / "report", db=small_store, pdf=False)
    html = (tmp_path / "report" / "index.html").read_text("utf-8")
    with duckdb.connect(str(small_store), read_only=True) as con:
        n = con.execute("SELECT count(*) FROM placements WHERE year = 2023").fetchone()[0]
    assert result.n_countries == n == html.count('<article class="country"')
    for iso3 in SMALL_COUNTRIES:
        assert f'id="c-{iso3}"' in html
