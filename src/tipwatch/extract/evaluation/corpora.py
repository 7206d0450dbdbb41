"""The texts the labels were read from: matching labelled documents to an engine's, the panel's
tiers against the tier statements, and one extraction run over the labelled narratives."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tipwatch.extract.evaluation.labels import Label
from tipwatch.extract.evaluation.scoring import Evaluation, fact_item, field_of, score


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of 5-word shingles (used to find the same Factbook text)."""
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def match_documents(
    labels: Sequence[Label],
    narratives: Sequence[Any],
    factbook_texts: Mapping[tuple[int, str], str] | None = None,
    min_similarity: float = 0.6,
) -> dict[str, str]:
    """Label doc id -> engine doc id ('' when the engine has no such document).

    The doc id is matched first. A Factbook label whose report year the engine numbers
    differently is matched by content: the label's (edition, country) text from the Factbook
    archive is compared with the engine's Factbook narratives of that country.
    """
    by_id = {field_of(n, "doc_id"): n for n in narratives}
    out: dict[str, str] = {}
    for label in labels:
        if label.doc in by_id:
            out[label.doc] = label.doc
            continue
        out[label.doc] = ""
        if not label.doc.startswith("factbook:") or factbook_texts is None:
            continue
        reference = factbook_texts.get((label.edition or 0, label.country))
        if not reference:
            continue
        best, best_sim = "", 0.0
        for n in narratives:
            doc_id = str(field_of(n, "doc_id"))
            if doc_id.startswith("factbook:") and field_of(n, "country") == label.country:
                sim = similarity(reference, str(field_of(n, "text") or ""))
                if sim > best_sim:
                    best, best_sim = doc_id, sim
        if best_sim >= min_similarity:
            out[label.doc] = best
    return out


def read_factbook_texts(
    path: str | Path, iso2_to_iso3: Mapping[str, str]
) -> dict[tuple[int, str], str]:
    """(edition, ISO3) -> text from the Factbook archive CSV (for :func:`match_documents`)."""
    csv.field_size_limit(1 << 30)
    out: dict[tuple[int, str], str] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            iso3 = iso2_to_iso3.get((row.get("iso2") or "").upper())
            if iso3 and row.get("content"):
                out[(int(row["edition_year"]), iso3)] = row["content"]
    return out


# --------------------------------------------------------------------------- tiers vs the panel


@dataclass(frozen=True)
class TierMismatch:
    iso3: str
    year: int
    extracted: str | None
    panel: str | None


def tier_agreement(
    facts: Iterable[Any], panel: Mapping[tuple[str, int], str], docs: Iterable[tuple[str, str, int]]
) -> tuple[int, list[TierMismatch]]:
    """Compare the tier stated in each narrative with the panel tier.

    ``docs`` lists (doc id, ISO3, year) of the narratives to check; returns (number agreeing,
    mismatches). A narrative with no tier statement, or with several different tiers, is a
    mismatch.
    """
    stated: dict[str, set[str]] = {}
    for fact in facts:
        item = fact_item(fact)
        if item and item[0] == "tier":
            stated.setdefault(str(field_of(fact, "doc_id")), set()).add(item[1])
    agree, mismatches = 0, []
    for doc, iso3, year in docs:
        tiers = stated.get(doc, set())
        want = panel.get((iso3, year))
        got = next(iter(tiers)) if len(tiers) == 1 else ("|".join(sorted(tiers)) or None)
        if got is not None and got == want:
            agree += 1
        else:
            mismatches.append(TierMismatch(iso3, year, got, want))
    return agree, mismatches


def panel_tiers() -> dict[tuple[str, int], str]:
    """(ISO3, year) -> tier from the bundled panel (``tipwatch.panel``), else the research CSV."""
    try:
        from tipwatch.panel import load_placements
    except ImportError:
        load_placements = None
    if load_placements is not None:
        df = load_placements()
        return {(str(r.iso3), int(r.year)): str(r.tier) for r in df.itertuples()}
    from tipwatch.paths import shared_dir

    out: dict[tuple[str, int], str] = {}
    with open(shared_dir() / "data" / "tip_tiers.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[(row["iso3"], int(row["year"]))] = row["tier"]
    return out


# --------------------------------------------------------------------------- the engine, end to end


def iso2_to_iso3() -> dict[str, str]:
    """ISO2 -> ISO3 from the country table (``tipwatch.countries``)."""
    from tipwatch.countries import all_countries

    return {c.iso2.upper(): c.iso3 for c in all_countries() if c.iso2}


def factbook_archive_texts() -> dict[tuple[int, str], str]:
    """(edition, ISO3) -> Factbook text from the research archive in ``../shared``."""
    from tipwatch.paths import shared_dir

    path = (
        shared_dir()
        / "data"
        / "raw"
        / "cia_factbook_archive"
        / "cia_factbook_trafficking_in_persons_2006_2025.csv"
    )
    return read_factbook_texts(path, iso2_to_iso3())


@dataclass
class EngineRun:
    """Facts of the labelled documents, as produced by the extraction engine."""

    evaluation: Evaluation
    doc_map: dict[str, str]
    facts: list[Any]
    narratives: list[Any]


def evaluate_engine(labels: Sequence[Label]) -> EngineRun:
    """Ingest the corpora with the engine, extract the labelled documents, score them."""
    from tipwatch.extract import extract
    from tipwatch.ingest import load_factbook, load_tip2018

    narratives = list(load_tip2018()) + list(load_factbook())
    doc_map = match_documents(labels, narratives, factbook_archive_texts())
    wanted = {d for d in doc_map.values() if d}
    facts = [f for n in narratives if field_of(n, "doc_id") in wanted for f in extract(n)]
    return EngineRun(score(labels, facts, doc_map), doc_map, facts, narratives)
