"""Where things live: bundled data, the default store, the shared research folder."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
DEFAULT_DB = Path("var") / "tipwatch.duckdb"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The store path: explicit argument, else ``TIPWATCH_DB``, else ``var/tipwatch.duckdb``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("TIPWATCH_DB")
    return Path(env) if env else DEFAULT_DB


def shared_dir() -> Path:
    """The research folder (``../shared`` next to the repository, or ``TIPWATCH_SHARED``)."""
    env = os.environ.get("TIPWATCH_SHARED")
    if env:
        return Path(env)
    # src/tipwatch -> src -> repo root -> its parent
    return PACKAGE_DIR.parent.parent.parent / "shared"
