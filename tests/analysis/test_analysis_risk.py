"""Risk lookup: one row per name in input order, errors per row, clear 4xx / exit 2 on bad input.

Library, CLI and a real uvicorn server (``explorer_url``) over the session's real store.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest

from conftest import run_cli
from tipwatch.analysis import risk
from tipwatch.analysis.inputs import Inputs
from tipwatch.analysis.load import inputs
from tipwatch.errors import BadInputError, MalformedInputError
from tipwatch.rules import published

NAMES = ["Viet Nam", "Burma", "Ivory Coast", "Narnia", "", "dprk", "Trin&Tobago", "Malaysia"]


@pytest.fixture(scope="module")
def inp(store_db: Path) -> Inputs:
    return inputs(store_db)


def post(base: str, path: str, body: bytes, kind: str) -> tuple[int, dict]:
    req = urllib.request.Request(base + path, data=body, method="POST",
                                 headers={"Content-Type": kind})
    try:
        with urllib.request.urlopen(req, timeout=120) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_rows_follow_the_input_and_resolve_any_spelling(inp: Inputs, store_db: Path) -> None:
    rows = risk.lookup(inp, NAMES)
    assert [r["input"] for r in rows] == NAMES
    assert [r.get("iso3") for r in rows] == ["VNM", "MMR", "CIV", None, None, "PRK", "TTO",
                                             "MYS"]
    assert rows[3]["error"].startswith("unknown country") and rows[3]["suggestions"]
    assert rows[4]["error"] == "empty name"
    con = duckdb.connect(str(store_db), read_only=True)
    for r in rows:
        if r.get("error"):
            continue
        year, tier = con.execute("SELECT max(year), arg_max(tier, year) FROM placements "
                                 "WHERE iso3 = ?", [r["iso3"]]).fetchone()
        status = con.execute("SELECT status FROM years WHERE year = ?", [year]).fetchone()[0]
        assert (r["year"], r["tier"]) == (year, tier)
        assert r["year_complete"] == (status == "complete")
        docs, names = con.execute(
            "SELECT count(DISTINCT doc_id), count(DISTINCT citing_iso3) FROM cited_by "
            "WHERE cited_iso3 = ? AND citing_iso3 <> cited_iso3", [r["iso3"]]).fetchone()
        assert (r["cited_by"], r["cited_by_countries"]) == (docs, names)
        assert r["summary"].startswith(r["country"]) and r["summary"].endswith(".")
        assert r["sources"] and all(s["licence"] for s in r["sources"])
        if r["forecast_year"]:
            assert r["forecast_year"] == year + 1
            assert abs(r["p_down"] + r["p_same"] + r["p_up"] - 1) < 1e-3
    con.close()
    prk = rows[5]
    assert prk["tier"] == "3" and prk["trend"] == "unchanged" and prk["years_at_tier"] > 10
    n = prk["years_at_tier"]
    nth = f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
    assert f"on Tier 3 in the {prk['year']} report for the {nth} consecutive report" in \
        prk["summary"]


def test_official_finding_is_kept_apart_from_the_narrative(inp: Inputs) -> None:
    table = risk.profiles(inp)
    lists = published.policy_lists()
    years_read = {y for y, _ in lists}
    for iso3, p in table.items():
        hit = lists.get((p["year"], iso3))
        official = hit is not None and hit.status != "text flag"
        if p["year"] in years_read or official:
            assert p["policy_or_pattern_listed"] == official, iso3
        else:
            assert p["policy_or_pattern_listed"] is None, iso3
        assert set(p["narrative_state_involvement"]) <= {"official_complicity",
                                                         "state_policy_or_pattern"}
        assert "policy_or_pattern_finding" not in p["narrative_state_involvement"]
        assert set(p["sectors"]) <= set(risk.SECTOR_GROUPS)
    described = [p for p in table.values() if "state_policy_or_pattern"
                 in p["narrative_state_involvement"]]
    assert described and any(not p["policy_or_pattern_listed"] for p in described)


@pytest.mark.parametrize(("data", "message"), [
    ([], "expected an object"),
    ({"names": []}, "missing key 'countries'"),
    ({"countries": "Chad"}, "must be a list"),
    ({"countries": ["Chad", 7]}, "countries[1] must be a string"),
    ({"countries": []}, "no country names"),
    ({"countries": ["Chad"] * 1001}, "1001 names given; at most 1000"),
    ({"countries": ["Chad"], "x": 1}, "unknown key 'x'"),
])
def test_json_shapes_are_checked(data: object, message: str) -> None:
    with pytest.raises(BadInputError) as err:
        risk.names_from_json(data)
    assert message in str(err.value)


def test_csv_input_is_checked() -> None:
    assert risk.names_from_csv(b"id;Country\n1;Chad\n2;Peru\n") == ["Chad", "Peru"]
    assert risk.names_from_csv(b"supplier,where\nA,Chad\n", column="where") == ["Chad"]
    assert risk.names_from_csv(b"\xef\xbb\xbfland\nChad\n") == ["Chad"]
    assert len(risk.names_from_json({"countries": ["Chad"] * 1000})) == 1000
    with pytest.raises(BadInputError, match="no column 'nation'.*columns: supplier, where"):
        risk.names_from_csv(b"supplier,where\nA,Chad\n", column="nation")
    with pytest.raises(BadInputError, match="no country column"):
        risk.names_from_csv(b"a,b\n1,2\n")
    with pytest.raises(MalformedInputError,
                       match="list.csv: not UTF-8 text \\(line 3, byte 14: 0xf4"):
        risk.names_from_csv(b"country\nChad\nC\xf4te d'Ivoire\n", where="list.csv")
    with pytest.raises(BadInputError, match="line 3: 1 field"):
        risk.names_from_csv(b"id,country\n1,Chad\n2\n")


def test_cli_reads_csv_json_and_stdin(tmp_path: Path, store_db: Path) -> None:
    src = tmp_path / "suppliers.csv"
    src.write_text("supplier,Country\nAcme,Viet Nam\nB,Narnia\nC,Ivory Coast\n", "utf-8")
    out = run_cli("risk", str(src), "--format", "json", "--db", str(store_db))
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["input"] for r in rows] == ["Viet Nam", "Narnia", "Ivory Coast"]
    assert rows[1]["error"] and rows[0]["iso3"] == "VNM"
    js = tmp_path / "list.json"
    js.write_text(json.dumps({"countries": ["Burma"]}), "utf-8")
    out = run_cli("risk", str(js), "--format", "csv", "--db", str(store_db))
    assert out.returncode == 0 and out.stdout.splitlines()[1].startswith("Burma,Burma,MMR")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("country\nCôte d'Ivoire\n".encode("latin-1"))
    for args in ([str(bad)], [str(src), "--column", "nation"], [str(tmp_path / "none.csv")]):
        res = run_cli("risk", *args, "--db", str(store_db))
        assert res.returncode == 2, res.stderr
        assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr


def test_api_risk_json_csv_and_upload(explorer_url: str) -> None:
    status, body = post(explorer_url, "/api/risk",
                        json.dumps({"countries": NAMES}).encode(), "application/json")
    assert status == 200
    assert [r["input"] for r in body["data"]] == NAMES
    assert body["data"][3]["error"] and body["data"][0]["iso3"] == "VNM"
    assert body["meta"]["licence"] and body["meta"]["query"]["unresolved"] == 2
    status, body = post(explorer_url, "/api/risk?column=land",
                        b"id,land\n1,Burma\n2,Chad\n", "text/csv")
    assert status == 200 and [r["iso3"] for r in body["data"]] == ["MMR", "TCD"]
    boundary = "XyZ"
    form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"s.csv\"\r\nContent-Type: text/csv\r\n\r\ncountry\nPeru\n\r\n"
            f"--{boundary}--\r\n").encode()
    status, body = post(explorer_url, "/api/risk", form,
                        f"multipart/form-data; boundary={boundary}")
    assert status == 200 and body["data"][0]["iso3"] == "PER"


@pytest.mark.parametrize(("body", "kind", "code", "message"), [
    (b"[]", "application/json", 422, "expected an object"),
    (b'{"countries": []}', "application/json", 422, "no country names"),
    (json.dumps({"countries": ["Chad"] * 1001}).encode(), "application/json", 422,
     "at most 1000"),
    (b'{"countries": [', "application/json", 422, "not valid JSON (line 1"),
    (b"a,b\n1,2\n", "text/csv", 422, "no country column"),
    (b"country\nC\xf4te\n", "text/csv", 422, "not UTF-8"),
    (b"Chad", "application/xml", 415, "content type"),
])
def test_api_risk_bad_input(explorer_url: str, body: bytes, kind: str, code: int,
                            message: str) -> None:
    status, payload = post(explorer_url, "/api/risk", body, kind)
    assert status == code
    assert message in payload["detail"]


def test_api_forecast_routes(explorer_url: str) -> None:
    with urllib.request.urlopen(explorer_url + "/api/countries/Malaysia/forecast",
                                timeout=120) as res:
        body = json.loads(res.read())["data"]
    assert body["iso3"] == "MYS" and body["forecast"]["iso3"] == "MYS"
    assert body["forecast"]["reasons_down"] or body["forecast"]["reasons_up"]
    with urllib.request.urlopen(explorer_url + "/api/forecast/backtest", timeout=120) as res:
        scores = json.loads(res.read())["data"]["scores"]
    assert scores["down"]["model"]["brier"] > 0 and "tier_rate" in scores["up"]
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(explorer_url + "/api/forecast?year=2030", timeout=60)
    assert err.value.code == 404
    assert "panel ends with" in json.loads(err.value.read())["detail"]
    with urllib.request.urlopen(explorer_url + "/api/consistency?year=2018&country=MYS",
                                timeout=120) as res:
        cons = json.loads(res.read())["data"]
    assert [r["iso3"] for r in cons["rows"]] == ["MYS"]


def test_api_risk_csv_answer_and_size_limit(explorer_url: str) -> None:
    req = urllib.request.Request(
        explorer_url + "/api/risk?format=csv", method="POST",
        data=json.dumps({"countries": ["Burma", "Narnia"]}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as res:
        lines = res.read().decode("utf-8").splitlines()
        assert "public domain" in res.headers["X-Licence"]
    assert lines[0].split(",")[:3] == ["input", "country", "iso3"]
    assert lines[1].startswith("Burma,Burma,MMR,") and lines[2].startswith("Narnia,,,")
    # a body over the server's limit is refused before it is read
    status, payload = post(explorer_url, "/api/risk", b"country\n" + b"Chad\n" * 14_000,
                           "text/csv")
    assert status == 413 and "limit" in payload["detail"]
    # more names than a request may hold, in a body under that limit
    status, payload = post(explorer_url, "/api/risk", b"country\n" + b"Chad\n" * 1001,
                           "text/csv")
    assert 400 <= status < 500 and "at most" in payload["detail"]


def test_cli_tables_render(tmp_path: Path, store_db: Path) -> None:
    src = tmp_path / "s.csv"
    src.write_text("country\nBurma\nNarnia\n", "utf-8")
    out = run_cli("risk", str(src), "--db", str(store_db))
    assert out.returncode == 0, out.stderr
    assert "MMR" in out.stdout and "Narnia" in out.stdout and "1 not resolved" in out.stdout
    out = run_cli("consistency", "--year", "2018", "--db", str(store_db))
    assert out.returncode == 0 and "Rule flags" in out.stdout
