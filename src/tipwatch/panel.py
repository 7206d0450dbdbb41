"""The bundled placement panel: one row per country × report year, with its source and basis.

``load_placements()`` reads ``data/placements.csv``, ``load_stated_totals()`` and
``load_sources()`` the files beside it. :mod:`tipwatch.panel_import` writes them from the
research CSV; :mod:`tipwatch.checks` holds the data checks; the store step
:mod:`tipwatch.store.steps.panel` writes the panel's tables. Tier codes and labels live in
:mod:`tipwatch.tiers`.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import yaml

from tipwatch.paths import DATA_DIR

FIRST_YEAR = 2001

REQUIRED_COLUMNS = ("country", "iso3", "year", "tier", "source", "all_sources", "note")
OPTIONAL_COLUMNS = ("flag_text_mentions_waiver", "flag_text_policy_or_pattern", "flag_text_source")
BUNDLED_COLUMNS = (
    "iso3",
    "name",
    "country",
    "year",
    "tier",
    "source",
    "basis",
    "evidence",
    "all_sources",
    "note",
    *OPTIONAL_COLUMNS,
)
DEDUCED_PREFIXES = ("deduction_", "elimination_")
def basis_of(source: str) -> str:
    """``deduced`` for rows derived by a stated rule (deduction, elimination), else ``read``."""
    return "deduced" if source.startswith(DEDUCED_PREFIXES) else "read"

def source_catalog() -> dict[str, dict]:
    """Who stands behind each source id (hand-kept `data/source_catalog.yml`)."""
    with open(DATA_DIR / "source_catalog.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)

@lru_cache(maxsize=1)
def _bundled() -> pd.DataFrame:
    df = pd.read_csv(DATA_DIR / "placements.csv", dtype=str, keep_default_na=False)
    df["year"] = df["year"].astype(int)
    return df


def load_placements() -> pd.DataFrame:
    """The bundled panel: one row per country × report year (a copy you may modify).

    Columns: ``iso3, name, country, year, tier, source, basis, evidence, all_sources, note``
    and the text flags of the research file. ``tier`` is one of :data:`TIERS`; a country-year
    with no row is unknown (never a tier).
    """
    return _bundled().copy()


load_placements.cache_clear = _bundled.cache_clear  # type: ignore[attr-defined]


def load_stated_totals() -> pd.DataFrame:
    df = pd.read_csv(
        DATA_DIR / "stated_totals.csv", dtype={"source": str, "note": str}, keep_default_na=False
    )
    return df


def load_sources() -> dict:
    with open(DATA_DIR / "sources.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)
