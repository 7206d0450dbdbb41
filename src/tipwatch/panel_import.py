"""Import the research CSV into the project's bundled panel files.

``import_placements(path)`` validates the research CSV (``../shared/data/tip_tiers.csv``) and
writes ``data/placements.csv``, ``data/stated_totals.csv`` and ``data/sources.yml``; nothing is
written unless the whole file validates and the data checks (:mod:`tipwatch.checks`) pass.
:mod:`tipwatch.panel` loads the bundled files.
"""

from __future__ import annotations

import csv
import fnmatch
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from tipwatch import countries
from tipwatch.atomic import atomic_dir
from tipwatch.checks import Finding, check_panel
from tipwatch.errors import DataCheckError, MalformedInputError
from tipwatch.limits import check_input_file
from tipwatch.panel import (
    BUNDLED_COLUMNS,
    FIRST_YEAR,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    basis_of,
    load_placements,
    source_catalog,
)
from tipwatch.paths import DATA_DIR
from tipwatch.rules import published
from tipwatch.tiers import TIERS

# Categories of stated totals the research folder records, mapped to tier codes.
_STATED_CATEGORIES = {
    "tier 1": ("1",),
    "tier 1 (incl. us)": ("1",),
    "tier 2": ("2",),
    "tier 2 watch list": ("2WL",),
    "tier 3": ("3",),
    "special": ("special",),
    "total entities": ("total",),
    "tier 2 + tier 2 watch list": ("2+2WL",),
    "tier 1 (incl. us) / tier 3": ("1", "3"),
}


