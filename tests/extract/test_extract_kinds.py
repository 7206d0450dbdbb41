"""Each extractor on narratives this project wrote in the report's structure (own sentences)."""

from __future__ import annotations

import pytest

from extract_helpers import nar, values
from tipwatch.extract import EXTRACTOR_VERSION, extract


def test_every_fact_carries_its_locator():
    n = nar(
        intro="The Government of Moldova fully meets the minimum standards; therefore Moldova "
        "remained on Tier 1.",
        profile="Moldova is a source country for women subjected to sex trafficking in Russia.",
    )
    facts = extract(n)
    assert facts
    for f in facts:
        assert f.doc_id == "tip2018:MDA" and f.iso3 == "MDA" and f.year == 2018
        assert f.extractor_version == EXTRACTOR_VERSION
        assert 0 <= f.start < f.end <= len(n.text)
        a, b = n.spans[f.section]
        assert a <= f.start and f.end <= b


@pytest.mark.parametrize(
    ("intro", "tier", "expected"),
    [
        (
            "The Government of X does not fully meet the minimum standards but is making "
            "significant efforts to do so. The government did not demonstrate overall increasing "
            "efforts compared to the previous reporting period; therefore X remained on Tier 2 "
            "Watch List for the third consecutive year. Because the government has devoted "
            "sufficient resources to a "
            "written plan, X was granted a waiver per the Trafficking Victims Protection Act.",
            "TIER 2 WATCH LIST",
            {
                "tier": "2WL",
                "movement": "remained",
                "consecutive_years": 3,
                "waiver": True,
                "not_significant_efforts": False,
                "no_increasing_efforts": True,
            },
        ),
        (
            "The Government of X does not fully meet the minimum standards and is not making "
            "significant efforts to do so; therefore X was therefore downgraded to Tier 3.",
            "TIER 3",
            {
                "tier": "3",
                "movement": "downgraded",
                "consecutive_years": None,
                "waiver": False,
                "not_significant_efforts": True,
                "no_increasing_efforts": False,
            },
        ),
        (
            "The government made key achievements; therefore X was upgraded to Tier 1.",
            "TIER 1",
            {
                "tier": "1",
                "movement": "upgraded",
                "consecutive_years": None,
                "waiver": False,
                "not_significant_efforts": False,
                "no_increasing_efforts": False,
            },
        ),
        (
            "X remains a Special Case for the 12th consecutive year.",
            "SPECIAL CASE",
            {
                "tier": "special",
                "movement": None,
                "consecutive_years": 12,
                "waiver": False,
                "not_significant_efforts": False,
                "no_increasing_efforts": False,
            },
        ),
        (
            "The government took some steps but the narrative states no placement sentence.",
            "TIER 2",
            {
                "tier": "2",
                "movement": None,
                "consecutive_years": None,
                "waiver": False,
                "not_significant_efforts": False,
                "no_increasing_efforts": False,
            },
        ),
    ],
)
def test_tier_statement(intro, tier, expected):
    (value,) = values(nar(intro=intro, tier=tier), "tier_statement")
    assert value == expected


def test_roles_classic_and_new_phrasing():
    classic = nar(
        profile="As reported over the past five years, Moldova is a source and, to a "
        "lesser extent, a transit country for women subjected to sex trafficking."
    )
    assert set(values(classic, "role")) == {"source", "transit"}
    new = nar(
        profile="Human traffickers exploit domestic and foreign victims in Moldova, and "
        "traffickers exploit victims from Moldova abroad."
    )
    assert set(values(new, "role")) == {"destination", "internal", "source"}
    none = nar(profile="The government opened a new office in the capital.")
    assert values(none, "role") == []


def test_forms_skip_sentences_that_only_state_the_law():
    n = nar(
        prosecution="The 2005 law criminalized sex trafficking, labor trafficking and the removal "
        "of organs and prescribed penalties of five to 15 years.",
        profile="Traffickers subject men to forced labor on fishing vessels and children to "
        "forced begging; some girls are sold as brides.",
    )
    assert set(values(n, "form")) == {"forced_labor", "forced_begging", "forced_marriage"}
    # a conviction for a form is evidence that it occurs
    n2 = nar(prosecution="Courts convicted two sex traffickers under the new law.")
    assert values(n2, "form") == ["sex_trafficking"]


def test_victim_groups():
    n = nar(
        profile="Women, girls, and LGBTI persons are exploited in bars; refugees and "
        "internally displaced persons in camps are vulnerable; fishermen report abuse.",
        recommendations="Screen migrants and students for indicators.",
    )
    assert set(values(n, "victim_group")) == {
        "women",
        "girls",
        "lgbtqi",
        "refugees",
        "idps",
        "fishermen",
    }


def test_cited_countries_direction_ambiguity_and_own_country():
    n = nar(
        "ITA",
        profile="Italy is a destination country for women from Nigeria, Romania, and "
        "Albania. Some Italian citizens are exploited in the Congo and in the Niger Delta "
        "region. Victims transit through Libya; Filipino workers face debt. Traffickers move "
        "Congolese women to Italy; Italian men are exploited in Malta.",
    )
    facts = [f for f in extract(n, ["cited_country"])]
    got = {(f.value, f.direction) for f in facts}
    assert {
        ("NGA", "from"),
        ("ROU", "from"),
        ("ALB", "from"),
        ("LBY", "via"),
        ("PHL", "from"),
        ("MLT", "to"),
    } == got
    assert "ITA" not in {f.value for f in facts}
    for f in facts:
        assert n.text[f.start : f.end] in (
            "Nigeria",
            "Romania",
            "Albania",
            "Libya",
            "Filipino",
            "Malta",
        )


