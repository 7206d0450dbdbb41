"""Every wrong command line ends in one clear message and exit code 2, never a traceback."""

from __future__ import annotations

import pytest

from conftest import run_cli


@pytest.mark.parametrize(
    "args,words",
    [
        (["tiers", "--bogus"], "No such option"),
        (["nosuchverb"], "No such command"),
        (["tiers", "--year"], "requires an argument"),
        (["country"], "Missing argument"),
        (["export", "--format", "xls"], "xls"),
    ],
)
def test_usage_errors_exit_2_without_traceback(args, words, tmp_path) -> None:
    res = (
        run_cli(*args, "--db", str(tmp_path / "x.duckdb"))
        if args[0] == "export"
        else run_cli(*args)
    )
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert words in res.stderr + res.stdout
    assert "Traceback" not in res.stderr + res.stdout


def test_a_file_that_is_not_a_store_is_bad_input(tmp_path) -> None:
    bogus = tmp_path / "not.duckdb"
    bogus.write_bytes(b"this is not a database" * 100)
    res = run_cli("tiers", "--year", "2020", "--db", str(bogus))
    assert res.returncode == 2
    assert "not.duckdb" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
