"""Export the panel as CSV, Parquet, JSON and Stata, with a Frictionless ``datapackage.json``.

The files come from the store, so an export shows exactly what the CLI and the API show.
Everything is written into a temporary folder first and moved into place only when every
file was written (no half-written export).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from tipwatch import __version__
from tipwatch.atomic import atomic_dir
from tipwatch.errors import BadInputError, NotWritableError
from tipwatch.rules.variables import FIELDS as VARIABLE_FIELDS
from tipwatch.store import build as store
from tipwatch.tiers import TIER_LABELS, TIER_RANK, TIERS

FORMATS = ("csv", "parquet", "json", "dta")

FIELDS: list[dict] = [
    {
        "name": "iso3",
        "type": "string",
        "description": "ISO 3166-1 alpha-3 (XKX Kosovo, "
        "ANT Netherlands Antilles, SCG Serbia and Montenegro)",
    },
    {"name": "name", "type": "string", "description": "Short name as the report uses it"},
    {
        "name": "cow",
        "type": "integer",
        "description": "Correlates of War country code (empty for territories)",
    },
    {
        "name": "region",
        "type": "string",
        "description": "State Department regional bureau",
        "constraints": {"enum": ["AF", "EAP", "EUR", "NEA", "SCA", "WHA"]},
    },
    {
        "name": "year",
        "type": "integer",
        "description": "TIP Report year (June/July report; "
        "the reporting period ends March 31 of that year)",
    },
    {
        "name": "tier",
        "type": "string",
        "description": "; ".join(f"{k} = {v}" for k, v in TIER_LABELS.items()),
        "constraints": {"enum": list(TIERS)},
    },
    {
        "name": "tier_num",
        "type": "number",
        "description": "Ordinal tier: 1, 2, 2.5 (Watch "
        "List), 3; 1.5 for 'Tier 1 or 2'; empty for Special Case",
    },
    {
        "name": "basis",
        "type": "string",
        "description": "read = stated by the source; deduced = derived by a stated rule (see note)",
        "constraints": {"enum": ["read", "deduced"]},
    },
    {
        "name": "source",
        "type": "string",
        "description": "Source id (see sources in this datapackage)",
    },
    {
        "name": "evidence",
        "type": "string",
        "description": "URL or repository path of the evidence for this row, where recorded",
    },
    {"name": "country", "type": "string", "description": "Spelling in the source"},
    {
        "name": "all_sources",
        "type": "string",
        "description": "Every input's value for this country-year (source=tier;...)",
    },
    {
        "name": "note",
        "type": "string",
        "description": "Corrections, conflict resolutions and derivations",
    },
]
FIELDS += VARIABLE_FIELDS
_TIER_NUM = TIER_RANK


def panel_frame(db: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The panel joined with country codes, in export column order."""
    with store.connect(db) as con:
        df = con.execute(
            "SELECT p.iso3, p.name, c.cow, c.region, p.year, p.tier, p.basis, p.source, "
            "p.evidence, p.country, p.all_sources, p.note, "
            + ", ".join(f"v.{f['name']}" for f in VARIABLE_FIELDS)
            + " FROM placements p JOIN countries c USING (iso3) "
            "LEFT JOIN panel_variables v USING (iso3, year) ORDER BY p.iso3, p.year"
        ).df()
    for f in VARIABLE_FIELDS:
        df[f["name"]] = df[f["name"]].astype("boolean" if f["type"] == "boolean" else "Int32")
    df.insert(df.columns.get_loc("tier") + 1, "tier_num", df["tier"].map(_TIER_NUM))
    df["cow"] = df["cow"].astype("Int32")
    df["year"] = df["year"].astype("int32")
    return df


def _datapackage(files: dict[str, str], rows: int, sources: list[dict],
                 fields: list[dict] | None = None, extra: list[dict] | None = None) -> dict:
    fields = fields or FIELDS
    return {
        "profile": "tabular-data-package",
        "name": "tipwatch-tip-tier-panel",
        "title": "Trafficking in Persons Report tier placements, country × report year",
        "version": __version__,
        "description": "One row per country and TIP Report year. Unknown years have no row; "
        "'1or2' marks a known 'Tier 1 or 2'. Built by tipwatch from its bundled data.",
        "licenses": [
            {"name": "PDDL-1.0", "title": "Tier facts: U.S. government works, public domain"},
            {"name": "MIT", "title": "Kelley, Scorecard Diplomacy data (2001-2015 rows)"},
        ],
        "sources": [
            {
                "title": s["id"],
                "path": s["origin"],
                "description": s["publisher"],
                "licence": s["licence"],
            }
            for s in sources
        ],
        "resources": [
            {
                "name": f"panel-{fmt}",
                "path": path,
                "format": fmt,
                "profile": "tabular-data-resource" if fmt == "csv" else "data-resource",
                "encoding": "utf-8",
                "rows": rows,
                "schema": {"fields": fields, "primaryKey": ["iso3", "year"]},
            }
            for fmt, path in files.items()
        ] + list(extra or []),
    }


