"""A report year with no tier list in the store: the map, the API and the report say so.

The bundled panel has a placement for every report year, so the test copies the real store and
removes one year's placements (marking the year ``missing``, as the build does for a year no
source covers), then serves the copy with a real server and browser.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import REPO, free_port, run_cli, wait_http
from http_helpers import get_json


@pytest.fixture(scope="module")
def gapped(store_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("gapped") / "tipwatch.duckdb"
    shutil.copy(store_db, path)
    con = duckdb.connect(str(path))
    year = con.execute(
        "SELECT min(year) FROM years WHERE status = 'complete' AND year > "
        "(SELECT min(year) FROM years)").fetchone()[0]
    con.execute("DELETE FROM placements WHERE year = ?", [year])
    con.execute("UPDATE years SET status = 'missing', n_placements = 0 WHERE year = ?", [year])
    con.execute("CHECKPOINT")
    con.close()
    return path, year


@pytest.fixture(scope="module")
def gapped_url(gapped: tuple[Path, int]) -> str:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tipwatch.cli", "serve", "--port", str(port), "--db",
         str(gapped[0])], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/api", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_api_answers_an_empty_missing_year(gapped_url: str, gapped: tuple[Path, int]) -> None:
    year = gapped[1]
    status, body = get_json(gapped_url, f"/api/tiers?year={year}")
    assert status == 200
    assert body["data"] == [] and body["status"]["status"] == "missing"
    status, body = get_json(gapped_url, "/api/years")
    row = next(y for y in body["data"] if y["year"] == year)
    assert row["status"] == "missing" and row["n_placements"] == 0


@pytest.mark.browser
def test_map_says_the_year_is_missing(browser, gapped_url: str, gapped: tuple[Path, int],  # noqa: ANN001
                                      artifacts: Path) -> None:
    year = gapped[1]
    browser.get(f"{gapped_url}/#year={year}")
    WebDriverWait(browser, 90).until(  # a loaded machine: the server warms every answer
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-year") == str(year)
    )
    status = browser.find_element(By.ID, "status").text
    assert "missing" in status and str(year) in status
    option = browser.find_element(By.CSS_SELECTOR, f'#year option[value="{year}"]')
    assert "missing" in option.text
    fills = set(browser.execute_script(
        "return [...document.querySelectorAll('#world [data-iso3]')]"
        ".map(e => getComputedStyle(e).fill)"))
    nodata = browser.execute_script(
        "return getComputedStyle(document.querySelector('#legend .swatch.nodata'))"
        ".backgroundColor")
    assert fills == {nodata}
    assert not browser.find_elements(By.CSS_SELECTOR, "#tier-table li")
    browser.save_screenshot(str(artifacts / f"web-map-missing-{year}.png"))


def test_report_of_a_missing_year_says_so(gapped: tuple[Path, int], tmp_path: Path) -> None:
    db, year = gapped
    out = tmp_path / "rep"
    res = run_cli("report", "--year", str(year), "--out", str(out), "--db", str(db), "--no-pdf")
    assert res.returncode == 0, res.stderr
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "missing" in soup.select_one(".status").get_text()
    assert not soup.select("article.country")
    assert not (out / "report.pdf").exists()
