"""Bulk writes into the store: many rows in one statement, through a DataFrame."""

from __future__ import annotations

from typing import Any


def insert_frame(con: Any, table: str, cols: list[str], values: list[list[Any]]) -> None:
    """Insert many rows at once (through a DataFrame; row-by-row inserts are slow)."""
    import pandas as pd

    frame = pd.DataFrame(values, columns=cols).astype(object)
    frame = frame.where(frame.notna(), None)
    con.register("_insert_df", frame)
    try:
        names = ", ".join(f'"{c}"' for c in cols)
        con.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM _insert_df')
    finally:
        con.unregister("_insert_df")
