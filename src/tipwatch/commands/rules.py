"""CLI verbs for the statute as code: ``assess`` (assessment -> placement) and ``audit``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tipwatch.errors import BadInputError
from tipwatch.output import Format, LazyConsole, emit, escape, to_json

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB store (default var/tipwatch.duckdb or $TIPWATCH_DB)."),
]
FmtOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")]

_out = LazyConsole()

TABLE_COLUMNS = ["year", "country", "event", "tier", "detail"]


def _history_from_store(db: str | None, iso3: str) -> dict[int, str]:
    from tipwatch.store import build as store

    with store.connect(db) as con:
        rows = con.execute(
            "SELECT year, tier FROM placements WHERE iso3 = ? ORDER BY year", [iso3]
        ).fetchall()
    return {int(y): str(t) for y, t in rows}


def run_assess(path: Path, db: str | None = None) -> tuple[object, dict]:
    """Load, check and place one assessment file; returns (placement, context)."""
    from tipwatch import countries
    from tipwatch.rules.assessment import load_assessment
    from tipwatch.rules.law import load_law
    from tipwatch.rules.place import place

    a = load_assessment(path)
    law = load_law()
    law.check_year(a.report_year, where=f"{path}: report_year")
    country = countries.resolve(a.country, where=f"{path}: country")
    if a.history is not None:
        history, origin = dict(a.history), "the assessment file"
    else:
        history, origin = _history_from_store(db, country.iso3), "the store"
    placement = place(a, history, law)
    return placement, {"iso3": country.iso3, "name": country.name, "history_from": origin,
                       "evidence": dict(a.evidence),
                       "history": {y: t for y, t in sorted(history.items())
                                   if y < a.report_year}}


def register(app: typer.Typer) -> None:
    """Add ``assess`` and ``audit`` to ``app``."""

    @app.command()
    def assess(
        file: Annotated[Path, typer.Argument(help="Assessment file (YAML or JSON).")],
        fmt: Annotated[
            Format, typer.Option("--format", "-f", help="table or json.")
        ] = Format.table,
        explain: Annotated[
            bool, typer.Option("--explain", help="Show the decision path step by step.")
        ] = False,
        db: DbOpt = None,
    ) -> None:
        """Place one assessment under the law of its report year: tier, reasons, consequences."""
        from tipwatch.rules.history import label

        placement, ctx = run_assess(file, db)
        data = placement.as_dict()  # type: ignore[attr-defined]
        data.update(iso3=ctx["iso3"], name=ctx["name"], history_from=ctx["history_from"],
                    evidence=ctx["evidence"])
        if not explain:
            data.pop("path")
        if fmt is Format.json:
            _out.file.write(to_json(data) + "\n")
            return
        if fmt is Format.csv:
            emit(data["reasons"], fmt, ["code", "text", "statute"])
            return
        _out.print(f"[bold]{ctx['name']}[/] ({ctx['iso3']}), {data['year']} report: "
                   f"[bold]{label(data['tier'])}[/]", highlight=False)
        _out.print("Reasons:")
        for r in data["reasons"]:
            _out.print(f"  {r['code']}: {r['text']} [{r['statute']}]", highlight=False)
        _out.print("Consequences:")
        for c in data["consequences"]:
            _out.print(f"  - {c}", highlight=False)
        if data["evidence"]:
            from tipwatch.rules.assessment import CRITERIA

            _out.print("Evidence noted (22 U.S.C. 7106(b)):")
            for key, notes in data["evidence"].items():
                notes = [notes] if isinstance(notes, str) else notes
                _out.print(f"  ({key[1:]}) {CRITERIA[key]}: {escape('; '.join(notes))}",
                           highlight=False)
        for w in data["warnings"]:
            _out.print(f"[yellow]warning:[/] {escape(w)}", highlight=False)
        if explain:
            hist = ", ".join(f"{y}: {label(t)}" for y, t in ctx["history"].items()) or "none"
            _out.print(f"Prior placements (from {ctx['history_from']}): {hist}",
                       highlight=False)
            _out.print("Decision path:")
            for i, step in enumerate(data["path"], start=1):
                _out.print(f"  {i}. {step}", highlight=False)

    @app.command("law")
    def law_cmd(
        year: Annotated[
            int | None, typer.Option("--year", "-y", help="Resolve the law for one report year.")
        ] = None,
        fmt: FmtOpt = Format.table,
    ) -> None:
        """The tier law as dated parameters, each with its report years and citation."""
        import json

        from tipwatch.rules.law import load_law

        law = load_law()
        rows = law.rows()
        if year is not None:
            from tipwatch.commands.facts import check_year

            check_year(year, ingest=True)  # the message every year option gives
            law.check_year(year, where="--year")
            rows = [r for r in rows
                    if r["from_year"] <= year and (r["to_year"] is None or year <= r["to_year"])]
        for r in rows:
            r["years"] = f"{r['from_year']}-{r['to_year'] or ''}"
            r["value_text"] = (r["value"] if isinstance(r["value"], str)
                               else json.dumps(r["value"], ensure_ascii=False))
        emit(rows, fmt,
             ["parameter", "years", "value_text", "citation"] if fmt is Format.table
             else ["parameter", "from_year", "to_year", "value", "citation", "reading"],
             title="The tier law as encoded" + (f" for the {year} report" if year else ""),
             json_payload=[{k: r[k] for k in ("parameter", "from_year", "to_year", "value",
                                              "citation", "reading", "description")}
                           for r in rows])

    @app.command()
    def audit(
        year: Annotated[
            str | None, typer.Option("--year", "-y", help="Report year, or 'latest'.")
        ] = None,
        country: Annotated[
            str | None, typer.Option("--country", "-c", help="Any name, alias or ISO3 code.")
        ] = None,
        event: Annotated[
            str | None, typer.Option("--event", "-e", help="One event kind, e.g. waiver.")
        ] = None,
        summary: Annotated[
            bool, typer.Option("--summary", help="Count events per report year by kind.")
        ] = False,
        fmt: FmtOpt = Format.table,
        db: DbOpt = None,
    ) -> None:
        """Audit every placement against the law of its year: waivers, downgrades, violations."""
        from tipwatch import countries
        from tipwatch.rules.audit import COLUMNS, EVENTS
        from tipwatch.rules.audit import summary as summarize
        from tipwatch.store import build as store
        from tipwatch.store import reader as queries

        if event is not None and event not in EVENTS:
            raise BadInputError(f"unknown event {event!r}; one of: {', '.join(EVENTS)}")
        with store.connect(db) as con:
            the_year = None if year is None else queries.resolve_year(con, year)
            iso3 = None if country is None else countries.resolve(country, where="--country").iso3
            rows = queries.audit_events(con, the_year, iso3, event)
        rows = [{"country": r.pop("name"), **r} for r in rows]
        if summary:
            counts = summarize(rows)
            emit(counts, fmt, ["year", *EVENTS],
                 title="Audit events per report year",
                 caption="waiver / auto_downgrade derived by the rule from the tier history and "
                         "cross-checked with published memoranda")
            return
        scope = " ".join(p for p in (
            f"year {the_year}" if year is not None else "",
            f"country {country}" if country else "",
            f"event {event}" if event else "") if p) or "all placements"
        emit(rows, fmt, TABLE_COLUMNS if fmt is Format.table else list(COLUMNS),
             title=f"Audit under the law of each report year ({scope})",
             caption=f"{len(rows)} events; certain=False: depends on a missing report year")
