"""CLI verbs for narratives and facts: ingest, extract, cited-by."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from tipwatch.errors import BadInputError, MalformedInputError, TipwatchError, UnknownCountryError
from tipwatch.output import Format, LazyConsole, emit, escape

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
    "rule_id",
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


def panel_years() -> tuple[int, int]:
    """First and last report year of the bundled panel (read without opening the store)."""
    import csv

    from tipwatch.paths import DATA_DIR

    with open(DATA_DIR / "placements.csv", encoding="utf-8", newline="") as fh:
        years = {int(r["year"]) for r in csv.DictReader(fh)}
    return min(years), max(years)


def _corpus_has_year(corpus: str | None, year: int) -> bool:
    from tipwatch.store import corpus as local

    con = local.connect(corpus, read_only=True)
    if con is None:
        return False
    try:
        return bool(con.execute("SELECT count(*) FROM narratives WHERE year = ?",
                                [year]).fetchone()[0])
    except Exception:  # noqa: BLE001 - a corpus without narratives has no such year
        return False
    finally:
        con.close()


def check_year(year: int | None, *, corpus: str | None = None, ingest: bool = False) -> None:
    """A report year must be one of the panel's (the message ``tipwatch tiers`` gives); a
    query may also name a year of the local corpus, and ``ingest`` the next report's year."""
    if year is None:
        return
    lo, hi = panel_years()
    if lo <= year <= hi:
        return
    from tipwatch.errors import UnknownYearError

    msg = f"report year {year} is outside the panel ({lo}–{hi})"
    if ingest:
        if year == hi + 1:
            return
        raise UnknownYearError(f"{msg} and is not the next report ({hi + 1})")
    if _corpus_has_year(corpus, year):
        return
    raise UnknownYearError(f"{msg} and not in the local corpus")


