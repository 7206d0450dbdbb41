"""Results of the analyses kept beside the store, keyed by the store's build id and the code.

A fitted backtest or forecast takes seconds; its result is plain JSON. :func:`get` / :func:`put`
keep it in ``.<store name>.analysis/`` beside the store file, under a key made of the store's
build id, the analysis code's own hash and the question asked. A rebuilt store or changed code
gives new keys (files of other builds are removed when a new one is written). A folder that
cannot be written only means no cache: results are then computed each time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tipwatch.atomic import write_text

_CODE_DIR = Path(__file__).resolve().parent
_lock = threading.Lock()
_memory: dict[tuple, Any] = {}


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of the analysis package's source (a code change invalidates every result)."""
    h = hashlib.sha256()
    for path in sorted(_CODE_DIR.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def store_file(con: Any) -> Path | None:
    """The file behind a DuckDB connection (``None`` for an in-memory database)."""
    try:
        row = con.execute("SELECT path FROM duckdb_databases() "
                          "WHERE database_name = current_database()").fetchone()
    except Exception:  # noqa: BLE001 - a cache is optional
        return None
    return Path(row[0]) if row and row[0] else None


def folder(db: Path) -> Path:
    return db.parent / f".{db.name}.analysis"


def _name(build_id: str, key: tuple) -> tuple[str, str]:
    build = hashlib.sha256(f"{build_id}|{code_hash()}".encode()).hexdigest()[:16]
    what = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
    return build, f"{build}-{what}.json"


def get(cache_dir: Path | None, build_id: str, key: tuple) -> Any | None:
    if cache_dir is None:
        return None
    _, name = _name(build_id, key)
    try:
        return json.loads((cache_dir / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def put(cache_dir: Path | None, build_id: str, key: tuple, value: Any) -> None:
    if cache_dir is None:
        return
    build, name = _name(build_id, key)
    try:
        cache_dir.mkdir(exist_ok=True)
        write_text(cache_dir / name, json.dumps(value, ensure_ascii=False))
        for old in cache_dir.glob("*.json"):
            if not old.name.startswith(build):
                with contextlib.suppress(OSError):
                    old.unlink()
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache
        return


def cached(key: tuple, compute: Callable[[], Any], inp: Any = None) -> Any:
    """``compute()`` once per ``key`` in this process; with ``inp`` (an ``Inputs``), the result
    is also kept beside the store under its build id (it must then be plain JSON)."""
    with _lock:
        if key in _memory:
            return _memory[key]
    value = get(inp.cache_dir, inp.build_id, key) if inp is not None else None
    if value is None:
        value = compute()
        if inp is not None:
            put(inp.cache_dir, inp.build_id, key, value)
    with _lock:
        if len(_memory) > 50000:
            _memory.clear()
        _memory[key] = value
    return value
