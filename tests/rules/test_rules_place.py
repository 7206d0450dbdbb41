"""place() details: consequences by the year's law, warnings on gaps, the assessment format."""

from __future__ import annotations

import pytest

from tipwatch.errors import MalformedInputError, UnknownYearError
from tipwatch.rules.assessment import Assessment, parse_assessment
from tipwatch.rules.place import place

WAIVER = {"written_plan": True, "plan_would_be_significant_efforts": True,
          "sufficient_resources": True, "granted": True}


def _a(**kw: object) -> Assessment:
    base = {"country": "Testland", "report_year": 2020, "fully_complies": False,
            "significant_efforts": True}
    return Assessment.model_validate({**base, **kw})


def test_waiver_consequences_follow_the_law_of_the_year() -> None:
    old = place(_a(report_year=2012, increasing_efforts=False, waiver=WAIVER),
                {2010: "2WL", 2011: "2WL"})
    new = place(_a(report_year=2020, increasing_efforts=False, waiver=WAIVER),
                {2018: "2WL", 2019: "2WL"})
    assert old.tier == new.tier == "2WL"
    assert not any("7107(b)(2)(E)" in c for c in old.consequences)
    assert any("7107(b)(2)(E)" in c for c in new.consequences)


def test_tier3_consequences_and_cspa() -> None:
    r = place(_a(report_year=2016, significant_efforts=False, child_soldiers_list=True), {})
    assert r.tier == "3"
    assert any("7107(d)(1)(B)" in c for c in r.consequences)
    assert any("2370c-1" in c for c in r.consequences)
    early = place(_a(report_year=2002, significant_efforts=False), {})
    assert len(early.consequences) < len(r.consequences)


def test_special_watch_list_upgrades_are_noted() -> None:
    up = place(_a(report_year=2016), {2015: "3"})
    assert up.tier == "2" and any("7107(b)(2)(A)(ii)" in c for c in up.consequences)
    t1 = place(_a(report_year=2016, fully_complies=True), {2015: "2"})
    assert any("7107(b)(2)(A)(i)" in c for c in t1.consequences)


def test_gap_in_history_is_a_warning_and_not_counted() -> None:
    r = place(_a(report_year=2014, increasing_efforts=False), {2011: "2WL", 2013: "2WL"})
    assert r.tier == "2WL" and "R_TWL_WAIVER_1" not in r.codes
    assert r.warnings and "2012" in r.warnings[0]


def test_history_in_the_assessment_wins_over_the_argument() -> None:
    a = _a(report_year=2013, increasing_efforts=False, history={2011: "2WL", 2012: "2WL"})
    assert place(a, {2011: "2", 2012: "2"}).codes[-1] == "R_T3_AUTO_DOWNGRADE_NO_WAIVER"


def test_years_outside_the_law_raise() -> None:
    with pytest.raises(UnknownYearError):
        place(_a(report_year=2000), {})


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("country: X\nreport_year: 2020\nfully_complies: false\n", "significant_efforts"),
        ("country: X\nreport_year: '2020'\nfully_complies: false\nsignificant_efforts: true\n",
         "line 2, column 14: report_year"),
        ("country: X\nreport_year: 2020\nfully_complies: false\nsignificant_efforts: true\n"
         "history: {2019: 4}\n", "line 5, column 17: history.2019"),
        ("country: X\nreport_year: 2020\nfully_complies: false\nsignificant_efforts: true\n"
         "history: {2021: '2'}\n", "history: year 2021 is not before report_year 2020"),
        ("country: X\nreport_year: 2020\nfully_complies: false\nsignificant_efforts: true\n"
         "evidence: {b13: note}\n", "evidence.b13"),
        ("country: X\nreport_year: 2020\nfully_complies: false\nsignificant_efforts: true\n"
         "waiver: {granted: true, signed: true}\n", "line 5, column 25: waiver.signed"),
        ("", "must be a mapping"),
        ("country: X\nreport_year: 2020\nfully_complies: false\nsignificant_efforts: true\n"
         "fully_complies: true\n", "line 5, column 1: fully_complies: given twice"),
    ],
)
def test_assessment_errors_name_field_and_position(text: str, needle: str) -> None:
    with pytest.raises(MalformedInputError) as exc:
        parse_assessment(text, "f.yaml")
    assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_json_assessment_parses_with_positions() -> None:
    ok = parse_assessment('{"country": "X", "report_year": 2019, "special_case": true}', "f.json")
    assert ok.special_case
    with pytest.raises(MalformedInputError, match="line 3, column 20: fully_complies"):
        parse_assessment('{\n "country": "X", "report_year": 2019,\n "fully_complies": 1,\n'
                         ' "significant_efforts": true}', "f.json")
