"""Atomic writes: write to a temporary file in the same folder, then rename over the target."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tipwatch.errors import NotWritableError


def _prepare_dir(target: Path) -> Path:
    parent = target.parent if str(target.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NotWritableError(f"cannot create folder {parent}: {exc.strerror or exc}") from exc
    if not os.access(parent, os.W_OK):
        raise NotWritableError(f"folder {parent} is not writable")
    return parent


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it onto ``target``.

    On any exception the temporary file is removed and ``target`` is left untouched.
    """
    target = Path(target)
    parent = _prepare_dir(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or ".tmp", dir=parent)
    except OSError as exc:
        raise NotWritableError(f"cannot write in {parent}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp_path = Path(tmp)
    tmp_path.unlink()  # let the writer create it (some writers refuse an existing file)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


@contextlib.contextmanager
def atomic_dir(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary folder beside ``target``; on success it replaces ``target``'s contents.

    Files in the temporary folder are moved into ``target`` one by one with ``os.replace`` only
    after the whole body succeeded, so a failure leaves ``target`` as it was.
    """
    target = Path(target)
    parent = _prepare_dir(target / "x")
    tmp = Path(tempfile.mkdtemp(prefix=".tipwatch-", dir=parent))
    try:
        yield tmp
        for item in sorted(tmp.rglob("*")):
            rel = item.relative_to(tmp)
            dest = target / rel
            if item.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(item, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_text(target: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``target`` atomically (UTF-8)."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
