"""The 2018 narratives and the Factbook texts, read from ../shared (real data)."""

from __future__ import annotations

import csv
import re
import sys

import pytest

from tipwatch.ingest import load_factbook, load_tip2018
from tipwatch.ingest.factbook import parse_text, report_year
from tipwatch.ingest.tip2018 import FLAT_CSV, default_path

pytestmark = pytest.mark.corpus

FULL = {"intro", "tier", "recommendations", "prosecution", "protection", "prevention", "profile"}
HEADINGS = re.compile(r"(?:PROSECUTION|PROTECTION|PREVENTION|TRAFFICKING PROFILE)(?=[A-Z][a-z])")


@pytest.fixture(scope="module")
def tip2018():
    return load_tip2018()


@pytest.fixture(scope="module")
def flat_rows():
    csv.field_size_limit(sys.maxsize)
    with open(default_path() / FLAT_CSV, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_2018_narrative_is_read_once(tip2018, flat_rows):
    ids = [n.doc_id for n in tip2018]
    assert len(ids) == len(set(ids)) == len(flat_rows)
    assert {n.country for n in tip2018} == {r["iso3"] for r in flat_rows}
    assert all(n.year == 2018 and n.source == "tip2018" for n in tip2018)


def test_sections_are_slices_of_the_text(tip2018):
    for n in tip2018:
        for name, (a, b) in n.spans.items():
            assert 0 <= a < b <= len(n.text), (n.doc_id, name)
            assert n.sections[name] == n.text[a:b]
            assert n.sections[name] == n.sections[name].strip()
        spans = sorted(n.spans.values())
        for (_a1, b1), (a2, _b2) in zip(spans, spans[1:], strict=False):
            assert b1 <= a2, f"{n.doc_id}: overlapping sections"


def test_ranked_narratives_get_every_section_glued_or_not(tip2018, flat_rows):
    ranked = [n for n in tip2018 if "government_efforts" not in n.spans]
    glued_in_source = {r["iso3"] for r in flat_rows if not r["prosecutions"].strip()}
    glued = [n for n in ranked if n.meta["glued"]]
    assert {n.country for n in glued} == glued_in_source & {n.country for n in ranked}
    assert len(glued) == 15
    for n in ranked:
        assert set(n.spans) >= FULL, (n.doc_id, FULL - set(n.spans))
    for n in glued:
        # no heading is left inside a section, and each section starts a sentence
        for name in ("recommendations", "prosecution", "protection", "prevention", "profile"):
            body = n.sections[name]
            assert not HEADINGS.search(body[:-1] if name == "profile" else body), (n.doc_id, name)
            assert body[0].isupper(), (n.doc_id, name, body[:30])
        assert "RECOMMENDATIONS FOR" not in n.sections["intro"]


def test_special_cases_keep_government_efforts(tip2018, flat_rows):
    special = {r["iso3"] for r in flat_rows if r["case_type"] == "special"}
    assert special
    for n in tip2018:
        if n.country in special:
            assert {"intro", "government_efforts", "profile"} <= set(n.spans)
            assert n.meta["tier_header"] == "SPECIAL CASE"


def test_split_watch_list_line_is_repaired(tip2018, flat_rows):
    corrected = {r["iso3"] for r in flat_rows if r["tier_corrected"] not in ("", "0")}
    assert len(corrected) == 6
    for n in tip2018:
        if n.country in corrected:
            assert n.meta["tier_header"] == "TIER 2 WATCH LIST"
            assert not n.sections["intro"].startswith("WATCH LIST")
    # the original JSON still has the split line: the words stay in the text, out of the intro
    raw = load_tip2018(default_path() / "normal_cases.json")
    split = [n for n in raw if n.text.lstrip().startswith("WATCH LIST")]
    assert {n.country for n in split} == corrected
    for n in split:
        assert n.meta["tier_header"] == "TIER 2 WATCH LIST"
        assert n.sections["intro"].startswith("The Government")


def test_json_bundle_gives_the_same_narratives(tip2018):
    from_json = load_tip2018(default_path() / "normal_cases.json") + load_tip2018(
        default_path() / "special_cases.json"
    )
    by_id = {n.doc_id: n for n in tip2018}
    assert {n.doc_id for n in from_json} == set(by_id)
    for n in from_json:
        assert n.sections["intro"] == by_id[n.doc_id].sections["intro"]


@pytest.fixture(scope="module")
def factbook():
    return load_factbook()


def test_factbook_one_text_per_country_and_report_year(factbook):
    keys = [(n.year, n.country) for n in factbook]
    assert len(keys) == len(set(keys))
    assert all(n.doc_id == f"factbook:{n.year}:{n.country}" for n in factbook)
    years = {n.year for n in factbook}
    assert min(years) == 2006 and max(years) == 2025
    # the stale duplicate editions add no report year of their own
    assert not years & {2016, 2017, 2018, 2019, 2021}
    for n in factbook:
        assert "tier_rating" in n.spans, n.doc_id
        for name, (a, b) in n.spans.items():
            assert n.sections[name] == n.text[a:b]
            assert not n.sections[name].lower().startswith(("tier rating:", "current situation:"))


def test_factbook_report_year_rules():
    text = "current situation: X is a source country tier rating: Tier 3 - the government (2013)"
    n = parse_text(text, "DZA", 2014)
    assert n is not None and n.year == 2013
    assert n.sections["profile"] == "X is a source country"
    assert n.sections["tier_rating"].startswith("Tier 3")
    url = "tier rating: Tier 3 ... go to: https://www.state.gov/reports/2024-trafficking-in-persons-report/chad/"
    assert report_year(url, {"tier_rating": (0, len(url))}, 2025) == 2024
    # an undated text of a stale edition is skipped, of a fresh edition dated by the edition
    plain = "current situation: X is a destination country tier rating: Tier 2 Watch List - text"
    assert parse_text(plain, "DZA", 2009) is None
    fresh = parse_text(plain, "DZA", 2007)
    assert fresh is not None and fresh.year == 2007
    assert parse_text("current situation: | tier rating:", "DZA", 2019) is None
