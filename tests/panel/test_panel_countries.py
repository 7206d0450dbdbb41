"""The country identity table: every entity of every input resolves, unknown names fail clearly."""

from __future__ import annotations

import csv

import pytest

from conftest import run_cli
from tipwatch import countries
from tipwatch.errors import UnknownCountryError

REQUIRED = {
    "Burma": "MMR",
    "Myanmar": "MMR",
    "Côte d'Ivoire": "CIV",
    "Cote d'Ivoire": "CIV",
    "Curaçao": "CUW",
    "Curacao": "CUW",
    "Sint Maarten": "SXM",
    "St. Maarten": "SXM",
    "Aruba": "ABW",
    "Hong Kong": "HKG",
    "Macau": "MAC",
    "Macao": "MAC",
    "Taiwan": "TWN",
    "Kosovo": "XKX",
    "Democratic Republic of the Congo": "COD",
    "DRC": "COD",
    "Republic of the Congo": "COG",
    "Congo (Brazzaville)": "COG",
    "North Korea": "PRK",
    "DPRK": "PRK",
    "South Korea": "KOR",
    "Korea, South": "KOR",
    "Netherlands Antilles": "ANT",
    "Serbia and Montenegro": "SCG",
    "CentralAfRep": "CAF",
    "Trin&Tobago": "TTO",
    "Antigua&Barbuda": "ATG",
    "St.Vincent": "VCT",
    "PapuaNG": "PNG",
    "UArabEmir": "ARE",
    "the gambia": "GMB",
    "Bahamas, The": "BHS",
    "Congo, Dem. Rep.": "COD",
    "Congo, Rep.": "COG",
    "Korea, Dem. People's Rep.": "PRK",
    "Hong Kong SAR, China": "HKG",
    "Eswatini (Swaziland)": "SWZ",
    "Solomon Is.": "SLB",
    "Micronesia, Fed. Sts.": "FSM",
    "Türkiye": "TUR",
    "Turkey": "TUR",
    "Ivory Coast": "CIV",
    "Viet Nam": "VNM",
    "Lao People's Democratic Republic": "LAO",
    "Serbia-Montenegro": "SCG",
}


@pytest.mark.parametrize("name,iso3", list(REQUIRED.items()))
def test_required_entities_resolve(name: str, iso3: str) -> None:
    assert countries.resolve(name).iso3 == iso3


def test_every_spelling_in_the_research_files_resolves_to_its_code(shared) -> None:
    seen = 0
    for fname in ("tip_tiers.csv", "tip_tiers_all_sources.csv"):
        with open(shared / "data" / fname, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                assert countries.resolve(row["country"]).iso3 == row["iso3"], row["country"]
                seen += 1
    assert seen > 7000


def test_table_is_consistent() -> None:
    table = countries.all_countries()
    codes = [c.iso3 for c in table]
    assert len(codes) == len(set(codes))
    panel = [c for c in table if c.in_panel]
    assert len(panel) >= 190
    assert all(c.region in countries.REGIONS for c in panel)
    cows = [c.cow for c in panel if c.cow is not None]
    assert all(0 < c < 1000 for c in cows)
    # Territories have no COW code; sovereign states in the panel mostly do.
    assert countries.get("HKG").cow is None
    assert countries.get("USA").cow == 2
    assert sum(c.cow is not None for c in panel) >= 180


def test_ambiguous_names_do_not_resolve_silently() -> None:
    # "Korea" alone could be either Korea; the table does not guess.
    assert countries.lookup("Korea") is None
    assert {"North Korea", "South Korea"} <= set(countries.suggest("Korea", n=5))


def test_unknown_name_suggests_close_matches() -> None:
    with pytest.raises(UnknownCountryError) as err:
        countries.resolve("Nigerria")
    assert "Nigeria" in err.value.suggestions
    assert "Nigerria" in str(err.value)


def test_cli_unknown_country_exits_2_with_suggestions(store_db) -> None:
    res = run_cli("country", "Phillipines", "--db", str(store_db))
    assert res.returncode == 2
    assert "Philippines" in res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    assert len(res.stderr.strip().splitlines()) == 1


def test_cli_country_accepts_any_alias(store_db) -> None:
    a = run_cli("country", "CentralAfRep", "--format", "json", "--db", str(store_db))
    b = run_cli("country", "CAF", "--format", "json", "--db", str(store_db))
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
