"""Published lists the audit cross-checks against: waiver memoranda and "policy or pattern" lists.

Bundled as facts with their source (``data/waivers.csv``, ``data/policy_or_pattern.csv``,
``data/policy_or_pattern_flags.csv``); each row names the document and its address.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from tipwatch.errors import DataCheckError
from tipwatch.paths import DATA_DIR

WAIVERS_FILE = DATA_DIR / "waivers.csv"
POLICY_FILE = DATA_DIR / "policy_or_pattern.csv"
POLICY_FLAGS_FILE = DATA_DIR / "policy_or_pattern_flags.csv"


#: The official "policy or pattern" lists in the research folder (one row per government-year).
RESEARCH_POLICY_LISTS = Path("policy_or_pattern") / "lists.csv"
#: Status of a row read from an official list (the Department's own finding).
OFFICIAL = "official list"
POLICY_COLUMNS = ("year", "country", "iso3", "status", "document", "source_url", "basis",
                  "evidence")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Listing:
    """One country on one published list for one report year."""

    year: int
    iso3: str
    country: str
    status: str  # official list / verified / unverified / secondary / text flag
    document: str
    source_url: str
    basis: str = ""
    evidence: str = ""

    @property
    def certain(self) -> bool:
        """True for the Department's own finding (an official list or a verified memo)."""
        return self.status in (OFFICIAL, "verified")


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
        if len(iso3) != 3 or not (row.get("source_url") or row.get("evidence") or "").strip():
            raise DataCheckError(
                f"{path.name} line {line}: needs an ISO3 code and a source_url or evidence")
        out[(year, iso3)] = Listing(
            year, iso3, row.get("country", ""), row.get("status", ""),
            row.get("document", ""), (row.get("source_url") or "").strip(),
            row.get("basis", ""), row.get("evidence", ""),
        )
    return out


@functools.lru_cache(maxsize=1)
def waivers() -> Listings:
    """Waivers of the automatic downgrade named in published memoranda and determinations."""
    return read_listings(WAIVERS_FILE)


@functools.lru_cache(maxsize=1)
def policy_lists() -> Listings:
    """Governments named with a "policy or pattern" of trafficking.

    A year with an official list is that list alone; text flags only speak for years that have
    none.
    """
    official = read_listings(POLICY_FILE)
    covered = list_years(official)
    flags = read_listings(POLICY_FLAGS_FILE) if POLICY_FLAGS_FILE.exists() else {}
    merged = {key: hit for key, hit in flags.items() if key[0] not in covered}
    merged.update(official)
    return merged


def import_policy_lists(research_dir: Path) -> list[dict[str, str]]:
    """Rows of the bundled policy-or-pattern file, read from the research folder's lists.

    Each row keeps the list's ``basis`` and ``evidence``; ``source_url`` is the first address in
    the evidence and ``document`` the list's note. A row without an address, a year or a known
    country is refused with its line number.
    """
    from tipwatch.countries import resolve

    path = research_dir / RESEARCH_POLICY_LISTS
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise DataCheckError(f"cannot read {path}: {exc}") from exc
    out: list[dict[str, str]] = []
    seen: set[tuple[int, str]] = set()
    for line, row in enumerate(rows, start=2):
        where = f"{path} line {line}"
        year_text = (row.get("year") or "").strip()
        if not year_text.isdigit():
            raise DataCheckError(f"{where}: bad year {year_text!r}")
        iso3 = resolve((row.get("iso3") or row.get("country") or "").strip()).iso3
        evidence = (row.get("evidence") or "").strip()
        if not evidence:
            raise DataCheckError(f"{where}: no evidence")
        url = _URL.search(evidence)
        key = (int(year_text), iso3)
        if key in seen:
            raise DataCheckError(f"{where}: {iso3} is listed twice for {year_text}")
        seen.add(key)
        out.append({
            "year": year_text, "country": (row.get("country") or "").strip(), "iso3": iso3,
            "status": OFFICIAL, "document": (row.get("note") or "").strip(),
            "source_url": url.group(0).rstrip(".,;)\"'") if url else "",
            "basis": (row.get("basis") or "").strip(), "evidence": evidence,
        })
    out.sort(key=lambda r: (int(r["year"]), r["iso3"]))
    return out


def write_policy_lists(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=POLICY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def list_years(listings: Listings) -> set[int]:
    return {year for year, _ in listings}
