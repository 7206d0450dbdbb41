"""Bundled facts: the derived facts of the shared corpora, written once, loaded into the store.

``src/tipwatch/data/facts.csv.gz`` holds one row per fact (codes, numbers and locators, never
report text) with the document id, section, character span, extractor version and the SHA-256
of the source file. ``scripts/extract_bundle.py`` (or :func:`write_bundle`) regenerates it
from ``../shared``; the output is byte-for-byte reproducible (sorted rows, gzip without a
timestamp). :func:`read_bundle` reads it back as rows; the store step
:mod:`tipwatch.store.steps.facts` loads it into ``facts`` and derives ``flows`` and ``cited_by``.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tipwatch.atomic import atomic_path, write_text
from tipwatch.errors import DataCheckError
from tipwatch.model import Fact, Narrative
from tipwatch.paths import DATA_DIR

BUNDLE = DATA_DIR / "facts.csv.gz"

FACT_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "source",
    "country",
    "iso3",
    "year",
    "kind",
    "value",
    "direction",
    "note",
    "section",
    "start",
    "end",
    "extractor_version",
    "source_file",
    "source_sha256",
    "rule_id",
)

def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fact_rows(
    facts: Iterable[Fact], sources: dict[str, str], source_file: str = "", sha: str = ""
) -> list[dict[str, Any]]:
    """Facts as flat rows (``value`` as a code or JSON text)."""
    out = []
    for f in facts:
        row = f.to_dict()
        row["value"] = f.value_text()
        row["source"] = sources.get(f.doc_id, f.doc_id.split(":", 1)[0])
        row["source_file"] = source_file
        row["source_sha256"] = sha
        out.append(row)
    return out


def corpus_facts(shared: Path | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Extract every shared corpus: (fact rows, per-corpus provenance)."""
    from tipwatch.extract import efforts, extract
    from tipwatch.ingest import factbook, tip2018

    corpora: list[tuple[str, Path, Any]] = []
    t_path = (shared / tip2018.DEFAULT_DIR) if shared else tip2018.default_path()
    f_path = (shared / factbook.DEFAULT_FILE) if shared else factbook.default_path()
    corpora.append(("tip2018", t_path / tip2018.FLAT_CSV, tip2018.load_tip2018))
    corpora.append(("factbook", f_path, factbook.load_factbook))
    rows: list[dict[str, Any]] = []
    prov: list[dict[str, Any]] = []
    for name, file, loader in corpora:
        narratives: list[Narrative] = loader(file)
        sha = sha256_file(file)
        # every kind, and the effort facts of the opening paragraph or tier rating, so that the
        # store explains each move from the bundled narratives too (docs/years.md, section 3)
        facts = [f for n in narratives for f in (*extract(n), *efforts.extract(n))]
        rel = file.as_posix().split("/data/", 1)[-1]
        rows.extend(fact_rows(facts, {n.doc_id: name for n in narratives}, "data/" + rel, sha))
        prov.append(
            {
                "corpus": name,
                "file": "data/" + rel,
                "sha256": sha,
                "narratives": len(narratives),
                "facts": len(facts),
            }
        )
    rows.sort(key=lambda r: (r["doc_id"], r["kind"], r["start"], r["end"], r["value"]))
    return rows, prov


def to_csv_gz(rows: Sequence[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=FACT_COLUMNS, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in FACT_COLUMNS})
    return gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def write_bundle(out: Path | None = None, shared: Path | None = None) -> dict[str, Any]:
    """Regenerate the bundled facts file (atomically) and return a summary."""
    from tipwatch.extract import EXTRACTOR_VERSION

    out = out or BUNDLE
    rows, prov = corpus_facts(shared)
    data = to_csv_gz(rows)
    with atomic_path(out) as tmp:
        tmp.write_bytes(data)
    write_text(out.with_name("facts.PROVENANCE.md"), provenance_markdown(rows, prov, data))
    return {
        "path": str(out),
        "rows": len(rows),
        "corpora": prov,
        "extractor_version": EXTRACTOR_VERSION,
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def provenance_markdown(
    rows: Sequence[dict[str, Any]], prov: Sequence[dict[str, Any]], data: bytes
) -> str:
    """The provenance note written beside the bundled facts (regenerated with them)."""
    from collections import Counter

    from tipwatch.extract import EXTRACTOR_VERSION, KINDS

    kinds = Counter((r["source"], r["kind"]) for r in rows)
    lines = [
        "# facts.csv.gz — facts extracted from the shared narrative corpora",
        "",
        "Generated by `scripts/extract_bundle.py` (do not edit by hand). Facts and figures only:",
        "codes, numbers and locators; **no report text**. A fact's quote is",
        "`text[start:end]` of the narrative `doc_id`, read from `../shared` (see",
        "`docs/extraction.md`).",
        "",
        f"* extractor version: `{EXTRACTOR_VERSION}`",
        f"* rows: {len(rows)}; file sha256: `{hashlib.sha256(data).hexdigest()}`",
        "",
        "| corpus | source file (under `../shared/`) | sha256 | narratives | facts |",
        "|---|---|---|---|---|",
    ]
    for p in prov:
        lines.append(
            f"| {p['corpus']} | `{p['file']}` | `{p['sha256'][:16]}…` | {p['narratives']} | "
            f"{p['facts']} |"
        )
    lines += [
        "",
        "Facts per kind:",
        "",
        "| kind | " + " | ".join(p["corpus"] for p in prov) + " |",
        "|---|" + "---|" * len(prov),
    ]
    for k in (*KINDS, "effort"):
        lines.append(f"| {k} | " + " | ".join(str(kinds[(p["corpus"], k)]) for p in prov) + " |")
    lines += [
        "",
        "Columns: `doc_id` (`tip2018:<ISO3>` or `factbook:<report year>:<ISO3>`), `source`",
        "(corpus), `country` (canonical name), `iso3` (the narrative's country), `year` (TIP",
        "report year), `kind`, `value` (a code, or JSON for tier statements, law-enforcement",
        "counts, recommendations and effort facts), `direction` (cited countries: from / to /",
        "via), `note` (`subset` for a figure split by form), `section`, `start`, `end`",
        "(character offsets in the narrative text), `extractor_version`, `source_file`,",
        "`source_sha256`, `rule_id`",
        "(the rule of `src/tipwatch/data/patterns/<kind>.yaml` that made the fact).",
        "",
        "Sources: the 2018 TIP report country narratives (U.S. Department of State, public",
        "domain; parsed text from github.com/teomotun/World-Human-Trafficking-Analysis, see",
        '`../shared/data/PROVENANCE.md` §3) and the CIA World Factbook "Trafficking in',
        'persons" field 2006-2025 (public domain; archive github.com/MilkMp/',
        "CIA-World-Factbooks-Archive-1990-2025, PROVENANCE §2.3).",
        "",
    ]
    return "\n".join(lines)


def read_bundle(path: Path | None = None) -> list[dict[str, Any]]:
    path = path or BUNDLE
    if not path.exists():
        raise DataCheckError(f"bundled facts missing: {path}; run scripts/extract_bundle.py")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def value_of(text: str) -> Any:
    """The stored value back as a str or dict."""
    if text.startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text
