"""CLI verbs of the analysis area: ``forecast``, ``consistency`` and ``risk`` (docs/analysis.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tipwatch.errors import BadInputError
from tipwatch.output import Format, emit, to_json

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB store (default var/tipwatch.duckdb or $TIPWATCH_DB)."),
]
FmtOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")]

FORECAST_COLUMNS = ["iso3", "country", "year", "tier_before", "p_down", "p_same", "p_up",
                    "reasons_down", "reasons_up", "observed_tier"]
BACKTEST_COLUMNS = ["iso3", "country", "year", "tier_before", "p_down", "p_same", "p_up",
                    "observed", "trained_on", "base_down", "base_up"]
CONSISTENCY_COLUMNS = ["iso3", "country", "year", "tier", "expected_rank", "residual",
                       "unexplained", "direction", "flags"]
FLAG_COLUMNS = ["iso3", "country", "year", "tier", "flag", "detail", "evidence"]


def _joined(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        r = dict(r)
        for k in keys:
            if isinstance(r.get(k), list):
                r[k] = "; ".join(x if isinstance(x, str) else to_json(x).replace("\n", "")
                                 for x in r[k])
        out.append(r)
    return out


def score_rows(scores: dict[str, Any]) -> list[dict[str, Any]]:
    """The backtest scores as one row per direction and forecaster."""
    rows = []
    for d in ("down", "up"):
        for who in ("model", "tier_rate", "no_change"):
            s = scores[d][who]
            rows.append({"direction": d, "forecaster": who, "n": s["n"], "events": s["events"],
                         "brier": s["brier"], "auc": s["auc"],
                         "calibration_slope": s["calibration_slope"],
                         "log_loss": scores["log_loss"][who],
                         "served": "yes" if scores[d]["served"] == who else ""})
    return rows


MAX_INPUT = 8 * 1024 * 1024  # bytes of a names file read at most (1,000 names fit easily)


def _read_input(path: str) -> tuple[bytes, str]:
    """The bytes of ``path`` (``-`` = standard input), refusing more than ``MAX_INPUT``."""
    where = "standard input" if path == "-" else path
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT + 1)
        else:
            with Path(path).open("rb") as fh:
                raw = fh.read(MAX_INPUT + 1)
    except OSError as exc:
        raise BadInputError(f"cannot read {where}: {exc.strerror or exc}") from None
    if len(raw) > MAX_INPUT:
        raise BadInputError(f"{where}: larger than {MAX_INPUT // (1024 * 1024)} MB; a list of "
                            f"at most 1000 names is expected")
    return raw, where


def _quote(flags: list[dict[str, Any]], corpus: str | None) -> None:
    """Add the sentences behind the flags from the user's corpus, when there is one."""
    from tipwatch.analysis.consistency import attach_sentences
    from tipwatch.store.corpus import connect, corpus_path

    path = corpus_path(corpus)
    if not path.exists():
        if corpus is not None:
            raise BadInputError(f"--corpus {path}: no such file (build it with "
                                f"`tipwatch ingest`)")
        return
    con = connect(path, read_only=True)
    try:
        attach_sentences(flags, con)
    finally:
        con.close()


