"""Render query results for the command line: a rich table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # rich is imported when something is printed, not at CLI start-up
    from rich.console import Console

#: Friendlier table headers for common keys (CSV and JSON keep the keys).
HEADERS = {
    "tier_label": "tier",
    "from_label": "from",
    "to_label": "to",
    "previous_year": "previous",
}


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


def _fit(widths: list[int], available: int, floor: int = 3) -> list[int]:
    """Shrink the widest columns, one character at a time, until the row fits ``available``."""
    widths = list(widths)
    while sum(widths) > available:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= floor:
            break
        widths[widest] -= 1
    return widths


def _cell_lines(text: str, width: int) -> list[str]:
    """Wrap at spaces; a word longer than the column ends in an ellipsis."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
    return [line if len(line) <= width else line[: width - 1] + "…" for line in lines]


def table_text(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    title: str | None = None,
    caption: str | None = None,
    width: int = 80,
) -> str:
    """A boxed text table (heavy header, light body) that fits ``width`` characters."""
    headers = [HEADERS.get(c, c) for c in columns]
    cells = [["" if row.get(c) is None else str(row.get(c)) for c in columns] for row in rows]
    natural = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    widths = _fit(natural, width - 3 * len(columns) - 1)
    total = sum(widths) + 3 * len(widths) + 1
    out: list[str] = []
    if title:
        out.extend(line.center(total).rstrip() for line in textwrap.wrap(title, total))

    def rule(left: str, fill: str, mid: str, right: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def body(values: list[str], bar: str) -> list[str]:
        wrapped = [_cell_lines(v, w) for v, w in zip(values, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        return [
            bar + bar.join(f" {(w[k] if k < len(w) else ''):<{n}} "
                           for w, n in zip(wrapped, widths, strict=True)) + bar
            for k in range(height)
        ]

    out.append(rule("┏", "━", "┳", "┓"))
    out.extend(body(headers, "┃"))
    out.append(rule("┡", "━", "╇", "┩"))
    for values in cells:
        out.extend(body(values, "│"))
    out.append(rule("└", "─", "┴", "┘"))
    if caption:
        out.extend(line.center(total).rstrip() for line in textwrap.wrap(caption, total))
    return "\n".join(out) + "\n"


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