def test_cited_country_aliases():
    n = nar(
        "CHN",
        profile="Workers from the DPRK, Burma and the UAE; PRC nationals in Cote "
        "d'Ivoire and the Democratic Republic of the Congo.",
    )
    assert set(values(n, "cited_country")) == {"PRK", "MMR", "ARE", "CIV", "COD"}


def test_law_enforcement_counts():
    n = nar(
        prosecution="In 2017, the government investigated 25 trafficking cases (compared with 30 "
        "in 2016), prosecuted at least 12 suspects, and convicted seven traffickers, compared "
        "with 40 investigations and five convictions in 2016. Courts also convicted 3 officials.",
        protection="Authorities identified 1,204 potential victims, compared with 998 in 2016.",
    )
    got = {f.value["measure"]: f.value for f in extract(n, ["le_count"])}
    assert got["investigations"] == {
        "measure": "investigations",
        "value": 25,
        "period": "2017",
        "prior_value": 30,
    }
    assert got["prosecutions"]["value"] == 12
    assert got["convictions"]["value"] == 7 and got["convictions"]["prior_value"] == 5
    assert got["victims_identified"]["value"] == 1204
    assert got["victims_identified"]["prior_value"] == 998


def test_law_enforcement_subsets_and_statements_of_none():
    n = nar(
        prosecution="The government initiated 4 sex trafficking prosecutions and 2 labor "
        "trafficking prosecutions. It did not convict any traffickers."
    )
    facts = [f for f in extract(n, ["le_count"])]
    pros = [f for f in facts if f.value["measure"] == "prosecutions"]
    assert sorted(f.value["value"] for f in pros) == [2, 4]
    assert all(f.note == "subset" for f in pros)
    # "did not convict any" is a statement, not a figure; not reporting is not zero either
    assert not [f for f in facts if f.value["measure"] == "convictions"]
    n2 = nar(prosecution="The government did not report any law enforcement data.")
    assert values(n2, "le_count") == []


def test_law_enforcement_per_article_ongoing_and_page_headers():
    n = nar(
        prosecution="Police investigated 9 cases under section 12 in 2017. Prosecutors "
        "continued prosecuting 6 cases from the previous period and initiated the prosecution "
        "of two new cases. Police also investigated 31 cases under section 40. Courts "
        "convicted five 123MOLDOVAtraffickers."
    )
    got = [(f.value["measure"], f.value["value"], f.note) for f in extract(n, ["le_count"])]
    assert ("investigations", 9, "subset") in got and ("investigations", 31, "subset") in got
    assert ("prosecutions", 2, None) in got and ("prosecutions", 6, None) not in got
    assert ("convictions", 5, None) in got


def test_state_involvement():
    boiler = nar(
        prosecution="The government did not report any investigations, prosecutions, "
        "or convictions of government employees complicit in trafficking offenses."
    )
    assert values(boiler, "state_involvement") == []
    stated = nar(
        prosecution="Despite reports of official complicity, the government did not "
        "report any investigations of complicit officials."
    )
    assert values(stated, "state_involvement") == ["official_complicity"]
    policy = nar(intro="The government continued state-sponsored forced labor in prison camps.")
    assert values(policy, "state_involvement") == ["state_policy_or_pattern"]
    anti = nar(prevention="The anti-corruption agency trained staff.")
    assert values(anti, "state_involvement") == []


def test_state_policy_needs_the_state_doing_it():
    doing = nar(intro="The government continued to forcibly recruit and use child soldiers.")
    assert values(doing, "state_involvement") == ["state_policy_or_pattern"]
    for sentence in (
        "The government adopted an action plan to prevent the recruitment and use of children.",
        "There were no verified cases of government forces recruiting or using children.",
        "The state-sponsored press published articles on trafficking.",
        "The State Program on Countering Crime and Corruption funded anti-trafficking work.",
    ):
        assert values(nar(prevention=sentence), "state_involvement") == [], sentence
    officer = nar(
        prosecution="A police officer who engaged in commercial sex acts with a child "
        "was convicted."
    )
    assert values(officer, "state_involvement") == ["official_complicity"]


def test_recommendations_are_numbered_in_order():
    n = nar(
        recommendations="Increase investigations of labor recruiters; fund shelters (including "
        "for men; and boys); and train judges on victim-centered procedures."
    )
    recs = extract(n, ["recommendation"])
    assert [f.value["index"] for f in recs] == [1, 2, 3]
    assert recs[0].value["topics"] == ["prosecution", "labor_recruitment"]
    assert recs[1].value["topics"] == ["victim_protection", "resources"]
    assert recs[2].value["topics"] == ["training"]
    assert all(set(f.value) == {"index", "topics"} for f in recs)  # no words of the text
    assert n.text[recs[2].start : recs[2].end].startswith("train judges")


def test_cited_direction_of_returns_and_non_flows():
    n = nar(
        "ALB",
        profile="Four victims were repatriated from Germany and Norway. The government "
        "extradited one trafficker to Greece. Albanian embassies in Italy assisted citizens.",
    )
    got = {f.value: f.direction for f in extract(n, ["cited_country"])}
    assert got == {"DEU": "to", "NOR": "to", "GRC": None, "ITA": None}
