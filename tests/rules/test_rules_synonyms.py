"""Assessments written with other names for the same findings are read the same way."""

from __future__ import annotations

import pytest

from tipwatch.errors import MalformedInputError
from tipwatch.rules.assessment import parse_assessment

CANONICAL = """
country: Chad
report_year: 2020
fully_complies: false
significant_efforts: true
increasing_efforts: false
policy_or_pattern: [trafficking]
waiver: {written_plan: true, sufficient_resources: true, granted: true}
"""

SYNONYMS = """
iso3: TCD
year: 2020
fully_meets_minimum_standards: false
makes_significant_efforts: true
shows_increasing_efforts: false
state_policy_or_pattern: true
waiver: {plan: true, resources: true, waiver_granted: true}
"""


def test_synonyms_give_the_same_assessment() -> None:
    a = parse_assessment(CANONICAL)
    b = parse_assessment(SYNONYMS)
    assert a.model_dump(exclude={"country"}) == b.model_dump(exclude={"country"})


def test_a_field_under_two_names_is_an_error_with_its_line() -> None:
    with pytest.raises(MalformedInputError, match=r"line 3, column 1: report_year"):
        parse_assessment(
            "country: Chad\nyear: 2020\nreport_year: 2020\n"
            "fully_complies: false\nsignificant_efforts: true\n"
        )


def test_errors_under_a_synonym_still_point_at_the_value() -> None:
    with pytest.raises(MalformedInputError, match=r"line 2, column 32: fully_complies"):
        parse_assessment(
            "country: Chad\nfully_meets_minimum_standards: perhaps\nyear: 2020\n"
            "significant_efforts: true\n"
        )
