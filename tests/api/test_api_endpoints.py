"""The JSON/CSV API over a real store: what each endpoint answers.

The answers are read in-process (``api_client``: the application called without a socket);
what only goes over the wire (the loopback binding, paths a client would normalise) is asked
of a real ``tipwatch serve`` on loopback.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import pytest

from http_helpers import get, get_json

if TYPE_CHECKING:  # pragma: no cover
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def db(store_db: Path):  # noqa: ANN201
    con = duckdb.connect(str(store_db), read_only=True)
    yield con
    con.close()


def _assert_meta(payload: dict) -> None:
    meta = payload["meta"]
    assert "Trafficking in Persons" in meta["source"]
    assert "public domain" in meta["licence"]
    assert meta["store_built"]


def test_years_lists_every_report_year_with_status(api_client: TestClient, db) -> None:  # noqa: ANN001
    status, body = get_json(api_client, "/api/years")
    assert status == 200
    _assert_meta(body)
    expected = db.execute("SELECT year, status, n_placements FROM years ORDER BY year").fetchall()
    got = [(y["year"], y["status"], y["n_placements"]) for y in body["data"]]
    assert got == [tuple(r) for r in expected]
    latest = [y["year"] for y in body["data"] if y["latest_complete"]]
    assert latest == [db.execute(
        "SELECT max(year) FROM years WHERE status = 'complete'").fetchone()[0]]


@pytest.mark.parametrize("year", [2003, 2012, 2019, 2024])
def test_tiers_match_the_store(api_client: TestClient, db, year: int) -> None:  # noqa: ANN001
    status, body = get_json(api_client, f"/api/tiers?year={year}")
    assert status == 200
    _assert_meta(body)
    expected = dict(db.execute(
        "SELECT iso3, tier FROM placements WHERE year = ?", [year]).fetchall())
    assert {r["iso3"]: r["tier"] for r in body["data"]} == expected
    assert all(r["basis"] in ("read", "deduced") for r in body["data"])
    assert sum(body["counts"].values()) == len(expected)
    # meta names the sources of what is served, with their licences
    served = {r["source"] for r in body["data"]}
    assert {s["id"] for s in body["meta"]["sources"]} == served
    assert all("licence" in s for s in body["meta"]["sources"])


def test_tiers_filters_and_csv(api_client: TestClient, db) -> None:  # noqa: ANN001
    year, region = 2015, "AF"
    status, body = get_json(api_client, f"/api/tiers?year={year}&tier=2WL&region={region}")
    assert status == 200
    expected = {r[0] for r in db.execute(
        "SELECT p.iso3 FROM placements p JOIN countries c USING (iso3) "
        "WHERE p.year = ? AND p.tier = '2WL' AND c.region = ?", [year, region]).fetchall()}
    assert expected and {r["iso3"] for r in body["data"]} == expected
    status, headers, raw = get(api_client, f"/api/tiers?year={year}&format=csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert "public domain" in headers["x-licence"]
    rows = list(csv.DictReader(io.StringIO(raw.decode())))
    n = db.execute("SELECT count(*) FROM placements WHERE year = ?", [year]).fetchone()[0]
    assert len(rows) == n
    assert {"country", "iso3", "tier", "basis", "source"} <= set(rows[0])


def test_latest_is_the_latest_complete_year(api_client: TestClient, db) -> None:  # noqa: ANN001
    status, body = get_json(api_client, "/api/tiers?year=latest")
    assert status == 200
    assert body["year"] == db.execute(
        "SELECT max(year) FROM years WHERE status = 'complete'").fetchone()[0]


@pytest.mark.parametrize("ident", ["MMR", "burma", "Côte d'Ivoire", "kor", "Kosovo"])
def test_country_history_matches_placements(api_client: TestClient, db, ident: str) -> None:  # noqa: ANN001
    status, body = get_json(api_client, "/api/countries/" + urllib.parse.quote(ident))
    assert status == 200, body
    _assert_meta(body)
    d = body["data"]
    expected = db.execute("SELECT year, tier, basis FROM placements WHERE iso3 = ? "
                          "ORDER BY year", [d["iso3"]]).fetchall()
    assert [(h["year"], h["tier"], h["basis"]) for h in d["history"]] == \
        [tuple(r) for r in expected]
    newest = db.execute("SELECT max(year) FROM years").fetchone()[0]
    if expected[-1][0] == newest:
        assert d["current"]["year"] == newest and d["standing"]["placed"]
    else:
        assert d["current"] is None and d["standing"]["year"] == expected[-1][0]
    n_events = db.execute("SELECT count(*) FROM events WHERE iso3 = ?", [d["iso3"]]).fetchone()[0]
    assert len(d["events"]) == n_events
    for key in ("streaks", "facts", "facts_summary", "cites", "cited_by"):
        assert isinstance(d[key], list)
    assert {s["id"] for s in body["meta"]["sources"]} == {h["source"] for h in d["history"]}


def test_countries_list_has_latest_tier(api_client: TestClient, db) -> None:  # noqa: ANN001
    status, body = get_json(api_client, "/api/countries")
    assert status == 200
    n = db.execute("SELECT count(DISTINCT iso3) FROM placements").fetchone()[0]
    assert len(body["data"]) == n
    row = next(r for r in body["data"] if r["iso3"] == "PRK")
    assert (row["latest_year"], row["latest_tier"]) == db.execute(
        "SELECT year, tier FROM placements WHERE iso3 = 'PRK' ORDER BY year DESC LIMIT 1"
    ).fetchone()


def test_changes_are_real_tier_differences(api_client: TestClient, db) -> None:  # noqa: ANN001
    status, body = get_json(api_client, "/api/changes?year=2012")
    assert status == 200 and body["data"]
    for c in body["data"]:
        before = db.execute("SELECT tier FROM placements WHERE iso3 = ? AND year = ?",
                            [c["iso3"], c["previous_year"]]).fetchone()[0]
        after = db.execute("SELECT tier FROM placements WHERE iso3 = ? AND year = 2012",
                           [c["iso3"]]).fetchone()[0]
        assert (before, after) == (c["from_tier"], c["to_tier"]) and before != after


def test_audit_filters_by_country_and_year(api_client: TestClient, db) -> None:  # noqa: ANN001
    iso3, year = db.execute(
        "SELECT iso3, year FROM events GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1").fetchone()
    status, body = get_json(api_client, f"/api/audit?year={year}&country={iso3}")
    assert status == 200
    n = db.execute("SELECT count(*) FROM events WHERE iso3 = ? AND year = ?",
                   [iso3, year]).fetchone()[0]
    assert len(body["data"]) == n > 0
    assert all(e["iso3"] == iso3 and e["year"] == year for e in body["data"])
    status, _, raw = get(api_client, f"/api/audit?year={year}&format=csv")
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(raw.decode())))
    assert len(rows) == db.execute("SELECT count(*) FROM events WHERE year = ?",
                                   [year]).fetchone()[0]


def test_facts_and_flows_answer_lists(api_client: TestClient, db) -> None:  # noqa: ANN001
    for path, table in (("/api/facts?country=NGA", "facts"), ("/api/flows?year=2018", "flows")):
        status, body = get_json(api_client, path)
        assert status == 200, body
        _assert_meta(body)
        assert isinstance(body["data"], list)
        has_table = db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
        ).fetchone()[0]
        if not has_table:
            assert body["data"] == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/tiers?year=1999", 404),
        ("/api/tiers?year=2099", 404),
        ("/api/tiers?year=20x1", 422),
        ("/api/tiers?year=2010&tier=4", 422),
        ("/api/tiers?region=Mars", 422),
        ("/api/tiers?format=xml", 422),
        ("/api/changes?year=-1", 422),
        ("/api/countries/Atlantis", 404),
        ("/api/countries/" + urllib.parse.quote("x' OR 1=1; DROP TABLE placements; --"), 404),
        ("/api/audit?country=" + urllib.parse.quote("'; SELECT * FROM sources; --"), 404),
        ("/api/facts?kind=" + urllib.parse.quote("x' OR '1'='1"), 422),
        ("/api/facts?year=" + urllib.parse.quote("2018 OR 1=1"), 422),
        ("/api/facts?limit=0", 422),
        ("/api/countries/" + "A" * 200, 422),
        ("/downloads/panel.exe", 404),
        ("/downloads/panel." + urllib.parse.quote("../../pyproject.toml"), 404),
        ("/static/%2e%2e/app.py", 404),
        ("/static/..%2fapp.py", 404),
        ("/static/%2e%2e%2f%2e%2e%2fpaths.py", 404),
        ("/country/NOPE", 404),
    ],
)
def test_bad_input_answers_4xx_with_a_message(api_client: TestClient, path: str,
                                              status: int) -> None:
    code, headers, body = get(api_client, path)
    assert code == status, body[:300]
    assert b"Traceback" not in body and b"def " not in body and b"import " not in body
    if headers.get("content-type", "").startswith("application/json"):
        detail = json.loads(body)["detail"]
        assert isinstance(detail, str) and detail and "\n" not in detail


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/../../paths.py",
                                  "/static/%2e%2e/app.py", "/static/..%2fapp.py"])
def test_paths_out_of_the_web_folder_answer_404_over_the_wire(explorer_url: str,
                                                               path: str) -> None:
    """A client that does not normalise ``..`` (urllib) reaches the real server with it."""
    code, _, body = get(explorer_url, path)
    assert code == 404, body[:300]
    assert b"import " not in body and b"def " not in body


def test_store_is_untouched_by_injection(api_client: TestClient, db) -> None:  # noqa: ANN001
    before = db.execute("SELECT count(*) FROM placements").fetchone()[0]
    get(api_client, "/api/countries/" + urllib.parse.quote("MMR'); DELETE FROM placements;--"))
    status, body = get_json(api_client, "/api/tiers?year=2010")
    assert status == 200 and len(body["data"]) > 0
    assert db.execute("SELECT count(*) FROM placements").fetchone()[0] == before


def test_cors_is_off_by_default(api_client: TestClient) -> None:
    status, headers, _ = get(api_client, "/api/years", {"Origin": "http://evil.example"})
    assert status == 200
    assert not any(k.lower() == "access-control-allow-origin" for k in headers)


def test_downloads_hold_the_whole_panel(api_client: TestClient, db, tmp_path: Path) -> None:  # noqa: ANN001
    n = db.execute("SELECT count(*) FROM placements").fetchone()[0]
    for fmt, reader in (("csv", pd.read_csv), ("parquet", pd.read_parquet),
                        ("dta", pd.read_stata)):
        status, headers, body = get(api_client, f"/downloads/panel.{fmt}")
        assert status == 200, fmt
        assert "attachment" in headers["content-disposition"]
        path = tmp_path / f"panel.{fmt}"
        path.write_bytes(body)
        frame = reader(path)
        assert len(frame) == n, fmt
        assert {"iso3", "year", "tier", "basis", "source"} <= set(frame.columns)


def test_openapi_and_pages(api_client: TestClient) -> None:
    status, spec = get_json(api_client, "/openapi.json")
    assert status == 200
    for p in ("/api/years", "/api/tiers", "/api/countries/{ident}", "/api/changes",
              "/api/audit", "/api/facts", "/api/flows"):
        assert p in spec["paths"]
    for path in ("/docs", "/", "/country/MMR", "/static/map.js", "/shapes/world.json"):
        code, headers, body = get(api_client, path)
        assert code == 200, path
    code, headers, _ = get(api_client, "/")
    assert "default-src 'self'" in headers["content-security-policy"]


def _listening_addresses(port: int) -> set[str]:
    """Local IPv4 addresses listening on ``port`` (from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        addr, p = local.split(":")
        if int(p, 16) == port and state == "0A":  # LISTEN
            found.add(".".join(str(int(addr[i:i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


def test_serve_binds_loopback_by_default(store_db: Path) -> None:
    import subprocess
    import sys

    from conftest import REPO, free_port, wait_http

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tipwatch.cli", "serve", "--port", str(port), "--db",
         str(store_db)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/api", proc)
        assert _listening_addresses(port) == {"127.0.0.1"}
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in out


def test_country_links_and_facts_come_from_the_extracted_facts(api_client: TestClient, db) -> None:  # noqa: ANN001
    iso3 = db.execute(
        "SELECT iso3 FROM facts WHERE kind = 'cited_country' GROUP BY 1 "
        "ORDER BY count(*) DESC, iso3 LIMIT 1").fetchone()[0]
    status, body = get_json(api_client, f"/api/countries/{iso3}")
    assert status == 200
    d = body["data"]
    cited = {r[0] for r in db.execute(
        "SELECT DISTINCT value FROM facts WHERE kind = 'cited_country' AND iso3 = ? "
        "AND value <> iso3", [iso3]).fetchall()}
    assert {c["iso3"] for c in d["cites"]} == cited
    citing = {r[0] for r in db.execute(
        "SELECT DISTINCT iso3 FROM facts WHERE kind = 'cited_country' AND value = ? "
        "AND iso3 <> value", [iso3]).fetchall()}
    assert {c["iso3"] for c in d["cited_by"]} == citing
    destinations = {r[0] for r in db.execute(
        "SELECT DISTINCT destination_iso3 FROM flows WHERE origin_iso3 = ? "
        "AND destination_iso3 <> origin_iso3", [iso3]).fetchall()}
    assert {c["iso3"] for c in d["flows_from"]} == destinations
    # facts carry their locators, most recent report year first
    n = db.execute("SELECT count(*) FROM facts WHERE iso3 = ?", [iso3]).fetchone()[0]
    assert len(d["facts"]) == min(n, 200)
    assert sum(s["n"] for s in d["facts_summary"]) == n
    years = [f["year"] for f in d["facts"]]
    assert years == sorted(years, reverse=True)
    for f in d["facts"]:
        assert f["doc_id"] and f["section"] and f["start"] is not None and f["end"] >= f["start"]


def test_facts_filters(api_client: TestClient, db) -> None:  # noqa: ANN001
    iso3, year, kind = db.execute(
        "SELECT iso3, year, kind FROM facts GROUP BY 1, 2, 3 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    status, body = get_json(api_client, f"/api/facts?country={iso3}&year={year}&kind={kind}")
    assert status == 200
    n = db.execute("SELECT count(*) FROM facts WHERE iso3 = ? AND year = ? AND kind = ?",
                   [iso3, year, kind]).fetchone()[0]
    assert len(body["data"]) == n > 0
    assert all((f["iso3"], f["year"], f["kind"]) == (iso3, year, kind) for f in body["data"])
    status, body = get_json(api_client, "/api/facts?kind=no_such_kind")
    assert status == 200 and body["data"] == []
    status, body = get_json(api_client, f"/api/flows?year={year}")
    assert status == 200
    assert len(body["data"]) == db.execute("SELECT count(*) FROM flows WHERE year = ?",
                                           [year]).fetchone()[0]


def test_unranked_entity_has_no_page_and_says_why(api_client: TestClient, db) -> None:  # noqa: ANN001
    iso3 = db.execute(
        "SELECT iso3 FROM countries WHERE iso3 NOT IN (SELECT iso3 FROM placements) "
        "ORDER BY iso3 LIMIT 1").fetchone()[0]
    status, body = get_json(api_client, f"/api/countries/{iso3}")
    assert status == 404 and iso3 in body["detail"]
    code, _, page = get(api_client, f"/country/{iso3}")
    assert code == 404 and b"not ranked" in page


def test_newest_year_is_the_last_year_with_placements(api_client: TestClient, db) -> None:  # noqa: ANN001
    status, body = get_json(api_client, "/api/tiers?year=newest")
    assert status == 200
    assert body["year"] == db.execute("SELECT max(year) FROM placements").fetchone()[0]


def test_audit_filters_by_event(api_client: TestClient, db) -> None:  # noqa: ANN001
    status, body = get_json(api_client, "/api/audit?event=auto_downgrade")
    assert status == 200
    n = db.execute("SELECT count(*) FROM events WHERE event = 'auto_downgrade'").fetchone()[0]
    assert len(body["data"]) == n > 0
    assert {e["event"] for e in body["data"]} == {"auto_downgrade"}
    status, _ = get_json(api_client, "/api/audit?event=" + urllib.parse.quote("x' OR 1=1"))
    assert status == 422


def test_country_current_is_the_newest_year_and_lists_policy_findings(  # noqa: ANN201
        api_client: TestClient, db):  # noqa: ANN001
    newest = db.execute("SELECT max(year) FROM years").fetchone()[0]
    absent = db.execute(
        "SELECT a.iso3 FROM placements a WHERE a.year = ? AND NOT EXISTS (SELECT 1 FROM "
        "placements b WHERE b.iso3 = a.iso3 AND b.year = ?) ORDER BY a.iso3 LIMIT 1",
        [newest - 1, newest]).fetchone()[0]
    status, body = get_json(api_client, f"/api/countries/{absent}")
    assert status == 200
    d = body["data"]
    assert d["current"] is None and d["current_streak"] is None
    assert d["standing"]["placed"] is False and d["standing"]["year"] == newest - 1
    assert d["standing"]["text"].startswith(f"not in the {newest} panel")
    listed = db.execute(
        "SELECT iso3, list(year ORDER BY year) FROM events WHERE event = "
        "'state_policy_or_pattern' GROUP BY iso3 ORDER BY iso3").fetchall()
    for iso3, years in listed[:4]:
        status, body = get_json(api_client, f"/api/countries/{iso3}")
        assert [p["year"] for p in body["data"]["policy_or_pattern"]] == list(years)
