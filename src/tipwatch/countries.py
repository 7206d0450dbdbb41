"""One country identity table: every spelling in every input resolves here, or fails clearly.

The table is bundled data (``data/countries.csv``, rebuilt by ``scripts/make_countries.py``):
ISO3, ISO2, the report's short name, the Correlates of War code, the State Department regional
bureau (AF, EAP, EUR, NEA, SCA, WHA), whether the entity is ranked in some report, and aliases
(report spellings and research-file abbreviations such as ``CentralAfRep``).
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tipwatch.errors import UnknownCountryError
from tipwatch.paths import DATA_DIR

REGIONS: dict[str, str] = {
    "AF": "Africa",
    "EAP": "East Asia and Pacific",
    "EUR": "Europe",
    "NEA": "Near East",
    "SCA": "South and Central Asia",
    "WHA": "Western Hemisphere",
}


@dataclass(frozen=True)
class Country:
    """One entity of the identity table."""

    iso3: str
    name: str
    iso2: str | None
    cow: int | None
    region: str | None
    in_panel: bool
    aliases: tuple[str, ...]


_PUNCT = re.compile(r"[^a-z0-9]+")
_SAINT = re.compile(r"\bst\b\.?")


def normalize(name: str) -> str:
    """Fold a spelling to a lookup key: no accents, case, punctuation, spaces or leading 'the'.

    ``"Côte d'Ivoire"``, ``"COTE D'IVOIRE"`` and ``"Cote D’Ivoire"`` all fold to ``cotedivoire``;
    ``"Trin&Tobago"`` folds to ``trinandtobago``.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _SAINT.sub("saint ", text.replace("&", " and "))
    text = re.sub(r"^\s*the\s+", "", text)
    return _PUNCT.sub("", text)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Country], dict[str, str]]:
    by_iso: dict[str, Country] = {}
    index: dict[str, str] = {}
    with open(DATA_DIR / "countries.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            country = Country(
                iso3=row["iso3"],
                name=row["name"],
                iso2=row["iso2"] or None,
                cow=int(row["cow"]) if row["cow"] else None,
                region=row["region"] or None,
                in_panel=row["in_panel"] == "1",
                aliases=tuple(a for a in row["aliases"].split("|") if a),
            )
            by_iso[country.iso3] = country
    # Names first, then aliases, so that a display name always wins a clash.
    for country in by_iso.values():
        index.setdefault(normalize(country.name), country.iso3)
    for country in by_iso.values():
        for alias in country.aliases:
            index.setdefault(normalize(alias), country.iso3)
    return by_iso, index


def all_countries() -> list[Country]:
    """Every entity of the table, sorted by ISO3."""
    return sorted(_table()[0].values(), key=lambda c: c.iso3)


def panel_countries() -> list[Country]:
    """The entities ranked in at least one report."""
    return [c for c in all_countries() if c.in_panel]


_ABBREVIATIONS = (
    (re.compile(r"\bRep\b\.?", re.I), "Republic"),
    (re.compile(r"\bDem\b\.?", re.I), "Democratic"),
    (re.compile(r"\bFed\b\.?", re.I), "Federated"),
    (re.compile(r"\bSts\b\.?", re.I), "States"),
    (re.compile(r"\bIs\b\.?", re.I), "Islands"),
    (re.compile(r"\bSAR\b,?\s*(China)?", re.I), ""),
    (re.compile(r"\s*-\s*"), " and "),
)
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")


def _variants(name: str) -> list[str]:
    """Spellings to try after the exact one: abbreviations expanded, parentheses, inversions."""
    out = []
    expanded = name
    for pattern, repl in _ABBREVIATIONS:
        expanded = pattern.sub(repl, expanded)
    out.append(expanded)
    for text in (name, expanded):
        inner = _PAREN.findall(text)
        if inner:
            out.append(_PAREN.sub(" ", text))
            out.extend(inner)
    for text in list(out):
        if text.count(",") == 1:  # "Korea, Republic" -> "Republic Korea" / "Korea"
            head, tail = (p.strip() for p in text.split(","))
            out.extend([f"{tail} of {head}", f"{tail} {head}", head])
    return out


def lookup(name: str) -> Country | None:
    """The entity named ``name`` (any alias or ISO3/ISO2 code), or ``None``."""
    if not name or not name.strip():
        return None
    by_iso, index = _table()
    stripped = name.strip()
    if stripped.upper() in by_iso and len(stripped) == 3:
        return by_iso[stripped.upper()]
    iso3 = index.get(normalize(stripped))
    if iso3:
        return by_iso[iso3]
    if len(stripped) == 2 and stripped.isalpha():
        for country in by_iso.values():
            if country.iso2 == stripped.upper():
                return country
    for variant in _variants(stripped):
        iso3 = index.get(normalize(variant))
        if iso3:
            return by_iso[iso3]
    return None


def suggest(name: str, n: int = 3) -> list[str]:
    """Up to ``n`` display names close to ``name``."""
    by_iso, index = _table()
    key = normalize(name)
    hits = difflib.get_close_matches(key, list(index), n=n * 3, cutoff=0.6)
    if key:
        hits += [k for k in index if k.startswith(key) or (len(key) >= 4 and key in k)]
    out: list[str] = []
    for hit in hits:
        display = by_iso[index[hit]].name
        if display not in out:
            out.append(display)
    return out[:n]


def resolve(name: str, where: str = "") -> Country:
    """The entity named ``name``; raises :class:`UnknownCountryError` with close matches."""
    country = lookup(name)
    if country is None:
        raise UnknownCountryError(name, suggest(name), where=where)
    return country


def get(iso3: str) -> Country:
    """The entity with ISO3 code ``iso3``."""
    try:
        return _table()[0][iso3.upper()]
    except KeyError:
        raise UnknownCountryError(iso3, suggest(iso3)) from None
