"""The served store and what every answer says about its origin: licence, source, explorer.

:class:`Explorer` is the state the routers share: one read-only connection to the store, a
cache of rendered answers (the store does not change while it is served) and the provenance
every answer carries in ``meta``. ``create_app`` builds one and passes it to each router; the
routers import this module, never the application.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tipwatch import __version__ as _version
from tipwatch.store import explore as data
from tipwatch.store.build import build_id, connect

LICENCE = (
    "Tier placements and facts: U.S. Department of State, Trafficking in Persons Report "
    "(U.S. government work, public domain); compiled by tipwatch from the sources listed, "
    "each under its own licence. Map shapes: Natural Earth (public domain)."
)
SOURCE = "U.S. Department of State, Trafficking in Persons Report, via the tipwatch store"


def version_str() -> str:
    """The package version as served (``dev`` for a checkout without one)."""
    return str(_version) if _version else "dev"


class Explorer:
    """The served store: one read-only connection, a cache of rendered answers, provenance."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.con = connect(db, build_if_missing=False)
        self._lock = threading.Lock()
        self._cache: dict[tuple, Any] = {}
        st = os.stat(db)
        built = dt.datetime.fromtimestamp(st.st_mtime, tz=dt.UTC)
        self.store_built = built.replace(microsecond=0).isoformat()
        cur = self.con.cursor()
        try:
            #: names this store's contents in ETags (stores built before ids: size and time)
            self.build_id = build_id(cur) or f"s{st.st_size:x}{int(st.st_mtime):x}"
            self.schema = data.read_schema(cur)
            self.all_sources = data.sources(cur)
            if "built_at" in data.table_columns(cur, "build_info"):
                row = cur.execute("SELECT max(built_at) FROM build_info").fetchone()
                if row and row[0] is not None:
                    self.store_built = row[0].astimezone(dt.UTC).replace(
                        microsecond=0).isoformat()
        finally:
            cur.close()

    def cached(self, key: tuple, compute: Callable[[Any], Any]) -> Any:
        """``compute(cursor)`` once per key; later calls answer from the cache."""
        try:
            return self._cache[key]
        except KeyError:
            pass
        cur = self.con.cursor()
        try:
            with data.known_schema(self.schema):
                value = compute(cur)
        finally:
            cur.close()
        with self._lock:
            if len(self._cache) > 20000:
                self._cache.clear()
            self._cache[key] = value
        return value

    def meta(self, source_ids: set[str] | None = None, **query: Any) -> dict[str, Any]:
        srcs = self.all_sources
        if source_ids is not None:
            srcs = [s for s in srcs if s["id"] in source_ids]
        return {
            "source": SOURCE,
            "licence": LICENCE,
            "sources": srcs,
            "store": self.db.name,
            "store_built": self.store_built,
            "tipwatch": version_str(),
            "query": {k: v for k, v in query.items() if v is not None},
        }

    def close(self) -> None:
        self.con.close()
