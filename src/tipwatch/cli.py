"""The ``tipwatch`` command line. Verbs follow the stages: build, query, audit, ingest, serve.

Each area registers its verbs from ``tipwatch.commands.<area>``; errors raised as
:class:`tipwatch.errors.TipwatchError` become one line on stderr and the error's exit code.
"""

from __future__ import annotations

import os
import sys

import typer

from tipwatch.commands import analysis, facts, fetch, panel, rules, web, years
from tipwatch.errors import TipwatchError
from tipwatch.output import LazyConsole

app = typer.Typer(
    name="tipwatch",
    help="Trafficking in Persons Report tiers, law, narratives and explorer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: rich's help renderer pulls in markdown-it and pygments,
    # which alone cost more than the whole start-up budget (benchmarks/startup.py).
    rich_markup_mode=None,
)

for _area in (panel, rules, facts, fetch, web, years, analysis):
    _area.register(app)

_err = LazyConsole(stderr=True)


def _is_usage_error(exc: BaseException) -> bool:
    """Click/typer usage errors (bad option, missing value, unknown command) carry show()."""
    return callable(getattr(exc, "show", None)) and isinstance(
        getattr(exc, "exit_code", None), int
    )


def one_line(exc: BaseException) -> str:
    """The message of ``exc`` as one line, with Rich markup in it shown as typed."""
    from rich.markup import escape  # rich is loaded only when something is printed

    return escape(" ".join(str(exc).split()))


def known_failure(exc: BaseException) -> TipwatchError | None:
    """A full disk or a damaged store met outside the code that checks for it: exit 2."""
    import errno

    from tipwatch.errors import DiskFullError

    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return DiskFullError(exc.filename or "the output")
    module = type(exc).__module__ or ""
    if module.startswith(("duckdb", "_duckdb")):
        from tipwatch.store.build import duckdb_failure

        return duckdb_failure(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and turn known errors into one line and an exit code.

    Bad input exits 2 with one line; an unexpected failure exits 1 with one line (set
    ``TIPWATCH_DEBUG=1`` for the traceback).
    """
    try:
        try:
            app(args=argv, standalone_mode=False)
        except Exception as exc:
            known = known_failure(exc)
            if known is None:
                raise
            raise known from exc
    except TipwatchError as exc:
        _err.print(f"[bold red]error:[/] {one_line(exc)}", highlight=False, soft_wrap=True)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        _err.print("interrupted")
        return 130
    except Exception as exc:
        name = type(exc).__name__
        if name == "Exit":
            return int(getattr(exc, "exit_code", 0) or 0)
        if name == "Abort":
            _err.print("aborted")
            return 1
        if _is_usage_error(exc):
            exc.show()  # type: ignore[attr-defined]
            return 2 if exc.exit_code == 1 else exc.exit_code  # type: ignore[attr-defined]
        if os.environ.get("TIPWATCH_DEBUG"):
            raise
        _err.print(
            f"[bold red]internal error:[/] {name}: {one_line(exc)} "
            "(set TIPWATCH_DEBUG=1 for details)",
            highlight=False,
            soft_wrap=True,
        )
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
