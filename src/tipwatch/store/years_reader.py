"""Reads of the multi-year tables of the store: conflicts, corpus placements, corpus state.

Every function takes an open DuckDB connection (or cursor); an absent table (a store built
before these tables existed) answers an empty list.
"""

from __future__ import annotations

from typing import Any


def _has(con: Any, table: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_schema = 'main' AND table_name = ?",
                            [table]).fetchone()[0])


def _rows(con: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def conflicts(con: Any, year: int | None = None) -> list[dict[str, Any]]:
    """Conflicts between the panel and the user's corpus (the bundled value stays)."""
    if not _has(con, "conflicts"):
        return []
    sql = "SELECT * FROM conflicts"
    params: list[Any] = []
    if year is not None:
        sql += " WHERE year = ?"
        params.append(int(year))
    return _rows(con, sql + " ORDER BY year, name, kind, doc_id", params)


def corpus_placements(con: Any, year: int | None = None) -> list[dict[str, Any]]:
    if not _has(con, "corpus_placements"):
        return []
    sql = "SELECT * FROM corpus_placements"
    params: list[Any] = []
    if year is not None:
        sql += " WHERE year = ?"
        params.append(int(year))
    return _rows(con, sql + " ORDER BY year, iso3, doc_id", params)


def corpus_summary(con: Any) -> dict[str, Any]:
    """The corpus state the store was built from, with outcome counts per report year."""
    from tipwatch.store.corpus_merge import built_state

    state = built_state(con)
    per_year: dict[int, dict[str, int]] = {}
    for r in corpus_placements(con):
        per_year.setdefault(int(r["year"]), {}).setdefault(r["outcome"], 0)
        per_year[int(r["year"])][r["outcome"]] += 1
    skipped = _rows(con, "SELECT * FROM corpus_skipped ORDER BY doc_id") if _has(
        con, "corpus_skipped") else []
    return {"corpus": state, "per_year": per_year, "skipped": skipped,
            "n_conflicts": len(conflicts(con))}


def per_year_corpus(con: Any) -> dict[int, dict[str, int]]:
    """Per report year: placements filled or deduced from the corpus, and conflicts."""
    out: dict[int, dict[str, int]] = {}
    for r in corpus_placements(con):
        if r["outcome"] in ("filled", "deduced"):
            d = out.setdefault(int(r["year"]), {"n_from_corpus": 0, "n_conflicts": 0})
            d["n_from_corpus"] += 1
    for c in conflicts(con):
        d = out.setdefault(int(c["year"]), {"n_from_corpus": 0, "n_conflicts": 0})
        d["n_conflicts"] += 1
    return out
