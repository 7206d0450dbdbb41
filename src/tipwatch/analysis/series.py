"""Law-enforcement counts as series per country, cross-checked between consecutive years.

One row per country, measure (investigations, prosecutions, convictions, victims identified)
and report year, from the ``le_count`` facts of one narrative per year (a report narrative
before a Factbook text). A figure split by form (the ``subset`` facts: sex and labour
trafficking apart) keeps its parts; no total is invented. When a narrative quotes the
previous year's figure ("compared with 55 in 2024"), ``prior_check`` says whether it
``matches`` the previous year's own figure, is a ``mismatch`` (flagged, both kept), or has
nothing to check against.
"""

from __future__ import annotations

import json
from typing import Any

MEASURES = ("investigations", "prosecutions", "convictions", "victims_identified")


def _docs_per_year(rows: list[tuple]) -> dict[int, str]:
    docs: dict[int, tuple[int, str]] = {}
    for year, doc_id, source in {(r[0], r[1], r[6]) for r in rows}:
        rank = 1 if source == "factbook" else 0
        if year not in docs or (rank, doc_id) < docs[year]:
            docs[year] = (rank, doc_id)
    return {y: d for y, (_, d) in docs.items()}


def series(con: Any, iso3: str) -> list[dict[str, Any]]:
    """Every measure of one country over the years, with the prior-year cross-check."""
    rows = con.execute(
        "SELECT year, doc_id, value, note, section, start, source FROM facts "
        "WHERE iso3 = ? AND kind = 'le_count' ORDER BY year, doc_id, start", [iso3]).fetchall()
    docs = _docs_per_year(rows)
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for year, doc_id, value, note, section, start, _src in rows:
        if docs.get(year) != doc_id:
            continue
        v = json.loads(value) if isinstance(value, str) else dict(value)
        measure = v.get("measure")
        if measure not in MEASURES:
            continue
        row = out.setdefault((measure, int(year)), {
            "iso3": iso3, "year": int(year), "measure": measure, "value": None, "parts": [],
            "prior_value": None, "period": v.get("period"), "doc_id": doc_id,
            "section": section, "start": start})
        if note == "subset":
            row["parts"].append({k: v[k] for k in v if k not in ("measure", "period")})
            continue
        if row["value"] is None:
            row["value"], row["prior_value"] = v.get("value"), v.get("prior_value")
            row["start"] = start
    result = sorted(out.values(), key=lambda r: (MEASURES.index(r["measure"]), r["year"]))
    by_key = {(r["measure"], r["year"]): r for r in result}
    for r in result:
        prev = by_key.get((r["measure"], r["year"] - 1))
        if r["prior_value"] is None:
            r["prior_check"] = None
        elif prev is None or prev["value"] is None:
            r["prior_check"] = "no previous figure"
        elif int(prev["value"]) == int(r["prior_value"]):
            r["prior_check"] = "matches"
        else:
            r["prior_check"] = "mismatch"
            r["previous_value"] = prev["value"]
    return result


def long_rows(con: Any) -> list[dict[str, Any]]:
    """Every country's series in one long table (for export)."""
    iso3s = [r[0] for r in con.execute(
        "SELECT DISTINCT iso3 FROM facts WHERE kind = 'le_count' ORDER BY 1").fetchall()]
    out = []
    for iso3 in iso3s:
        for r in series(con, iso3):
            out.append({**r, "parts": json.dumps(r["parts"]) if r["parts"] else ""})
    return out
