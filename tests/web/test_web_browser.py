"""The web explorer in real headless Chromium against a real server and store.

Open the map, change the year and see the colours change, see "no data" where the store has
no placement, click a country and see its history. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tipwatch.report.charts import load_shapes

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def db(store_db: Path):  # noqa: ANN201
    con = duckdb.connect(str(store_db), read_only=True)
    yield con
    con.close()


def _drawn() -> dict[str, int]:
    """ISO3 -> length of its outline, for countries drawn as shapes (not dots)."""
    return {iso: len(c["d"]) for iso, c in load_shapes()["countries"].items() if c.get("d")}


def _pick_changed_country(db, drawn: dict[str, int]) -> tuple[str, int, str, int, str]:  # noqa: ANN001
    """A large drawn country whose tier differs between two complete report years."""
    rows = db.execute(
        """
        SELECT a.iso3, a.year, a.tier, b.year, b.tier
        FROM placements a JOIN placements b ON a.iso3 = b.iso3 AND b.year > a.year
        JOIN years ya ON ya.year = a.year JOIN years yb ON yb.year = b.year
        WHERE a.tier <> b.tier AND ya.status = 'complete' AND yb.status = 'complete'
          AND a.basis = 'read' AND b.basis = 'read'
        """
    ).fetchall()
    rows = [r for r in rows if r[0] in drawn]
    assert rows, "no country changed tier between two complete years"
    return max(rows, key=lambda r: (drawn[r[0]], r[3] - r[1]))


def _wait_year(driver, year: int) -> None:  # noqa: ANN001
    WebDriverWait(driver, 90).until(  # a loaded machine: the server warms every answer
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-year") == str(year)
    )


def _fill(driver, iso3: str) -> str:  # noqa: ANN001
    node = driver.find_element(By.CSS_SELECTOR, f'#world [data-iso3="{iso3}"]')
    return driver.execute_script("return getComputedStyle(arguments[0]).fill", node)


def _swatch(driver, cls: str) -> str:  # noqa: ANN001
    node = driver.find_element(By.CSS_SELECTOR, f"#legend .swatch.{cls}")
    return driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor", node)


def _tier_class(tier: str) -> str:
    return "tier-" + "".join(ch for ch in tier if ch.isalnum())


def test_map_colours_follow_the_year(browser, explorer_url: str, db, artifacts: Path) -> None:  # noqa: ANN001
    drawn = _drawn()
    iso3, y1, t1, y2, t2 = _pick_changed_country(db, drawn)
    browser.get(f"{explorer_url}/#year={y1}")
    _wait_year(browser, y1)
    n_paths = len(browser.find_elements(By.CSS_SELECTOR, "#world path[data-iso3]"))
    assert n_paths == len(drawn)
    before = _fill(browser, iso3)
    assert before == _swatch(browser, _tier_class(t1))
    browser.save_screenshot(str(artifacts / f"web-map-{y1}.png"))

    Select(browser.find_element(By.ID, "year")).select_by_value(str(y2))
    _wait_year(browser, y2)
    after = _fill(browser, iso3)
    assert after == _swatch(browser, _tier_class(t2)) and after != before
    browser.save_screenshot(str(artifacts / f"web-map-{y2}.png"))

    # the arrows step through the years
    years = [r[0] for r in db.execute("SELECT year FROM years ORDER BY year").fetchall()]
    i = years.index(y2)
    if i > 0:
        browser.find_element(By.ID, "year-prev").click()
        _wait_year(browser, years[i - 1])
        browser.find_element(By.ID, "year-next").click()
        _wait_year(browser, y2)
        assert browser.find_element(By.ID, "year").get_attribute("value") == str(y2)

    # the tier table beside the map lists the placements of the year, by tier
    listed = browser.find_elements(By.CSS_SELECTOR, "#tier-table li[data-iso3]")
    n = db.execute("SELECT count(*) FROM placements WHERE year = ?", [y2]).fetchone()[0]
    assert len(listed) == n
    group = browser.find_element(By.CSS_SELECTOR, f'#tier-table [data-tier="{t2}"]')
    assert group.find_elements(By.CSS_SELECTOR, f'li[data-iso3="{iso3}"]')


def test_partial_year_shows_no_data_not_a_tier(browser, explorer_url: str, db,  # noqa: ANN001
                                               artifacts: Path) -> None:
    drawn = _drawn()
    row = db.execute(
        "SELECT year FROM years WHERE status = 'partial' ORDER BY n_placements LIMIT 1"
    ).fetchone()
    assert row, "the store has no partial year"
    year = row[0]
    placed = {r[0] for r in db.execute("SELECT iso3 FROM placements WHERE year = ?", [year])
              .fetchall()}
    ever = {r[0] for r in db.execute("SELECT DISTINCT iso3 FROM placements").fetchall()}
    unplaced = sorted((ever - placed) & set(drawn), key=lambda i: -drawn[i])
    assert unplaced
    browser.get(f"{explorer_url}/#year={year}")
    _wait_year(browser, year)
    status = browser.find_element(By.ID, "status").text
    assert "partly" in status and str(year) in status
    nodata = _swatch(browser, "nodata")
    assert _fill(browser, unplaced[0]) == nodata
    tier_colours = {_swatch(browser, _tier_class(t)) for t in ("1", "2", "2WL", "3", "special")}
    assert nodata not in tier_colours
    some_placed = next(i for i in sorted(placed, key=lambda i: -drawn.get(i, 0)) if i in drawn)
    assert _fill(browser, some_placed) in tier_colours
    browser.save_screenshot(str(artifacts / f"web-map-partial-{year}.png"))


def test_click_a_country_shows_its_history(browser, explorer_url: str, db,  # noqa: ANN001
                                           artifacts: Path) -> None:
    drawn = _drawn()
    iso3, *_ = _pick_changed_country(db, drawn)
    year = db.execute("SELECT max(year) FROM years WHERE status = 'complete'").fetchone()[0]
    browser.get(f"{explorer_url}/#year={year}")
    _wait_year(browser, year)
    browser.find_element(By.CSS_SELECTOR, f'#world path[data-iso3="{iso3}"]').click()
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-iso3") == iso3
    )
    assert browser.current_url.endswith(f"/country/{iso3}")
    history = db.execute("SELECT year, tier FROM placements WHERE iso3 = ? ORDER BY year",
                         [iso3]).fetchall()
    points = browser.find_elements(By.CSS_SELECTOR, "#timeline circle.point")
    got = [(int(p.get_attribute("data-year")), p.get_attribute("data-tier")) for p in points]
    assert got == [tuple(r) for r in history]
    name = db.execute("SELECT name FROM countries WHERE iso3 = ?", [iso3]).fetchone()[0]
    assert browser.find_element(By.ID, "country-name").text == name
    rows = browser.find_elements(By.CSS_SELECTOR, "#history-table tbody tr")
    assert len(rows) == len(history)
    n_events = db.execute("SELECT count(*) FROM events WHERE iso3 = ?", [iso3]).fetchone()[0]
    event_rows = browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    assert len(event_rows) == n_events
    assert "Licence" in browser.find_element(By.ID, "provenance").text
    browser.save_screenshot(str(artifacts / f"web-country-{iso3}.png"))


def test_country_page_shows_facts_with_locators_and_links(browser, explorer_url: str,  # noqa: ANN001
                                                          db, artifacts: Path) -> None:
    iso3 = db.execute(
        "SELECT iso3 FROM facts WHERE kind = 'cited_country' GROUP BY 1 "
        "ORDER BY count(DISTINCT year) DESC, iso3 LIMIT 1").fetchone()[0]
    browser.get(f"{explorer_url}/country/{iso3}")
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-iso3") == iso3
    )
    locators = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#facts code.locator")]
    n = db.execute("SELECT count(*) FROM facts WHERE iso3 = ?", [iso3]).fetchone()[0]
    assert len(locators) == min(n, 200)
    doc = db.execute("SELECT doc_id FROM facts WHERE iso3 = ? ORDER BY year DESC LIMIT 1",
                     [iso3]).fetchone()[0]
    assert doc in locators[0] and "§" in locators[0]
    cited = {r[0] for r in db.execute(
        "SELECT DISTINCT value FROM facts WHERE kind = 'cited_country' AND iso3 = ? "
        "AND value <> iso3", [iso3]).fetchall()}
    links = browser.find_elements(By.CSS_SELECTOR, "#cites a")
    assert {a.get_attribute("href").rsplit("/", 1)[-1] for a in links} == cited
    browser.save_screenshot(str(artifacts / f"web-country-facts-{iso3}.png"))


def test_pages_load_nothing_from_the_network(browser, explorer_url: str) -> None:  # noqa: ANN001
    for path in ("/", "/country/MMR"):
        browser.get(explorer_url + path)
        WebDriverWait(browser, 30).until(
            lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-year")
            or d.find_element(By.TAG_NAME, "body").get_attribute("data-iso3")
        )
        urls = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        assert urls and all(u.startswith(explorer_url) for u in urls), urls
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors


def test_api_docs_render_offline(browser, explorer_url: str) -> None:  # noqa: ANN001
    browser.get(explorer_url + "/docs")
    WebDriverWait(browser, 30).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock")) >= 8
    )
    text = browser.find_element(By.CSS_SELECTOR, ".swagger-ui").text
    assert "/api/tiers" in text and "/api/countries/{ident}" in text
    urls = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(u.startswith(explorer_url) for u in urls), urls


def test_map_page_lists_the_automatic_downgrades_of_the_year(browser, explorer_url: str,  # noqa: ANN001
                                                             db, artifacts: Path) -> None:
    year = db.execute("SELECT year FROM events WHERE event = 'auto_downgrade' GROUP BY 1 "
                      "ORDER BY count(*) DESC, year LIMIT 1").fetchone()[0]
    expected = {r[0] for r in db.execute(
        "SELECT iso3 FROM events WHERE event = 'auto_downgrade' AND year = ?", [year]).fetchall()}
    browser.get(f"{explorer_url}/#year={year}")
    _wait_year(browser, year)
    Select(browser.find_element(By.ID, "event-filter")).select_by_value("auto_downgrade")
    links = browser.find_elements(By.CSS_SELECTOR, "#audit tbody tr td:first-child a")
    assert {a.get_attribute("href").rsplit("/", 1)[-1] for a in links} == expected
    flagged = {tr.find_element(By.CSS_SELECTOR, "a").get_attribute("href").rsplit("/", 1)[-1]
               for tr in browser.find_elements(By.CSS_SELECTOR, "#changes tbody tr")
               if "auto downgrade" in tr.text}
    assert flagged == expected  # the changes table says which moves were automatic
    Select(browser.find_element(By.ID, "event-filter")).select_by_value("")
    rows = browser.find_elements(By.CSS_SELECTOR, "#audit tbody tr")
    assert len(rows) == db.execute("SELECT count(*) FROM events WHERE year = ?",
                                   [year]).fetchone()[0]
    browser.save_screenshot(str(artifacts / f"web-audit-{year}.png"))


def test_map_opens_on_the_newest_year_and_pages_say_who_is_not_in_it(  # noqa: ANN201
        browser, explorer_url: str, db, artifacts: Path):  # noqa: ANN001
    newest, status = db.execute(
        "SELECT year, status FROM years ORDER BY year DESC LIMIT 1").fetchone()
    browser.get(f"{explorer_url}/")
    _wait_year(browser, newest)
    # a country of the previous report with no placement in the newest year
    iso3 = db.execute(
        "SELECT a.iso3 FROM placements a WHERE a.year = ? AND NOT EXISTS (SELECT 1 FROM "
        "placements b WHERE b.iso3 = a.iso3 AND b.year = ?) ORDER BY a.iso3 LIMIT 1",
        [newest - 1, newest]).fetchone()[0]
    browser.get(f"{explorer_url}/country/{iso3}")
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-iso3") == iso3)
    text = browser.find_element(By.ID, "current").text
    assert f"not in the {newest} panel: the {newest} year is {status}" in text
    # a government on the newest year's policy-or-pattern list says so on its page
    listed = db.execute(
        "SELECT iso3 FROM events WHERE event = 'state_policy_or_pattern' AND year = ? "
        "ORDER BY iso3 LIMIT 1", [newest]).fetchone()[0]
    browser.get(f"{explorer_url}/country/{listed}")
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-iso3") == listed)
    pop = browser.find_element(By.ID, "policy-or-pattern")
    assert pop.is_displayed() and str(newest) in pop.text
    browser.save_screenshot(str(artifacts / f"web-country-{listed}-policy.png"))
