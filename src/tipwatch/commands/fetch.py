"""CLI verb ``fetch``: the report's country pages from state.gov (or a mirror) -> the corpus."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from tipwatch.errors import BadInputError
from tipwatch.output import LazyConsole

_out = LazyConsole()
_err = LazyConsole(stderr=True)


def parse_years(years: list[int], spans: list[str]) -> list[int]:
    """``--year 2019 --year 2020`` and ``--years 2017-2025`` (also ``2017,2019``) -> years."""
    out = list(years)
    for text in spans:
        for part in text.split(","):
            m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
            if not m:
                raise BadInputError(f"--years {text!r}: expected YYYY-YYYY or YYYY,YYYY")
            a, b = int(m.group(1)), int(m.group(2) or m.group(1))
            if b < a:
                raise BadInputError(f"--years {text!r}: the range runs backwards")
            out.extend(range(a, b + 1))
    for y in out:
        if not 2001 <= y <= 2100:
            from tipwatch.errors import UnknownYearError

            raise UnknownYearError(f"report year {y}: TIP reports exist from 2001 on")
    if not out:
        raise BadInputError("give --year YYYY or --years YYYY-YYYY")
    return sorted(set(out))


def register(app: typer.Typer) -> None:
    """Add the ``fetch`` verb to ``app``."""

    @app.command()
    def fetch(
        year: Annotated[
            list[int] | None, typer.Option("--year", "-y", help="Report year (repeatable).")
        ] = None,
        years: Annotated[
            list[str] | None, typer.Option("--years", help="Years, e.g. 2017-2025.")
        ] = None,
        country: Annotated[
            list[str] | None, typer.Option("--country", "-c", help="Only these countries.")
        ] = None,
        base_url: Annotated[
            str, typer.Option("--base-url", help="Site or mirror serving /reports/...")
        ] = "https://www.state.gov",
        index_url: Annotated[
            str | None,
            typer.Option("--index-url", help="Page linking the year's country pages (2001-2016)."),
        ] = None,
        cache: Annotated[
            str | None, typer.Option("--cache", help="Raw-response cache (default var/cache).")
        ] = None,
        delay: Annotated[
            float, typer.Option("--delay", help="Seconds between requests to one host.")
        ] = 2.0,
        timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.")] = 60.0,
        corpus: Annotated[
            str | None, typer.Option("--corpus", help="Local corpus (default var/corpus.duckdb).")
        ] = None,
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="Summary as table or json.")
        ] = "table",
    ) -> None:
        """Download the year's country narratives (polite, cached, resumable) and ingest them."""
        import time

        from tipwatch.commands.facts import resolve_country
        from tipwatch.ingest import harvest
        from tipwatch.ingest.fetch import Fetcher, cache_dir
        from tipwatch.store import corpus as local

        if fmt not in ("table", "json"):
            raise BadInputError(f"unknown --format {fmt!r}; use table or json")
        if delay < 0 or timeout <= 0:
            raise BadInputError("--delay must be >= 0 and --timeout > 0")
        if not re.match(r"^https?://[^/\s]+", base_url):
            raise BadInputError(f"--base-url {base_url!r}: expected http(s)://host")
        wanted = parse_years(year or [], years or [])
        if index_url and len(wanted) > 1:
            raise BadInputError("--index-url names one year's index page: give one --year")
        only = {resolve_country(c) for c in country or []} or None
        start = time.perf_counter()
        con = local.connect(corpus)
        try:
            with Fetcher(cache_dir=cache_dir(cache), delay=delay, timeout=timeout) as fetcher:
                summary = harvest.run(
                    fetcher, local.CorpusWriter(con), wanted, base_url, index_url=index_url,
                    only=only,
                    progress=lambda msg: _err.print(msg, highlight=False),
                )
                counts = fetcher.counts
        finally:
            con.close()
        seconds = time.perf_counter() - start
        totals = {
            "years": wanted,
            "pages": summary.pages,
            "fetched": counts.fetched,
            "from_cache": counts.cached,
            "not_found": counts.not_found,
            "refused": counts.refused,
            "failed": counts.failed,
            "requests": counts.requests,
            "retries": counts.retries,
            "narratives": summary.narratives,
            "unchanged": summary.unchanged,
            "facts": summary.facts,
            "warnings": len(summary.warnings),
            "seconds": round(seconds, 2),
            "corpus": str(local.corpus_path(corpus)),
        }
        if fmt == "json":
            import json

            _out.print_json(json.dumps({
                **totals,
                "documents": [r.to_dict() for r in summary.reports],
                "warning_lines": summary.warnings,
            }))
            return
        for w in summary.warnings:
            _err.print(f"[yellow]warning:[/] {w}", highlight=False, soft_wrap=True)
        _out.print(
            f"{totals['pages']} pages: {totals['fetched']} fetched, {totals['from_cache']} from "
            f"cache, {totals['not_found']} not found, {totals['refused']} refused, "
            f"{totals['failed']} failed; {totals['narratives']} narratives stored, "
            f"{totals['unchanged']} unchanged, {totals['facts']} "
            f"facts, {totals['warnings']} warnings; {seconds:.1f} s -> {totals['corpus']}",
            highlight=False, soft_wrap=True,
        )
