"""CLI verbs for facts across years: conflicts, recommendations, series."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from tipwatch.output import Format, LazyConsole, emit

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB store (default var/tipwatch.duckdb or $TIPWATCH_DB)."),
]
FmtOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")]

_out = LazyConsole()
_err = LazyConsole(stderr=True)

CONFLICT_FIELDS = ["iso3", "name", "year", "kind", "panel_tier", "panel_source", "corpus_tier",
                   "doc_id", "evidence", "phrase", "rule", "note"]


def build_notes(db: Path, before: tuple[bool, dict[str, Any] | None]) -> None:
    """After ``tipwatch build``: what was merged from the corpus, what was left out, what
    changed since the previous build."""
    from tipwatch.store.reader import merge_summary

    state, skipped, outcomes, n_conf = merge_summary(db)
    existed, prev = before
    if state is None:
        if existed and prev is not None:
            _out.print(f"no corpus merged (the store was built from {prev['path']} before)")
        return
    _out.print(
        f"merged corpus {state['path']}: {state['merged']} of {state['documents']} documents "
        f"(years {state['years'] or '—'}), {state['facts']} facts; placements: "
        f"{outcomes.get('filled', 0)} gaps filled, {outcomes.get('deduced', 0)} deduced, "
        f"{outcomes.get('agrees', 0)} agree, {n_conf} conflicts"
        + (" (tipwatch conflicts)" if n_conf else ""), highlight=False)
    for doc_id, reason in skipped:
        _err.print(f"[yellow]left out[/] {doc_id}: {reason}", highlight=False)
    if existed and (prev is None or prev["sha256"] != state["sha256"]):
        was = "no corpus" if prev is None else (
            f"sha256 {prev['sha256'][:12]}…, {prev['documents']} documents")
        _out.print(f"the corpus changed since the last build (was {was}; now sha256 "
                   f"{state['sha256'][:12]}…, {state['documents']} documents)", highlight=False)


def stale_note(con: Any) -> str:
    """A line when the corpus on disk differs from the one the store was built from."""
    from tipwatch.store.corpus_merge import built_state, corpus_file, state_change

    return state_change(built_state(con), corpus_file())


def register(app: typer.Typer) -> None:
    """Add the conflicts and recommendations verbs to ``app``."""

    @app.command()
    def conflicts(
        year: Annotated[int | None, typer.Option("--year", "-y", help="Report year.")] = None,
        fmt: FmtOpt = Format.table,
        db: DbOpt = None,
    ) -> None:
        """Where your corpus disagrees with the panel (the bundled value stays)."""
        from tipwatch.store import build as store
        from tipwatch.store.reader import resolve_year
        from tipwatch.store.years_reader import conflicts as rows_of

        with store.connect(db) as con:
            if year is not None:  # a conflict is always with a panel year
                resolve_year(con, year)
            rows = rows_of(con, year)
            note = stale_note(con)
        if note:
            _err.print(f"[yellow]note:[/] {note}; run `tipwatch build`", highlight=False)
        if fmt is Format.table:
            emit(rows, fmt, ["name", "year", "kind", "panel_tier", "corpus_tier", "doc_id",
                             "phrase"],
                 title="Conflicts between the panel and your corpus",
                 caption=f"{len(rows)} conflicts · the bundled value stays · "
                 "`--format json` for sources, rules and evidence")
        else:
            emit(rows, fmt, CONFLICT_FIELDS)

    register_more(app)


REC_FIELDS = ["year", "index", "status", "previous_year", "previous_index", "similarity",
              "first_year", "topics", "doc_id", "text"]
SERIES_FIELDS = ["iso3", "year", "measure", "value", "prior_value", "prior_check",
                 "previous_value", "parts", "doc_id", "section", "start"]


def _for_country(name: str, db: str | None, read: Callable[[Any, str], Any]) -> tuple[str, Any]:
    """(ISO3, ``read(con, iso3)``) for a country named in any spelling, over the store."""
    from tipwatch import countries
    from tipwatch.store import build as store

    iso3 = countries.resolve(name, where="country").iso3
    with store.connect(db) as con:
        return iso3, read(con, iso3)


def register_more(app: typer.Typer) -> None:
    """The recommendations and series verbs."""

    @app.command()
    def recommendations(
        name: Annotated[str, typer.Argument(help="Country name or ISO3.")],
        fmt: FmtOpt = Format.table,
        db: DbOpt = None,
    ) -> None:
        """A country's recommendations across years: repeated, modified, new or dropped."""
        from tipwatch.analysis.recommendations import for_country

        iso3, res = _for_country(name, db, for_country)
        rows = [{**r, "topics": ", ".join(r["topics"] or [])} for r in res["rows"]]
        if fmt is Format.json:
            emit(res["rows"], fmt, REC_FIELDS, json_payload=res)
            return
        if fmt is Format.csv:
            emit(rows, fmt, REC_FIELDS)
            return
        old = res["oldest_still_repeated"]
        caption = (f"carry-over rate {res['carry_over_rate']}" if res["carry_over_rate"]
                   is not None else "only one year with recommendations, nothing to link")
        if old:
            caption += f" · oldest still repeated: #{old['index']} of {old['year']}, first " \
                       f"in {old['first_year']}"
        short = [{**r, "text": (r["text"] or "")[:70]} for r in rows]
        emit(short, fmt, ["year", "index", "status", "previous_index", "first_year", "topics",
                          "text"],
             title=f"Recommendations for {iso3}, {', '.join(map(str, res['years']))}",
             caption=caption)

    @app.command()
    def series(
        name: Annotated[str, typer.Argument(help="Country name or ISO3.")],
        fmt: FmtOpt = Format.table,
        db: DbOpt = None,
    ) -> None:
        """Law-enforcement counts per year, with the prior-year figures cross-checked."""
        import json

        from tipwatch.analysis.series import series as run

        iso3, rows = _for_country(name, db, run)
        if fmt is Format.csv:
            rows = [{**r, "parts": json.dumps(r["parts"]) if r["parts"] else ""} for r in rows]
        emit(rows, fmt, SERIES_FIELDS if fmt is not Format.table else
             ["year", "measure", "value", "prior_value", "prior_check", "doc_id"],
             title=f"Law-enforcement counts for {iso3}",
             caption="prior_check: the figure the narrative quotes for the previous year "
             "against that year's own figure")
