"""Draw a held-out batch of narratives for direction labels (tests/devset/flows).

The rule, written down before the batch is labelled: among the narratives of both corpora
(the 2018 report set and the Factbook texts of ``../shared/data``) whose country has no label
file anywhere under ``tests/devset/`` (any folder, any year; the drawn batch's own files
aside), whose trafficking profile is at
least 400 characters long, a ``random.Random(seed)`` shuffle of the sorted document ids picks,
in shuffled order, Factbook texts (at most two per report year) and 2018 narratives, every
country at most once, until ``--factbook`` and ``--tip2018`` of them are chosen. Countries
listed in ``--exclude`` (one ISO3 code a line: for ``flows-holdout-4``,
``tests/devset/flows/seen_before_holdout4.txt``, the countries of every narrative whose
extractor output was read while the rules were being written) are left out too. Only the
ingest is run (no extractor): the draw cannot look at the extractor's output.

    .venv/bin/python scripts/draw_flow_holdout.py [--seed 1204] [--factbook 11] [--tip2018 5]
        [--exclude tests/devset/flows/seen_before_holdout4.txt] [--years-apart 5]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

DEVSET = Path(__file__).resolve().parent.parent / "tests" / "devset"
_COUNTRY = re.compile(r"^country:\s*([A-Z]{3})\s*$", re.M)
_DOC = re.compile(r"^doc:\s*\S+:([A-Z]{3})\s*$", re.M)
_BATCH = re.compile(r"^batch:\s*(\S+)\s*$", re.M)
_DOC_ID = re.compile(r"^doc:\s*(\S+)\s*$", re.M)


def _label_texts(devset: Path, batch: str | None, later: frozenset[str],
                 unread: frozenset[str]) -> Iterator[tuple[Path, str]]:
    """(path, text) of every label file under ``devset``, leaving out the files of ``batch``
    (the batch being drawn), of the ``later`` batches (labelled after this draw, so the draw
    could not know them) and of the sub-folders named in ``unread`` (labels whose readers, and
    the rule writers after them, read other sections than the trafficking profile: ``lawenf``
    reads PROSECUTION and PROTECTION only)."""
    for path in devset.rglob("*.yaml"):
        if path.parent.name in unread:
            continue
        text = path.read_text("utf-8")
        batches = set(_BATCH.findall(text))
        if (batch is not None and batch in batches) or batches & later:
            continue
        yield path, text


def year_of(doc_id: str) -> int | None:
    """The report year of a document id (``tip2018:<ISO3>`` is 2018)."""
    parts = doc_id.split(":")
    return 2018 if parts[0] == "tip2018" else int(parts[1]) if len(parts) == 3 else None


def labelled_years(devset: Path = DEVSET, batch: str | None = None,
                   later: frozenset[str] = frozenset(),
                   unread: frozenset[str] = frozenset()) -> dict[str, set[int]]:
    """ISO3 -> the report years of its labelled documents (the files of
    :func:`labelled_countries`)."""
    out: dict[str, set[int]] = {}
    for _path, text in _label_texts(devset, batch, later, unread):
        for doc_id in _DOC_ID.findall(text):
            year = year_of(doc_id)
            if year is not None:
                out.setdefault(doc_id.split(":")[-1], set()).add(year)
    return out


def labelled_countries(devset: Path = DEVSET, batch: str | None = None,
                       later: frozenset[str] = frozenset(),
                       unread: frozenset[str] = frozenset()) -> set[str]:
    """ISO3 codes of every country that has a label file under ``devset`` (any folder; the
    files left out are those of :func:`_label_texts`)."""
    out: set[str] = set()
    for path, text in _label_texts(devset, batch, later, unread):
        out.update(_COUNTRY.findall(text))
        out.update(_DOC.findall(text))
        stem = path.stem.rsplit("_", 1)[-1]
        if len(stem) == 3 and stem.isupper():
            out.add(stem)
    return out


def draw(
    seed: int,
    n_factbook: int,
    n_tip2018: int,
    exclude: frozenset[str] = frozenset(),
    batch: str = "flows-holdout-4",
    min_profile: int = 400,
    later: frozenset[str] = frozenset(),
    unread: frozenset[str] = frozenset(),
    years_apart: int | None = None,
    exclude_docs: frozenset[str] = frozenset(),
) -> list[str]:
    from tipwatch.ingest import load_factbook, load_tip2018

    taken = labelled_countries(batch=batch, later=later, unread=unread) | exclude
    years = labelled_years(batch=batch, later=later, unread=unread)
    for iso3 in exclude:
        years.setdefault(iso3, set()).add(2018)
    for doc_id in exclude_docs:  # read documents count as labelled ones for the years rule
        year = year_of(doc_id)
        if year is not None:
            years.setdefault(doc_id.split(":")[-1], set()).add(year)
    pool = {}
    for n in list(load_tip2018()) + list(load_factbook()):
        a, b = (n.spans or {}).get("profile", (0, 0))
        if b - a < min_profile or n.doc_id in exclude_docs:
            continue
        if years_apart is None:
            if n.country not in taken:
                pool[n.doc_id] = n
        elif n.doc_id.startswith("factbook:") and all(
                abs(n.year - y) >= years_apart for y in years.get(n.country, ())):
            pool[n.doc_id] = n
    ids = sorted(pool)
    random.Random(seed).shuffle(ids)
    chosen: list[str] = []
    countries: set[str] = set()
    per_year: dict[int, int] = {}
    want = {"factbook": n_factbook, "tip2018": n_tip2018}
    for doc_id in ids:
        n = pool[doc_id]
        corpus = doc_id.split(":")[0]
        if want.get(corpus, 0) <= 0 or n.country in countries:
            continue
        if corpus == "factbook" and per_year.get(n.year, 0) >= 2:
            continue
        chosen.append(doc_id)
        countries.add(n.country)
        want[corpus] -= 1
        if corpus == "factbook":
            per_year[n.year] = per_year.get(n.year, 0) + 1
    return sorted(chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1204)
    parser.add_argument("--factbook", type=int, default=11)
    parser.add_argument("--tip2018", type=int, default=5)
    parser.add_argument("--exclude", type=Path, action="append",
                        help="file of ISO3 codes to leave out (may be repeated)")
    parser.add_argument("--batch", default="flows-holdout-4", help="the batch being drawn")
    parser.add_argument("--unread", action="append", default=[],
                        help="a label sub-folder whose labels read no profile (e.g. lawenf)")
    parser.add_argument("--years-apart", type=int, default=None,
                        help="pool Factbook texts at least N years from every labelled "
                             "document of their country (instead of unlabelled countries)")
    parser.add_argument("--exclude-docs", type=Path, action="append",
                        help="file of document ids to leave out (may be repeated)")
    args = parser.parse_args(argv)
    exclude_docs: frozenset[str] = frozenset()
    for path in args.exclude_docs or []:
        exclude_docs |= frozenset(path.read_text("utf-8").split())
    exclude = frozenset()
    for path in args.exclude or []:
        exclude |= frozenset(path.read_text("utf-8").split())
    for doc_id in draw(args.seed, args.factbook, args.tip2018, exclude, args.batch,
                       unread=frozenset(args.unread), years_apart=args.years_apart,
                       exclude_docs=exclude_docs):
        print(doc_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
