"""``serve --write-report``: the explorer answers while the report is written in the background,
the console says where the HTML and the PDF are when each is ready, and a second start keeps
an up-to-date report."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from pypdf import PdfReader

from conftest import REPO, free_port, wait_http

YEAR = "2001"  # a small year keeps the background PDF quick


def _serve(store_db: Path, out: Path) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tipwatch.cli", "serve", "--port", str(port), "--db",
         str(store_db), "--no-warm", "--report-dir", str(out), "--write-report", YEAR],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
    )
    return proc, f"http://127.0.0.1:{port}"


def _lines_until(proc: subprocess.Popen[str], needle: str, timeout: float) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"serve ended before {needle!r}: {lines}")
        lines.append(line.rstrip("\n"))
        if needle in line:
            return lines
    raise AssertionError(f"no {needle!r} within {timeout} s: {lines}")


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(2)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_report_is_written_in_the_background_and_kept_when_up_to_date(
    store_db: Path, tmp_path: Path,
) -> None:
    out = tmp_path / "report"
    proc, base = _serve(store_db, out)
    try:
        lines = _lines_until(proc, "HTML ready", timeout=300)
        explorer = next(i for i, line in enumerate(lines) if line.startswith("explorer:"))
        assert explorer < len(lines) - 1  # the explorer line came before the report was ready
        assert lines[-1].startswith(f"report:   {base}/report/")
        wait_http(base + "/api", proc=None)
        with urllib.request.urlopen(base + "/report/", timeout=30) as res:
            assert res.status == 200 and b"independent reading of the 2001" in res.read()
        lines += _lines_until(proc, "report.pdf ready", timeout=600)
        assert lines[-1].startswith(f"report:   {base}/report/report.pdf ready (")
        pages = len(PdfReader(out / "report.pdf").pages)
        assert f"({pages} pages, " in lines[-1]
        with urllib.request.urlopen(base + "/report/report.pdf", timeout=30) as res:
            assert res.read()[:5] == b"%PDF-"
    finally:
        _stop(proc)
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "report.json", "report.pdf"]
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    proc, base = _serve(store_db, out)
    try:
        lines = _lines_until(proc, "up to date for this store", timeout=120)
        assert f"{base}/report/report.pdf" in lines[-1]
    finally:
        _stop(proc)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
