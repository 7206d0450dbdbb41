"""Render query results for the command line: a rich table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

#: Friendlier table headers for common keys (CSV and JSON keep the keys).
HEADERS = {
    "tier_label": "tier",
    "from_label": "from",
    "to_label": "to",
    "previous_year": "previous",
}


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
    console: Console | None = None,
) -> None:
    console = console or Console()
    # Text, not markup: cells, titles and captions may carry what a user typed or ingested
    table = Table(title=Text(title) if title else None,
                  caption=Text(caption) if caption else None, show_lines=False)
    for col in columns:
        table.add_column(Text(HEADERS.get(col, col)))
    for row in rows:
        table.add_row(*(Text("" if row.get(c) is None else str(row.get(c))) for c in columns))
    console.print(table)


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
