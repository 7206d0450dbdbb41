"""CLI verbs of the explorer area: ``serve`` (web explorer + API) and ``report`` (HTML + PDF)."""

from __future__ import annotations

from pathlib import Path

import typer

from tipwatch.errors import BadInputError


def _port(text: str) -> int:
    """``--port`` as a TCP port number, or a one-line error (exit 2)."""
    try:
        port = int(text.strip())
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise BadInputError(f"--port {text!r} is not a TCP port (1-65535)")
    return port


def _check_bind(host: str, port: int) -> None:
    """Fail with one line (exit 2) when ``host:port`` cannot be bound (taken, bad address)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BadInputError(f"cannot serve on {host}:{port}: unknown host ({exc})") from exc
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except OSError as exc:
            raise BadInputError(
                f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc


def _cores() -> int:
    """Cores this process may run on."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``report`` to the CLI."""

    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="interface to bind (loopback by default)"),
        port: str = typer.Option("8000", help="TCP port (1-65535)"),
        db: Path | None = typer.Option(None, "--db", help="store (default: var/tipwatch.duckdb)"),
        report_dir: Path | None = typer.Option(
            None, "--report-dir", help="a built report folder to serve under /report/"
        ),
        warm: bool = typer.Option(
            True, "--warm/--no-warm", help="precompute every country and year at startup"
        ),
        cors_origin: list[str] = typer.Option(
            [], "--cors-origin", help="allow this origin (CORS is off unless given)"
        ),
        workers: int = typer.Option(
            0, "--workers", help="worker processes sharing the read-only store "
            "(default: the number of cores)"
        ),
        max_in_flight: int = typer.Option(
            64, "--max-in-flight", help="requests worked on at once per worker; beyond it "
            "an immediate 503 with Retry-After"
        ),
        write_report: str | None = typer.Option(
            None, "--write-report", help="write the report of this year ('latest') into "
            "--report-dir in the background while serving (kept when already up to date)"),
    ) -> None:
        """Serve the web explorer and the JSON API (OpenAPI at /docs)."""
        import json
        import os

        import uvicorn

        from tipwatch.api.app import SERVE_ENV
        from tipwatch.atomic import sweep_stale
        from tipwatch.paths import db_path
        from tipwatch.store import build as store

        port_no = _port(port)
        n_workers = workers or _cores()
        if not 1 <= n_workers <= 64:
            raise BadInputError(f"--workers {workers} must be between 1 and 64")
        if not 1 <= max_in_flight <= 10000:
            raise BadInputError(f"--max-in-flight {max_in_flight} must be between 1 and 10000")
        _check_bind(host, port_no)
        if write_report is not None:
            if report_dir is None:
                raise BadInputError("--write-report needs --report-dir (where to write it)")
            if report_dir.exists() and not report_dir.is_dir():
                raise BadInputError(f"--report-dir {report_dir} is a file, not a folder")
        elif report_dir is not None and not report_dir.is_dir():
            raise BadInputError(f"--report-dir {report_dir} is not a folder; write a report "
                                "there first with `tipwatch report --out`")
        if report_dir is not None:  # leftovers of a killed `tipwatch report`
            resolved = report_dir.resolve()
            sweep_stale(resolved.parent, [resolved.name], inside=resolved)
        target = db_path(db)
        if not target.exists():
            from tipwatch import progress

            progress.to_stderr(f"no store at {target} yet: building it")
            store.build(target, report=progress.to_stderr)
        store.verify(target)  # a truncated or corrupt store: one line, exit 2
        if write_report is not None:  # a bad year is one line now, not a failure later
            from tipwatch.store import reader as queries

            con = store.connect(target)
            try:
                queries.resolve_year(con, write_report)
            finally:
                con.close()
            try:
                report_dir.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
            except OSError as exc:
                raise BadInputError(f"--report-dir {report_dir}: {exc.strerror or exc}") from exc
        os.environ[SERVE_ENV] = json.dumps({
            "db": str(target.resolve()), "cors_origins": cors_origin or None,
            "report_dir": str(report_dir.resolve()) if report_dir is not None else None,
            "warm": warm, "max_in_flight": max_in_flight,
        })
        base = f"http://{host}:{port_no}"
        writer = None
        if write_report is not None and report_dir is not None:
            from tipwatch.report.background import ReportWriter

            writer = ReportWriter(write_report, report_dir, target, base + "/report/")
        typer.echo(f"explorer: starting on {base}/ ...", err=True)
        import threading

        from tipwatch.report.background import when_listening

        def ready() -> None:
            typer.echo(f"explorer: {base}/   API: {base}/api   docs: {base}/docs "
                       f"({n_workers} worker{'s' if n_workers > 1 else ''})", err=True)
            if writer is not None:
                writer.start()  # after start-up: the report does not hold the server back
            elif report_dir is not None:
                typer.echo(f"report:   {base}/report/", err=True)

        threading.Thread(target=when_listening, args=(host, port_no, ready), daemon=True,
                         name="announce").start()
        try:
            uvicorn.run("tipwatch.api.app:app_from_env", factory=True, host=host, port=port_no,
                        workers=n_workers, log_level="warning", access_log=False, backlog=256,
                        timeout_keep_alive=15)
        finally:
            if writer is not None:
                writer.stop()

    @app.command()
    def report(
        year: str = typer.Option("latest", "--year", help="report year or 'latest'"),
        out: Path = typer.Option(Path("var/report"), "--out", help="output folder"),
        db: Path | None = typer.Option(None, "--db", help="store (default: var/tipwatch.duckdb)"),
        pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="also write report.pdf"),
        reuse: bool = typer.Option(
            False, "--reuse", help="keep a report written for the same year from the same store "
            "build (report.json)"),
    ) -> None:
        """Write the annual report for YEAR: index.html, then report.pdf, in OUT."""
        from tipwatch import progress
        from tipwatch.report.builder import build_report

        result = build_report(
            year, out, db=db, pdf=pdf, reuse=reuse, report=progress.to_stderr,
            on_html=lambda r: typer.echo(f"report {r.year}: {r.html} is ready "
                                         f"({r.n_countries} countries)"),
        )
        if result.reused:
            typer.echo(f"report {result.year}: {result.out} is up to date for this store "
                       f"({result.html}" + (f", {result.pdf}" if result.pdf else "") + ")")
            return
        typer.echo(
            f"report {result.year}: {result.html} ({result.n_countries} countries)"
            + (f", {result.pdf} ({result.pages} pages)" if result.pdf else "")
            + f" in {result.seconds:.1f} s"
        )
