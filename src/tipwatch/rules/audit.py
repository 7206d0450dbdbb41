"""Audit of the panel under the law of each year (being built)."""

from __future__ import annotations

import duckdb


def build_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Write the audit tables into the store (being built)."""
