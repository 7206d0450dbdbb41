"""The panel as downloadable files (CSV, Parquet, Stata), written by the project's export code."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tipwatch import export

#: format -> (media type, description)
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "CSV, UTF-8"),
    "parquet": ("application/vnd.apache.parquet", "Apache Parquet"),
    "dta": ("application/x-stata-dta", "Stata 14+ (.dta, version 118)"),
}


def panel_bytes(db: str | os.PathLike[str], fmt: str) -> bytes:
    """The panel in ``fmt`` (a key of :data:`FORMATS`), exported from the store at ``db``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    with tempfile.TemporaryDirectory(prefix="tipwatch-download-") as tmp:
        files = export.export_panel(tmp, fmt, db=db)
        data_file = next(p for p in files if p.suffix == f".{fmt}")
        return Path(data_file).read_bytes()
