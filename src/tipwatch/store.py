"""The embedded DuckDB store: build it from the bundled data, open it, query it.

``build()`` writes a new database file beside the target and renames it into place only when
every build step and every data check passed, so a failed build never leaves a half-written
store. Each area of the product contributes its tables through a *build step*: a function
``build_tables(con)`` named in :data:`BUILD_STEPS`.
"""

from __future__ import annotations

import importlib
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tipwatch.atomic import atomic_path, disk_full, sweep_stale
from tipwatch.errors import (
    BadInputError,
    DiskFullError,
    NotWritableError,
    StoreDamagedError,
    TipwatchError,
)
from tipwatch.limits import check_not_special
from tipwatch.paths import db_path

#: The store opened last in this process (named by errors met while reading it).
_opened: Path | None = None

_DAMAGED = ("could not read enough bytes", "corrupt database file", "checksum",
            "not a valid duckdb database", "database file", "failed to read database header")


def duckdb_failure(exc: BaseException, path: Path | None = None) -> TipwatchError | None:
    """The project's error for a DuckDB error that is the machine's or the file's fault."""
    named = re.search(r'file "([^"]+)"', str(exc))
    where = Path(named.group(1)) if named else (path or _opened or db_path(None))
    if disk_full(exc):
        return DiskFullError(where)
    text = str(exc).lower()
    if not re.search(r"\block\b", text) and any(k in text for k in _DAMAGED):
        return StoreDamagedError(where)
    return None

#: "module:function" for each step, run in order on the new database.
BUILD_STEPS: list[str] = [
    "tipwatch.panel:build_tables",  # countries, placements, sources, stated_totals
    "tipwatch.corpus_merge:merge_placements",  # placements read from the user's corpus
    "tipwatch.rules.audit:build_tables",  # law, audit events
    "tipwatch.extract.bundle:build_tables",  # facts and flows from the bundled corpora
    "tipwatch.corpus_merge:merge_facts",  # the user's corpus facts, flows and cited-by again
]


@dataclass
class BuildReport:
    path: Path
    seconds: float
    tables: dict[str, int] = field(default_factory=dict)
    #: (a store existed, the corpus state it had been built from) before this build
    before: tuple[bool, dict | None] = (False, None)


def _step(spec: str):  # noqa: ANN202
    module, func = spec.split(":")
    return getattr(importlib.import_module(module), func)


def build(
    db: str | os.PathLike[str] | None = None,
    corpus: str | os.PathLike[str] | bool | None = None,
) -> BuildReport:
    """Build the store at ``db`` (default: :func:`tipwatch.paths.db_path`) atomically.

    ``corpus``: the user's corpus to merge (default ``$TIPWATCH_CORPUS`` or
    ``var/corpus.duckdb`` when it exists; ``False``: none).
    """
    from tipwatch.corpus_merge import CORPUS, previous_state

    before = previous_state(db_path(db))
    token = CORPUS.set(corpus)
    try:
        report = _build(db)
        report.before = before
        return report
    finally:
        CORPUS.reset(token)


def _build(db: str | os.PathLike[str] | None) -> BuildReport:
    target = db_path(db)
    if target.exists() and target.is_dir():
        raise NotWritableError(f"--db {target} is a folder, not a database file")
    check_not_special(target, "--db")
    start = time.perf_counter()
    with atomic_path(target, suffix=".duckdb") as tmp:
        try:
            con = duckdb.connect(str(tmp))
        except duckdb.Error as exc:  # pragma: no cover - depends on the file system
            if disk_full(exc):
                raise DiskFullError(target) from exc
            raise NotWritableError(f"cannot create database at {target}: {exc}") from exc
        try:
            for spec in BUILD_STEPS:
                _step(spec)(con)
            con.execute(
                "CREATE TABLE meta AS SELECT * FROM (VALUES ('build_id', ?), ('built_at', ?)) "
                "AS t(key, value)",
                [uuid.uuid4().hex[:16], time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())],
            )
            con.execute("CHECKPOINT")
            tables = {
                name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for (name,) in con.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'main' ORDER BY table_name"
                ).fetchall()
            }
        except (duckdb.Error, OSError) as exc:
            if disk_full(exc):
                raise DiskFullError(target) from exc
            raise
        finally:
            con.close()
        wal = Path(str(tmp) + ".wal")
        if wal.exists():  # pragma: no cover - CHECKPOINT folds the WAL in
            wal.unlink()
    return BuildReport(path=target, seconds=time.perf_counter() - start, tables=tables)


def connect(
    db: str | os.PathLike[str] | None = None, *, build_if_missing: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open the store read-only, building it first when it does not exist yet."""
    global _opened
    target = db_path(db)
    sweep_stale(target.parent if str(target.parent) else Path("."), [target.name])
    if not target.exists():
        if not build_if_missing:
            raise BadInputError(f"no store at {target}; run `tipwatch build`")
        build(target)
    check_not_special(target, "--db")
    if target.is_dir():
        raise BadInputError(f"--db {target} is a folder, not a database file")
    _opened = target
    try:
        return duckdb.connect(str(target), read_only=True)
    except duckdb.Error as exc:
        known = duckdb_failure(exc, target)
        if isinstance(known, StoreDamagedError):
            raise StoreDamagedError(target) from exc
        raise BadInputError(f"cannot open store {target}: {exc}") from exc


def build_id(con: duckdb.DuckDBPyConnection) -> str | None:
    """The id written by the build that made this store (None for stores built before ids)."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()
    except duckdb.Error:
        return None
    return str(row[0]) if row else None


def verify(db: str | os.PathLike[str] | None = None) -> None:
    """Read every row of every table once: a truncated or corrupt store fails here, with one
    line, instead of in a request later (``tipwatch serve`` calls this at start-up)."""
    target = db_path(db)
    con = connect(target, build_if_missing=False)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()]
        for name in names:
            cur = con.execute(f'SELECT * FROM "{name}"')
            while cur.fetchmany(10000):
                pass
    except duckdb.Error as exc:
        known = duckdb_failure(exc, target)
        if known is not None:
            raise StoreDamagedError(target) from exc
        raise
    finally:
        con.close()
