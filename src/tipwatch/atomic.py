"""Atomic writes: write to a temporary file in the same folder, then rename over the target.

Temporary names are the project's own: ``.<target name>.tw<pid>-<8 random>[suffix]`` beside the
target (never inside an output folder, so a served folder never shows one). A process killed
mid-write leaves such a file; :func:`sweep_stale` removes those of dead processes (and the
names of earlier versions older than this process) the next time the target is written or read.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from tipwatch.errors import DiskFullError, NotWritableError

#: When this process started (files of earlier versions older than this are stale).
PROCESS_START = time.time()

_OWN = re.compile(r"^\.(?P<name>.+)\.tw(?P<pid>\d+)-[a-z0-9_]{8}(?:\.[A-Za-z0-9]+)*$")
# names written by earlier versions: mkstemp beside the target, mkdtemp inside the folder
_OLD_FILE = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}(?:\.duckdb(?:\.wal)?|\.tmp)$")
_OLD_DIR = re.compile(r"^\.tipwatch-[a-z0-9_]{8}$")


def temp_prefix(target: Path) -> str:
    """The prefix of this process's temporary names for ``target``."""
    return f".{target.name}.tw{os.getpid()}-"


def _started(pid: int) -> float | None:
    """Start time (epoch seconds) of a live process, or None when it is gone."""
    if pid == os.getpid():
        return PROCESS_START
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat", encoding="ascii") as fh:
            boot = next(int(line.split()[1]) for line in fh if line.startswith("btime"))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return 0.0  # alive, start unknown: treat as older than any file (keep them)


def _stale(entry: os.DirEntry, names: set[str]) -> bool:
    m = _OWN.match(entry.name)
    try:
        mtime = entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return False
    if m and m["name"] in names:
        start = _started(int(m["pid"]))
        # gone, or the pid now belongs to a process started after the file was written
        return start is None or (start > mtime + 1 and int(m["pid"]) != os.getpid())
    old = _OLD_FILE.match(entry.name)
    if old and old["name"] in names:
        return mtime < PROCESS_START
    return False


def sweep_stale(folder: str | os.PathLike[str], names: Iterable[str],
                inside: str | os.PathLike[str] | None = None) -> list[Path]:
    """Remove stale temporary files of ``names`` in ``folder`` (and earlier versions' temporary
    folders inside ``inside``); returns what was removed. Never touches anything else."""
    names = set(names)
    removed: list[Path] = []

    def remove(entry: os.DirEntry) -> None:
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
        removed.append(path)

    with contextlib.suppress(OSError), os.scandir(folder) as it:
        for entry in it:
            if _stale(entry, names):
                remove(entry)
    if inside is not None:
        with contextlib.suppress(OSError), os.scandir(inside) as it:
            for entry in it:
                if _stale(entry, names) or (  # a folder whose parent was not writable
                        _OLD_DIR.match(entry.name) and entry.is_dir(follow_symlinks=False)
                        and entry.stat(follow_symlinks=False).st_mtime < PROCESS_START):
                    remove(entry)
    return removed


def disk_full(exc: BaseException) -> bool:
    """True for "no space left on device", from the OS or from DuckDB."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return "no space left on device" in text or "disk is full" in text or "out of space" in text


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
    sweep_stale(parent, [target.name])
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=suffix or ".tmp",
                                   dir=parent)
    except OSError as exc:
        if disk_full(exc):
            raise DiskFullError(target) from exc
        raise NotWritableError(f"cannot write in {parent}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp_path = Path(tmp)
    tmp_path.unlink()  # let the writer create it (some writers refuse an existing file)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException as exc:
        for leftover in (tmp_path, Path(f"{tmp_path}.wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        if isinstance(exc, Exception) and disk_full(exc):
            raise DiskFullError(target) from exc
        raise


@contextlib.contextmanager
def atomic_dir(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary folder beside ``target``; on success it replaces ``target``'s contents.

    Files in the temporary folder are moved into ``target`` one by one with ``os.replace`` only
    after the whole body succeeded, so a failure leaves ``target`` as it was.
    """
    target = Path(target)
    _prepare_dir(target / "x")
    parent = target.resolve().parent  # beside the folder, never inside it (it may be served)
    sweep_stale(parent, [target.resolve().name], inside=target)
    if not os.access(parent, os.W_OK):
        parent = target  # a read-only parent: inside the folder (hidden by the server)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(target.resolve()), dir=parent))
    except OSError as exc:
        if disk_full(exc):
            raise DiskFullError(target) from exc
        raise NotWritableError(f"cannot write in {parent}: {exc.strerror or exc}") from exc
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
    except Exception as exc:
        if disk_full(exc):
            raise DiskFullError(target) from exc
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_text(target: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``target`` atomically (UTF-8)."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
