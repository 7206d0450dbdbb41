"""Facts stated in other words: each class of rule on sentences this project wrote in the
report's style (never report sentences)."""

from __future__ import annotations

import pytest

from extract_helpers import nar, values
from tipwatch.extract import extract
from tipwatch.model import Narrative

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


@pytest.mark.parametrize(
    "sentence",
    [
        "Brokers force some women into prostitution through arranged marriages abroad.",
        "Women are exploited in forced prostitution after entering into brokered marriages.",
    ],
)
def test_exploitation_after_a_marriage_is_not_forced_marriage(sentence):
    assert "forced_marriage" not in values(nar(profile=sentence), "form")


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


# --------------------------------------------------------------------------- law enforcement


def _le(n: Narrative) -> list[tuple[str, int, str | None]]:
    return [(f.value["measure"], f.value["value"], f.note) for f in extract(n, ["le_count"])]


def test_prior_period_figures_are_not_headlines():
    n = nar(
        prosecution="The government did not report whether courts convicted anyone, compared "
        "with four convictions in 2016. The four convictions reported during the previous "
        "reporting period were under appeal. Prosecutors charged 12 suspects, a rise in "
        "comparison to 2016 when judges tried 40 suspects, which resulted in 9 convictions."
    )
    got = _le(n)
    assert ("prosecutions", 12, None) in got
    assert not [g for g in got if g[0] == "convictions"]


def test_separate_figures_per_form_without_a_total_are_subsets():
    n = nar(
        prosecution="Prosecutors charged 41 defendants for sex trafficking in 2017, compared "
        "to 38 in 2016. Police separately recorded labor cases. The government prosecuted "
        "seven labor traffickers in 2017, compared with three in 2016."
    )
    got = _le(n)
    assert ("prosecutions", 41, "subset") in got and ("prosecutions", 7, "subset") in got
    total = nar(
        prosecution="Prosecutors charged 41 sex and labor trafficking defendants. Of these, "
        "the government prosecuted seven labor traffickers."
    )
    assert _le(total) == [("prosecutions", 41, None)]


def test_latest_year_with_statistics_is_the_reporting_period():
    n = nar(
        prosecution="In 2016, the most recent year for which full data existed, police "
        "identified 210 sex and labor traffickers, compared to 230 in 2015. Authorities "
        "registered 15 crimes under section 8 in 2016."
    )
    assert ("investigations", 210, None) in _le(n)
    missing = nar(
        government_efforts="Figures on victim identification were not available for 2017. "
        "In 2016, the government identified 40 foreign victims."
    )
    assert _le(missing) == []


@pytest.mark.parametrize(
    ("protection", "value"),
    [
        ("Authorities reported identifying and referring to care at least 212 victims.", 212),
        ("The government identified one officially recognized victim in 2017.", 1),
        (
            "Officials identified four confirmed and 60 potential victims. Of the 64 confirmed "
            "and potential victims the government identified, 50 were women.",
            64,
        ),
    ],
)
def test_victims_identified_in_other_words(protection, value):
    assert ("victims_identified", value, None) in _le(nar(protection=protection))


def test_prosecutions_begun_and_crimes_registered():
    n = nar(
        prosecution="Police investigated 6 cases under article 3 in 2017. Authorities also "
        "registered 20 crimes under article 9. Prosecutors began prosecutions in 11 cases "
        "under article 3."
    )
    got = _le(n)
    assert ("investigations", 6, "subset") in got and ("investigations", 20, "subset") in got
    assert ("prosecutions", 11, None) in got


# --------------------------------------------------------------------------- victim groups


@pytest.mark.parametrize(
    ("profile", "group"),
    [
        ("Foreign workers on building sites are subjected to forced labor.", "migrants"),
        ("Nationals migrating abroad for employment are subjected to forced labor.", "migrants"),
        ("Men who seek labor migration to the Gulf are exploited in debt bondage.", "migrants"),
        ("The state subjects tens of thousands of adult citizens to forced labor.", "adults"),
        ("Police identified five victims, including four children and one adult.", "adults"),
        ("Boys working in the fisheries sector are vulnerable to forced labor.", "fishermen"),
        ("Traffickers exploit victims in poultry processing plants.", "factory_workers"),
        ("Traffickers exploit women as nannies in private homes.", "domestic_workers"),
    ],
)
def test_victim_groups_in_other_words(profile, group):
    assert group in values(nar(profile=profile), "victim_group")


def test_groups_mentioned_but_not_as_victims():
    n = nar(
        profile="A steady inflow of migrants and refugees strained public budgets. Children are "
        "exploited in sex trafficking near gold mines and in the informal mining sector. Some "
        "women enter the country on student visas and are forced into prostitution.",
        protection="The Office for Migrants and Refugees ran a hotline. There were no shelters "
        "for adult victims. The migrant smuggling bill remained pending.",
    )
    got = set(values(n, "victim_group"))
    assert got.isdisjoint({"migrants", "refugees", "mine_workers", "students", "adults"})
    labour = nar(profile="Boys are forced to work in gold mines.")
    assert "mine_workers" in values(labour, "victim_group")


