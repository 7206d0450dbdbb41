"""The embedded DuckDB store: build it from the bundled data, open it, query it.

``build()`` writes a new database file beside the target and renames it into place only when
every build step and every data check passed, so a failed build never leaves a half-written
store. The build runs the steps of :data:`BUILD_STEPS` in order (``tipwatch.store.steps``: one
module per step, each declaring its inputs and the tables it writes).

Every store records a *build id*: a hash of what it was built from (every file of the package,
code and bundled data, and the user's corpus file when one is merged). Two builds with the same
id hold the same tables, so the id names a build: ``tipwatch build --if-changed``, the report
cache and the API's ``ETag`` compare it.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tipwatch import progress
from tipwatch.errors import (
    BadInputError,
    DiskFullError,
    NotWritableError,
    StoreDamagedError,
    TipwatchError,
)
from tipwatch.limits import check_not_special
from tipwatch.paths import PACKAGE_DIR, db_path
from tipwatch.store.reader import build_id
from tipwatch.store.steps import Step

if TYPE_CHECKING:  # duckdb is imported when a store is opened, not at CLI start-up
    import duckdb

#: The store opened last in this process (named by errors met while reading it).
_opened: Path | None = None

_DAMAGED = ("could not read enough bytes", "corrupt database file", "checksum",
            "not a valid duckdb database", "database file", "failed to read database header")


def _disk_full(exc: BaseException) -> bool:
    from tipwatch.atomic import disk_full

    return disk_full(exc)


def duckdb_failure(exc: BaseException, path: Path | None = None) -> TipwatchError | None:
    """The project's error for a DuckDB error that is the machine's or the file's fault."""
    named = re.search(r'file "([^"]+)"', str(exc))
    where = Path(named.group(1)) if named else (path or _opened or db_path(None))
    if _disk_full(exc):
        return DiskFullError(where)
    text = str(exc).lower()
    if not re.search(r"\block\b", text) and any(k in text for k in _DAMAGED):
        return StoreDamagedError(where)
    return None


def _steps() -> list[Step]:
    from tipwatch.store.steps import audit, corpus_facts, corpus_placements, facts, panel

    return [panel.STEP, corpus_placements.STEP, audit.STEP, facts.STEP, corpus_facts.STEP]


#: The build steps in order (each names its inputs and the tables it writes).
BUILD_STEPS: list[Step] = _steps()


@dataclass
class BuildReport:
    path: Path
    seconds: float
    tables: dict[str, int] = field(default_factory=dict)
    build_id: str | None = None
    #: (a store existed, the corpus state it had been built from) before this build
    before: tuple[bool, dict | None] = (False, None)


