"""What the analyses read from the store, loaded once into plain Python values.

:func:`load_inputs` reads the panel, the regions, the audit events, the published
policy-or-pattern lists and the narrative facts that the forecast, the consistency check and the
risk lookup use. Everything after loading is pure. :func:`build_id` names the store build, so
answers can be cached per build.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tipwatch.rules import published
from tipwatch.tiers import RANKED

#: Tiers on the ordinal scale the analyses use (best to worst); others are not ranked.
RANK: dict[str, int] = {t: i for i, t in enumerate(RANKED)}
#: Law-enforcement measures read from ``le_count`` facts.
MEASURES = ("investigations", "prosecutions", "convictions", "victims_identified")


@dataclass
class Narrative:
    """Facts extracted from one country-year narrative (codes and numbers, with locators)."""

    doc_id: str
    source: str
    n_facts: int = 0
    tier_statement: dict[str, Any] | None = None
    tier_locator: dict[str, Any] | None = None
    counts: dict[str, dict[str, Any]] = field(default_factory=dict)
    state_involvement: list[dict[str, Any]] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    victims: list[str] = field(default_factory=list)
    recommendations: list[list[str]] = field(default_factory=list)
    n_cited: int = 0
    #: effort facts by "<pillar>_<polarity>" (the overall finding aside; not in ``n_facts``)
    efforts: dict[str, int] = field(default_factory=dict)


@dataclass
class Inputs:
    """The store's panel, audit and facts, keyed for the analyses."""

    build_id: str
    hist: dict[str, dict[int, str]]
    names: dict[str, str]
    regions: dict[str, str | None]
    sources: dict[tuple[str, int], str]
    year_status: dict[int, str]
    events: dict[str, list[dict[str, Any]]]
    narratives: dict[tuple[str, int], Narrative]
    policy: published.Listings
    cited_by: dict[str, tuple[int, int]]  # iso3 -> (other narratives naming it, their countries)
    source_meta: dict[str, dict[str, Any]]
    cache_dir: Path | None = None  # where results are kept per build (diskcache)

    @property
    def years(self) -> list[int]:
        return sorted(self.year_status)

    def placed(self, year: int) -> list[str]:
        """ISO3 codes with a placement in ``year``."""
        return sorted(iso for iso, h in self.hist.items() if year in h)


def _rows(con: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _tables(con: Any) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()}


def build_id(con: Any) -> str:
    """The store build's identity: build time, the hash of the imported panel and the size of
    the tables the analyses read (a copy with a table dropped is another build)."""
    tables = _tables(con)
    sizes = ",".join(f"{t}={con.execute(f'SELECT count(*) FROM {t}').fetchone()[0]}"
                     for t in ("placements", "events", "facts", "cited_by") if t in tables)
    if "build_info" in tables:
        row = con.execute("SELECT max(built_at), max(imported_sha256) FROM build_info").fetchone()
        if row and row[0] is not None:
            return f"{row[0].isoformat()}|{row[1]}|{sizes}"
    n = con.execute("SELECT sum(hash(iso3 || year || tier)) FROM placements").fetchone()
    return f"placements:{n[0]}|{sizes}"


def _value(text: Any) -> Any:
    if isinstance(text, str) and text.startswith("{"):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _locator(r: dict[str, Any]) -> dict[str, Any]:
    return {k: r.get(k) for k in ("doc_id", "section", "start", "end", "extractor_version")}


def _narratives(con: Any) -> dict[tuple[str, int], Narrative]:
    out: dict[tuple[str, int], Narrative] = {}
    rows = _rows(con, "SELECT doc_id, source, iso3, year, kind, value, direction, section, "
                      "start, \"end\", extractor_version FROM facts WHERE iso3 IS NOT NULL "
                      "ORDER BY iso3, year, start")
    for r in rows:
        key = (str(r["iso3"]), int(r["year"]))
        n = out.setdefault(key, Narrative(str(r["doc_id"]), str(r["source"])))
        kind, value = r["kind"], _value(r["value"])
        if kind == "effort":
            if isinstance(value, dict) and value.get("topic") != "overall":
                k = f"{value.get('pillar')}_{value.get('polarity')}"
                n.efforts[k] = n.efforts.get(k, 0) + 1
            continue
        n.n_facts += 1
        if kind == "tier_statement" and isinstance(value, dict) and n.tier_statement is None:
            n.tier_statement, n.tier_locator = value, _locator(r)
        elif kind == "le_count" and isinstance(value, dict):
            measure = str(value.get("measure"))
            if measure in MEASURES and measure not in n.counts:
                n.counts[measure] = {**value, "locator": _locator(r)}
        elif kind == "state_involvement":
            n.state_involvement.append({"kind": str(value), "locator": _locator(r)})
        elif kind == "form" and value not in n.forms:
            n.forms.append(str(value))
        elif kind == "role" and value not in n.roles:
            n.roles.append(str(value))
        elif kind == "victim_group" and value not in n.victims:
            n.victims.append(str(value))
        elif kind == "recommendation" and isinstance(value, dict):
            n.recommendations.append(list(value.get("topics") or []))
        elif kind == "cited_country":
            n.n_cited += 1
    return out


def load_inputs(con: Any) -> Inputs:
    """Read everything the analyses need from an open store connection."""
    from tipwatch.analysis import diskcache

    tables = _tables(con)
    db = diskcache.store_file(con)
    hist: dict[str, dict[int, str]] = defaultdict(dict)
    names: dict[str, str] = {}
    sources: dict[tuple[str, int], str] = {}
    for r in _rows(con, "SELECT iso3, name, year, tier, source FROM placements ORDER BY year"):
        hist[r["iso3"]][int(r["year"])] = str(r["tier"])
        names[r["iso3"]] = str(r["name"])
        if r["source"]:
            sources[(r["iso3"], int(r["year"]))] = str(r["source"])
    regions = {r["iso3"]: r["region"] for r in _rows(con, "SELECT iso3, region FROM countries")}
    status = {int(r["year"]): str(r["status"])
              for r in _rows(con, "SELECT year, status FROM years")}
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if "events" in tables:
        for e in _rows(con, "SELECT iso3, year, event, tier, reason, detail, statute, certain, "
                            "waiver_no FROM events ORDER BY iso3, year"):
            events[e["iso3"]].append(e)
    cited: dict[str, tuple[int, int]] = {}
    if "cited_by" in tables:
        cited = {r["cited_iso3"]: (int(r["docs"]), int(r["countries"])) for r in _rows(
            con, "SELECT cited_iso3, count(DISTINCT doc_id) AS docs, "
                 "count(DISTINCT citing_iso3) AS countries FROM cited_by "
                 "WHERE citing_iso3 <> cited_iso3 GROUP BY cited_iso3")}
    meta = {}
    if "sources" in tables:
        meta = {r["id"]: r for r in _rows(con, "SELECT id, publisher, origin, licence "
                                               "FROM sources")}
    return Inputs(
        build_id=build_id(con), hist=dict(hist), names=names, regions=regions,
        sources=sources, year_status=status, events=dict(events),
        narratives=_narratives(con) if "facts" in tables else {},
        policy=published.policy_lists(), cited_by=cited, source_meta=meta,
        cache_dir=diskcache.folder(db) if db else None,
    )