def register(app: typer.Typer) -> None:
    """Add ``forecast``, ``consistency`` and ``risk`` to ``app``."""

    @app.command()
    def forecast(
        year: Annotated[int | None, typer.Option(
            "--year", "-y", help="Report year to forecast (default: the one after the newest).")
        ] = None,
        backtest: Annotated[bool, typer.Option(
            "--backtest", help="Every time-split prediction and the scores beside baselines.")
        ] = False,
        start: Annotated[int, typer.Option(
            "--from", help="First report year predicted in the backtest.")] = 2012,
        fmt: FmtOpt = Format.table,
        db: DbOpt = None,
    ) -> None:
        """Chance of a downgrade, no change or an upgrade in the next report, per country."""
        from tipwatch.analysis import forecast as fc
        from tipwatch.analysis.load import inputs

        inp = inputs(db)
        if backtest:
            newest = max(inp.year_status)
            if not fc.FIRST_PREDICTABLE <= start <= newest:
                raise BadInputError(f"--from {start}: the backtest can start between "
                                    f"{fc.FIRST_PREDICTABLE} and {newest}")
            bt = fc.backtest(inp, start=start)
            if fmt is Format.json:
                sys.stdout.write(to_json(bt) + "\n")
                return
            emit(bt["predictions"], fmt, BACKTEST_COLUMNS,
                 title=f"Backtest: each report {bt['from']}-{bt['to']} predicted from earlier "
                       f"reports only")
            rows = score_rows(bt["scores"])
            if fmt is Format.csv:
                for r in rows:
                    sys.stderr.write(f"{r['direction']} {r['forecaster']}: brier {r['brier']} "
                                     f"auc {r['auc']} slope {r['calibration_slope']}\n")
                return
            emit(rows, fmt, list(rows[0]), title="Scores beside the baselines (same split)")
            return
        y = year if year is not None else max(inp.year_status) + 1
        res = fc.forecast(inp, y)
        if fmt is Format.json:
            sys.stdout.write(to_json(res) + "\n")
            return
        rows = _joined(res["rows"], ("reasons_down", "reasons_up"))
        notes = [n for n in (res["law_note"], res["coverage_note"]) if n]
        served = ", ".join(f"{d}: {w.replace('_', ' ')}" for d, w in res["served"].items())
        emit(rows, fmt, ["country", "iso3", "tier_before", "p_down", "p_same", "p_up",
                         "summary"] if fmt is Format.table else FORECAST_COLUMNS,
             title=f"Forecast of the {y} report (trained on reports "
                   f"{res['trained_on'][0]}-{res['trained_on'][1]})",
             caption="; ".join([f"served from: {served}", *notes]))

    @app.command()
    def consistency(
        year: Annotated[str | None, typer.Option(
            "--year", "-y", help="Report year, or 'latest'.")] = None,
        country: Annotated[str | None, typer.Option(
            "--country", "-c", help="Any name, alias or ISO3 code.")] = None,
        corpus: Annotated[str | None, typer.Option(
            "--corpus", help="Ingested narratives (default var/corpus.duckdb or "
                             "$TIPWATCH_CORPUS): flags then quote the sentences behind them.")
        ] = None,
        fmt: FmtOpt = Format.table,
        db: DbOpt = None,
    ) -> None:
        """Placements not explained by the narrative's own evidence, and rule flags."""
        from tipwatch import countries
        from tipwatch.analysis import consistency as cons
        from tipwatch.analysis.load import inputs_from
        from tipwatch.store import build as store
        from tipwatch.store import reader as queries

        con = store.connect(db)
        try:
            y = queries.resolve_year(con, year) if year is not None else None
            inp = inputs_from(con)
        finally:
            con.close()
        iso3 = countries.resolve(country, where="--country").iso3 if country else None
        res = cons.consistency(inp, year=y, iso3=iso3)
        res["flags"] = [{**f, "evidence": [dict(e) for e in f["evidence"]]}
                        for f in res["flags"]]
        _quote(res["flags"], corpus)
        if fmt is Format.json:
            sys.stdout.write(to_json(res) + "\n")
            return
        rows = _joined(res["rows"], ("flags",))
        if fmt is Format.csv:
            emit(rows, fmt, CONSISTENCY_COLUMNS)
            return
        marked = [r for r in rows if r["unexplained"] or r["flags"]]
        emit(marked, fmt, CONSISTENCY_COLUMNS,
             title=f"Placements {res['wording']} (|residual| >= {res['threshold']:g})",
             caption=f"{len(res['rows'])} placements scored; evidence model MAE "
                     f"{res['score']['mae']} vs {res['score']['mae_mean_rank_baseline']} for "
                     f"the mean-rank baseline")
        for f in res["flags"]:
            quotes = [e["sentence"] for e in f["evidence"] if e.get("sentence")]
            if quotes:
                f["detail"] += " Read: " + " | ".join(dict.fromkeys(quotes))
        emit(_joined(res["flags"], ("evidence",)), fmt, FLAG_COLUMNS[:-1],
             title="Rule flags", caption=f"{len(res['flags'])} flags")

    @app.command()
    def risk(
        file: Annotated[str, typer.Argument(help="CSV (or JSON) file of names, or - for stdin.")],
        column: Annotated[str | None, typer.Option(
            "--column", help="The CSV column with the country names.")] = None,
        fmt: FmtOpt = Format.table,
        db: DbOpt = None,
    ) -> None:
        """Standing, trend and risk per country name, one row per name in input order."""
        from tipwatch.analysis import risk as rk
        from tipwatch.analysis.load import inputs

        raw, where = _read_input(file)
        head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if file.lower().endswith(".json") or head in (b"{", b"["):
            names = rk.names_from_json_bytes(raw, where)
        else:
            names = rk.names_from_csv(raw, column, where)
        rows = rk.lookup(inputs(db), names)
        if fmt is Format.json:
            sys.stdout.write(to_json(rows) + "\n")
            return
        rows = _joined(rows, ("narrative_state_involvement", "forms", "sectors", "suggestions"))
        for r in rows:
            if r.get("error"):
                r["summary"] = r["error"] + (f"; did you mean: {r['suggestions']}?"
                                             if r.get("suggestions") else "")
        emit(rows, fmt, rk.TABLE_COLUMNS if fmt is Format.table else rk.COLUMNS,
             title=f"Risk lookup: {len(rows)} names",
             caption=f"{sum(1 for r in rows if r.get('error'))} not resolved")
