"""The law as dated data: loading, checks on the file, resolution per report year."""

from __future__ import annotations

import copy

import pytest
import yaml

from tipwatch.errors import DataCheckError, UnknownYearError
from tipwatch.rules.law import LAW_FILE, load_law, parse_law


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(LAW_FILE.read_text(encoding="utf-8"))


def test_every_year_resolves_every_parameter() -> None:
    law = load_law()
    for year in range(law.first_year, law.latest_year + 1):
        at = law.at(year)
        assert set(at.values) == set(law.descriptions), year
        assert all(at.cite(p).strip() for p in at.values), year


@pytest.mark.parametrize("year", [1999, 2000, 2026, 2100])
def test_years_outside_the_law_are_refused(year: int) -> None:
    with pytest.raises(UnknownYearError, match=str(year)):
        load_law().at(year)


def test_watch_list_and_triggers_change_with_the_law() -> None:
    law = load_law()
    assert not law.at(2003).watch_list and law.at(2003).triggers == []
    assert law.at(2004).watch_list and "T-c" in law.at(2004).triggers
    assert "T-c" in law.at(2018).triggers and "T-a'" not in law.at(2018).triggers
    assert "T-c" not in law.at(2019).triggers and "T-a'" in law.at(2019).triggers


def test_downgrade_waivers_and_rule_f_dates() -> None:
    law = load_law()
    assert not law.at(2008).auto_downgrade
    assert law.at(2009).auto_downgrade and law.at(2009).count_start == 2009
    assert [law.at(y).max_waivers for y in (2010, 2018, 2019, 2025)] == [2, 2, 1, 1]
    assert law.at(2018).max_consecutive_watch_list == 4
    assert law.at(2019).max_consecutive_watch_list == 3
    assert not law.at(2018).cap["in_force"] and law.at(2019).cap["in_force"]
    assert not law.at(2018).policy_or_pattern and law.at(2019).policy_or_pattern
    assert not law.at(2018).concrete_actions_only and law.at(2019).concrete_actions_only


def test_cumulative_consequences_add_up() -> None:
    law = load_law()
    n2002, n2003, n2015 = (len(law.at(y)["tier3_consequences"]) for y in (2002, 2003, 2015))
    assert n2002 < n2003 < n2015
    assert any("4205" in c for c in law.at(2015)["tier3_consequences"])
    assert not law.at(2009)["cspa_consequences"] and law.at(2010)["cspa_consequences"]


def test_rows_carry_citations_for_the_store() -> None:
    rows = load_law().rows()
    assert rows and all(r["citation"] and r["parameter"] for r in rows)


def test_overlapping_entries_are_refused(raw: dict) -> None:
    bad = copy.deepcopy(raw)
    bad["parameters"]["max_waiver_years"]["entries"][1]["from"] = 2008
    with pytest.raises(DataCheckError, match="max_waiver_years"):
        parse_law(bad)


def test_gap_between_entries_is_refused(raw: dict) -> None:
    bad = copy.deepcopy(raw)
    bad["parameters"]["report_due"]["entries"][1]["from"] = 2022
    with pytest.raises(DataCheckError, match="report_due"):
        parse_law(bad)


def test_missing_citation_and_missing_parameter_are_refused(raw: dict) -> None:
    bad = copy.deepcopy(raw)
    bad["parameters"]["auto_downgrade"]["entries"][0]["citation"] = " "
    with pytest.raises(DataCheckError, match="citation"):
        parse_law(bad)
    bad = copy.deepcopy(raw)
    del bad["parameters"]["post_downgrade_cap"]
    with pytest.raises(DataCheckError, match="post_downgrade_cap"):
        parse_law(bad)


def test_a_change_of_law_is_a_new_entry(raw: dict) -> None:
    """Adding a dated entry changes the engine's reading from that year, with no code change."""
    changed = copy.deepcopy(raw)
    entries = changed["parameters"]["max_waiver_years"]["entries"]
    entries[-1]["to"] = 2023
    entries.append({"from": 2024, "to": None, "value": 0, "citation": "hypothetical amendment"})
    law = parse_law(changed)
    assert law.at(2023).max_waivers == 1 and law.at(2024).max_waivers == 0
    assert law.at(2024).cite("max_waiver_years") == "hypothetical amendment"
