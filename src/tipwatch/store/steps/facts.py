"""Build step ``facts``: the bundled facts, the flows and the cited-by index derived from them.

``facts`` is loaded from ``data/facts.csv.gz`` (written by ``scripts/extract_bundle.py``);
``flows`` holds one row per directed country pair named in a narrative, ``cited_by`` one row
per cited country and citing narrative. The corpora behind the facts join ``sources``.
"""

from __future__ import annotations

import json
from typing import Any

from tipwatch.errors import DataCheckError
from tipwatch.store.schema import ddl
from tipwatch.store.steps import ONLY, Step

FLOWS_SQL = """
CREATE OR REPLACE TABLE flows AS
SELECT
    CASE WHEN direction = 'from' THEN value ELSE iso3 END AS origin_iso3,
    CASE WHEN direction = 'from' THEN iso3 ELSE value END AS destination_iso3,
    year, doc_id, iso3 AS narrative_iso3, count(*) AS mentions,
    min(section) AS section, min(start) AS start, min("end") AS "end",
    min(extractor_version) AS extractor_version
FROM facts
WHERE kind = 'cited_country' AND direction IN ('from', 'to')
GROUP BY ALL
ORDER BY year, origin_iso3, destination_iso3, doc_id
"""


CITED_BY_SQL = """
CREATE OR REPLACE TABLE cited_by AS
SELECT value AS cited_iso3, iso3 AS citing_iso3, year, doc_id, count(*) AS mentions,
       string_agg(DISTINCT direction, ',' ORDER BY direction) AS directions,
       min(start) AS first_start, min(extractor_version) AS extractor_version
FROM facts
WHERE kind = 'cited_country'
GROUP BY ALL
ORDER BY cited_iso3, year, citing_iso3
"""


def _has(con: Any, table: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchone()[0])


def save_facts(con: Any) -> None:
    """Load the bundled file into ``facts`` and check every row's span and kind."""
    from tipwatch.extract.bundle import BUNDLE

    if not BUNDLE.exists():
        raise DataCheckError(f"bundled facts missing: {BUNDLE}; run scripts/extract_bundle.py")
    con.execute("DROP TABLE IF EXISTS facts")
    con.execute(ddl("facts", if_not_exists=True))
    con.execute(
        "INSERT INTO facts SELECT doc_id, source, country, iso3, CAST(year AS INTEGER), kind, "
        "value, nullif(direction, ''), nullif(note, ''), section, CAST(start AS INTEGER), "
        'CAST("end" AS INTEGER), extractor_version, source_file, source_sha256, '
        "nullif(rule_id, '') "
        "FROM read_csv(?, header = true, all_varchar = true, compression = 'gzip')",
        [str(BUNDLE)],
    )
    only = ONLY.get()
    if only is not None:  # a small build: the narratives of these countries only
        con.execute(f"DELETE FROM facts WHERE iso3 NOT IN ({', '.join('?' * len(only))})",
                    sorted(only))
    n = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    if n == 0:
        raise DataCheckError(f"bundled facts file {BUNDLE} holds no facts")
    bad = con.execute(
        'SELECT count(*) FROM facts WHERE start < 0 OR "end" < start OR kind IS NULL'
    ).fetchone()[0]
    if bad:
        raise DataCheckError(f"{bad} bundled facts have a bad span or no kind")
    if _has(con, "countries"):  # the identity table's canonical name
        con.execute(
            "UPDATE facts SET country = c.name FROM countries c "
            "WHERE c.iso3 = facts.iso3 AND c.name IS NOT NULL"
        )


def save_derived(con: Any) -> None:
    """``flows`` and ``cited_by`` from the ``facts`` table as it stands."""
    con.execute(FLOWS_SQL)
    con.execute(CITED_BY_SQL)


def save_sources(con: Any) -> None:
    """Add the narrative corpora behind the facts to the store's ``sources`` table."""
    if not _has(con, "sources"):
        return
    from tipwatch.panel import source_catalog

    catalog = source_catalog()
    rows = con.execute(
        "SELECT source, count(*), map_from_entries(list(DISTINCT {'k': source_file, "
        "'v': source_sha256})) FROM facts GROUP BY source ORDER BY source"
    ).fetchall()
    for source, n, files in rows:
        entry = catalog.get(source)
        if entry is None:
            raise DataCheckError(f"facts source {source!r} has no entry in source_catalog.yml")
        con.execute(
            "INSERT INTO sources (id, publisher, origin, licence, kind, basis, rows, sha256) "
            "VALUES (?, ?, ?, ?, ?, 'read', ?, ?)",
            [source, entry["publisher"], entry["origin"], entry["licence"], entry["kind"], n,
             json.dumps(dict(files))],
        )


def run(con: Any) -> None:
    save_facts(con)
    save_derived(con)
    save_sources(con)


STEP = Step(
    name="facts",
    inputs=("data/facts.csv.gz", "data/source_catalog.yml", "table:countries", "table:sources"),
    outputs=("facts", "flows", "cited_by", "sources"),
    run=run,
)
