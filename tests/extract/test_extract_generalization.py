"""Error classes found on the second held-out batch, each as a general rule on sentences this
project wrote in the report's style (never report sentences)."""

from __future__ import annotations

import pytest

from extract_helpers import nar, values
from tipwatch.extract import extract
from tipwatch.model import Narrative


def _le(n: Narrative) -> set[tuple[str, int]]:
    return {(f.value["measure"], f.value["value"]) for f in extract(n, ["le_count"])}


# --------------------------------------------------------------------------- law enforcement


@pytest.mark.parametrize(
    ("prosecution", "expected"),
    [
        ("Police investigated 212 trafficking offenses in 2017.", ("investigations", 212)),
        (
            "Investigators looked into 80 crimes. Courts convicted 14 of trafficking crimes.",
            ("convictions", 14),
        ),
        ("Judges convicted only five traffickers in 2017.", ("convictions", 5)),
        (
            "Prosecutors initiated or continued nine prosecutions of 30 defendants.",
            ("prosecutions", 9),
        ),
        ("Officials reported investigating a potential trafficking case.", ("investigations", 1)),
    ],
)
def test_headline_figures_in_other_words(prosecution, expected):
    assert expected in _le(nar(prosecution=prosecution))


def test_continued_cases_alone_are_not_the_figure():
    n = nar(prosecution="Prosecutors continued nine prosecutions from earlier years.")
    assert not [g for g in _le(n) if g[0] == "prosecutions"]


@pytest.mark.parametrize(
    "prosecution",
    [
        "The government reported no prosecutions. International organizations reported that "
        "courts prosecuted 15 cases in 2017.",
        "The government reported no convictions. Media reports indicated that judges convicted "
        "at least four traffickers.",
        "An NGO reported that the authorities investigated 12 cases of forced labor.",
    ],
)
def test_figures_of_organizations_or_the_media_are_not_government_figures(prosecution):
    assert _le(nar(prosecution=prosecution)) == set()


def test_government_figure_relayed_with_media_reports_is_kept():
    n = nar(
        prosecution="According to government websites and media reports, the police conducted "
        "three trafficking investigations."
    )
    assert ("investigations", 3) in _le(n)


def test_a_year_after_a_time_preposition_is_never_a_count():
    n = nar(
        intro="Authorities identified the fewest victims since 2015 and investigations fell; "
        "prosecutions in 2016 investigations declined."
    )
    assert not [g for g in _le(n) if g[1] > 1900]


def test_cases_for_any_crime_are_not_trafficking_figures():
    n = nar(
        prosecution="The court reported prosecuting a total of 300 criminal cases for any "
        "crime during the year."
    )
    assert _le(n) == set()


def test_second_agency_victim_figure_without_a_total():
    n = nar(
        protection="The Ministry of Labor (MOL) reported police identified 40 trafficking "
        "victims in 2017. Of these, 30 were women. The National Child Agency (NCA) identified "
        "six girls exploited in trafficking in 2017."
    )
    got = {g for g in _le(n) if g[0] == "victims_identified"}
    assert got == {("victims_identified", 40), ("victims_identified", 6)}
    same = nar(
        protection="The Ministry of Labor (MOL) identified 40 trafficking victims. The MOL "
        "identified six more victims abroad."
    )
    assert {g for g in _le(same) if g[0] == "victims_identified"} == {("victims_identified", 40)}


# --------------------------------------------------------------------------- state involvement


@pytest.mark.parametrize(
    "text",
    [
        "After a ring was found to involve navy recruits sold into prostitution, courts "
        "convicted a former captain and a retired police inspector.",
        "Prosecutors charged two border guards with smuggling women into brothels.",
        "Observers said some officers warned bar owners ahead of planned raids.",
        "A case involving a customs officer for collusion with a recruiter remained open.",
        "Young conscripts were reportedly sold to brothel owners by senior officers.",
    ],
)
def test_officials_taking_part_in_trafficking_is_complicity(text):
    assert "official_complicity" in values(nar(profile=text), "state_involvement")


@pytest.mark.parametrize(
    "text",
    [
        "Corruption continued to hamper anti-trafficking investigations; shelters were full.",
        "Widespread corruption impeded law enforcement efforts against all crime.",
    ],
)
def test_corruption_that_only_hampers_the_work_is_not_complicity(text):
    assert values(nar(profile=text), "state_involvement") == []


def test_corruption_that_enables_trafficking_is_still_complicity():
    n = nar(profile="Corrupt border officials facilitated the movement of victims.")
    assert "official_complicity" in values(n, "state_involvement")