def test_prevention_sentences_that_name_a_group_at_risk():
    at_risk = nar(prevention="The stateless population in the north is vulnerable to trafficking.")
    assert values(at_risk, "victim_group") == ["stateless"]
    audience = nar(prevention="The ministry trained students and teachers on trafficking risks.")
    assert values(audience, "victim_group") == []


# --------------------------------------------------------------------------- roles


@pytest.mark.parametrize(
    "profile",
    [
        "Traffickers exploit Moldovan girls in sex trafficking in Turkey, and internally in bars.",
        "Sex trafficking of Moldovan and migrant children remains a significant problem.",
        "Moldovan boys are exploited as porters in the northern districts of the country.",
        "Women from Moldova, Ukraine, and Belarus are subjected to sex trafficking in Moldova.",
        "Girls are exploited in Turkey, Cyprus, and within Moldova.",
        "Moldovan children are moved to the capital from rural villages for domestic work.",
    ],
)
def test_internal_role_from_own_nationals_exploited_at_home(profile):
    assert "internal" in values(nar(profile=profile), "role")


def test_internal_role_needs_exploitation_and_victims_not_perpetrators():
    risk = nar(
        profile="Moldovan girls, particularly those from rural areas, are vulnerable to sex "
        "trafficking in urban centers."
    )
    assert "internal" not in values(risk, "role")
    perpetrators = nar(
        iso3="LCA",
        profile="Business owners from St. Lucia and India are the most likely perpetrators.",
    )
    assert "internal" not in values(perpetrators, "role")
    # a demonym that starts the country's own name is the name, not its nationals
    name = nar(
        iso3="SAU",
        profile="Saudi Arabia is a destination country for men subjected to forced labor.",
    )
    assert values(name, "role") == ["destination"]


def test_every_role_of_a_conjoined_statement_is_kept():
    n = nar(
        profile="Moldova is a country of origin and, to a lesser extent, transit and "
        "destination, for men subjected to forced labor."
    )
    assert set(values(n, "role")) == {"source", "transit", "destination"}
    n2 = nar(profile="Before the war, Moldova was a transit point and destination for women.")
    assert {"transit", "destination"} <= set(values(n2, "role"))


# --------------------------------------------------------------------------- cited countries


def _cited(text: str) -> set[str]:
    return set(values(nar(profile=text), "cited_country"))


def test_cited_country_forms_the_lexicon_missed():
    assert _cited("Some victims are later exploited in the US and Canada.") == {"USA", "CAN"}
    assert "POL" in _cited("Victims are mostly Bulgarians, Poles, and Romanians.")
    assert "CHN" in _cited("Workers were found in a Chinese-owned quarry.")
    # a dash garbled by the PDF parse ("Š") is a word break
    assert _cited("Victims come from neighbouring statesŠnotably Ghana and TogoŠto work.") == {
        "GHA",
        "TGO",
    }


def test_language_names_are_not_countries():
    assert _cited("The hotline takes calls in French and Haitian Creole.") == set()
    assert _cited("Officials ran campaigns in Romanian and Russian, aimed at youth.") == set()
    assert _cited("Traffickers exploit women in Russian brothels.") == {"RUS"}


# --------------------------------------------------------------------------- state, tier


@pytest.mark.parametrize(
    "text",
    [
        "Armed boys, some as young as 13, reportedly fought for rebel militias and government "
        "forces.",
        "Observers reported continued recruitment of children across the north by government "
        "forces and insurgent groups.",
        "The government took steps to end the use of child soldiers in its armed forces.",
    ],
)
def test_state_forces_using_children(text):
    assert "state_policy_or_pattern" in values(nar(profile=text), "state_involvement")


def test_children_held_by_state_forces_are_not_used_by_them():
    n = nar(profile="Government forces detained children associated with insurgent groups.")
    assert values(n, "state_involvement") == []


def test_special_case_has_no_movement():
    n = nar(intro="Moldova remains a Special Case for the fourth consecutive year.")
    (value,) = values(n, "tier_statement")
    assert value["tier"] == "special"
    assert value["movement"] is None and value["consecutive_years"] == 4


def test_law_naming_victims_in_its_penalties_is_still_the_law():
    n = nar(
        prosecution="Article 9 criminalized inducing a person to engage in begging or other "
        "labor and prescribed penalties of two to eight years for offenses involving adult "
        "victims and four to 12 years for those involving child victims."
    )
    assert values(n, "form") == []