def inputs_digest() -> str:
    """Every file of the package (code and bundled data), as one hash."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            h.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def expected_build_id(corpus: str | os.PathLike[str] | bool | None = None) -> str:
    """The build id a build made now would record (package files + the corpus merged)."""
    from tipwatch.store.corpus_merge import CORPUS, corpus_file, file_state

    token = CORPUS.set(corpus)
    try:
        found = corpus_file()
    finally:
        CORPUS.reset(token)
    h = hashlib.sha256(inputs_digest().encode())
    if found is not None:
        h.update(b"corpus\0" + file_state(found)["sha256"].encode())
    return h.hexdigest()[:32]


def stored_build_id(db: str | os.PathLike[str] | None = None) -> str | None:
    """The build id of the store at ``db``, or None when there is no readable store."""
    import duckdb

    target = db_path(db)
    if not target.is_file():
        return None
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error:
        return None
    try:
        return build_id(con)
    finally:
        con.close()


def _table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {
        name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' ORDER BY table_name"
        ).fetchall()
    }


def build(
    db: str | os.PathLike[str] | None = None,
    corpus: str | os.PathLike[str] | bool | None = None,
    report: progress.Reporter | None = None,
    countries: Iterable[str] | None = None,
) -> BuildReport:
    """Build the store at ``db`` (default: :func:`tipwatch.paths.db_path`) atomically.

    ``corpus``: the user's corpus to merge (default ``$TIPWATCH_CORPUS`` or
    ``var/corpus.duckdb`` when it exists; ``False``: none). ``report`` receives one line per
    build step (tables written, row counts, seconds). ``countries`` (ISO3 codes) makes a small
    store of those countries' placements and facts (the country table stays whole), for tests
    and demonstrations; its build id says so, so it is never taken for the full store.
    """
    from tipwatch.store.corpus_merge import CORPUS, previous_state
    from tipwatch.store.steps import ONLY

    _refuse_foreign_file(db_path(db))
    before = previous_state(db_path(db))
    bid = expected_build_id(corpus)
    only = None if countries is None else frozenset(c.upper() for c in countries)
    if only is not None:
        bid = hashlib.sha256(f"{bid}\0only\0{','.join(sorted(only))}".encode()).hexdigest()[:32]
    token = CORPUS.set(corpus)
    only_token = ONLY.set(only)
    try:
        result = _build(db, bid, report or progress.quiet)
        result.before = before
        from tipwatch.store import tiers_cache

        tiers_cache.write_after_build(result.path)
        return result
    finally:
        ONLY.reset(only_token)
        CORPUS.reset(token)


def _build(db: str | os.PathLike[str] | None, bid: str, report: progress.Reporter) -> BuildReport:
    import duckdb

    from tipwatch.atomic import atomic_path  # tempfile and shutil: only a build needs them

    target = db_path(db)
    if target.exists() and target.is_dir():
        raise NotWritableError(f"--db {target} is a folder, not a database file")
    check_not_special(target, "--db")
    start = time.perf_counter()
    with atomic_path(target, suffix=".duckdb") as tmp:
        try:
            con = duckdb.connect(str(tmp))
        except duckdb.Error as exc:  # pragma: no cover - depends on the file system
            if _disk_full(exc):
                raise DiskFullError(target) from exc
            raise NotWritableError(f"cannot create database at {target}: {exc}") from exc
        try:
            counts: dict[str, int] = {}
            for i, step in enumerate(BUILD_STEPS, start=1):
                t0 = time.perf_counter()
                step.run(con)
                after = _table_counts(con)
                new = {k: n for k, n in after.items() if counts.get(k) != n}
                report(f"  step {i}/{len(BUILD_STEPS)} {step.name}: "
                       f"{progress.counts(new)} ({progress.seconds(t0)})")
                counts = after
            con.execute(
                "CREATE TABLE meta AS SELECT * FROM (VALUES ('build_id', ?), ('built_at', ?)) "
                "AS t(key, value)",
                [bid, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())],
            )
            con.execute("CHECKPOINT")
            tables = _table_counts(con)
        except (duckdb.Error, OSError) as exc:
            if _disk_full(exc):
                raise DiskFullError(target) from exc
            raise
        finally:
            con.close()
        wal = Path(str(tmp) + ".wal")
        if wal.exists():  # pragma: no cover - CHECKPOINT folds the WAL in
            wal.unlink()
    return BuildReport(path=target, seconds=time.perf_counter() - start, tables=tables,
                       build_id=bid)


def connect(
    db: str | os.PathLike[str] | None = None, *, build_if_missing: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open the store read-only, building it first when it does not exist yet."""
    import duckdb

    from tipwatch.atomic import sweep_stale

    global _opened
    target = db_path(db)
    sweep_stale(target.parent if str(target.parent) else Path("."), [target.name])
    if not target.exists():
        if not build_if_missing:
            raise BadInputError(f"no store at {target}; run `tipwatch build`")
        progress.to_stderr(f"no store at {target} yet: building it")
        build(target, report=progress.to_stderr)
    check_not_special(target, "--db")
    if target.is_dir():
        raise BadInputError(f"--db {target} is a folder, not a database file")
    _check_header(target)
    _opened = target
    try:
        return duckdb.connect(str(target), read_only=True)
    except duckdb.Error as exc:
        known = duckdb_failure(exc, target)
        if isinstance(known, StoreDamagedError):
            raise StoreDamagedError(target) from exc
        raise BadInputError(f"cannot open store {target}: {exc}") from exc


def _is_duckdb(target: Path) -> bool:
    with open(target, "rb") as fh:
        return fh.read(12)[8:12] == b"DUCK"


def _refuse_foreign_file(target: Path) -> None:
    """A build replaces a store (even a damaged one), never another file the user has there."""
    if target.is_file() and target.stat().st_size > 0 and not _is_duckdb(target):
        raise BadInputError(
            f"--db {target} exists and is not a DuckDB store: refusing to replace it; "
            "choose another path or move the file"
        )


def _check_header(target: Path) -> None:
    """A file that is not a DuckDB database at all (no ``DUCK`` magic at byte 8) is the wrong
    file, not a damaged store: say so before DuckDB answers with an error about itself."""
    if not _is_duckdb(target):
        what = "an empty file" if target.stat().st_size == 0 else "not a DuckDB file"
        raise BadInputError(
            f"--db {target} is {what}, not a tipwatch store: point --db at a store, or at a "
            "new path to build one there"
        )


def verify(db: str | os.PathLike[str] | None = None) -> None:
    """Read every row of every table once: a truncated or corrupt store fails here, with one
    line, instead of in a request later (``tipwatch serve`` calls this at start-up)."""
    import duckdb

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
