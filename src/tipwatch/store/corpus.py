"""The user's local corpus: narratives they ingested and their facts, in their own DuckDB file.

Kept apart from the store (``var/tipwatch.duckdb``), which ``tipwatch build`` rebuilds from the
bundled data: the corpus file (``var/corpus.duckdb``, ``$TIPWATCH_CORPUS`` or ``--corpus``)
is only ever changed by ``tipwatch ingest``. Each document is written in one transaction
(its narrative row and all its facts, replacing an earlier copy of the same ``doc_id``), so a
failure leaves the corpus as it was.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

from tipwatch.errors import BadInputError, NotWritableError
from tipwatch.extract.bundle import FACT_COLUMNS, fact_rows
from tipwatch.model import Fact, Narrative
from tipwatch.store.schema import ddl

DEFAULT_CORPUS = Path("var") / "corpus.duckdb"

NARRATIVES_DDL = ddl("narratives", corpus=True, if_not_exists=True)
FACTS_DDL = ddl("facts", corpus=True, if_not_exists=True)
SOURCES_DDL = ddl("sources", corpus=True, if_not_exists=True)
SOURCE_COLUMNS = (
    "source_id", "url", "path", "year", "iso3", "fetched_at", "http_status", "etag",
    "last_modified", "bytes", "sha256", "status", "doc_ids", "warnings",
)


def corpus_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--corpus`` > ``$TIPWATCH_CORPUS`` > ``var/corpus.duckdb``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("TIPWATCH_CORPUS")
    return Path(env) if env else DEFAULT_CORPUS


def connect(path: str | os.PathLike[str] | None = None, read_only: bool = False):  # noqa: ANN201
    """Open the corpus (creating it and its tables when writing)."""
    target = corpus_path(path)
    if read_only and not target.exists():
        return None
    if target.exists() and target.is_dir():
        raise NotWritableError(f"--corpus {target} is a folder, not a database file")
    if not read_only:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NotWritableError(f"cannot create folder {target.parent}: {exc}") from exc
    try:
        con = duckdb.connect(str(target), read_only=read_only)
    except duckdb.Error as exc:
        raise BadInputError(f"cannot open corpus {target}: {exc}") from exc
    if not read_only:
        con.execute(NARRATIVES_DDL)
        con.execute(FACTS_DDL)
        # a corpus written before facts carried the id of their rule
        con.execute("ALTER TABLE facts ADD COLUMN IF NOT EXISTS rule_id VARCHAR")
        con.execute(SOURCES_DDL)
    return con


def record_source(con: duckdb.DuckDBPyConnection, row: dict[str, Any]) -> None:
    """One document's provenance (URL, fetched-at, HTTP status, ETag, bytes, sha256, what was
    read from it), replacing an earlier row of the same ``source_id``."""
    values = [row.get(c) for c in SOURCE_COLUMNS]
    for i, c in enumerate(SOURCE_COLUMNS):
        if c in ("doc_ids", "warnings") and not isinstance(values[i], str | None):
            values[i] = json.dumps(values[i], ensure_ascii=False)
    con.execute("DELETE FROM sources WHERE source_id = ?", [row["source_id"]])
    con.execute(
        f"INSERT INTO sources ({', '.join(SOURCE_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in SOURCE_COLUMNS)})",
        values,
    )


def store_document(
    con: duckdb.DuckDBPyConnection,
    narratives: Iterable[Narrative],
    facts: Iterable[Fact],
    origin: str,
    sha256: str = "",
    source: dict[str, Any] | None = None,
) -> int:
    """Write one document's narratives and facts in one transaction; returns narratives stored.

    ``origin`` (a path or URL) and ``sha256`` go into every fact's ``source_file`` /
    ``source_sha256`` locator; ``source`` (see :func:`record_source`) is written in the same
    transaction.
    """
    import pandas as pd

    narratives = list(narratives)
    rows = fact_rows(
        list(facts), {n.doc_id: n.source for n in narratives}, source_file=origin, sha=sha256
    )
    # one frame per table, one insert each (a document's rows are written in one batch)
    docs = pd.DataFrame(
        {
            "doc_id": [n.doc_id for n in narratives],
            "iso3": [n.country for n in narratives],
            "year": [n.year for n in narratives],
            "source": [n.source for n in narratives],
            "name": [n.name for n in narratives],
            "origin": [n.origin for n in narratives],
            "text": [n.text for n in narratives],
            "spans": [json.dumps(n.spans) for n in narratives],
            "meta": [json.dumps(n.meta, default=str) for n in narratives],
        }
    )
    cols = list(FACT_COLUMNS)
    frame = pd.DataFrame({c: [r.get(c) for r in rows] for c in cols}, columns=cols)
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("new_narratives", docs)
        con.register("new_facts", frame)
        try:
            con.execute("DELETE FROM facts WHERE doc_id IN (SELECT doc_id FROM new_narratives)")
            con.execute(
                "DELETE FROM narratives WHERE doc_id IN (SELECT doc_id FROM new_narratives)"
            )
            con.execute(
                "INSERT INTO narratives (doc_id, iso3, year, source, name, origin, text, spans, "
                "meta) SELECT doc_id, iso3, year, source, name, origin, text, spans, meta "
                "FROM new_narratives"
            )
            if rows:
                con.execute(f"INSERT INTO facts ({_quoted(cols)}) SELECT * FROM new_facts")
        finally:
            con.unregister("new_narratives")
            con.unregister("new_facts")
        if source is not None:
            record_source(con, source)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(narratives)


def _quoted(cols: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def narrative(con: duckdb.DuckDBPyConnection, doc_id: str) -> Narrative | None:
    row = con.execute(
        "SELECT doc_id, iso3, year, source, name, origin, text, spans, meta FROM narratives "
        "WHERE doc_id = ?",
        [doc_id],
    ).fetchone()
    if row is None:
        return None
    spans = {k: (v[0], v[1]) for k, v in json.loads(row[7]).items()}
    return Narrative(
        doc_id=row[0],
        country=row[1],
        year=row[2],
        source=row[3],
        name=row[4] or "",
        origin=row[5] or "",
        text=row[6],
        spans=spans,
        meta=json.loads(row[8] or "{}"),
    )


def fact_dicts(con: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> list[dict]:
    cur = con.execute(f"SELECT * FROM facts {where}", params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


class CorpusWriter:
    """The corpus file as ``tipwatch fetch`` writes it, page by page: what the harvest needs
    from the file, so that ``ingest/harvest.py`` holds no SQL and opens no database."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def record_source(self, row: dict[str, Any]) -> None:
        record_source(self.con, row)

    def store_document(self, narratives: Iterable[Narrative], facts: Iterable[Fact],
                       origin: str, sha256: str = "", source: dict[str, Any] | None = None,
                       ) -> int:
        return store_document(self.con, narratives, facts, origin=origin, sha256=sha256,
                              source=source)

    def stored_page(self, url: str, sha256: str, extractor_version: str,
                    ) -> tuple[list[str], dict[str, int], list[str]] | None:
        """(doc ids, facts per kind, warnings) of a page already stored from the same bytes by
        the same extractor version, else None."""
        row = self.con.execute(
            "SELECT doc_ids, warnings FROM sources WHERE source_id = ? AND sha256 = ? "
            "AND status = 'stored'", [url, sha256]).fetchone()
        if row is None:
            return None
        doc_ids = json.loads(row[0] or "[]")
        if not doc_ids:
            return None
        marks = ", ".join("?" for _ in doc_ids)
        versions = self.con.execute(
            f"SELECT DISTINCT extractor_version FROM facts WHERE doc_id IN ({marks})",
            doc_ids).fetchall()
        if [v for (v,) in versions] != [extractor_version]:
            return None
        counts = self.con.execute(
            f"SELECT kind, count(*) FROM facts WHERE doc_id IN ({marks}) GROUP BY kind",
            doc_ids).fetchall()
        return doc_ids, dict(counts), json.loads(row[1] or "[]")

    def has_sectioned(self, doc_id: str) -> bool:
        """True when the narrative ``doc_id`` is stored with its sections."""
        row = self.con.execute("SELECT spans FROM narratives WHERE doc_id = ?",
                               [doc_id]).fetchone()
        return bool(row) and row[0] not in ("{}", "", None)