def export_panel(
    out: str | os.PathLike[str], fmt: str = "all", db: str | os.PathLike[str] | None = None,
    facts: bool = False, variables: bool = False,
) -> list[Path]:
    """Write the panel in ``fmt`` (one of :data:`FORMATS` or ``all``) into folder ``out``.

    ``variables`` adds facts as per country-year columns; ``facts`` writes the long-format
    facts table beside the panel (:mod:`tipwatch.export_years`)."""
    fmts = FORMATS if fmt == "all" else tuple(f.strip() for f in fmt.split(","))
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise BadInputError(f"unknown export format {bad[0]!r}; use {', '.join(FORMATS)} or all")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotWritableError(f"--out {out} is a file, not a folder")
    df = panel_frame(db)
    fields = FIELDS
    if variables or facts:
        from tipwatch import export_years

        if variables:
            df = df.merge(export_years.variables_frame(db), on=["iso3", "year"], how="left")
            fields = FIELDS + export_years.VARIABLE_FIELDS
    with store.connect(db) as con:
        sources = [
            dict(zip(("id", "publisher", "origin", "licence"), r, strict=True))
            for r in con.execute(
                "SELECT id, publisher, origin, licence FROM sources ORDER BY id"
            ).fetchall()
        ]
    files: dict[str, str] = {}
    with atomic_dir(out) as tmp:
        for f in fmts:
            name = f"tip_tiers.{f}"
            if f == "csv":
                df.to_csv(tmp / name, index=False, lineterminator="\n")
            elif f == "parquet":
                df.to_parquet(tmp / name, index=False)
            elif f == "json":
                (tmp / name).write_text(
                    df.to_json(orient="records", force_ascii=False, indent=1), encoding="utf-8"
                )
            elif f == "dta":
                dta = df.copy()
                for fl in VARIABLE_FIELDS:  # Stata has no boolean: 1 / 0 / missing
                    if fl["type"] == "boolean":
                        dta[fl["name"]] = dta[fl["name"]].astype("Int8")
                for col in dta.columns:
                    if dta[col].dtype == object or str(dta[col].dtype).startswith("str"):
                        dta[col] = dta[col].fillna("").astype(object)
                dta.to_stata(
                    tmp / name,
                    write_index=False,
                    version=118,
                    convert_strl=["note", "all_sources", "evidence"],
                    variable_labels={fl["name"]: fl["description"][:80] for fl in fields},
                    data_label="TIP Report tier placements (tipwatch)",
                )
            files[f] = name
        extra = _facts_resources(tmp, fmts, db) if facts else []
        (tmp / "datapackage.json").write_text(
            json.dumps(_datapackage(files, len(df), sources, fields, extra), indent=2,
                       ensure_ascii=False),
            encoding="utf-8",
        )
    return ([out / name for name in files.values()] + [out / r["path"] for r in extra]
            + [out / "datapackage.json"])


def _facts_resources(tmp: Path, fmts: tuple[str, ...], db: str | os.PathLike[str] | None
                     ) -> list[dict]:
    """Write the long-format facts table (csv / parquet / json) and describe it."""
    from tipwatch.export_years import FACT_FIELDS, facts_frame

    df = facts_frame(db)
    out = []
    for f in fmts:
        name = f"tip_facts.{f}"
        if f == "csv":
            df.to_csv(tmp / name, index=False, lineterminator="\n")
        elif f == "parquet":
            df.to_parquet(tmp / name, index=False)
        elif f == "json":
            (tmp / name).write_text(df.to_json(orient="records", force_ascii=False),
                                    encoding="utf-8")
        else:
            continue  # Stata: use the CSV (long text values)
        out.append({"name": f"facts-{f}", "path": name, "format": f,
                    "profile": "tabular-data-resource" if f == "csv" else "data-resource",
                    "encoding": "utf-8", "rows": int(len(df)),
                    "description": "One row per fact extracted from the narratives (every "
                    "year in the store), with its locator; join on iso3 and year",
                    "schema": {"fields": FACT_FIELDS}})
    return out
