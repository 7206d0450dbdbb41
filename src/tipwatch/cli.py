"""The ``tipwatch`` command line. Verbs follow the stages: build, query, audit, ingest, serve.

Each area registers its verbs from ``tipwatch.commands.<area>``; errors raised as
:class:`tipwatch.errors.TipwatchError` become one line on stderr and the error's exit code.
"""

from __future__ import annotations

import sys

import click
import typer
from rich.console import Console

from tipwatch.commands import facts, panel, rules, web
from tipwatch.errors import TipwatchError

app = typer.Typer(
    name="tipwatch",
    help="Trafficking in Persons Report tiers, law, narratives and explorer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _area in (panel, rules, facts, web):
    _area.register(app)

_err = Console(stderr=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and turn known errors into one line and an exit code."""
    try:
        app(args=argv, standalone_mode=False)
    except TipwatchError as exc:
        _err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        _err.print("aborted")
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
