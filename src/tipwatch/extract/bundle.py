"""Bundled facts extracted from the corpora (being built)."""

from __future__ import annotations

import duckdb


def build_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Write the facts tables into the store (being built)."""
