"""Build step ``audit``: the dated law, the audit's events and the panel variables."""

from __future__ import annotations

import json
from typing import Any

from tipwatch.store.frames import insert_frame
from tipwatch.store.schema import TABLES, ddl
from tipwatch.store.steps import Step

_PLACEMENT = ("iso3", "name", "year", "tier", "basis", "source")


def load(con: Any) -> list[dict[str, Any]]:
    rows = con.execute(
        "SELECT iso3, name, year, tier, basis, source FROM placements ORDER BY iso3, year"
    ).fetchall()
    return [dict(zip(_PLACEMENT, r, strict=True)) for r in rows]


def process(placements: list[dict[str, Any]]) -> dict[str, Any]:
    from tipwatch.rules.audit import audit
    from tipwatch.rules.law import load_law
    from tipwatch.rules.variables import panel_variables

    law = load_law()
    events = audit(placements, law)
    return {"law": law.rows(), "events": events,
            "variables": panel_variables(placements, events, law)}


def save(con: Any, t: dict[str, Any]) -> None:
    from tipwatch.rules.audit import COLUMNS
    from tipwatch.rules.variables import COLUMNS as VARIABLE_COLUMNS

    con.execute(ddl("law", replace=True))
    con.executemany(
        "INSERT INTO law VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(r["parameter"], r["from_year"], r["to_year"], json.dumps(r["value"]), r["citation"],
          r["reading"] or None, r["description"]) for r in t["law"]],
    )
    save_events(con, t["events"], COLUMNS)
    con.execute(ddl("panel_variables", replace=True))
    if t["variables"]:  # one statement: row-by-row inserts cost about 14 ms a row here
        insert_frame(con, "panel_variables", list(VARIABLE_COLUMNS),
                     [[r[c] for c in VARIABLE_COLUMNS] for r in t["variables"]])


def save_events(con: Any, events: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """The ``events`` table (``columns``: the audit's event keys, in the table's order)."""
    con.execute(ddl("events", replace=True))
    if events:
        # the event keys map by position onto the table's columns (``country`` → ``name``)
        insert_frame(con, "events", list(TABLES["events"].column_names),
                     [[e[c] for c in columns] for e in events])


def run(con: Any) -> None:
    save(con, process(load(con)))


STEP = Step(
    name="audit",
    inputs=("data/law.yaml", "data/waivers.csv", "data/policy_or_pattern.csv", "table:placements"),
    outputs=("law", "events", "panel_variables"),
    run=run,
)
