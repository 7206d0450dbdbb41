"""``tipwatch serve`` refuses what it cannot do with one line and exit code 2."""

from __future__ import annotations

import socket
from pathlib import Path

from conftest import run_cli


def test_serve_on_a_taken_port_exits_2(store_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        res = run_cli("serve", "--port", str(port), "--db", str(store_db))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert f"127.0.0.1:{port}" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_serve_with_a_bad_host_or_report_dir_exits_2(store_db: Path, tmp_path: Path) -> None:
    res = run_cli("serve", "--host", "no-such-host.invalid", "--port", "8123", "--db",
                  str(store_db))
    assert res.returncode == 2 and "no-such-host.invalid" in res.stderr
    assert "Traceback" not in res.stderr
    res = run_cli("serve", "--port", "8124", "--db", str(store_db), "--report-dir",
                  str(tmp_path / "none"))
    assert res.returncode == 2 and "report-dir" in res.stderr and "Traceback" not in res.stderr


def test_serve_port_out_of_range_exits_2(store_db: Path) -> None:
    for port in ("70000", "0", "-1", "abc", "80.5"):
        res = run_cli("serve", "--port", port, "--db", str(store_db))
        assert res.returncode == 2 and "Traceback" not in res.stderr and "--port" in res.stderr


def test_serve_write_report_needs_a_folder_and_a_report_year(store_db: Path,
                                                              tmp_path: Path) -> None:
    res = run_cli("serve", "--port", "8125", "--db", str(store_db), "--write-report", "latest")
    assert res.returncode == 2 and "--report-dir" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("serve", "--port", "8126", "--db", str(store_db), "--report-dir",
                  str(tmp_path / "r"), "--write-report", "1990")
    assert res.returncode == 2 and "1990" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists()  # nothing written for a refused start
