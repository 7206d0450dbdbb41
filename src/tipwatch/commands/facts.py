"""CLI verbs for narratives and facts: ingest, extract, cited-by."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from tipwatch.errors import BadInputError, MalformedInputError, TipwatchError, UnknownCountryError
from tipwatch.output import Format, LazyConsole, emit

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB store (default var/tipwatch.duckdb or $TIPWATCH_DB)."),
]
CorpusOpt = Annotated[
    str | None,
    typer.Option(
        "--corpus",
        help="Local corpus of ingested narratives (default var/corpus.duckdb or $TIPWATCH_CORPUS).",
    ),
]
FmtOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")]

_out = LazyConsole()
_err = LazyConsole(stderr=True)

FACT_FIELDS = (
    "country",
    "iso3",
    "year",
    "kind",
    "value",
    "direction",
    "section",
    "start",
    "end",
    "doc_id",
    "extractor_version",
    "note",
    "quote",
)


def resolve_country(name: str) -> str:
    """ISO3 for a country name or code (the country table first, then the lexicon)."""
    try:
        from tipwatch import countries

        return countries.resolve(name, where="--country").iso3
    except UnknownCountryError:
        from tipwatch.extract.lexicon import lexicon

        iso3 = lexicon().resolve(name)
        if iso3:
            return iso3
        raise


def check_year(year: int | None) -> None:
    """A report year must be a plausible TIP report year (the first report is 2001)."""
    if year is not None and not 2001 <= year <= 2100:
        from tipwatch.errors import UnknownYearError

        raise UnknownYearError(f"--year {year}: TIP reports exist from 2001 on")


def register(app: typer.Typer) -> None:
    """Add the ingest, extract and cited-by verbs to ``app``."""

    @app.command()
    def ingest(
        paths: Annotated[list[Path], typer.Argument(help="Files or corpus folders to read.")],
        fmt: Annotated[
            str, typer.Option("--format", help="auto, html, pdf, txt, tip2018 or factbook.")
        ] = "auto",
        year: Annotated[
            int | None, typer.Option("--year", "-y", help="Report year (html/pdf/txt).")
        ] = None,
        corpus: CorpusOpt = None,
    ) -> None:
        """Read narratives into the local corpus and extract their facts (all or nothing per
        file)."""
        from tipwatch.extract import extract
        from tipwatch.ingest import FORMATS, load_path_report
        from tipwatch.ingest import corpus as local

        if fmt not in FORMATS:
            raise BadInputError(f"unknown --format {fmt!r}; use one of {', '.join(FORMATS)}")
        import time

        from tipwatch import progress

        refused: list[str] = []
        stored = 0
        con = None
        try:
            for i, path in enumerate(paths, start=1):
                t0 = time.perf_counter()
                progress.to_stderr(f"  reading {path} ({i} of {len(paths)})")
                try:
                    result = load_path_report(path, fmt, year=year)
                    facts = [f for n in result.narratives for f in extract(n)]
                except TipwatchError as exc:
                    refused.append(str(exc))
                    _err.print(f"[yellow]skipped[/] {exc}", highlight=False)
                    continue
                for w in result.warnings:
                    _err.print(f"[yellow]warning:[/] {w}", highlight=False)
                if con is None:
                    con = local.connect(corpus)
                n = local.store_document(con, result.narratives, facts, origin=str(path))
                stored += n
                _out.print(f"{path}: {n} narratives, {len(facts)} facts "
                           f"({progress.seconds(t0)})", highlight=False)
        finally:
            if con is not None:
                con.close()
        if refused:
            raise MalformedInputError(
                f"{len(refused)} of {len(paths)} inputs refused, nothing stored from them "
                f"({stored} narratives stored from the others)"
            )
        _out.print(f"stored {stored} narratives in {local.corpus_path(corpus)}")

    @app.command("extract")
    def extract_cmd(
        year: Annotated[int | None, typer.Option("--year", "-y", help="Report year.")] = None,
        country: Annotated[
            str | None, typer.Option("--country", "-c", help="Country name or ISO3.")
        ] = None,
        kind: Annotated[
            str | None, typer.Option("--kind", "-k", help="Fact kind (e.g. role, form).")
        ] = None,
        fmt: FmtOpt = Format.table,
        db: DbOpt = None,
        corpus: CorpusOpt = None,
    ) -> None:
        """Facts from the narratives (bundled corpora and the local corpus), with locators."""
        from tipwatch.extract import KINDS
        from tipwatch.extract.query import query_facts

        if kind is not None and kind not in KINDS:
            raise BadInputError(f"unknown --kind {kind!r}; use one of {', '.join(KINDS)}")
        check_year(year)
        iso3 = resolve_country(country) if country else None
        rows = query_facts(db=db, corpus=corpus, year=year, iso3=iso3, kind=kind)
        if not rows:
            _err.print("no facts match", highlight=False)
        _emit_facts(rows, fmt)

    @app.command("cited-by")
    def cited_by(
        name: Annotated[str, typer.Argument(help="The cited country (name or ISO3).")],
        year: Annotated[int | None, typer.Option("--year", "-y", help="Report year.")] = None,
        fmt: FmtOpt = Format.table,
        db: DbOpt = None,
        corpus: CorpusOpt = None,
    ) -> None:
        """The narratives that name a country, with the locators of each mention."""
        from tipwatch.extract.query import cited_by as run

        check_year(year)
        iso3 = resolve_country(name)
        rows = run(iso3, db=db, corpus=corpus, year=year)
        cols = ["doc_id", "country", "iso3", "year", "mentions", "directions", "locators", "quote"]
        if fmt is Format.table:
            rows_t = [
                {
                    **r,
                    "locators": "; ".join(r["locators"][:4])
                    + (" …" if len(r["locators"]) > 4 else ""),
                }
                for r in rows
            ]
            emit(
                rows_t,
                fmt,
                cols,
                title=f"Narratives naming {iso3}",
                caption=f"{len(rows)} narratives · locator = section:start-end in the text",
            )
        elif fmt is Format.csv:
            emit([{**r, "locators": "; ".join(r["locators"])} for r in rows], fmt, cols)
        else:
            emit(rows, fmt, cols)


def short_value(kind: str, value: Any) -> str:
    """One readable line for a fact's value (the table view)."""
    if not isinstance(value, dict):
        return str(value)
    if kind == "le_count":
        text = f"{value.get('measure')} {value.get('value')}"
        if value.get("prior_value") is not None:
            text += f" (before: {value['prior_value']})"
        if value.get("period") and value["period"] != "reporting period":
            text += f" [{value['period']}]"
        return text
    if kind == "tier_statement":
        parts = [f"tier {value.get('tier')}"]
        if value.get("movement"):
            parts.append(value["movement"])
        if value.get("consecutive_years"):
            parts.append(f"year {value['consecutive_years']} in a row")
        for flag in ("waiver", "not_significant_efforts", "no_increasing_efforts"):
            if value.get(flag):
                parts.append(flag.replace("_", " "))
        return ", ".join(parts)
    if kind == "recommendation":
        return f"#{value.get('index')} " + ", ".join(value.get("topics") or ["(no topic)"])
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _emit_facts(rows: list[dict[str, Any]], fmt: Format) -> None:
    if fmt is Format.csv:
        flat = [
            {
                **r,
                "value": r["value"]
                if isinstance(r["value"], str)
                else json.dumps(r["value"], ensure_ascii=False, sort_keys=True),
            }
            for r in rows
        ]
        emit(flat, fmt, FACT_FIELDS)
        return
    if fmt is Format.table:
        short = []
        for r in rows:
            q = r.get("quote") or ""
            short.append(
                {
                    **r,
                    "value": short_value(r["kind"], r["value"]),
                    "quote": (q[:57] + "…") if len(q) > 60 else q,
                    "locator": f"{r['section']}:{r['start']}-{r['end']}",
                }
            )
        cols = ["doc_id", "kind", "value", "direction", "locator", "quote"]
        docs = sorted({r["doc_id"] for r in rows})
        title = ", ".join(docs) if len(docs) <= 3 else f"{len(docs)} documents"
        emit(
            short,
            fmt,
            cols,
            title=title,
            caption=f"{len(rows)} facts · locator = section:start-end in the document text",
        )
    else:
        emit(rows, fmt, FACT_FIELDS)
