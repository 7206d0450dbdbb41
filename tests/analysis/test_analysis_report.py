"""The reliability diagram (SVG) and the report's foresight chapter, from the real store."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tipwatch.analysis import forecast as fc
from tipwatch.analysis.chart import backtest_svg
from tipwatch.analysis.load import inputs
from tipwatch.report.builder import build_report

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def bt(store_db: Path) -> dict:
    return fc.backtest(inputs(store_db))


def test_reliability_svg_draws_every_bin(bt: dict) -> None:
    root = ET.fromstring(backtest_svg(bt))
    circles = root.findall(f".//{SVG}circle[@class='model']")
    bins = bt["scores"]["down"]["reliability"] + bt["scores"]["up"]["reliability"]
    assert len(circles) == len(bins)
    titles = [c.find(f"{SVG}title").text for c in circles]
    for b, t in zip(bins, titles, strict=True):
        assert f"{b['n']} predictions" in t and f"observed {b['observed']:.2f}" in t
    assert root.findall(f".//{SVG}rect[@class='base']")


def test_report_has_the_foresight_chapter(store_db: Path, tmp_path: Path, bt: dict) -> None:
    res = build_report(2018, tmp_path / "r", db=store_db, pdf=False)
    html = res.html.read_text(encoding="utf-8")
    chapter = html[html.index('<section id="foresight"'):]
    chapter = chapter[:chapter.index("</section>")]
    assert "Who may move in the 2019 report" in chapter
    assert "not explained by the narrative&#39;s own evidence" in chapter
    assert "political" not in chapter.lower()
    brier = bt["scores"]["down"]["model"]["brier"]
    assert f"<td>{brier}</td>" in chapter
    img = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', chapter)
    assert img and "Reliability" in base64.b64decode(img.group(1)).decode()
    assert "upgrade while counts fell" in chapter  # 2018 has two such flags in the store
