"""The store build as named steps, each declaring what it reads and what it writes.

A step is a module with a module-level :class:`Step` (``STEP``) and its functions: *load* the
inputs (bundled files, the user's corpus, tables of earlier steps), *process* them with the
pure code of ``ingest/``, ``extract/`` and ``rules/``, *save* the result as tables.
:data:`tipwatch.store.build.BUILD_STEPS` lists the steps in build order.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Step:
    """One build step: its name, its inputs (as data) and the tables it writes."""

    name: str
    #: bundled files (``data/...``), ``corpus`` (the user's corpus file) or ``table:<name>``
    inputs: tuple[str, ...]
    #: the tables the step creates or adds rows to
    outputs: tuple[str, ...]
    #: ``run(con)``: load -> process -> save on the new database
    run: Callable[[Any], None]


#: The countries (ISO3) a small build keeps (``build(countries=...)``): the panel step keeps
#: only their placements and the facts step only their narratives' facts; None keeps all.
ONLY: ContextVar[frozenset[str] | None] = ContextVar("ONLY", default=None)
