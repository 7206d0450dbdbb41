"""``tipwatch report``: index.html + report.pdf from a real store, checked as a reader would."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import run_cli
from tipwatch.report.charts import TIER_COLOURS, TIER_LABELS


@pytest.fixture(scope="module")
def db(store_db: Path):  # noqa: ANN201
    con = duckdb.connect(str(store_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def year(db) -> int:  # noqa: ANN001
    return db.execute("SELECT max(year) FROM years WHERE status = 'complete'").fetchone()[0]


@pytest.fixture(scope="module")
def built(store_db: Path, year: int, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    res = run_cli("report", "--year", str(year), "--out", str(out), "--db", str(store_db))
    assert res.returncode == 0, res.stderr
    assert "report.pdf" in res.stdout
    return out


@pytest.fixture(scope="module")
def pdf_pages(built: Path) -> list[str]:
    reader = PdfReader(built / "report.pdf")
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def test_html_has_every_placed_country_and_the_map(built: Path, db, year: int) -> None:  # noqa: ANN001
    soup = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    placed = dict(db.execute("SELECT iso3, tier FROM placements WHERE year = ?", [year])
                  .fetchall())
    pages = {a["id"][2:] for a in soup.select("article.country")}
    assert pages == set(placed)
    # the map colours each drawn placed country with its tier's colour
    svg_map = soup.select_one("svg.worldmap")
    checked = 0
    for path in svg_map.select("path[data-iso3]"):
        iso3 = path["data-iso3"]
        if iso3 in placed:
            assert path["fill"] == TIER_COLOURS[placed[iso3]], iso3
            checked += 1
        else:
            assert path["fill"] not in TIER_COLOURS.values(), iso3
    assert checked > 100
    # one timeline per country page: an SVG image with one dot per placement of the country
    import base64
    import xml.etree.ElementTree as ET

    imgs = soup.select("article.country img.timeline")
    assert len(imgs) == len(placed)
    for img in imgs[:: max(1, len(imgs) // 12)]:
        iso3 = img.find_parent("article")["id"][2:]
        prefix = "data:image/svg+xml;base64,"
        assert img["src"].startswith(prefix)
        svg = ET.fromstring(base64.b64decode(img["src"][len(prefix):]))
        dots = svg.findall("{http://www.w3.org/2000/svg}circle")
        n = db.execute("SELECT count(*) FROM placements WHERE iso3 = ?", [iso3]).fetchone()[0]
        assert len(dots) == n, iso3


def test_html_changes_and_audit_match_the_store(built: Path, db, year: int) -> None:  # noqa: ANN001
    from tipwatch.store import reader as queries

    soup = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    n_changes = len(queries.changes(db, year))
    assert len(soup.select("#changes tbody tr")) == n_changes
    n_events = db.execute("SELECT count(*) FROM events WHERE year = ?", [year]).fetchone()[0]
    assert len(soup.select("#audit tbody tr")) == n_events
    # by region: every placed country appears once across the region tables
    links = [a["href"][3:] for a in soup.select("#by-region table a")]
    n = db.execute("SELECT count(*) FROM placements WHERE year = ?", [year]).fetchone()[0]
    assert len(links) == n == len(set(links))


def test_pdf_first_page_renders(built: Path, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.fail("missing system package: poppler-utils (`make install` installs it as root; "
                    "otherwise: sudo apt-get install poppler-utils)", pytrace=False)
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1",
                    str(built / "report.pdf"), str(prefix)], check=True, timeout=120)
    pngs = list(tmp_path.glob("page*.png"))
    assert len(pngs) == 1
    data = pngs[0].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_pdf_country_pages_state_their_tier(pdf_pages: list[str], db, year: int) -> None:  # noqa: ANN001
    rows = db.execute(
        "SELECT p.iso3, c.name, p.tier FROM placements p JOIN countries c USING (iso3) "
        "WHERE p.year = ? ORDER BY p.iso3", [year]).fetchall()
    assert len(pdf_pages) > len(rows)
    # a sample across tiers: the first country of each tier, and the alphabetical extremes
    sample = {}
    for iso3, name, tier in rows:
        sample.setdefault(tier, (iso3, name, tier))
    sample = list(sample.values()) + [rows[0], rows[-1]]
    for iso3, name, tier in sample:
        marker = f"{TIER_LABELS[tier]} in the {year} report"
        hits = [t for t in pdf_pages if re.search(rf"\b{iso3}\b", t) and marker in t]
        assert hits, (iso3, name, tier)
        assert any(name.split()[0] in t for t in hits), name


def test_bad_year_exits_2_and_writes_nothing(store_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for bad in ("1999", "20x1", "2099"):
        res = run_cli("report", "--year", bad, "--out", str(out), "--db", str(store_db))
        assert res.returncode == 2, (bad, res.stderr)
        assert "Traceback" not in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1 and "year" in res.stderr
        assert not out.exists()


def test_failed_report_leaves_existing_output_untouched(store_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("previous report", encoding="utf-8")
    res = run_cli("report", "--year", "1990", "--out", str(out), "--db", str(store_db))
    assert res.returncode == 2
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_out_is_a_file_exits_2(store_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    res = run_cli("report", "--year", "latest", "--out", str(target), "--db", str(store_db))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert target.read_text(encoding="utf-8") == "x"


def test_country_pages_list_facts_with_locators(built: Path, db, year: int) -> None:  # noqa: ANN001
    soup = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = db.execute(
        "SELECT f.iso3, count(*) FROM facts f JOIN placements p ON p.iso3 = f.iso3 "
        "AND p.year = f.year WHERE f.year = ? GROUP BY 1 ORDER BY 1", [year]).fetchall()
    assert rows, "no facts for the report year"
    for iso3, n in rows:
        items = soup.select(f"#c-{iso3} ul.facts li")
        assert len(items) == min(n, 12), iso3
        doc_ids = {r[0] for r in db.execute(
            "SELECT DISTINCT doc_id FROM facts WHERE iso3 = ? AND year = ?",
            [iso3, year]).fetchall()}
        for li in items:
            loc = li.select_one(".locator").get_text()
            assert any(loc.startswith(d) for d in doc_ids) and "§" in loc and "[" in loc


def test_explorer_serves_the_report_without_traversal(built: Path, store_db: Path) -> None:
    import sys
    import urllib.error
    import urllib.request

    from conftest import REPO, free_port, wait_http

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tipwatch.cli", "serve", "--port", str(port), "--db",
         str(store_db), "--report-dir", str(built), "--no-warm"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"

    def fetch(path: str) -> tuple[int, str, bytes]:
        try:
            with urllib.request.urlopen(base + path, timeout=30) as res:
                return res.status, res.headers.get("content-type", ""), res.read()
        except urllib.error.HTTPError as err:
            return err.code, err.headers.get("content-type", ""), err.read()

    try:
        wait_http(base + "/api", proc)
        status, ctype, body = fetch("/report/")
        assert status == 200 and ctype.startswith("text/html")
        assert body == (built / "index.html").read_bytes()
        status, ctype, body = fetch("/report/report.pdf")
        assert status == 200 and ctype == "application/pdf" and body[:5] == b"%PDF-"
        for bad in ("/report/../pyproject.toml", "/report/%2e%2e/%2e%2e/pyproject.toml",
                    "/report/..%2f..%2fpyproject.toml", "/report/%2fetc%2fpasswd"):
            status, _, body = fetch(bad)
            assert status == 404, bad
            assert b"[project]" not in body and b"root:" not in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_country_pages_name_linked_countries(built: Path, db, year: int) -> None:  # noqa: ANN001
    soup = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    iso3, n = db.execute(
        "SELECT f.iso3, count(DISTINCT f.value) FROM facts f JOIN placements p "
        "ON p.iso3 = f.iso3 AND p.year = ? WHERE f.kind = 'cited_country' AND f.value <> f.iso3 "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1", [year]).fetchone()
    text = soup.select_one(f"#c-{iso3} p.links").get_text(" ")
    assert f"Its texts name ({n})" in " ".join(text.split())


def test_changes_name_the_audit_events_behind_them(built: Path, db, year: int) -> None:  # noqa: ANN001
    soup = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    downgraded = {r[0] for r in db.execute(
        "SELECT iso3 FROM events WHERE year = ? AND event = 'auto_downgrade'", [year]).fetchall()}
    rows = {tr.select_one("a")["href"][3:]: tr.select("td")[-1].get_text()
            for tr in soup.select("#changes tbody tr")}
    for iso3, audit in rows.items():
        assert ("auto downgrade" in audit) == (iso3 in downgraded), iso3
    # every automatically downgraded country changed tier, so it is in the table
    assert downgraded <= set(rows)


def test_governments_on_the_years_policy_list_say_so(built: Path, db, year: int) -> None:  # noqa: ANN001
    soup = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    listed = {r[0] for r in db.execute(
        "SELECT iso3 FROM events WHERE event = 'state_policy_or_pattern' AND year = ?",
        [year]).fetchall()}
    assert listed, f"no policy-or-pattern list for {year}"
    flagged = {p.find_parent("article")["id"][2:] for p in soup.select("article.country p.policy")}
    assert flagged == listed


DEV_PATHS = ("../shared", "shared/data", "/work/")


def test_readers_see_sources_not_development_folders(built: Path, pdf_pages: list[str]) -> None:
    html = (built / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    text = soup.get_text(" ")
    links = " ".join(a.get("href", "") for a in soup.select("a"))
    for needle in DEV_PATHS:
        assert needle not in text and needle not in links, needle
        assert not any(needle in page for page in pdf_pages), needle
    # the sources chapter gives each source a publisher and, where one is known, a web address
    rows = soup.select("#sources tbody tr")
    assert rows
    for row in rows:
        cells = [td.get_text(" ", strip=True) for td in row.select("td")]
        assert len(cells) == 4 and cells[0] and cells[1]
    assert any(a["href"].startswith("https://") for a in soup.select("#sources a.url"))


def test_the_title_names_tipwatch_and_the_report_year(built: Path, year: int,
                                                      pdf_pages: list[str]) -> None:
    soup = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    title = f"tipwatch — an independent reading of the {year} Trafficking in Persons Report"
    assert soup.title.get_text() == title
    assert soup.h1.get_text(" ", strip=True) == title
    assert "not a publication of the U.S. Department of State" in soup.select_one(
        ".disclaimer").get_text(" ", strip=True)
    first = pdf_pages[0]
    assert "tipwatch — an independent reading of" in first and str(year) in first
    assert PdfReader(built / "report.pdf").metadata.title == title


def test_report_json_records_the_store_build_and_reuse_keeps_the_report(
    built: Path, store_db: Path, year: int, tmp_path: Path,
) -> None:
    import json
    import shutil

    from tipwatch.store import build as store

    meta = json.loads((built / "report.json").read_text(encoding="utf-8"))
    assert meta["year"] == year and meta["build_id"] == store.stored_build_id(store_db)
    assert meta["pages"] == len(PdfReader(built / "report.pdf").pages)
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    before = {p.name: p.stat().st_mtime_ns for p in copy.iterdir()}
    res = run_cli("report", "--year", str(year), "--out", str(copy), "--db", str(store_db),
                  "--reuse")
    assert res.returncode == 0, res.stderr
    assert "up to date" in res.stdout
    assert {p.name: p.stat().st_mtime_ns for p in copy.iterdir()} == before
    # another year is not the same report: it is written
    res = run_cli("report", "--year", "2001", "--out", str(copy), "--db", str(store_db),
                  "--reuse", "--no-pdf")
    assert res.returncode == 0 and "up to date" not in res.stdout
    assert json.loads((copy / "report.json").read_text(encoding="utf-8"))["year"] == 2001
    assert not (copy / "report.pdf").exists()  # no PDF of another year beside the new HTML
