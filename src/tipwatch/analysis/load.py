"""Open the store and load the analysis inputs, once per store build within a process."""

from __future__ import annotations

import os
import threading

from tipwatch.analysis.inputs import Inputs, build_id, load_inputs

_lock = threading.Lock()
_loaded: dict[str, Inputs] = {}


def inputs_from(con: object) -> Inputs:
    """The inputs of the store behind ``con``; reloaded only when its build id changes."""
    bid = build_id(con)
    with _lock:
        hit = _loaded.get(bid)
    if hit is not None:
        return hit
    inp = load_inputs(con)
    with _lock:
        _loaded.clear()
        _loaded[bid] = inp
    return inp


def inputs(db: str | os.PathLike[str] | None = None) -> Inputs:
    """Open the store at ``db`` (read-only), load the inputs, close it."""
    from tipwatch.store import build as store

    con = store.connect(db)
    try:
        return inputs_from(con)
    finally:
        con.close()
