"""Facts for researchers: a long-format facts table and facts as panel variables.

* :func:`facts_frame`: one row per extracted fact (every year in the store), with a ``key``
  and a ``value`` a statistics package can filter on, and the fact's locator.
* :func:`variables_frame`: per country × report year, facts as columns (roles, cited
  countries, cited-by count, policy-or-pattern finding, law-enforcement counts, effort facts),
  to be joined onto the panel. Every column is described in :data:`VARIABLE_FIELDS` (and in
  ``datapackage.json``).
"""

from __future__ import annotations

import json
import os
from typing import Any

FACT_FIELDS: list[dict[str, str]] = [
    {"name": "iso3", "type": "string", "description": "The narrative's country (ISO3)"},
    {"name": "name", "type": "string", "description": "The country's short name"},
    {"name": "year", "type": "integer", "description": "TIP Report year of the narrative"},
    {"name": "kind", "type": "string", "description": "Fact kind (role, form, victim_group, "
     "cited_country, le_count, state_involvement, tier_statement, recommendation, effort)"},
    {"name": "key", "type": "string", "description": "le_count: the measure; effort: "
     "pillar/topic; recommendation: its position; other kinds: the code"},
    {"name": "value", "type": "string", "description": "le_count: the figure; effort: effort "
     "or failing; cited_country: the cited ISO3; other kinds: the code"},
    {"name": "prior_value", "type": "integer", "description": "le_count: the previous year's "
     "figure as the narrative quotes it"},
    {"name": "direction", "type": "string", "description": "cited_country: from / to / via"},
    {"name": "note", "type": "string", "description": "subset = a figure split by form"},
    {"name": "detail", "type": "string", "description": "The whole value as JSON"},
    {"name": "doc_id", "type": "string", "description": "Document the fact was read in"},
    {"name": "section", "type": "string", "description": "Section of the narrative"},
    {"name": "start", "type": "integer", "description": "Start offset of the quote in the text"},
    {"name": "end", "type": "integer", "description": "End offset of the quote in the text"},
    {"name": "extractor_version", "type": "string", "description": "tipwatch extractor version"},
    {"name": "source_file", "type": "string", "description": "File or URL the narrative was "
     "read from"},
]

ROLES = ("source", "transit", "destination", "internal")
MEASURES = ("investigations", "prosecutions", "convictions", "victims_identified")

VARIABLE_FIELDS: list[dict[str, str]] = [
    *[{"name": f"role_{r}", "type": "integer", "description": f"1 = a narrative of this "
       f"country-year calls the country a {r} country; 0 = a narrative was read and does "
       "not; empty = no narrative in the store"} for r in ROLES],
    {"name": "n_cited_countries", "type": "integer", "description": "Countries named in this "
     "country-year's narratives (empty = no narrative)"},
    {"name": "n_cited_by", "type": "integer", "description": "Narratives of other countries "
     "of the same report year that name this country (empty = no narrative of that year)"},
    {"name": "policy_or_pattern", "type": "integer", "description": "1 = a state "
     "policy-or-pattern finding is recorded for this country-year (audit event); empty = none "
     "recorded"},
    *[{"name": m, "type": "integer", "description": f"Law-enforcement count: {m.replace('_', ' ')}"
       " (the headline figure of the year's narrative; empty = not stated or split by form)"}
      for m in MEASURES],
    {"name": "n_efforts", "type": "integer", "description": "Effort facts (things done) in the "
     "intro of the year's narrative"},
    {"name": "n_failings", "type": "integer", "description": "Failing facts (not done, too "
     "little, harm done) in the intro of the year's narrative"},
    {"name": "efforts_increasing", "type": "integer", "description": "1 = the narrative calls "
     "efforts overall increasing, 0 = not increasing, empty = it does not say"},
]


def _key_value(kind: str, raw: str) -> tuple[str, str, Any, str]:
    """(key, value, prior_value, detail) of one stored fact value."""
    if not raw or not raw.startswith("{"):
        return raw or "", raw or "", None, ""
    v = json.loads(raw)
    if kind == "le_count":
        return v.get("measure", ""), str(v.get("value", "")), v.get("prior_value"), raw
    if kind == "effort":
        return f"{v.get('pillar')}/{v.get('topic')}", str(v.get("polarity")), None, raw
    if kind == "recommendation":
        return str(v.get("index", "")), ",".join(v.get("topics") or []), None, raw
    if kind == "tier_statement":
        return "tier", str(v.get("tier", "")), None, raw
    return kind, raw, None, raw


