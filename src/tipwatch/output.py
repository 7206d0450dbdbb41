"""Render query results for the command line: a rich table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from tipwatch.text_table import HEADERS, table_text  # noqa: F401 - HEADERS re-exported

if TYPE_CHECKING:  # rich is imported when something is printed, not at CLI start-up
    from rich.console import Console

@lru_cache(maxsize=2)
def get_console(stderr: bool = False) -> Console:
    """The shared rich console for stdout (or stderr), created on first use."""
    from rich.console import Console

    return Console(stderr=stderr)


def escape(text: str) -> str:
    """``text`` with Rich markup in it shown as typed (rich is imported on first use)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


class LazyConsole:
    """A module-level stand-in for a rich console that imports rich on its first use.

    Command modules are imported on every CLI start; rich costs tens of milliseconds, so the
    console behind ``print`` is made only when a command actually prints.
    """

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr

    def __getattr__(self, name: str) -> Any:
        return getattr(get_console(self._stderr), name)


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        try:
            return value.item()
        except (ValueError, TypeError):
            pass
    if value != value:  # NaN
        return None
    return value


def to_json(data: Any) -> str:
    """Stable JSON: UTF-8, two-space indent, NaN as null."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_jsonable)


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({c: ("" if row.get(c) is None else row.get(c)) for c in columns})
    return buf.getvalue()


def render_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    title: str | None = None,
    caption: str | None = None,
) -> None:
    """Print a text table on stdout, as wide as the terminal (80 columns when piped).

    The project's own renderer: rich's table layout costs more than the rest of a query.
    """
    width = shutil.get_terminal_size((80, 24)).columns
    sys.stdout.write(table_text(rows, columns, title=title, caption=caption, width=width))


def emit(
    rows: Iterable[Mapping[str, Any]],
    fmt: Format | str,
    columns: Sequence[str],
    title: str | None = None,
    caption: str | None = None,
    json_payload: Any | None = None,
) -> None:
    """Print ``rows`` in ``fmt``. ``json_payload`` replaces the rows in JSON when given."""
    rows = list(rows)
    fmt = Format(fmt)
    if fmt is Format.json:
        sys.stdout.write(to_json(rows if json_payload is None else json_payload) + "\n")
    elif fmt is Format.csv:
        sys.stdout.write(to_csv(rows, columns))
    else:
        render_table(rows, columns, title=title, caption=caption)
