"""A store without the audit and extraction tables: every endpoint still answers, with [].

The tables ``events``, ``facts`` and ``flows`` come from other build steps; a store built
without them (or an older store) must not break the explorer. The test copies the real store
and drops them, then asks the application over the copy in-process (``bare_client``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

from conftest import in_process_client, run_cli
from http_helpers import get_json

if TYPE_CHECKING:  # pragma: no cover
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def bare_db(store_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bare") / "tipwatch.duckdb"
    shutil.copy(store_db, path)
    con = duckdb.connect(str(path))
    for table in ("events", "facts", "flows"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("CHECKPOINT")
    con.close()
    return path


@pytest.fixture(scope="module")
def bare_client(bare_db: Path):  # noqa: ANN201 - fastapi.testclient.TestClient
    with in_process_client(bare_db) as client:
        yield client


@pytest.mark.parametrize("path", ["/api/audit", "/api/audit?year=2012&country=MMR",
                                  "/api/facts", "/api/facts?country=NGA&kind=form",
                                  "/api/flows", "/api/flows?year=2018"])
def test_tables_answer_empty_lists(bare_client: TestClient, path: str) -> None:
    status, body = get_json(bare_client, path)
    assert status == 200, body
    assert body["data"] == [] and "licence" in body["meta"]


def test_country_answers_without_events_or_facts(bare_client: TestClient, bare_db: Path) -> None:
    status, body = get_json(bare_client, "/api/countries/MMR")
    assert status == 200
    d = body["data"]
    con = duckdb.connect(str(bare_db), read_only=True)
    n = con.execute("SELECT count(*) FROM placements WHERE iso3 = 'MMR'").fetchone()[0]
    con.close()
    assert len(d["history"]) == n
    for key in ("events", "facts", "facts_summary", "cites", "cited_by", "flows_from",
                "flows_to"):
        assert d[key] == [], key


def test_report_builds_without_events_or_facts(bare_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "rep"
    res = run_cli("report", "--year", "2012", "--out", str(out), "--db", str(bare_db),
                  "--no-pdf")
    assert res.returncode == 0, res.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "No audit events recorded for 2012" in html
