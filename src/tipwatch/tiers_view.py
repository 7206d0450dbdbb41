"""What ``tipwatch tiers`` shows: the columns, title and caption of one year's placements.

One definition for the command (:mod:`tipwatch.commands.panel`) and its fast path
(:mod:`tipwatch.fastpath`, :mod:`tipwatch.store.tiers_cache`), so both print the same bytes. Imports
nothing: the fast path reads it at start-up.
"""

from __future__ import annotations

TYPE_CHECKING = False  # importing typing for the flag alone costs the fast path 4 ms
if TYPE_CHECKING:
    from collections.abc import Mapping

#: The placement columns of CSV and JSON, before the streak columns.
_DATA_COLUMNS = ("country", "iso3", "year", "tier", "region", "basis", "source", "note")
TABLE_COLUMNS = ("country", "iso3", "region", "tier_label", "basis", "source")


def columns(fmt: str, variables: tuple[str, ...]) -> list[str]:
    """The columns of ``fmt`` (``table``, ``csv`` or ``json``); ``variables``: the streak
    columns the query adds (:data:`tipwatch.store.reader.VARIABLES`)."""
    return list(TABLE_COLUMNS) if fmt == "table" else [*_DATA_COLUMNS, *variables]


def title(year: int) -> str:
    return f"TIP Report {year}: tier placements"


def caption(n_rows: int, info: Mapping[str, object]) -> str:
    """The line under the table: how many placements, the year's status and the basis note."""
    text = f"{n_rows} placements · year status: {info['status']}"
    if info["reason"]:
        text += f" ({info['reason']})"
    return text + " · basis 'deduced' = derived by a stated rule, see note"
