"""Build step ``panel``: countries, placements, stated totals, sources, years, data checks."""

from __future__ import annotations

import json
from typing import Any

from tipwatch.store.steps import ONLY, Step


def load() -> dict[str, Any]:
    from tipwatch import countries
    from tipwatch.panel import load_placements, load_sources, load_stated_totals

    return {"placements": load_placements(), "stated": load_stated_totals(),
            "sources": load_sources(), "countries": countries.all_countries()}


def process(inputs: dict[str, Any]) -> dict[str, Any]:
    """The checks (an error stops the build) and every table's rows as a data frame."""
    import pandas as pd

    from tipwatch.checks import check_panel
    from tipwatch.coverage import year_status
    from tipwatch.errors import DataCheckError

    placements, stated, doc = inputs["placements"], inputs["stated"], inputs["sources"]
    only = ONLY.get()
    if only is not None:  # a small build: these countries' placements only
        placements = placements[placements["iso3"].isin(sorted(only))].reset_index(drop=True)
    findings = check_panel(placements, stated)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise DataCheckError(
            "bundled panel fails its checks: " + "; ".join(f.message for f in errors[:5])
        )
    ctry = pd.DataFrame([
        {"iso3": c.iso3, "name": c.name, "iso2": c.iso2, "cow": c.cow, "region": c.region,
         "in_panel": c.in_panel, "aliases": list(c.aliases)}
        for c in inputs["countries"]
    ])
    src = pd.DataFrame([
        {"id": k, "publisher": v.get("publisher"), "origin": v.get("origin"),
         "licence": v.get("licence"), "kind": v.get("kind"), "basis": v.get("basis"),
         "rows": v.get("rows"), "sha256": json.dumps(v.get("files_sha256", {}))}
        for k, v in doc["sources"].items()
    ])
    chk = pd.DataFrame(
        [f.__dict__ for f in findings], columns=["severity", "check", "year", "message"]
    )
    return {"countries": ctry, "placements": placements, "stated": stated, "sources": src,
            "years": year_status(placements, stated), "checks": chk,
            "imported_sha256": doc["imported_file"]["sha256"]}


def save(con: Any, t: dict[str, Any]) -> None:
    con.register("ctry_df", t["countries"])
    con.execute(
        "CREATE TABLE countries AS SELECT iso3, name, iso2, CAST(cow AS INTEGER) AS cow, region, "
        "in_panel, CAST(aliases AS VARCHAR[]) AS aliases FROM ctry_df"
    )
    con.unregister("ctry_df")
    con.register("pl_df", t["placements"])
    con.execute(
        "CREATE TABLE placements AS SELECT iso3, name, country, CAST(year AS INTEGER) AS year, "
        "tier, source, basis, evidence, all_sources, note, "
        "flag_text_mentions_waiver, flag_text_policy_or_pattern, flag_text_source FROM pl_df"
    )
    con.unregister("pl_df")
    con.register("st_df", t["stated"])
    con.execute(
        "CREATE TABLE stated_totals AS SELECT CAST(year AS INTEGER) AS year, category, "
        "CAST(stated AS INTEGER) AS stated, source, note FROM st_df"
    )
    con.unregister("st_df")
    con.register("src_df", t["sources"])
    con.execute("CREATE TABLE sources AS SELECT * FROM src_df")
    con.unregister("src_df")
    con.register("yr_df", t["years"])
    con.execute("CREATE TABLE years AS SELECT * FROM yr_df ORDER BY year")
    con.unregister("yr_df")
    con.register("chk_df", t["checks"])
    con.execute(
        'CREATE TABLE data_checks AS SELECT severity, "check", '
        "CAST(year AS INTEGER) AS year, message FROM chk_df"
    )
    con.unregister("chk_df")
    con.execute(
        "CREATE TABLE build_info AS SELECT now() AS built_at, ? AS imported_sha256, "
        "? AS placements",
        [t["imported_sha256"], len(t["placements"])],
    )


def run(con: Any) -> None:
    save(con, process(load()))


STEP = Step(
    name="panel",
    inputs=("data/placements.csv", "data/stated_totals.csv", "data/sources.yml",
            "data/countries.csv"),
    outputs=("countries", "placements", "stated_totals", "sources", "years", "data_checks",
             "build_info"),
    run=run,
)
