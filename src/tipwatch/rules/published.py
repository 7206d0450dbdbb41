"""Published lists the audit cross-checks against: waiver memoranda and "policy or pattern" lists.

Bundled as facts with their source (``data/waivers.csv``, ``data/policy_or_pattern.csv``,
``data/policy_or_pattern_flags.csv``); each row names the document and its address.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from tipwatch.errors import DataCheckError
from tipwatch.paths import DATA_DIR

WAIVERS_FILE = DATA_DIR / "waivers.csv"
POLICY_FILE = DATA_DIR / "policy_or_pattern.csv"
POLICY_FLAGS_FILE = DATA_DIR / "policy_or_pattern_flags.csv"


@dataclass(frozen=True)
class Listing:
    """One country on one published list for one report year."""

    year: int
    iso3: str
    country: str
    status: str  # verified / unverified / secondary / text flag
    document: str
    source_url: str


#: (year, iso3) -> Listing
Listings = dict[tuple[int, str], Listing]


def read_listings(path: Path) -> Listings:
    """Read a bundled list; every row needs a year, an ISO3 code and a source."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise DataCheckError(f"cannot read {path.name}: {exc}") from exc
    out: Listings = {}
    for line, row in enumerate(rows, start=2):
        try:
            year = int(row["year"])
            iso3 = row["iso3"].strip().upper()
        except (KeyError, TypeError, ValueError) as exc:
            raise DataCheckError(f"{path.name} line {line}: bad year or iso3") from exc
        if len(iso3) != 3 or not row.get("source_url", "").strip():
            raise DataCheckError(f"{path.name} line {line}: needs an ISO3 code and a source_url")
        out[(year, iso3)] = Listing(
            year, iso3, row.get("country", ""), row.get("status", ""),
            row.get("document", ""), row["source_url"].strip(),
        )
    return out


@functools.lru_cache(maxsize=1)
def waivers() -> Listings:
    """Waivers of the automatic downgrade named in published memoranda and determinations."""
    return read_listings(WAIVERS_FILE)


@functools.lru_cache(maxsize=1)
def policy_lists() -> Listings:
    """Governments named with a "policy or pattern" of trafficking, merged with text flags.

    Published lists win over text flags for the same country-year.
    """
    merged = dict(read_listings(POLICY_FLAGS_FILE)) if POLICY_FLAGS_FILE.exists() else {}
    merged.update(read_listings(POLICY_FILE))
    return merged


def list_years(listings: Listings) -> set[int]:
    return {year for year, _ in listings}
