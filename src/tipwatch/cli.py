"""The ``tipwatch`` command line. Verbs follow the stages: build, query, audit, ingest, serve.

Each area registers its verbs from ``tipwatch.commands.<area>``; errors raised as
:class:`tipwatch.errors.TipwatchError` become one line on stderr and the error's exit code.
"""

from __future__ import annotations

import os
import sys

import typer

from tipwatch.commands import facts, panel, rules, web
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

for _area in (panel, rules, facts, web):
    _area.register(app)

_err = LazyConsole(stderr=True)


def _is_usage_error(exc: BaseException) -> bool:
    """Click/typer usage errors (bad option, missing value, unknown command) carry show()."""
    return callable(getattr(exc, "show", None)) and isinstance(
        getattr(exc, "exit_code", None), int
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and turn known errors into one line and an exit code.

    Bad input exits 2 with one line; an unexpected failure exits 1 with one line (set
    ``TIPWATCH_DEBUG=1`` for the traceback).
    """
    try:
        app(args=argv, standalone_mode=False)
    except TipwatchError as exc:
        _err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
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
            f"[bold red]internal error:[/] {name}: {exc} (set TIPWATCH_DEBUG=1 for details)",
            highlight=False,
            soft_wrap=True,
        )
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
