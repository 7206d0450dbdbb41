"""Facts stated in other words: each class of rule on sentences this project wrote in the
report's style (never report sentences)."""

from __future__ import annotations

import pytest

from tipwatch.extract import extract
from tipwatch.ingest.tip2018 import build_narrative
from tipwatch.model import Narrative


def nar(iso3: str = "MDA", **sections: str) -> Narrative:
    fields = {
        {"prosecution": "prosecutions", "profile": "trafficking profile"}.get(k, k): v
        for k, v in sections.items()
    }
    return build_narrative(iso3, iso3, fields)


def values(n: Narrative, kind: str) -> list:
    return [f.value for f in extract(n, [kind])]


# --------------------------------------------------------------------------- forms


@pytest.mark.parametrize(
    "sentence",
    [
        "Gangs force some teenagers to transport drugs across the border.",
        "Criminal networks compel boys to smuggle drugs into the neighbouring state.",
        "Some young migrants are coerced into criminal behaviour by their recruiters.",
        "Relatives force or coerce children to conduct criminal activity in the markets.",
        "Cartels subject adolescents to forced labor including robberies and extortion.",
        "Traffickers exploit some nationals who travel north in forced labor, criminal "
        "activity, and sex trafficking.",
        "Crews are compelled to log timber illegally, which exposes them to arrest.",
    ],
)
def test_forced_criminality_in_other_words(sentence):
    assert "forced_criminality" in values(nar(profile=sentence), "form")


@pytest.mark.parametrize(
    "sentence",
    [
        "Some families sell their daughters into marriage to repay loans.",
        "Girls in the north are forced into early marriage by relatives.",
        "Refugee girls are forced into domestic chores or early marriage by their families.",
        "Rural girls face forced or early marriage and later domestic servitude.",
    ],
)
def test_forced_marriage_in_other_words(sentence):
    assert "forced_marriage" in values(nar(profile=sentence), "form")


def test_domestic_servitude_needs_force_not_vulnerability():
    forced = nar(
        profile="Migrants are forced, deceived, or pressured into labor on farms, in "
        "restaurants, and in domestic work."
    )
    assert "domestic_servitude" in values(forced, "form")
    caregivers = nar(
        profile="Traffickers exploit victims of forced labor in hotels, on farms, and as "
        "nannies in private homes."
    )
    assert "domestic_servitude" in values(caregivers, "form")
    vulnerable = nar(
        profile="Seasonal migrants are vulnerable to forced labor in the dairy sector and as "
        "domestic workers."
    )
    assert "domestic_servitude" not in values(vulnerable, "form")
    named = nar(profile="Migrant women are vulnerable to forced domestic service.")
    assert "domestic_servitude" in values(named, "form")
    sex_in_homes = nar(profile="Women are exploited in sex trafficking in private homes.")
    assert "domestic_servitude" not in values(sex_in_homes, "form")


def test_sex_tourism_from_prevention_work_is_not_evidence():
    campaign = nar(
        prevention="The government funded an NGO to run campaigns on the prevention of child "
        "sex tourism. It did not address child sex tourism by its nationals abroad."
    )
    assert "sex_tourism" not in values(campaign, "form")
    occurs = nar(profile="Foreign nationals engage in child sex tourism in coastal resorts.")
    assert "sex_tourism" in values(occurs, "form")
