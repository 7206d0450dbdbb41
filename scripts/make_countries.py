"""Development-time script: (re)build ``src/tipwatch/data/countries.csv``.

Inputs (all read, none edited):
* ISO 3166-1 entities from the ``pycountry`` package (iso-codes data), ``pip install pycountry``;
* every spelling of every entity in ``../shared/data/tip_tiers_all_sources.csv`` and
  ``tip_tiers.csv`` (report spellings and research-file abbreviations such as ``CentralAfRep``);
* Correlates of War codes from Kelley's ``map_tiers.csv`` and the Heiss/Kelley policy index
  (their codes of 1000 and above are the authors' own, not COW, and are dropped);
* the hand-kept tables in this file: report display names, State Department regional bureaus,
  extra aliases and the few COW codes that the research files lack.

Run: ``.venv/bin/python scripts/make_countries.py`` (writes atomically).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pandas as pd
import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tipwatch.atomic import write_text  # noqa: E402
from tipwatch.paths import DATA_DIR, shared_dir  # noqa: E402

# Entities outside ISO 3166-1 (or withdrawn from it) that the reports rank or used to rank.
EXTRA_ENTITIES = {
    "XKX": ("XK", "Kosovo"),
    "ANT": ("AN", "Netherlands Antilles"),
    "SCG": ("CS", "Serbia and Montenegro"),
}

# The name the report uses (short form); anything not listed takes pycountry's common name.
DISPLAY_NAMES = {
    "MMR": "Burma",
    "CIV": "Côte d'Ivoire",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "PRK": "North Korea",
    "KOR": "South Korea",
    "GMB": "The Gambia",
    "BHS": "The Bahamas",
    "KGZ": "Kyrgyz Republic",
    "LAO": "Laos",
    "FSM": "Micronesia",
    "TUR": "Türkiye",
    "SWZ": "Eswatini",
    "MKD": "North Macedonia",
    "CZE": "Czech Republic",
    "CPV": "Cabo Verde",
    "CUW": "Curaçao",
    "SXM": "Sint Maarten",
    "HKG": "Hong Kong",
    "MAC": "Macau",
    "TWN": "Taiwan",
    "USA": "United States",
    "GBR": "United Kingdom",
    "ARE": "United Arab Emirates",
    "RUS": "Russia",
    "IRN": "Iran",
    "SYR": "Syria",
    "VNM": "Vietnam",
    "TZA": "Tanzania",
    "BOL": "Bolivia",
    "VEN": "Venezuela",
    "MDA": "Moldova",
    "BRN": "Brunei",
    "LCA": "St. Lucia",
    "VCT": "St. Vincent and the Grenadines",
    "KNA": "St. Kitts and Nevis",
    "STP": "Sao Tome and Principe",
    "TLS": "Timor-Leste",
    "PSE": "Palestinian Territories",
    "VAT": "Holy See",
    "SVK": "Slovakia",
    "BIH": "Bosnia and Herzegovina",
    "ATG": "Antigua and Barbuda",
    "TTO": "Trinidad and Tobago",
}

# Extra spellings seen in reports, news and research files.
EXTRA_ALIASES = {
    "MMR": ["Myanmar", "Burma (Myanmar)"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire", "Cote d Ivoire"],
    "COD": [
        "DRC",
        "DR Congo",
        "Congo (Kinshasa)",
        "Congo-Kinshasa",
        "Zaire",
        "Congo, Democratic Republic of the",
        "Democratic Republic of Congo",
    ],
    "COG": [
        "Congo (Brazzaville)",
        "Congo-Brazzaville",
        "Republic of Congo",
        "Congo, Republic of the",
    ],
    "PRK": ["DPRK", "Korea, North", "Democratic People's Republic of Korea", "N. Korea"],
    "KOR": ["ROK", "Korea, South", "Republic of Korea", "S. Korea"],
    "CHN": ["PRC", "People's Republic of China", "China (PRC)", "Mainland China"],
    "TWN": ["Chinese Taipei"],
    "HKG": ["Hong Kong SAR", "Hong Kong, China"],
    "MAC": ["Macao", "Macau SAR", "Macao SAR"],
    "USA": ["US", "U.S.", "United States of America", "America", "U.S.A."],
    "GBR": ["UK", "U.K.", "Great Britain", "Britain"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "RUS": ["Russian Federation"],
    "TUR": ["Turkey", "Turkiye"],
    "SWZ": ["Swaziland"],
    "MKD": ["Macedonia", "FYROM"],
    "CZE": ["Czechia"],
    "CPV": ["Cape Verde"],
    "CUW": ["Curacao"],
    "SXM": ["St. Maarten", "Saint Martin (Dutch part)", "St Maarten"],
    "LAO": ["Lao PDR"],
    "KGZ": ["Kyrgyzstan"],
    "FSM": ["Federated States of Micronesia"],
    "TLS": ["East Timor"],
    "VNM": ["Viet Nam"],
    "GMB": ["Gambia"],
    "BHS": ["Bahamas"],
    "BRN": ["Brunei Darussalam"],
    "XKX": ["Republic of Kosovo"],
    "SCG": ["Yugoslavia", "Federal Republic of Yugoslavia", "Serbia & Montenegro"],
    "ANT": ["Dutch Antilles"],
    "PSE": ["Palestine", "West Bank and Gaza", "Occupied Palestinian Territories"],
    "VAT": ["Vatican", "Vatican City"],
    "SYR": ["Syrian Arab Republic"],
    "IRN": ["Islamic Republic of Iran"],
    "MDA": ["Republic of Moldova"],
    "TZA": ["United Republic of Tanzania"],
    "VEN": ["Bolivarian Republic of Venezuela"],
    "BOL": ["Plurinational State of Bolivia"],
    "STP": ["São Tomé and Príncipe", "Sao Tome"],
    "LCA": ["Saint Lucia"],
    "VCT": ["Saint Vincent and the Grenadines"],
    "KNA": ["Saint Kitts and Nevis", "St. Kitts & Nevis"],
    "SVK": ["Slovak Republic"],
    "BIH": ["Bosnia-Herzegovina", "Bosnia Herzegovina", "Bosnia"],
    "NLD": ["Holland", "The Netherlands"],
    "PHL": ["The Philippines"],
    "SAU": ["KSA", "Kingdom of Saudi Arabia"],
}

REGIONS = {
    "AF": "AGO BDI BEN BFA BWA CAF CIV CMR COD COG COM CPV DJI ERI SWZ ETH GAB GHA GIN GMB GNB "
    "GNQ KEN LBR LSO MDG MLI MOZ MRT MUS MWI NAM NER NGA RWA SDN SEN SLE SOM SSD STP SYC "
    "TCD TGO TZA UGA ZAF ZMB ZWE",
    "EAP": "AUS BRN CHN FJI FSM HKG IDN JPN KHM KIR KOR LAO MAC MHL MMR MNG MYS NRU NZL PHL PLW "
    "PNG PRK SGP SLB THA TLS TON TUV TWN VNM VUT WSM",
    "EUR": "ALB AND ARM AUT AZE BEL BGR BIH BLR CHE CYP CZE DEU DNK ESP EST FIN FRA GBR GEO GRC "
    "HRV HUN IRL ISL ITA XKX LIE LTU LUX LVA MCO MDA MKD MLT MNE NLD NOR POL PRT ROU RUS "
    "SMR SRB SCG SVK SVN SWE TUR UKR VAT",
    "NEA": "ARE BHR DZA EGY IRN IRQ ISR JOR KWT LBN LBY MAR OMN QAT SAU SYR TUN YEM PSE",
    "SCA": "AFG BGD BTN IND KAZ KGZ LKA MDV NPL PAK TJK TKM UZB",
    "WHA": "ABW ANT ARG ATG BHS BLZ BOL BRA BRB CAN CHL COL CRI CUB CUW DMA DOM ECU GRD GTM GUY "
    "HND HTI JAM KNA LCA MEX NIC PAN PER PRY SLV SUR SXM TTO URY USA VCT VEN",
}

# COW codes the research files lack (Correlates of War State System Membership List, v2016).
COW_EXTRA = {"USA": 2, "SRB": 345, "SCG": 345, "XKX": 347}


def main() -> None:
    shared = shared_dir() / "data"
    panel = pd.read_csv(shared / "tip_tiers.csv", dtype=str)
    long = pd.read_csv(shared / "tip_tiers_all_sources.csv", dtype=str)
    in_panel = set(panel["iso3"])

    rows: dict[str, dict] = {}
    for c in pycountry.countries:
        rows[c.alpha_3] = {
            "iso3": c.alpha_3,
            "iso2": c.alpha_2,
            "iso_name": c.name,
            "names": {
                c.name,
                getattr(c, "common_name", c.name),
                getattr(c, "official_name", c.name),
            },
        }
    for iso3, (iso2, name) in EXTRA_ENTITIES.items():
        rows[iso3] = {"iso3": iso3, "iso2": iso2, "iso_name": name, "names": {name}}

    unknown = in_panel - set(rows)
    if unknown:
        raise SystemExit(f"panel ISO3 codes missing from the entity list: {sorted(unknown)}")

    for frame, cols in ((panel, ("country", "country_std")), (long, ("country",))):
        for col in cols:
            for iso3, name in frame[["iso3", col]].dropna().itertuples(index=False):
                rows[iso3]["names"].add(name.strip())
    for iso3, names in EXTRA_ALIASES.items():
        rows[iso3]["names"].update(names)

    cow: dict[str, int] = {}
    kel = pd.read_csv(shared / "raw/kelley_scorecard_diplomacy/map_tiers.csv")
    pol = pd.read_csv(shared / "secondary/cho_3p_policy_index/policy_index_heiss_kelley.csv")
    for iso, code in list(kel[["iso", "ccode"]].dropna().itertuples(index=False)) + list(
        pol[["iso", "cow"]].dropna().itertuples(index=False)
    ):
        iso = "XKX" if iso == "KOS" else iso
        if float(code) < 1000:
            cow.setdefault(iso, int(code))
    cow_source = {k: "kelley_scorecard_diplomacy" for k in cow}
    for iso3, code in COW_EXTRA.items():
        if iso3 not in cow:
            cow[iso3] = code
            cow_source[iso3] = "cow_state_list_2016"

    region = {iso: r for r, isos in REGIONS.items() for iso in isos.split()}
    missing_region = sorted(i for i in in_panel if i not in region)
    if missing_region:
        raise SystemExit(f"panel entities without a region: {missing_region}")

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["iso3", "iso2", "name", "cow", "cow_source", "region", "in_panel", "aliases"])
    for iso3 in sorted(rows):
        r = rows[iso3]
        name = DISPLAY_NAMES.get(iso3) or next(
            (
                n
                for n in sorted(r["names"])
                if n == getattr(pycountry.countries.get(alpha_3=iso3), "common_name", None)
            ),
            r["iso_name"],
        )
        seen = {name.casefold()}
        aliases = []
        for n in sorted(r["names"], key=lambda x: (x.casefold(), x)):
            if n and n.casefold() not in seen:
                seen.add(n.casefold())
                aliases.append(n)
        w.writerow(
            [
                iso3,
                r["iso2"],
                name,
                cow.get(iso3, ""),
                cow_source.get(iso3, ""),
                region.get(iso3, ""),
                int(iso3 in in_panel),
                "|".join(aliases),
            ]
        )
    write_text(DATA_DIR / "countries.csv", out.getvalue())
    print(
        f"wrote {len(rows)} entities ({len(in_panel)} in the panel) to {DATA_DIR / 'countries.csv'}"
    )


if __name__ == "__main__":
    main()
