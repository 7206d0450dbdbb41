"""Boxed text tables for the command line (heavy header, light body), within a width.

Kept apart from :mod:`tipwatch.output` so that the CLI's fast path (:mod:`tipwatch.fastpath`)
draws the very same table while importing nothing but :mod:`textwrap`.
"""

from __future__ import annotations

import textwrap

TYPE_CHECKING = False  # importing typing for the flag alone costs the fast path 4 ms
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

#: Friendlier table headers for common keys (CSV and JSON keep the keys).
HEADERS = {
    "tier_label": "tier",
    "from_label": "from",
    "to_label": "to",
    "previous_year": "previous",
}


def _fit(widths: list[int], available: int, floor: int = 3) -> list[int]:
    """Shrink the widest columns, one character at a time, until the row fits ``available``."""
    widths = list(widths)
    while sum(widths) > available:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= floor:
            break
        widths[widest] -= 1
    return widths


#: What :mod:`textwrap` treats as whitespace besides the space (it turns each into a space).
_OTHER_SPACE = frozenset("\t\n\x0b\x0c\r")


def _cell_lines(text: str, width: int) -> list[str]:
    """Wrap at spaces; a word longer than the column ends in an ellipsis."""
    if 0 < len(text) <= width and not text[-1].isspace() and _OTHER_SPACE.isdisjoint(text):
        return [text]  # what textwrap returns for a cell that fits, without its 0.1 ms
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
