"""Shared fixtures: a real DuckDB store built once per test session from the bundled data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tipwatch import store
from tipwatch.paths import shared_dir

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a store built from the bundled data (read-only use, please)."""
    path = tmp_path_factory.mktemp("store") / "tipwatch.duckdb"
    store.build(path)
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    """The research folder (``../shared``); the tests need it, as CI has it."""
    path = shared_dir()
    assert (path / "data" / "tip_tiers.csv").exists(), f"research folder missing at {path}"
    return path


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``tipwatch`` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "tipwatch.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
