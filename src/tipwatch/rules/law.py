"""The tier-placement law as dated data: read ``data/law.yaml`` and resolve it per report year.

Each parameter is a list of dated entries (``from``/``to`` report years, ``value``,
``citation``). :meth:`Law.at` returns a :class:`LawYear` with every parameter resolved for one
report year; code never branches on a calendar year, it reads the parameters.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tipwatch.errors import DataCheckError, UnknownYearError
from tipwatch.paths import DATA_DIR

LAW_FILE = DATA_DIR / "law.yaml"

#: Parameters every entry set must define (the engine reads all of them).
REQUIRED = (
    "tiers_available",
    "watch_list_triggers",
    "auto_downgrade",
    "max_waiver_years",
    "waiver_conditions",
    "post_downgrade_cap",
    "policy_or_pattern_is_proof",
    "concrete_actions_only",
    "reporting_period",
    "report_due",
    "tier3_consequences",
    "watch_list_consequences",
    "waiver_consequences",
    "cspa_consequences",
    "special_case_breaks_run",
)

#: Parameters whose entries add up (several may cover one year) instead of replacing each other.
CUMULATIVE = ("tier3_consequences",)


@dataclass(frozen=True)
class Entry:
    parameter: str
    start: int
    end: int | None
    value: Any
    citation: str
    reading: str = ""

    def covers(self, year: int) -> bool:
        return self.start <= year and (self.end is None or year <= self.end)


@dataclass(frozen=True)
class LawYear:
    """Every parameter of the law resolved for one report year."""

    year: int
    values: dict[str, Any] = field(repr=False)
    citations: dict[str, str] = field(repr=False)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def cite(self, name: str) -> str:
        return self.citations[name]

    # Convenience accessors for the rules the engine applies.
    @property
    def tiers(self) -> list[str]:
        return list(self.values["tiers_available"])

    @property
    def watch_list(self) -> bool:
        return "2WL" in self.values["tiers_available"]

    @property
    def triggers(self) -> list[str]:
        return list(self.values["watch_list_triggers"])

    @property
    def auto_downgrade(self) -> bool:
        return bool(self.values["auto_downgrade"]["in_force"])

    @property
    def count_start(self) -> int | None:
        return self.values["auto_downgrade"]["count_start"]

    @property
    def consecutive_years(self) -> int:
        return int(self.values["auto_downgrade"]["consecutive_years"] or 0)

    @property
    def max_waivers(self) -> int:
        return int(self.values["max_waiver_years"])

    @property
    def waiver_conditions(self) -> list[str]:
        return list(self.values["waiver_conditions"])

    @property
    def cap(self) -> dict[str, Any]:
        return dict(self.values["post_downgrade_cap"])

    @property
    def policy_or_pattern(self) -> bool:
        return bool(self.values["policy_or_pattern_is_proof"]["in_force"])

    @property
    def policy_kinds(self) -> list[str]:
        return list(self.values["policy_or_pattern_is_proof"]["kinds"])

    @property
    def concrete_actions_only(self) -> bool:
        return bool(self.values["concrete_actions_only"])

    @property
    def special_case_breaks_run(self) -> bool:
        return bool(self.values["special_case_breaks_run"])

    @property
    def max_consecutive_watch_list(self) -> int | None:
        """Most consecutive counted watch-list years allowed (consecutive years + waivers)."""
        if not self.auto_downgrade:
            return None
        return self.consecutive_years + self.max_waivers


@dataclass(frozen=True)
class Law:
    """The whole dated law: ``at(year)`` resolves it for one report year."""

    first_year: int
    latest_year: int
    entries: tuple[Entry, ...]
    descriptions: dict[str, str] = field(default_factory=dict, repr=False)
    _cache: dict[int, LawYear] = field(default_factory=dict, repr=False, compare=False)

    def check_year(self, year: int, where: str = "") -> int:
        if not isinstance(year, int) or isinstance(year, bool):
            raise UnknownYearError(f"report year must be a whole number, got {year!r}")
        if year < self.first_year or year > self.latest_year:
            msg = (
                f"report year {year} is outside the law's range "
                f"{self.first_year}-{self.latest_year}"
            )
            raise UnknownYearError(msg + (f" ({where})" if where else ""))
        return year

    def at(self, year: int) -> LawYear:
        cached = self._cache.get(year) if isinstance(year, int) else None
        if cached is None:
            self.check_year(year)
            cached = self._cache[year] = _resolve(self, year)
        return cached

    def rows(self) -> list[dict[str, Any]]:
        """One row per dated entry (for the store and for docs)."""
        return [
            {
                "parameter": e.parameter,
                "from_year": e.start,
                "to_year": e.end,
                "value": e.value,
                "citation": e.citation,
                "reading": e.reading,
                "description": self.descriptions.get(e.parameter, ""),
            }
            for e in self.entries
        ]


def _resolve(law: Law, year: int) -> LawYear:
    values: dict[str, Any] = {}
    cites: dict[str, str] = {}
    for entry in law.entries:
        if not entry.covers(year):
            continue
        if entry.parameter in CUMULATIVE:
            values.setdefault(entry.parameter, [])
            values[entry.parameter] = values[entry.parameter] + list(entry.value)
            cites[entry.parameter] = "; ".join(
                c for c in (cites.get(entry.parameter), entry.citation) if c
            )
        else:
            values[entry.parameter] = entry.value
            cites[entry.parameter] = entry.citation
    return LawYear(year=year, values=values, citations=cites)


def parse_law(data: Any, source: str = "law.yaml") -> Law:
    """Validate the YAML structure and return a :class:`Law` (raises ``DataCheckError``)."""
    if not isinstance(data, dict) or "parameters" not in data:
        raise DataCheckError(f"{source}: expected a mapping with 'parameters'")
    try:
        first = int(data["first_report_year"])
        latest = int(data["latest_report_year"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DataCheckError(f"{source}: first_report_year/latest_report_year missing") from exc
    entries: list[Entry] = []
    descriptions: dict[str, str] = {}
    for name, spec in data["parameters"].items():
        if not isinstance(spec, dict) or not isinstance(spec.get("entries"), list):
            raise DataCheckError(f"{source}: parameter {name!r} has no entries list")
        descriptions[name] = " ".join(str(spec.get("description", "")).split())
        own: list[Entry] = []
        for i, raw in enumerate(spec["entries"]):
            where = f"{source}: {name} entry {i + 1}"
            if not isinstance(raw, dict) or not {"from", "value", "citation"} <= raw.keys():
                raise DataCheckError(f"{where}: needs from, value and citation")
            end = raw.get("to")
            if not str(raw["citation"]).strip():
                raise DataCheckError(f"{where}: empty citation")
            entry = Entry(name, int(raw["from"]), None if end is None else int(end),
                          raw["value"], str(raw["citation"]),
                          " ".join(str(raw.get("reading", "")).split()))
            if entry.end is not None and entry.end < entry.start:
                raise DataCheckError(f"{where}: 'to' before 'from'")
            own.append(entry)
        if name not in CUMULATIVE:
            _check_partition(name, own, first, source)
        entries.extend(own)
    missing = [p for p in REQUIRED if p not in descriptions]
    if missing:
        raise DataCheckError(f"{source}: missing parameters {', '.join(missing)}")
    return Law(first, latest, tuple(entries), descriptions)


def _check_partition(name: str, entries: list[Entry], first: int, source: str) -> None:
    """Non-cumulative entries must follow each other without gap or overlap, open-ended last."""
    ordered = sorted(entries, key=lambda e: e.start)
    expected = first
    for e in ordered:
        if e.start != expected:
            raise DataCheckError(
                f"{source}: {name} entries leave a gap or overlap at report year {expected}"
            )
        if e.end is None:
            expected = None  # type: ignore[assignment]
            continue
        expected = e.end + 1
    if ordered and ordered[-1].end is not None:
        raise DataCheckError(f"{source}: {name} has no entry in force after {ordered[-1].end}")


@functools.lru_cache(maxsize=4)
def load_law(path: str | None = None) -> Law:
    """The bundled law (cached). ``path`` reads another file with the same structure."""
    target = Path(path) if path else LAW_FILE
    try:
        data = yaml.safe_load(target.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataCheckError(f"cannot read the law file {target}: {exc}") from exc
    return parse_law(data, source=target.name)
