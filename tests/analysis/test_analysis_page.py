"""The country page's forecast and consistency section in real headless Chromium."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser


def test_country_page_shows_the_forecast_and_consistency(browser, explorer_url: str,  # noqa: ANN001
                                                         artifacts: Path) -> None:
    with urllib.request.urlopen(explorer_url + "/api/countries/MYS/forecast", timeout=180) as r:
        fc = json.loads(r.read())["data"]["forecast"]
    browser.get(f"{explorer_url}/country/MYS")
    WebDriverWait(browser, 120).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#forecast .forecast-summary")
        and d.find_elements(By.CSS_SELECTOR, "#consistency table"))
    assert browser.find_element(By.CSS_SELECTOR, "#forecast .forecast-summary").text == \
        fc["summary"]
    cells = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#forecast td")]
    assert f"{round(100 * fc['p_down'])}%" in cells
    years = [r.find_elements(By.TAG_NAME, "td")[0].text for r in
             browser.find_elements(By.CSS_SELECTOR, "#consistency table tbody tr")]
    assert "2018" in years
    assert "political" not in browser.find_element(By.ID, "foresight").text.lower()
    browser.save_screenshot(str(artifacts / "web-country-foresight-MYS.png"))
