"""Write the annual report in a child process while the explorer serves (``serve --write-report``).

The child is ``tipwatch report --reuse`` at a lower CPU priority: the server answers at once,
the report's HTML appears first, its PDF when rendered, and an up-to-date report (same year,
same store build) is kept as it is. The console says where each part is when it is ready.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path


def when_listening(host: str, port: int, then: Callable[[], None], timeout: float = 300) -> None:
    """Call ``then()`` once ``host:port`` accepts connections (the server has started)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    else:
        return
    then()


def is_current(year: str, out: Path, db: Path) -> bool:
    """True when ``out`` holds the HTML and PDF of ``year`` written from this very store build."""
    import json

    from tipwatch import __version__
    from tipwatch.store import build as store

    try:
        meta = json.loads((out / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not ((out / "index.html").is_file() and (out / "report.pdf").is_file()):
        return False
    con = store.connect(db)
    try:
        from tipwatch.store import reader as queries

        y = queries.resolve_year(con, year)
        build = store.build_id(con)
    finally:
        con.close()
    return (build is not None and meta.get("build_id") == build and meta.get("year") == y
            and meta.get("version") == __version__ and bool(meta.get("pages")))


def _lower_priority() -> None:  # pragma: no cover - runs in the child before exec
    os.nice(5)


class ReportWriter:
    """One background ``tipwatch report`` run; :meth:`stop` interrupts it (Ctrl-C semantics)."""

    def __init__(self, year: str, out: Path, db: Path, url: str) -> None:
        self.cmd = [sys.executable, "-m", "tipwatch.cli", "report", "--year", year,
                    "--out", str(out), "--db", str(db), "--reuse"]
        self.year, self.out, self.db, self.url = year, out, db, url
        self.proc: subprocess.Popen[str] | None = None
        self.thread: threading.Thread | None = None
        self.returncode: int | None = None
        self.stopping = False

    def start(self) -> None:
        try:
            current = is_current(self.year, self.out, self.db)
        except Exception:  # noqa: BLE001 - the child then rebuilds and reports any error
            current = False
        if current:
            self._say(f"report:   {self.url} and {self.url}report.pdf "
                      "(up to date for this store, kept)")
            return
        self._say(f"report:   writing it into {self.out} in the background "
                  "(the explorer is already up)")
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, text=True, bufsize=1,
                                     preexec_fn=_lower_priority)
        self.thread = threading.Thread(target=self._follow, name="report-writer", daemon=True)
        self.thread.start()

    def _say(self, line: str) -> None:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def _follow(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            if " is ready " in line:
                self._say(f"report:   {self.url} (HTML ready; the PDF follows)")
            elif " is up to date " in line:
                self._say(f"report:   {self.url} and {self.url}report.pdf "
                          "(up to date for this store, kept)")
            elif line.startswith("report ") and "report.pdf" in line:
                done = re.search(r"\((\d+) pages\) in ([\d.]+ s)", line)
                detail = f" ({done.group(1)} pages, {done.group(2)})" if done else ""
                self._say(f"report:   {self.url}report.pdf ready{detail}")
            else:
                self._say(line)
        self.returncode = self.proc.wait()
        if self.stopping:
            if self.returncode != 0:
                self._say("report:   interrupted; it is written again on the next start")
        elif self.returncode != 0:
            self._say(f"report:   writing the report failed (exit {self.returncode}); "
                      f"run `tipwatch {' '.join(self.cmd[3:])}` to see why")

    def stop(self, timeout: float = 30.0) -> None:
        """Interrupt a running child (it removes its temporary files) and wait for it."""
        if self.proc is None:
            return
        self.stopping = True
        if self.proc.poll() is None:
            self.proc.send_signal(2)  # SIGINT: the child cleans up as on Ctrl-C
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.thread is not None:
            self.thread.join(timeout=timeout)
