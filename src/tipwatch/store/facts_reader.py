"""Reading facts back: the store's bundled facts plus the user's local corpus, with quotes.

A fact's quote is ``text[start:end]`` of its narrative. The text is taken from the local corpus
when the document was ingested there, else from the shared corpora (``../shared``) when they
are present; otherwise the quote is left empty (the repository holds no report text).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

from tipwatch.extract.bundle import value_of
from tipwatch.model import Narrative
from tipwatch.store import corpus as local

_COLUMNS = (
    "doc_id, source, country, iso3, year, kind, value, direction, note, section, start, "
    '"end", extractor_version, rule_id'
)


def _where(
    year: int | None, iso3: str | None, kind: str | None, extra: str = ""
) -> tuple[str, list]:
    conds, params = [], []
    if year is not None:
        conds.append("year = ?")
        params.append(int(year))
    if iso3 is not None:
        conds.append("iso3 = ?")
        params.append(iso3)
    if kind is not None:
        conds.append("kind = ?")
        params.append(kind)
    if extra:
        conds.append(extra)
    return ("WHERE " + " AND ".join(conds)) if conds else "", params


def _fetch(con: Any, where: str, params: list) -> list[dict[str, Any]]:
    columns = _COLUMNS
    have = {r[0] for r in con.execute("SELECT column_name FROM (DESCRIBE facts)").fetchall()}
    if "rule_id" not in have:  # a store or corpus written before facts carried rule ids
        columns = columns.replace("rule_id", "NULL AS rule_id")
    from tipwatch.store.reader import rows

    order = "ORDER BY year, iso3, doc_id, kind, start"
    return rows(con, f"SELECT {columns} FROM facts {where} {order}", params)


def raw_facts(
    db: str | None = None,
    corpus: str | None = None,
    year: int | None = None,
    iso3: str | None = None,
    kind: str | None = None,
    extra: str = "",
    extra_params: list | None = None,
) -> tuple[list[dict[str, Any]], set[str]]:
    """Fact rows from the local corpus and the store; a document in the corpus wins."""
    from tipwatch.store import build as store

    where, params = _where(year, iso3, kind, extra)
    params = params + list(extra_params or [])
    rows: list[dict[str, Any]] = []
    local_docs: set[str] = set()
    con = local.connect(corpus, read_only=True)
    if con is not None:
        try:
            rows = _fetch(con, where, params)
            local_docs = {r[0] for r in con.execute("SELECT doc_id FROM narratives").fetchall()}
        finally:
            con.close()
    for r in rows:  # local facts: the country table's name, as in the store
        r["country"] = _name(r["iso3"])
    with store.connect(db) as scon:
        has = scon.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'facts'"
        ).fetchone()[0]
        if has:
            # a corpus document's facts come from the corpus, except the effort facts the
            # store adds at build time (docs/years.md)
            rows += [r for r in _fetch(scon, where, params)
                     if r["doc_id"] not in local_docs or r["kind"] == "effort"]
    return rows, local_docs


def query_facts(
    db: str | None = None,
    corpus: str | None = None,
    year: int | None = None,
    iso3: str | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """Facts as dicts (value as a code or an object) with ``quote`` where the text is at hand."""
    rows, local_docs = raw_facts(db, corpus, year, iso3, kind)
    texts = _TextSource(corpus, local_docs)
    out = []
    for r in rows:
        r = dict(r)
        r["value"] = value_of(r["value"]) if isinstance(r["value"], str) else r["value"]
        n = texts.get(r["doc_id"])
        r["quote"] = n.text[r["start"] : r["end"]] if n else None
        out.append(r)
    out.sort(key=lambda r: (r["year"], r["iso3"], r["doc_id"], r["kind"], r["start"]))
    return out


def cited_by(
    iso3: str, db: str | None = None, corpus: str | None = None, year: int | None = None
) -> list[dict[str, Any]]:
    """One row per narrative that names ``iso3``: mentions, directions and locators."""
    rows, local_docs = raw_facts(
        db, corpus, year, None, "cited_country", extra="value = ?", extra_params=[iso3]
    )
    texts = _TextSource(corpus, local_docs)
    docs: dict[str, dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: (r["year"], r["doc_id"], r["start"])):
        d = docs.setdefault(
            r["doc_id"],
            {
                "doc_id": r["doc_id"],
                "country": r["country"],
                "iso3": r["iso3"],
                "year": r["year"],
                "mentions": 0,
                "directions": [],
                "locators": [],
                "quote": None,
            },
        )
        d["mentions"] += 1
        if r["direction"] and r["direction"] not in d["directions"]:
            d["directions"].append(r["direction"])
        d["locators"].append(f"{r['section']}:{r['start']}-{r['end']}")
        if d["quote"] is None:
            n = texts.get(r["doc_id"])
            if n:
                d["quote"] = _sentence_around(n, r["start"], r["end"])
    out = list(docs.values())
    for d in out:
        d["directions"] = ",".join(d["directions"])
    return sorted(out, key=lambda d: (d["year"], d["country"]))


def _sentence_around(n: Narrative, start: int, end: int, width: int = 90) -> str:
    a = max(0, start - width)
    b = min(len(n.text), end + width)
    return ("…" if a else "") + " ".join(n.text[a:b].split()) + ("…" if b < len(n.text) else "")


class _TextSource:
    """Narrative texts by document id: the local corpus, then the shared corpora."""

    def __init__(self, corpus: str | None, local_docs: set[str]) -> None:
        self.corpus = corpus
        self.local_docs = local_docs
        self.cache: dict[str, Narrative | None] = {}

    def get(self, doc_id: str) -> Narrative | None:
        if doc_id in self.cache:
            return self.cache[doc_id]
        n: Narrative | None = None
        if doc_id in self.local_docs:
            con = local.connect(self.corpus, read_only=True)
            if con is not None:
                try:
                    n = local.narrative(con, doc_id)
                finally:
                    con.close()
        if n is None:
            n = _shared().get(doc_id)
            if n is not None and doc_id.startswith("tip2018:"):  # what users read: the
                from tipwatch.ingest.tip2018 import readable  # parse's punctuation repaired

                n = dataclasses.replace(n, text=readable(n.text))
        self.cache[doc_id] = n
        return n


@lru_cache(maxsize=512)
def _name(iso3: str) -> str:
    from tipwatch.extract.lexicon import country_name

    return country_name(iso3)


@lru_cache(maxsize=1)
def _shared() -> dict[str, Narrative]:
    from tipwatch.errors import TipwatchError
    from tipwatch.ingest import load_factbook, load_tip2018

    out: dict[str, Narrative] = {}
    for loader in (load_tip2018, load_factbook):
        try:
            out.update({n.doc_id: n for n in loader()})
        except (TipwatchError, OSError):
            continue  # the shared folder is optional
    return out