@pytest.mark.parametrize(
    "text",
    [
        "There were reports that citizens were coerced into field labor during the wheat harvest.",
        "Regional authorities mobilized teachers and nurses for public works each spring.",
        "Civil servants were required to work in the fields at harvest time.",
    ],
)
def test_labour_imposed_by_the_state_is_a_policy_or_pattern(text):
    assert "state_policy_or_pattern" in values(nar(profile=text), "state_involvement")


def test_private_harvest_labour_is_not_a_state_policy():
    n = nar(profile="Farm owners forced migrant workers to labor in the harvest.")
    assert "state_policy_or_pattern" not in values(n, "state_involvement")


# --------------------------------------------------------------------------- victim groups


@pytest.mark.parametrize(
    "profile",
    [
        "Girls are exploited in prostitution with foreign men working on dam construction "
        "projects.",
        "Women are exploited in sex trafficking by sailors on docked tankers, or with migrant "
        "construction workers.",
    ],
)
def test_clients_are_not_victims(profile):
    got = set(values(nar(profile=profile), "victim_group"))
    assert got.isdisjoint({"men", "construction_workers"})


def test_men_listed_after_a_form_are_still_victims():
    n = nar(
        profile="It is a source country for girls subjected to sex trafficking and for men "
        "subjected to forced labor."
    )
    assert "men" in values(n, "victim_group")


@pytest.mark.parametrize(
    ("profile", "group"),
    [
        (
            "Many rural adults and children migrate in search of economic opportunities to the "
            "coast, where some are subjected to forced labor.",
            "migrants",
        ),
        (
            "Local men and women migrate willingly to the oil states for work, but some are later "
            "held in servitude.",
            "migrants",
        ),
        ("Some boys at Koranic schools are forced to beg by their instructors.", "students"),
        ("Schoolchildren are vulnerable to sex trafficking.", "students"),
    ],
)
def test_groups_named_in_other_words(profile, group):
    assert group in values(nar(profile=profile), "victim_group")


def test_groups_only_served_are_not_named_as_victims():
    n = nar(
        protection="The state funded safe houses for trafficking victims, asylum-seekers, and "
        "deportees. A draft bill would improve protections for foreign victims and stateless "
        "persons."
    )
    got = set(values(n, "victim_group"))
    assert got.isdisjoint({"asylum_seekers", "stateless"})


# ------------------------------------------------------------ roles, forms, countries, tiers


def test_transit_when_victims_are_exploited_before_moving_on():
    n = nar(
        profile="Traffickers move victims through several destinations, arriving in Moldova "
        "for some weeks before being exploited in other European countries."
    )
    assert "transit" in values(n, "role")


def test_internal_when_relatives_exploit_own_children():
    n = nar(
        profile="Relatives and local bar owners have exploited Moldovan children in sex "
        "trafficking."
    )
    assert "internal" in values(n, "role")


@pytest.mark.parametrize(
    "profile",
    [
        "Police raided a call center where victims had been forced to call strangers abroad "
        "to obtain their savings.",
        "Young men recruited online were made to run phone scams.",
        "Children are subjected to sex trafficking, street vending, drug trafficking, and "
        "domestic work.",
        "Some boys are used in drug smuggling across the northern border.",
    ],
)
def test_forced_criminality_in_other_words(profile):
    assert "forced_criminality" in values(nar(profile=profile), "form")


def test_debt_bondage_named_only_as_an_offence_in_the_law_is_not_a_form():
    n = nar(
        prosecution="Section 40 criminalized servitude and debt bondage, and prescribed "
        "penalties of up to two years for debt bondage."
    )
    assert "debt_bondage" not in values(n, "form")
    occurs = nar(profile="Workers are held in debt bondage in brick kilns.")
    assert "debt_bondage" in values(occurs, "form")


@pytest.mark.parametrize("word", ["flagged", "ftagged"])
def test_flagged_vessels_name_their_country(word):
    n = nar(profile=f"Crews are exploited on Taiwan-{word} fishing vessels.")
    assert "TWN" in values(n, "cited_country")


def test_on_the_watch_list_since_an_earlier_year_is_remained():
    n = nar(
        intro="Moldova has been on the Tier 2 Watch List since 2012 for failing to show "
        "increasing efforts."
    )
    (value,) = values(n, "tier_statement")
    assert value["tier"] == "2WL" and value["movement"] == "remained"
    longer = nar(
        intro="Because Moldova has been on Tier 2 Watch List for four consecutive "
        "years, it was therefore downgraded to Tier 3."
    )
    (value,) = values(longer, "tier_statement")
    assert value["tier"] == "3" and value["movement"] == "downgraded"
