"""Country names, aliases and demonyms in text (data/demonyms.csv), and glued headings."""

from __future__ import annotations

from tipwatch import countries
from tipwatch.extract.lexicon import lexicon
from tipwatch.ingest.sections import canonical, split_glued


def found(text: str) -> list[tuple[str, str]]:
    return [(m.term, m.iso3) for m in lexicon().find(text)]


def test_longest_name_wins_and_regions_hide_country_names():
    got = found(
        "Papua New Guinea, Equatorial Guinea, Guinea-Bissau and Guinea; the Niger Delta and "
        "Niger; the Gulf of Guinea; South Sudan and Sudan; Dominica and the Dominican Republic."
    )
    codes = [c for _t, c in got if c]
    assert codes == ["PNG", "GNQ", "GNB", "GIN", "NER", "SSD", "SDN", "DMA", "DOM"]
    assert ("Niger Delta", "") in got and ("Gulf of Guinea", "") in got


def test_aliases_and_demonyms_but_not_ambiguous_ones():
    got = dict(
        found(
            "Burma, the DPRK, the PRC, the UAE, Nigerian women, Filipinos, Congolese "
            "men, the Congo, Korean workers, Central American migrants"
        )
    )
    assert got["Burma"] == "MMR" and got["DPRK"] == "PRK" and got["PRC"] == "CHN"
    assert got["UAE"] == "ARE" and got["Nigerian"] == "NGA" and got["Filipinos"] == "PHL"
    for ambiguous in ("Congolese", "the Congo", "Korean", "Central American"):
        assert got[ambiguous] == ""


def test_every_code_is_in_the_country_table_and_resolve_folds_spellings():
    table = {c.iso3 for c in countries.all_countries()}
    codes = {code for code, _kind in lexicon().terms.values() if code}
    assert codes <= table
    lex = lexicon()
    assert lex.resolve("KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF") == "PRK"
    assert lex.resolve("cote d’ivoire") == "CIV"
    assert lex.resolve("ST. MAARTEN") == "SXM"
    assert lex.resolve("Atlantis") is None


def test_glued_headings_are_found_in_report_order_once():
    text = (
        "Intro sentence.RECOMMENDATIONS FOR THE REPUBLIC OF KOREAIncrease efforts; train. "
        "PROSECUTIONThe government acted. The PROTECTION unit is busy.PROTECTIONThe government "
        "helped. 256KOREA, REPUBLIC OFPREVENTIONThe government prevented.TRAFFICKING "
        "PROFILEAs reported, Korea is a source."
    )
    parts = split_glued(text)
    assert [p[0] for p in parts] == [
        "recommendations",
        "prosecution",
        "protection",
        "prevention",
        "profile",
    ]
    bodies = {name: text[body:end] for name, _h, body, end in parts}
    assert bodies["recommendations"].startswith("Increase efforts")
    assert bodies["protection"].startswith("The government helped")
    assert bodies["profile"].startswith("As reported")
    assert canonical("Prioritized Recommendations:") == "recommendations"
    assert canonical("TRAFFICKING PROFILE") == "profile" and canonical("Summary") is None
