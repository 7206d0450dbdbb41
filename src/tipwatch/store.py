"""The embedded DuckDB store: build it from the bundled data, open it, query it.

``build()`` writes a new database file beside the target and renames it into place only when
every build step and every data check passed, so a failed build never leaves a half-written
store. Each area of the product contributes its tables through a *build step*: a function
``build_tables(con)`` named in :data:`BUILD_STEPS`.
"""

from __future__ import annotations

import importlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tipwatch import progress
from tipwatch.errors import BadInputError, NotWritableError
from tipwatch.paths import PACKAGE_DIR, db_path

if TYPE_CHECKING:  # duckdb is imported when a store is opened, not at CLI start-up
    import duckdb

#: "module:function" for each step, run in order on the new database.
BUILD_STEPS: list[str] = [
    "tipwatch.panel:build_tables",  # countries, placements, sources, stated_totals
    "tipwatch.rules.audit:build_tables",  # law, audit events
    "tipwatch.extract.bundle:build_tables",  # facts and flows from the bundled corpora
]


@dataclass
class BuildReport:
    path: Path
    seconds: float
    tables: dict[str, int] = field(default_factory=dict)
    build_id: str | None = None


def inputs_digest() -> str:
    """What a build is made from, as one hash: every file of the package (code and bundled data).

    Two builds with the same digest hold the same tables (the build is reproducible), so the
    digest names a build: ``tipwatch build --if-changed`` and the report cache compare it.
    """
    import hashlib

    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            h.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def build_id(con: duckdb.DuckDBPyConnection) -> str | None:
    """The build id recorded in an open store (None for a store built before build ids)."""
    import duckdb

    try:
        row = con.execute("SELECT max(build_id) FROM build_info").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


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


def _step(spec: str):  # noqa: ANN202
    module, func = spec.split(":")
    return getattr(importlib.import_module(module), func)


def _table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {
        name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' ORDER BY table_name"
        ).fetchall()
    }


def _step_name(spec: str) -> str:
    return spec.split(":")[0].removeprefix("tipwatch.")


def build(
    db: str | os.PathLike[str] | None = None, report: progress.Reporter | None = None
) -> BuildReport:
    """Build the store at ``db`` (default: :func:`tipwatch.paths.db_path`) atomically.

    ``report`` receives one line per build step (tables written, row counts, seconds).
    """
    import duckdb

    from tipwatch.atomic import atomic_path  # tempfile and shutil: only a build needs them

    report = report or progress.quiet
    target = db_path(db)
    if target.exists() and target.is_dir():
        raise NotWritableError(f"--db {target} is a folder, not a database file")
    start = time.perf_counter()
    with atomic_path(target, suffix=".duckdb") as tmp:
        try:
            con = duckdb.connect(str(tmp))
        except duckdb.Error as exc:  # pragma: no cover - depends on the file system
            raise NotWritableError(f"cannot create database at {target}: {exc}") from exc
        try:
            before: dict[str, int] = {}
            for i, spec in enumerate(BUILD_STEPS, start=1):
                t0 = time.perf_counter()
                _step(spec)(con)
                after = _table_counts(con)
                new = {k: n for k, n in after.items() if before.get(k) != n}
                report(f"  step {i}/{len(BUILD_STEPS)} {_step_name(spec)}: "
                       f"{progress.counts(new)} ({progress.seconds(t0)})")
                before = after
            digest = inputs_digest()
            con.execute("CREATE TABLE IF NOT EXISTS build_info (built_at TIMESTAMPTZ)")
            con.execute("ALTER TABLE build_info ADD COLUMN IF NOT EXISTS build_id VARCHAR")
            con.execute("UPDATE build_info SET build_id = ?", [digest])
            con.execute("CHECKPOINT")
            tables = _table_counts(con)
        finally:
            con.close()
        wal = Path(str(tmp) + ".wal")
        if wal.exists():  # pragma: no cover - CHECKPOINT folds the WAL in
            wal.unlink()
    return BuildReport(path=target, seconds=time.perf_counter() - start, tables=tables,
                       build_id=digest)


def connect(
    db: str | os.PathLike[str] | None = None, *, build_if_missing: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open the store read-only, building it first when it does not exist yet."""
    import duckdb

    target = db_path(db)
    if not target.exists():
        if not build_if_missing:
            raise BadInputError(f"no store at {target}; run `tipwatch build`")
        progress.to_stderr(f"no store at {target} yet: building it")
        build(target, report=progress.to_stderr)
    try:
        return duckdb.connect(str(target), read_only=True)
    except duckdb.Error as exc:
        raise BadInputError(f"cannot open store {target}: {exc}") from exc
