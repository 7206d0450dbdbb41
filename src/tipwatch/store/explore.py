"""Read-only access to the store for the explorer, the API and the report.

Every function takes an open DuckDB connection (or cursor) and returns plain dicts/lists that
serialise to JSON. Panel queries and year validation go through :mod:`tipwatch.store.reader`
(rows are read by its ``rows``); the tables that other areas fill (``events``, ``facts``,
``flows``) are read generically, so an absent or empty table answers an empty list.
Parameterized SQL only: identifiers that reach SQL come from ``information_schema``, never
from a request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

import duckdb

from tipwatch.countries import REGIONS
from tipwatch.errors import BadInputError, UnknownCountryError, UnknownYearError
from tipwatch.public import public_source, public_text, public_value
from tipwatch.store import reader as queries
from tipwatch.tiers import TIER_LABELS, TIERS

__all__ = ["REGIONS", "TIERS", "TIER_LABELS"]

Con = duckdb.DuckDBPyConnection


# --------------------------------------------------------------------------- helpers


def _rows(con: Con, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    return queries.rows(con, sql, list(params), convert=_plain)


def _plain(value: Any) -> Any:
    if isinstance(value, str):  # readers see source names, not the development folders
        return public_text(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return value


#: the store's columns per table, when the caller knows them (see :func:`known_schema`)
_SCHEMA: ContextVar[dict[str, list[str]] | None] = ContextVar("tipwatch_schema", default=None)


def read_schema(con: Con) -> dict[str, list[str]]:
    """Every table of the main schema with its columns, in one query."""
    schema: dict[str, list[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall():
        schema.setdefault(table, []).append(column)
    return schema


@contextlib.contextmanager
def known_schema(schema: dict[str, list[str]]) -> Iterator[None]:
    """Within the block, :func:`table_columns` answers from ``schema`` (a read-only store)."""
    token = _SCHEMA.set(schema)
    try:
        yield
    finally:
        _SCHEMA.reset(token)


def table_columns(con: Con, table: str) -> list[str]:
    """Columns of ``table`` in the main schema (empty when the table is absent)."""
    schema = _SCHEMA.get()
    if schema is not None:
        return list(schema.get(table, []))
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
    ]


# --------------------------------------------------------------------------- years, countries


def years(con: Con) -> list[dict[str, Any]]:
    """Every report year with its status (complete / partial / missing) and count."""
    return [dict(y) for y in queries.years(con)]


def resolve_year(con: Con, year: int | str) -> int:
    """A report year present in the store (``latest``/``newest`` allowed); else a 404 error."""
    if isinstance(year, str) and year.strip().lower() not in ("latest", "newest"):
        text = year.strip()
        if not text.isdigit() or len(text) != 4:
            raise BadInputError(
                f"year must be a 4-digit report year, 'latest' or 'newest', not {year!r}")
        year = int(text)
    elif isinstance(year, str):
        year = year.strip().lower()
    return int(queries.resolve_year(con, year))


def year_status(con: Con, year: int) -> dict[str, Any]:
    for y in years(con):
        if int(y["year"]) == year:
            return y
    raise UnknownYearError(f"no report year {year} in the store")


def resolve_country(con: Con, ident: str) -> dict[str, Any]:
    """A country by ISO3 code or any name the identity table knows; else a 404-style error."""
    text = (ident or "").strip()
    if not text or len(text) > 80:
        raise UnknownCountryError(ident[:80] if ident else "", where="country")
    rows = _rows(
        con, "SELECT iso3, name, iso2, cow, region, in_panel FROM countries WHERE iso3 = ?",
        [text.upper()],
    )
    if rows:
        return rows[0]
    from tipwatch import countries  # the identity table knows every alias

    found = countries.resolve(text, where="country")
    rows = _rows(
        con, "SELECT iso3, name, iso2, cow, region, in_panel FROM countries WHERE iso3 = ?",
        [found.iso3],
    )
    if not rows:
        raise UnknownCountryError(text, where="country")
    return rows[0]


def countries_list(con: Con) -> list[dict[str, Any]]:
    """Countries ranked in some report, with their latest placement."""
    return _rows(
        con,
        """
        SELECT c.iso3, c.name, c.region, c.iso2, c.cow,
               p.year AS latest_year, p.tier AS latest_tier, p.basis AS latest_basis,
               n.n_years
        FROM countries c
        JOIN (SELECT iso3, max(year) AS year, count(*) AS n_years FROM placements GROUP BY iso3)
             n ON n.iso3 = c.iso3
        JOIN placements p ON p.iso3 = n.iso3 AND p.year = n.year
        ORDER BY c.name
        """,
    )


# --------------------------------------------------------------------------- tiers, changes


def tiers(con: Con, year: int, tier: str | None = None, region: str | None = None) -> list[dict]:
    return public_value([dict(r) for r in queries.tiers(con, year, tier=tier, region=region)])


def changes(con: Con, year: int) -> list[dict[str, Any]]:
    from tipwatch.analysis.reasons import attach  # the narrative's reasons beside each move

    return public_value(attach(con, [dict(r) for r in queries.changes(con, year)]))


def history(con: Con, iso3: str) -> dict[str, Any]:
    return public_value(dict(queries.country_history(con, iso3)))


# --------------------------------------------------------------------------- other areas' tables


def _filtered(
    con: Con, table: str, filters: dict[str, Any], order: tuple[str, ...] = ("year", "iso3")
) -> list[dict[str, Any]]:
    """Rows of ``table`` matching ``filters`` (column -> value); [] when the table is absent.

    A filter on a column the table does not have matches nothing.
    """
    cols = table_columns(con, table)
    if not cols:
        return []
    where, params = [], []
    for col, value in filters.items():
        if value is None:
            continue
        if col not in cols:
            return []
        where.append(f'"{col}" = ?')
        params.append(value)
    sql = f'SELECT * FROM "{table}"'
    if where:
        sql += " WHERE " + " AND ".join(where)
    keys = [c for c in order if c in cols]
    if keys:
        sql += " ORDER BY " + ", ".join(f'"{c}"' for c in keys)
    return _rows(con, sql, params)


def events(
    con: Con, year: int | None = None, iso3: str | None = None, event: str | None = None
) -> list[dict[str, Any]]:
    """Audit events (waivers, automatic downgrades, ...) from the rules area."""
    return _filtered(con, "events", {"year": year, "iso3": iso3, "event": event},
                     ("year", "iso3", "event"))


def facts(
    con: Con, iso3: str | None = None, year: int | None = None, kind: str | None = None,
    limit: int | None = None, latest_first: bool = False,
) -> list[dict[str, Any]]:
    """Extracted facts with their locators (extraction area)."""
    rows = _filtered(con, "facts", {"iso3": iso3, "year": year, "kind": kind},
                     ("year", "iso3", "doc_id", "start", "kind"))
    if latest_first:
        rows.sort(key=lambda r: -(r.get("year") or 0))  # stable: keeps text order in a year
    return rows[:limit] if limit else rows


def fact_kinds(con: Con) -> list[str]:
    cols = table_columns(con, "facts")
    if "kind" not in cols:
        return []
    return [r[0] for r in con.execute("SELECT DISTINCT kind FROM facts ORDER BY 1").fetchall()]


def facts_summary(con: Con, iso3: str) -> list[dict[str, Any]]:
    """Count of facts per report year and kind for one country."""
    cols = table_columns(con, "facts")
    if not {"iso3", "year", "kind"} <= set(cols):
        return []
    return _rows(
        con,
        "SELECT year, kind, count(*) AS n FROM facts WHERE iso3 = ? "
        "GROUP BY year, kind ORDER BY year, kind",
        [iso3],
    )


def flows(con: Con, year: int | None = None) -> list[dict[str, Any]]:
    """Country-to-country trafficking flows found in the narratives (extraction area)."""
    return _filtered(con, "flows", {"year": year}, ("year", "origin_iso3", "destination_iso3"))


def _linked(con: Con, sql: str, iso3: str) -> list[dict[str, Any]]:
    return _rows(con, sql, [iso3])



def _link_sql(table: str, me: str, other: str, condition: str) -> str:
    """Countries linked to one country (``?``) through ``table``, with years and counts.

    ``table``, ``me``, ``other`` and ``condition`` are fixed names from this module, never user
    input; the country itself is the only parameter."""
    return f"""
        SELECT f.{other} AS iso3, coalesce(c.name, f.{other}) AS name,
               count(DISTINCT f.year) AS n, min(f.year) AS first_year,
               max(f.year) AS last_year
        FROM {table} f LEFT JOIN countries c ON c.iso3 = f.{other}
        WHERE {condition} AND f.{me} = ? AND f.{other} <> f.{me}
        GROUP BY 1, 2 ORDER BY n DESC, name
        """

def cites(con: Con, iso3: str) -> dict[str, list[dict[str, Any]]]:
    """Countries this country's texts name (``cites``) and those whose texts name it
    (``cited_by``), from the ``cited_country`` facts; plus trafficking flows from and to it.
    """
    out: dict[str, list[dict[str, Any]]] = {
        "cites": [], "cited_by": [], "flows_from": [], "flows_to": []
    }
    fcols = set(table_columns(con, "facts"))
    if {"iso3", "kind", "value", "year"} <= fcols:
        for key, me, other in (("cites", "iso3", "value"), ("cited_by", "value", "iso3")):
            out[key] = _linked(con, _link_sql("facts", me, other, "f.kind = 'cited_country'"),
                               iso3)
    wcols = set(table_columns(con, "flows"))
    if {"origin_iso3", "destination_iso3", "year"} <= wcols:
        for key, me, other in (("flows_from", "origin_iso3", "destination_iso3"),
                               ("flows_to", "destination_iso3", "origin_iso3")):
            out[key] = _linked(con, _link_sql("flows", me, other, f"f.{other} IS NOT NULL"),
                               iso3)
    return out


def _pairs(con: Con, table: str, me: str, other: str, where: str) -> list[dict[str, Any]]:
    return _rows(
        con,
        f"""
        SELECT f.{me} AS me, f.{other} AS iso3, coalesce(c.name, f.{other}) AS name,
               count(DISTINCT f.year) AS n, min(f.year) AS first_year, max(f.year) AS last_year
        FROM {table} f LEFT JOIN countries c ON c.iso3 = f.{other}
        WHERE {where} AND f.{other} IS NOT NULL AND f.{me} IS NOT NULL AND f.{other} <> f.{me}
        GROUP BY 1, 2, 3 ORDER BY me, n DESC, name
        """,
    )


def links_all(con: Con) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """:func:`cites` for every country at once (one pass over facts and flows)."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    specs = []
    if {"iso3", "kind", "value", "year"} <= set(table_columns(con, "facts")):
        where = "f.kind = 'cited_country'"
        specs += [("cites", "facts", "iso3", "value", where),
                  ("cited_by", "facts", "value", "iso3", where)]
    if {"origin_iso3", "destination_iso3", "year"} <= set(table_columns(con, "flows")):
        specs += [("flows_from", "flows", "origin_iso3", "destination_iso3", "TRUE"),
                  ("flows_to", "flows", "destination_iso3", "origin_iso3", "TRUE")]
    for key, table, me, other, where in specs:
        for r in _pairs(con, table, me, other, where):
            me_iso = r.pop("me")
            entry = out.setdefault(me_iso, {k: [] for k in EMPTY_LINKS})
            entry[key].append(r)
    return out


EMPTY_LINKS = ("cites", "cited_by", "flows_from", "flows_to")


# --------------------------------------------------------------------------- provenance


def sources(con: Con, ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Rows of the ``sources`` table (publisher, origin, licence), restricted to ``ids``."""
    cols = table_columns(con, "sources")
    if "id" not in cols:
        return []
    keep = [c for c in ("id", "publisher", "origin", "licence", "url", "sha256") if c in cols]
    rows = _rows(con, "SELECT " + ", ".join(f'"{c}"' for c in keep) + " FROM sources ORDER BY id")
    if ids is not None:
        wanted = set(ids)
        rows = [r for r in rows if r["id"] in wanted]
    return [public_source(r) for r in rows]


def tier_counts(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(TIERS, 0)
    for r in rows:
        counts[r["tier"]] = counts.get(r["tier"], 0) + 1
    return counts