def facts_frame(db: str | os.PathLike[str] | None = None):  # noqa: ANN201 - DataFrame
    """Every fact in the store as one long table (columns of :data:`FACT_FIELDS`)."""
    import pandas as pd

    from tipwatch.store import build as store

    with store.connect(db) as con:
        rows = con.execute(
            'SELECT f.iso3, coalesce(c.name, f.country), f.year, f.kind, f.value, f.direction, '
            'f.note, f.doc_id, f.section, f.start, f."end", f.extractor_version, '
            "f.source_file FROM facts f LEFT JOIN countries c USING (iso3) "
            "ORDER BY f.iso3, f.year, f.doc_id, f.kind, f.start").fetchall()
    out = []
    for iso3, name, year, kind, value, direction, note, doc, sec, start, end, ver, src in rows:
        key, val, prior, detail = _key_value(kind, value or "")
        out.append([iso3, name, year, kind, key, val, prior, direction, note, detail, doc, sec,
                    start, end, ver, src])
    df = pd.DataFrame(out, columns=[f["name"] for f in FACT_FIELDS])
    df["prior_value"] = pd.to_numeric(df["prior_value"], errors="coerce").astype("Int64")
    return df


def variables_frame(db: str | os.PathLike[str] | None = None):  # noqa: ANN201 - DataFrame
    """Per country × report year, facts as columns (:data:`VARIABLE_FIELDS`)."""
    import pandas as pd

    from tipwatch.analysis.series import long_rows
    from tipwatch.store import build as store

    with store.connect(db) as con:
        docs = {(i, y) for i, y in con.execute(
            "SELECT DISTINCT iso3, year FROM facts").fetchall()}
        roles = {(i, y, v) for i, y, v in con.execute(
            "SELECT DISTINCT iso3, year, value FROM facts WHERE kind = 'role'").fetchall()}
        cited = dict(((i, y), n) for i, y, n in con.execute(
            "SELECT iso3, year, count(DISTINCT value) FROM facts WHERE kind = 'cited_country' "
            "GROUP BY 1, 2").fetchall())
        cited_by = dict(((i, y), n) for i, y, n in con.execute(
            "SELECT cited_iso3, year, count(DISTINCT citing_iso3) FROM cited_by "
            "WHERE cited_iso3 <> citing_iso3 GROUP BY 1, 2").fetchall())
        years_read = {y for (_, y) in docs}
        pop = {(i, y) for i, y in con.execute(
            "SELECT DISTINCT iso3, year FROM events WHERE event = 'state_policy_or_pattern'"
        ).fetchall()}
        counts = {(r["iso3"], r["year"], r["measure"]): r["value"] for r in long_rows(con)}
        effort_rows = con.execute(
            "SELECT iso3, year, value FROM facts WHERE kind = 'effort'").fetchall()
        keys = con.execute("SELECT iso3, year FROM placements ORDER BY iso3, year").fetchall()
    eff: dict[tuple[str, int], dict[str, Any]] = {}
    for iso3, year, value in effort_rows:
        v = json.loads(value)
        d = eff.setdefault((iso3, year), {"effort": 0, "failing": 0, "increasing": None})
        if v.get("topic") == "overall":
            d["increasing"] = v.get("increasing")
        else:
            d[v.get("polarity")] = d.get(v.get("polarity"), 0) + 1
    out = []
    for iso3, year in keys:
        have = (iso3, year) in docs
        e = eff.get((iso3, year))
        row: dict[str, Any] = {"iso3": iso3, "year": year}
        for r in ROLES:
            row[f"role_{r}"] = int((iso3, year, r) in roles) if have else None
        row["n_cited_countries"] = cited.get((iso3, year), 0) if have else None
        row["n_cited_by"] = cited_by.get((iso3, year), 0) if year in years_read else None
        row["policy_or_pattern"] = 1 if (iso3, year) in pop else None
        for m in MEASURES:
            row[m] = counts.get((iso3, year, m))
        row["n_efforts"] = e["effort"] if e else None
        row["n_failings"] = e["failing"] if e else None
        row["efforts_increasing"] = (None if not e or e["increasing"] is None
                                     else int(bool(e["increasing"])))
        out.append(row)
    df = pd.DataFrame(out)
    for f in VARIABLE_FIELDS:
        df[f["name"]] = pd.to_numeric(df[f["name"]], errors="coerce").astype("Int64")
    return df
