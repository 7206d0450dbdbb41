"""CLI verbs for the placement panel: import-placements, build, tiers, country, changes,
coverage, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tipwatch.output import Format, LazyConsole, emit
from tipwatch.store import build as store
from tipwatch.store import reader as queries

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB store (default var/tipwatch.duckdb or $TIPWATCH_DB)."),
]
FmtOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")]
YearArg = Annotated[str, typer.Option("--year", "-y", help="Report year, or 'latest'.")]

_out = LazyConsole()


def _tier_label(tier: str) -> str:
    from tipwatch.tiers import TIER_LABELS

    return TIER_LABELS.get(tier, tier)


def register(app: typer.Typer) -> None:
    """Add the panel verbs to ``app``."""

    @app.command("import-placements")
    def import_placements(
        path: Annotated[Path, typer.Argument(help="The research panel CSV (tip_tiers.csv).")],
        out: Annotated[
            Path | None, typer.Option("--out", help="Folder for the bundled files.")
        ] = None,
    ) -> None:
        """Validate a placement CSV and write the bundled panel (placements, totals, sources)."""
        from tipwatch.panel_import import import_placements as run

        report = run(path, out)
        warnings = [f for f in report.findings if f.severity == "warning"]
        _out.print(
            f"imported {report.rows} placements, {report.years[0]}–{report.years[1]}, "
            f"{report.sources} sources -> {report.out_dir} ({len(warnings)} warnings)",
            markup=False, highlight=False,
        )

    @app.command()
    def build(
        db: DbOpt = None,
        corpus: Annotated[
            str | None,
            typer.Option("--corpus", help="Your ingested narratives to merge (default "
                         "var/corpus.duckdb or $TIPWATCH_CORPUS, when it exists)."),
        ] = None,
        no_corpus: Annotated[
            bool, typer.Option("--no-corpus", help="Build from the bundled data only.")
        ] = False,
        if_changed: Annotated[
            bool,
            typer.Option("--if-changed", help="Keep a store built from the same code, data "
                         "and corpus."),
        ] = False,
    ) -> None:
        """Build the DuckDB store from the bundled data and your corpus (atomic, idempotent)."""
        from tipwatch import progress
        from tipwatch.commands.years import build_notes

        chosen = False if no_corpus else corpus
        if if_changed:
            current = store.stored_build_id(db)
            if current is not None and current == store.expected_build_id(chosen):
                _out.print(f"store {store.db_path(db)} is up to date (build {current[:12]})",
                           highlight=False, markup=False)
                return
        progress.to_stderr(f"building the store {store.db_path(db)} "
                           f"({len(store.BUILD_STEPS)} steps)")
        report = store.build(db, corpus=chosen, report=progress.to_stderr)
        parts = ", ".join(f"{k} {v}" for k, v in report.tables.items())
        _out.print(f"built {report.path} in {report.seconds:.2f} s ({parts})", markup=False)
        build_notes(report.path, report.before)

    @app.command()
    def tiers(
        year: YearArg = "latest",
        tier: Annotated[
            str | None, typer.Option("--tier", "-t", help="1, 2, 2WL, 3, special or 1or2.")
        ] = None,
        region: Annotated[
            str | None, typer.Option("--region", "-r", help="AF, EAP, EUR, NEA, SCA or WHA.")
        ] = None,
        fmt: FmtOpt = Format.table,
        db: DbOpt = None,
    ) -> None:
        """Every placement of one report year."""
        with store.connect(db) as con:
            y = queries.resolve_year(con, year)
            rows = queries.tiers(con, y, tier=tier, region=region)
            info = queries.year_info(con, y)
        from tipwatch import tiers_view

        emit(
            rows,
            fmt,
            tiers_view.columns(fmt, queries.VARIABLES),
            title=tiers_view.title(y),
            caption=tiers_view.caption(len(rows), info),
        )

    @app.command()
    def country(
        name: Annotated[str, typer.Argument(help="Any name, alias or ISO3 code.")],
        fmt: FmtOpt = Format.table,
        db: DbOpt = None,
    ) -> None:
        """A country's full history, streaks, first and last year."""
        with store.connect(db) as con:
            data = queries.country_history(con, name)
        if fmt is not Format.table:
            emit(data["history"], fmt, ["year", "tier", "basis", "source"], json_payload=data)
            return
        _out.print(
            f"[bold]{data['name']}[/] ({data['iso3']}, COW {data['cow'] or '—'}, "
            f"region {data['region'] or '—'}) · in the reports {data['first_year']}–"
            f"{data['last_year']}"
        )
        _out.print(f"  Now: {data['standing']['text']}", markup=False)
        for s in data["streaks"]:
            _out.print(f"  • {s['text']}")
        for p in data["policy_or_pattern"]:
            _out.print(f"  ! on the {p['year']} list of governments with a policy or pattern of "
                       f"trafficking ({p['evidence']})", markup=False, highlight=False)
        emit(
            [dict(h, tier_label=_tier_label(h["tier"])) for h in data["history"]],
            fmt,
            ["year", "tier_label", "basis", "source"],
            caption="years with no row are unknown, not a tier",
        )

    @app.command()
    def changes(year: YearArg = "latest", fmt: FmtOpt = Format.table, db: DbOpt = None) -> None:
        """Upgrades and downgrades against the previous report."""
        from tipwatch.analysis.reasons import attach

        with store.connect(db) as con:
            y = queries.resolve_year(con, year)
            rows = attach(con, queries.changes(con, y))
        cols = ["country", "iso3", "year", "previous_year", "from_tier", "to_tier", "direction",
                "reasons_text"]
        emit(
            rows,
            fmt,
            ["country", "iso3", "previous_year", "from_label", "to_label", "direction",
             "reasons_text"]
            if fmt is Format.table
            else cols,
            title=f"TIP Report {y}: changes from the previous report",
            caption="reasons_text: the effort facts of that year's narrative, when it is in the "
            "store (`--format json` for quotes and locators)",
        )

    @app.command()
    def coverage(fmt: FmtOpt = Format.table, db: DbOpt = None) -> None:
        """Per report year: the count of each tier, stated totals, mismatches."""
        with store.connect(db) as con:
            rows = queries.coverage(con)
        if fmt is not Format.table:
            emit(
                rows,
                fmt,
                [
                    "year",
                    "status",
                    "n_1",
                    "n_2",
                    "n_2wl",
                    "n_3",
                    "n_special",
                    "n_1or2",
                    "n_placements",
                    "n_deduced",
                    "stated",
                    "mismatches",
                    "n_from_corpus",
                    "n_conflicts",
                ],
            )
            return
        short = [
            {
                "year": r["year"],
                "status": r["status"],
                "T1": r["n_1"],
                "T2": r["n_2"],
                "2WL": r["n_2wl"],
                "T3": r["n_3"],
                "SC": r["n_special"],
                "all": r["n_placements"],
                "deduced": r["n_deduced"],
                "mismatch with stated totals": r["mismatches"],
            }
            for r in rows
        ]
        n_corpus = sum(r["n_from_corpus"] for r in rows)
        n_conf = sum(r["n_conflicts"] for r in rows)
        caption = "SC = Special Case; stated totals: `--format json`"
        if n_corpus or n_conf:
            caption += (f"; {n_corpus} placements from your corpus, {n_conf} conflicts with "
                        "the panel (`tipwatch conflicts`)")
        emit(
            short,
            fmt,
            list(short[0]),
            title="Panel coverage by report year",
            caption=caption,
        )

    @app.command()
    def export(
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="csv, parquet, json, dta or all.")
        ] = "all",
        out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path(
            "var/export"
        ),
        db: DbOpt = None,
        facts: Annotated[
            bool, typer.Option("--facts", help="Also write the long-format facts table.")
        ] = False,
        variables: Annotated[
            bool, typer.Option("--variables", help="Add facts as per country-year columns.")
        ] = False,
    ) -> None:
        """Export the panel with a Frictionless datapackage.json (Stata and R load .dta/CSV)."""
        from tipwatch.export import export_panel

        written = export_panel(out, fmt, db, facts=facts, variables=variables)
        for path in written:
            _out.print(f"wrote {path}", markup=False, highlight=False)
