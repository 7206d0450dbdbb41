"""The panel as downloadable files (CSV, Parquet, Stata), generated from the store."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

#: format -> (media type, description)
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "CSV, UTF-8"),
    "parquet": ("application/vnd.apache.parquet", "Apache Parquet"),
    "dta": ("application/x-stata-dta", "Stata 15+ (.dta, version 118)"),
}


def panel_frame(con: Any):  # noqa: ANN201 - pandas DataFrame
    """The placements joined with the identity table (region, ISO2, COW code)."""
    return con.execute(
        """
        SELECT p.iso3, c.iso2, c.cow, p.name, p.country, c.region, p.year, p.tier, p.basis,
               p.source, p.all_sources, p.note
        FROM placements p LEFT JOIN countries c USING (iso3)
        ORDER BY p.iso3, p.year
        """
    ).df()


def panel_bytes(con: Any, fmt: str) -> bytes:
    """The panel in ``fmt`` (a key of :data:`FORMATS`)."""
    frame = panel_frame(con)
    if fmt == "csv":
        return frame.to_csv(index=False).encode("utf-8")
    if fmt == "parquet":
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        return buf.getvalue()
    if fmt == "dta":
        frame = frame.astype({c: "object" for c in frame.columns if frame[c].dtype == "string"})
        for col in frame.columns:
            if frame[col].dtype == object:
                frame[col] = frame[col].fillna("").astype(str)
        frame["cow"] = frame["cow"].astype("float64")
        fd, tmp = tempfile.mkstemp(suffix=".dta")
        os.close(fd)
        try:
            frame.to_stata(
                tmp, write_index=False, version=118,
                data_label="tipwatch TIP Report tier panel",
                variable_labels={
                    "tier": "TIP tier: 1, 2, 2WL, 3, special, 1or2",
                    "basis": "read from a source or deduced",
                    "year": "TIP report year",
                },
            )
            return Path(tmp).read_bytes()
        finally:
            Path(tmp).unlink(missing_ok=True)
    raise ValueError(f"unknown format {fmt!r}")
