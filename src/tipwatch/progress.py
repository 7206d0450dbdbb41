"""Progress for the steps that take seconds: one plain line per step on stderr.

Progress never goes to stdout, so ``--format csv|json`` output stays clean. It is shown when
stderr is a terminal (``TIPWATCH_PROGRESS=1`` forces it, ``0`` silences it). Lines are plain
text (no colour codes) so that the
console of ``make run`` and its logs read the same.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

#: what a long-running function calls to say what it did: one finished line of text
Reporter = Callable[[str], None]


def enabled() -> bool:
    """Progress is shown on a terminal; ``TIPWATCH_PROGRESS=1`` shows it anywhere (a log),
    ``TIPWATCH_PROGRESS=0`` nowhere. Off a terminal an error stays the one line on stderr."""
    value = os.environ.get("TIPWATCH_PROGRESS", "").strip().lower()
    if value:
        return value not in {"0", "false", "no"}
    return sys.stderr.isatty()


def to_stderr(line: str) -> None:
    """The default reporter: the line on stderr, flushed at once."""
    if enabled():
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def quiet(line: str) -> None:  # noqa: ARG001 - a reporter that drops everything
    """A reporter for callers that want no progress (tests, the API)."""


def seconds(start: float) -> str:
    """Elapsed time since ``start`` (a ``time.perf_counter()`` value) as ``1.2 s``."""
    return f"{time.perf_counter() - start:.1f} s"


def counts(table_rows: dict[str, int]) -> str:
    """``placements 4059, sources 74`` for a mapping of names to counts."""
    return ", ".join(f"{name} {n}" for name, n in table_rows.items()) or "nothing new"