def register(app: typer.Typer) -> None:
    """Add the ingest, extract and cited-by verbs to ``app``."""

    @app.command()
    def ingest(
        paths: Annotated[list[Path], typer.Argument(help="Files or corpus folders to read.")],
        fmt: Annotated[
            str,
            typer.Option(
                "--format",
                help="Input: auto, html, pdf, txt, tip2018 or factbook; with --report also "
                "the report's output: table or json.",
            ),
        ] = "auto",
        year: Annotated[
            int | None, typer.Option("--year", "-y", help="Report year (html/pdf/txt).")
        ] = None,
        report: Annotated[
            bool, typer.Option("--report", help="Print the per-document ingest report.")
        ] = False,
        corpus: CorpusOpt = None,
        jobs: Annotated[
            int,
            typer.Option("--jobs", "-j", help="Processes for the extraction (0: one per core)."),
        ] = 0,
    ) -> None:
        """Read narratives into the local corpus and extract their facts (all or nothing per
        file)."""
        from tipwatch.extract import extract_all
        from tipwatch.ingest import FORMATS, load_path_report
        from tipwatch.ingest.report import DocReport, document_report
        from tipwatch.limits import MAX_WARNINGS
        from tipwatch.store import corpus as local

        out_fmt = "table"
        if fmt in ("table", "json"):
            out_fmt, fmt, report = fmt, "auto", True
        if fmt not in FORMATS:
            raise BadInputError(
                f"unknown --format {fmt!r}; use one of {', '.join(FORMATS)} (or table/json "
                "for the report)"
            )
        if jobs < 0:
            raise BadInputError(f"--jobs {jobs}: use 0 (one per core) or a positive number")
        check_year(year, ingest=True)
        import time

        from tipwatch import progress

        refused: list[str] = []
        reports: list[DocReport] = []
        stored = 0
        con = None
        quiet = report and out_fmt == "json"
        pending: list[dict[str, Any]] = []  # refused files, recorded in an existing corpus
        try:
            for i, path in enumerate(paths, start=1):
                t0 = time.perf_counter()
                if len(paths) > 1:  # one input: its result (or its one-line error) says it
                    progress.to_stderr(f"  reading {path} ({i} of {len(paths)})")
                try:
                    result = load_path_report(path, fmt, year=year)
                    facts = extract_all(result.narratives, jobs=jobs)
                except TipwatchError as exc:
                    if len(paths) == 1:
                        raise  # one input: its own message is the one line
                    refused.append(str(exc))
                    status = "unrecognised" if "no country narrative" in str(exc) else "refused"
                    reports.append(DocReport(str(path), status, warnings=[str(exc)]))
                    sha, size = _file_digest(path)
                    pending.append({
                        "source_id": str(Path(path).resolve()), "path": str(path),
                        "bytes": size, "sha256": sha or None, "status": status, "year": year,
                        "doc_ids": [], "warnings": [str(exc)]})
                    if not quiet:
                        _err.print(f"[yellow]skipped[/] {escape(str(exc))}", highlight=False)
                    continue
                if not quiet:
                    for w in result.warnings[:MAX_WARNINGS]:
                        _err.print(f"[yellow]warning:[/] {escape(w)}", highlight=False)
                    if len(result.warnings) > MAX_WARNINGS:
                        _err.print(f"[yellow]warning:[/] {escape(str(path))}: "
                                   f"{len(result.warnings) - MAX_WARNINGS} more warnings",
                                   highlight=False)
                if con is None:
                    con = local.connect(corpus)
                rep = document_report(str(path), result.narratives, facts, result.warnings)
                sha, size = _file_digest(path)
                n = local.store_document(
                    con, result.narratives, facts, origin=str(path), sha256=sha,
                    source={"source_id": str(Path(path).resolve()), "path": str(path),
                            "bytes": size, "sha256": sha, "status": rep.status,
                            "year": year, "doc_ids": rep.doc_ids, "warnings": rep.warnings},
                )
                reports.append(rep)
                stored += n
                if not quiet:
                    _out.print(f"{path}: {n} narratives, {len(facts)} facts "
                               f"({progress.seconds(t0)})", highlight=False, markup=False)
            if pending and con is None and local.corpus_path(corpus).exists():
                con = local.connect(corpus)
            for row in pending if con is not None else []:
                local.record_source(con, row)
        finally:
            if con is not None:
                con.close()
        if report:
            _emit_report(reports, out_fmt)
        if refused:
            raise MalformedInputError(
                f"{len(refused)} of {len(paths)} inputs refused, nothing stored from them "
                f"({stored} narratives stored from the others)"
            )
        if not quiet:
            _out.print(f"stored {stored} narratives in {local.corpus_path(corpus)}",
                       markup=False, highlight=False)

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
        from tipwatch.store.facts_reader import query_facts

        kinds = (*KINDS, "effort")  # effort facts: bundled, and read from corpus texts
        if kind is not None and kind not in kinds:
            raise BadInputError(f"unknown --kind {kind!r}; use one of {', '.join(kinds)}")
        check_year(year, corpus=corpus)
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
        from tipwatch.store.facts_reader import cited_by as run

        check_year(year, corpus=corpus)
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


def _file_digest(path: Path) -> tuple[str, int | None]:
    """sha256 and size of a file (a folder: empty)."""
    import hashlib

    p = Path(path)
    if not p.is_file():
        return "", None
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest(), p.stat().st_size


def _emit_report(reports: list[Any], out_fmt: str) -> None:
    from tipwatch.ingest.report import COLUMNS

    if out_fmt == "json":
        _out.print_json(json.dumps([r.to_dict() for r in reports], ensure_ascii=False))
        return
    emit([r.row() for r in reports], Format.table, COLUMNS, title="Ingest report",
         caption=f"{len(reports)} documents")


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
    if kind == "effort":
        if value.get("topic") == "overall":
            return f"overall: increasing {value.get('increasing')}, significant " \
                   f"{value.get('significant')}"
        return f"{value.get('pillar')}/{value.get('topic')}: {value.get('polarity')}"
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
