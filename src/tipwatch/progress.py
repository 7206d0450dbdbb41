"""Progress for the steps that take seconds: one line per step on stderr, or a bar on a terminal.

Progress never goes to stdout, so ``--format csv|json`` output stays clean. Set
``TIPWATCH_PROGRESS=0`` to silence it. Lines are plain text (no colour codes) so that logs of
``make run`` read well; a rich progress bar is used only when stderr is a terminal.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

#: what a long-running function calls to say what it did: one finished line of text
Reporter = Callable[[str], None]


def enabled() -> bool:
    """False when ``TIPWATCH_PROGRESS`` is ``0``/``false``/``no``."""
    return os.environ.get("TIPWATCH_PROGRESS", "1").strip().lower() not in {"0", "false", "no"}


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


def track(items: Iterable[T], total: int, label: str, report: Reporter | None = None,
          every: int = 0) -> Iterator[T]:
    """Yield ``items``; show a rich bar on a terminal, else a line every ``every`` items.

    ``every=0`` prints only the closing line (``label: total done in 3.1 s``).
    """
    report = report or to_stderr
    start = time.perf_counter()
    if report is to_stderr and enabled() and sys.stderr.isatty():
        from rich.progress import Progress

        from tipwatch.output import get_console

        with Progress(console=get_console(stderr=True), transient=True) as bar:
            task = bar.add_task(label, total=total)
            for item in items:
                yield item
                bar.advance(task)
    else:
        for i, item in enumerate(items, start=1):
            yield item
            if every and i % every == 0 and i < total:
                report(f"  {label}: {i} of {total} ({seconds(start)})")
    report(f"  {label}: {total} done ({seconds(start)})")
