"""Directed flows of cited countries, rule by rule, on sentences this project wrote in the
report's style (never report sentences)."""

from __future__ import annotations

import pytest

from extract_helpers import nar
from tipwatch.extract import extract


def flows(text: str, iso3: str = "CAF") -> dict[str, set[str | None]]:
    """country -> the set of directions its mentions got (None: no direction)."""
    out: dict[str, set[str | None]] = {}
    for f in extract(nar(iso3, profile=text), ["cited_country"]):
        out.setdefault(f.value, set()).add(f.direction)
    return out


def rules(text: str, iso3: str = "CAF") -> dict[str, set[str | None]]:
    out: dict[str, set[str | None]] = {}
    for f in extract(nar(iso3, profile=text), ["cited_country"]):
        out.setdefault(f.value, set()).add(f.rule_id)
    return out


def test_back_and_forth_gives_both_directions_to_every_listed_country() -> None:
    text = "Some children are moved back and forth between the CAR and Chad, Sudan, and Cameroon."
    got = flows(text)
    assert got == {"TCD": {"from", "to"}, "SDN": {"from", "to"}, "CMR": {"from", "to"}}
    assert rules(text)["TCD"] == {"cited_country.back_and_forth"}
    # travel between two places, with no "back and forth", gives no direction
    assert flows("Traders travel between the CAR and Chad each season.") == {"TCD": {None}}


def test_a_list_after_a_region_name_takes_the_preposition_direction() -> None:
    got = flows(
        "Most foreign victims come from Central and Eastern EuropeŠparticularly Poland, "
        "Latvia, and Bulgaria.",
        "NOR",
    )
    assert got == {"POL": {"from"}, "LVA": {"from"}, "BGR": {"from"}}
    got = flows("Moroccan women are exploited in Western Europe (including Spain, Italy).", "MAR")
    assert got == {"ESP": {"to"}, "ITA": {"to"}}
    # a region and then a country, with no "including"/"particularly": not read as a list
    assert flows("Victims come from Western Europe and later Spain was named.", "MAR") == {
        "ESP": {None}
    }


def test_a_group_of_countries_then_and_a_country() -> None:
    got = flows(
        "Women and boys from nearby countries and Kenya are forced to work in farms.", "RWA"
    )
    assert got == {"KEN": {"from"}}
    got = flows(
        "Slovene women are exploited in Italy, Austria, and other European countries, "
        "as well as the United States.",
        "SVN",
    )
    assert got == {"ITA": {"to"}, "AUT": {"to"}, "USA": {"to"}}


def test_demonyms_before_immigrants_a_region_adjective_and_compatriots() -> None:
    assert flows("Traffickers subject Vietnamese immigrants to forced labor.", "SUR") == {
        "VNM": {"from"}
    }
    assert flows("Bolivian and Central American men are used as forced labor.", "PAN") == {
        "BOL": {"from"}
    }
    got = flows(
        "Foreign nationals, including Nigerians, subject their compatriots to sex "
        "trafficking in the country.",
        "LSO",
    )
    assert got == {"NGA": {"from"}}


@pytest.mark.parametrize(
    "text",
    [
        "Men from the Gulf, including Qatar and Oman, purchase local girls for marriage.",
        "Visitors from Gulf states (mainly Qatar and Oman) reportedly recruit local girls.",
    ],
)
def test_countries_of_buyers_or_recruiters_give_no_flow(text: str) -> None:
    got = flows(text, "EGY")
    assert got == {"QAT": {None}, "OMN": {None}}


def test_vulnerable_groups_in_a_sentence_that_also_states_exploitation() -> None:
    got = flows(
        "Nepali and Laotian immigrants may be vulnerable to forced labor, and Thai women "
        "are subjected to sex trafficking.",
        "CHL",
    )
    assert got == {"NPL": {None}, "LAO": {None}, "THA": {"from"}}
    # exploitation first, vulnerability of the same group after: the flow stays
    got = flows("Women from Peru are exploited in brothels and remain vulnerable.", "CHL")
    assert got == {"PER": {"from"}}


@pytest.mark.parametrize(
    "text",
    [
        "The country is a sex tourism destination, and most sex tourists come from Norway "
        "and Japan.",
        "It is a destination for child sex tourists from Norway and Japan.",
        "Child sex tourists, reportedly from Norway and Japan, exploit children.",
    ],
)
def test_sex_tourists_countries_are_demand_not_flows(text: str) -> None:
    assert flows(text, "HND") == {"NOR": {None}, "JPN": {None}}


def test_regions_earlier_in_the_list_keep_the_preposition() -> None:
    got = flows(
        "Ghanaian girls are exploited in West Africa, the Middle East, the US, and Europe.", "GHA"
    )
    assert got == {"USA": {"to"}}
    got = flows("Cyprus is a destination for women from Eastern Europe, India, and Vietnam.", "CYP")
    assert got == {"IND": {"from"}, "VNM": {"from"}}


def test_people_moved_through_the_country_exploited_on_arrival_elsewhere() -> None:
    got = flows("Some migrants who transit Brunei become victims on arrival in Malaysia.", "BRN")
    assert got == {"MYS": {"to"}}
    # without the transit through the country itself, "in A" of foreigners is no direction
    assert flows("Some migrants become victims on arrival in Malaysia.", "BRN") == {"MYS": {None}}


def test_a_demonym_one_word_before_the_victim_noun() -> None:
    assert flows("Cuban medical professionals may be forced to work in the country.", "TTO") == {
        "CUB": {"from"}
    }
    assert flows("Nigerian sex traffickers operate in the capital.", "GHA") == {"NGA": {None}}