_SPOTCHECK_COUNTS = (
    ("3", re.compile(r"Tier 3 list of (\d+)")),
    ("3", re.compile(r"among (\d+) Tier 3")),
    ("2WL", re.compile(r"(\d+) countries on Tier 2 Watch List")),
)

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _read_csv_strict(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Read a CSV, failing with the line number on a short, long or unterminated row."""
    if path.is_dir():
        raise MalformedInputError(f"{path}: is a folder, expected a CSV file")
    check_input_file(path, "placement CSV")
    raw = path.read_bytes()
    if not raw.strip():
        raise MalformedInputError(f"{path}: empty file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedInputError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    if "\x00" in text:
        raise MalformedInputError(f"{path}: binary data (NUL byte), not a CSV file")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise MalformedInputError(f"{path}: line 1: {exc}") from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise MalformedInputError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
    rows: list[dict[str, str]] = []
    try:
        for values in reader:
            if not values:
                continue
            if len(values) != len(header):
                raise MalformedInputError(
                    f"{path}: line {reader.line_num}: expected {len(header)} fields, "
                    f"got {len(values)} (truncated or malformed row)"
                )
            rows.append(dict(zip(header, values, strict=True)))
    except csv.Error as exc:
        raise MalformedInputError(f"{path}: line {reader.line_num}: {exc}") from exc
    if not text.endswith(("\n", "\r")):
        raise MalformedInputError(
            f"{path}: line {reader.line_num}: file does not end with a newline (truncated?)"
        )
    return rows


def read_research_csv(path: str | Path) -> pd.DataFrame:
    """Validate and normalize the research panel CSV into the bundled column set."""
    path = Path(path)
    rows = _read_csv_strict(path, REQUIRED_COLUMNS)
    out: list[dict[str, object]] = []
    seen: dict[tuple[str, int], int] = {}
    for i, row in enumerate(rows, start=2):
        where = f"{path.name} line {i}"
        try:
            year = int(row["year"])
        except ValueError:
            raise MalformedInputError(f"{where}: year {row['year']!r} is not a number") from None
        if not FIRST_YEAR <= year <= 2100:
            raise MalformedInputError(f"{where}: year {year} outside the reports (2001 on)")
        tier = row["tier"].strip()
        if tier not in TIERS:
            raise MalformedInputError(f"{where}: tier {tier!r} is not one of {', '.join(TIERS)}")
        country = countries.resolve(row["country"], where=where)
        iso3 = row["iso3"].strip().upper()
        if iso3 and iso3 != country.iso3:
            raise MalformedInputError(
                f"{where}: {row['country']!r} resolves to {country.iso3}, but iso3 says {iso3}"
            )
        source = row["source"].strip()
        if not source:
            raise MalformedInputError(f"{where}: empty source id")
        key = (country.iso3, year)
        if key in seen:
            raise MalformedInputError(
                f"{where}: second row for {country.name} {year} (first at line {seen[key]})"
            )
        seen[key] = i
        rec: dict[str, object] = {
            "iso3": country.iso3,
            "name": country.name,
            "country": row["country"].strip(),
            "year": year,
            "tier": tier,
            "source": source,
            "basis": basis_of(source),
            "evidence": "",
            "all_sources": row["all_sources"],
            "note": row["note"],
        }
        for col in OPTIONAL_COLUMNS:
            rec[col] = row.get(col, "")
        out.append(rec)
    if not out:
        raise MalformedInputError(f"{path}: no data rows")
    return pd.DataFrame(out, columns=list(BUNDLED_COLUMNS))


def _evidence(df: pd.DataFrame, research_dir: Path) -> pd.Series:
    """Per-row evidence: the gap-fill file's evidence column, else the evidence log's URL."""
    by_row: dict[tuple[str, int, str], str] = {}
    gapfill = research_dir / "gapfill" / "tip_tiers_gapfill.csv"
    if gapfill.exists():
        for r in _read_csv_strict(gapfill, ("iso3", "year", "source", "evidence")):
            by_row[(r["iso3"], int(r["year"]), r["source"])] = r["evidence"].strip()
    by_source: dict[str, str] = {}
    log = research_dir / "gapfill" / "evidence" / "evidence_log.jsonl"
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                by_source.setdefault(rec["id"], rec.get("url", ""))
    return pd.Series(
        [
            by_row.get((r.iso3, r.year, r.source)) or by_source.get(r.source, "")
            for r in df.itertuples(index=False)
        ],
        index=df.index,
        dtype="object",
    )


def _stated_totals(research_dir: Path) -> pd.DataFrame:
    """Totals that the sources state, per report year and tier (from the research folder)."""
    cols = ["year", "category", "stated", "source", "note"]
    out: list[dict[str, object]] = []
    path = research_dir / "gapfill" / "stated_totals_check.csv"
    if path.exists():
        for r in _read_csv_strict(path, ("year", "category", "stated", "source")):
            cats = _STATED_CATEGORIES.get(r["category"].strip().lower())
            if not cats:
                continue
            values = [v.strip() for v in r["stated"].split("/")]
            if len(values) != len(cats) or not all(v.isdigit() for v in values):
                continue
            for cat, value in zip(cats, values, strict=True):
                out.append(
                    {
                        "year": int(r["year"]),
                        "category": cat,
                        "stated": int(value),
                        "source": r["source"].strip(),
                        "note": r.get("note", "").strip(),
                    }
                )
    spot = research_dir / "tip_tiers_spotchecks.csv"
    if spot.exists():
        # Counts that independent texts give, as recorded by the spot-check file.
        for r in _read_csv_strict(spot, ("report_year", "claim_in_independent_text", "result")):
            if not r["result"].startswith("match") or not r["report_year"].isdigit():
                continue
            for cat, pattern in _SPOTCHECK_COUNTS:
                m = pattern.search(r["claim_in_independent_text"])
                if m:
                    out.append(
                        {
                            "year": int(r["report_year"]),
                            "category": cat,
                            "stated": int(m.group(1)),
                            "source": r.get("independent_source_url", "").strip(),
                            "note": "spot check: " + r["result"],
                        }
                    )
    df = pd.DataFrame(out, columns=cols)
    return (
        df.drop_duplicates(["year", "category", "stated"])
        .sort_values(["year", "category"], kind="stable")
        .reset_index(drop=True)
    )

def _sources_doc(df: pd.DataFrame, path: Path, research_dir: Path) -> dict:
    catalog = source_catalog()
    sources: dict[str, dict] = {}
    for source_id, group in df.groupby("source", sort=True):
        pattern = next(k for k in catalog if fnmatch.fnmatchcase(source_id, k))
        entry = {k: v for k, v in catalog[pattern].items() if k != "files"}
        files = {}
        for rel in catalog[pattern].get("files", []):
            f = research_dir / rel
            if f.exists():
                files[rel] = _sha256(f)
        if files:
            entry["files_sha256"] = files
        entry["rows"] = int(len(group))
        entry["years"] = sorted({int(y) for y in group["year"]})
        entry["basis"] = basis_of(source_id)
        sources[source_id] = entry
    return {
        "imported_file": {
            "name": path.name,
            "sha256": _sha256(path),
            "rows": int(len(df)),
            "origin": "tipwatch research folder (shared/data/tip_tiers.csv; see its PROVENANCE.md)",
        },
        "sources": sources,
    }


@dataclass
class ImportReport:
    rows: int
    years: tuple[int, int]
    sources: int
    out_dir: Path
    findings: list[Finding] = field(default_factory=list)


def import_placements(path: str | Path, out_dir: str | Path | None = None) -> ImportReport:
    """Validate the research CSV at ``path`` and write the bundled panel files into ``out_dir``.

    Nothing is written unless the whole file validates and the data checks pass.
    """
    path = Path(path)
    out_dir = Path(out_dir) if out_dir else DATA_DIR
    research_dir = path.parent
    df = read_research_csv(path)
    df["evidence"] = _evidence(df, research_dir)
    df = df.sort_values(["year", "iso3"], kind="stable").reset_index(drop=True)
    stated = _stated_totals(research_dir)
    findings = check_panel(df, stated)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise DataCheckError(f"{path}: " + "; ".join(f.message for f in errors[:5]))
    doc = _sources_doc(df, path, research_dir)
    policy_rows = None
    if (research_dir / published.RESEARCH_POLICY_LISTS).exists():
        policy_rows = published.import_policy_lists(research_dir)
        doc["policy_or_pattern_lists"] = {
            "name": str(published.RESEARCH_POLICY_LISTS),
            "sha256": _sha256(research_dir / published.RESEARCH_POLICY_LISTS),
            "rows": len(policy_rows),
            "years": sorted({int(r["year"]) for r in policy_rows}),
            "origin": "tipwatch research folder (shared/data/policy_or_pattern/lists.csv; "
                      "see its README and PROVENANCE.md section 8.8)",
        }
    with atomic_dir(out_dir) as tmp:
        if policy_rows is not None:
            published.write_policy_lists(policy_rows, tmp / published.POLICY_FILE.name)
        df.to_csv(tmp / "placements.csv", index=False, lineterminator="\n")
        stated.to_csv(tmp / "stated_totals.csv", index=False, lineterminator="\n")
        (tmp / "sources.yml").write_text(
            "# Written by `tipwatch import-placements`; do not edit by hand.\n"
            + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100),
            encoding="utf-8",
        )
    load_placements.cache_clear()
    return ImportReport(
        rows=len(df),
        years=(int(df.year.min()), int(df.year.max())),
        sources=len(doc["sources"]),
        out_dir=out_dir,
        findings=findings,
    )
