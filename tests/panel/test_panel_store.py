"""The DuckDB store: built from the bundled data, idempotent, atomic, checked."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import run_cli
from tipwatch import panel
from tipwatch.checks import check_panel
from tipwatch.errors import NotWritableError
from tipwatch.store import build as store
from tipwatch.store.steps import Step


def _digest(path: Path) -> tuple:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return (
            con.execute(
                "SELECT count(*), sum(hash(iso3, year, tier, source, basis)) FROM placements"
            ).fetchone(),
            con.execute("SELECT count(*) FROM countries").fetchone(),
            con.execute("SELECT list(status ORDER BY year) FROM years").fetchone(),
        )
    finally:
        con.close()


def test_build_is_idempotent(tmp_path) -> None:
    db = tmp_path / "a.duckdb"
    store.build(db)
    first = _digest(db)
    store.build(db)
    assert _digest(db) == first
    assert not list(tmp_path.glob(".a.duckdb*")), "temporary files left behind"


def test_store_holds_the_whole_panel(store_db) -> None:
    con = duckdb.connect(str(store_db), read_only=True)
    n = con.execute("SELECT count(*) FROM placements").fetchone()[0]
    assert n == len(panel.load_placements())
    dups = con.execute(
        "SELECT count(*) FROM (SELECT iso3, year FROM placements GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()[0]
    assert dups == 0
    unknown = con.execute(
        "SELECT count(*) FROM placements p ANTI JOIN countries c USING (iso3)"
    ).fetchone()[0]
    assert unknown == 0
    early_wl = con.execute(
        "SELECT count(*) FROM placements WHERE tier = '2WL' AND year < 2004"
    ).fetchone()[0]
    assert early_wl == 0
    con.close()


def _broken_step(con) -> None:
    """A build step that fails half-way, as a full disk would."""
    con.execute("CREATE TABLE half AS SELECT 1")
    raise RuntimeError("disk full")


def test_failed_build_leaves_previous_store_intact(tmp_path, monkeypatch) -> None:
    db = tmp_path / "s.duckdb"
    store.build(db)
    before = _digest(db)
    broken = Step(name="broken", inputs=(), outputs=("half",), run=_broken_step)
    monkeypatch.setattr(store, "BUILD_STEPS", [*store.BUILD_STEPS, broken])
    with pytest.raises(RuntimeError, match="disk full"):
        store.build(db)
    assert _digest(db) == before
    # the store and the tiers cache of the build before: nothing of the failed one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.duckdb", "s.duckdb-tiers.cache"]


def test_unwritable_db_path_is_a_clear_error(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(NotWritableError):
        store.build(blocker / "sub" / "t.duckdb")
    res = run_cli("build", "--db", str(blocker / "sub" / "t.duckdb"))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and "sub" in res.stderr


def test_env_var_selects_the_store(tmp_path) -> None:
    db = tmp_path / "env.duckdb"
    res = run_cli("build", env={**os.environ, "TIPWATCH_DB": str(db)})
    assert res.returncode == 0, res.stderr
    assert db.exists()


def test_data_checks_catch_defects() -> None:
    df = panel.load_placements()
    assert not [f for f in check_panel(df) if f.severity == "error"]
    bad = df.copy()
    bad.loc[bad.index[0], "tier"] = "2WL"
    bad.loc[bad.index[0], "year"] = 2002
    bad = pd.concat([bad, df.iloc[[5]]])
    kinds = {f.check for f in check_panel(bad) if f.severity == "error"}
    assert {"tier_allowed_in_year", "one_row_per_country_year"} <= kinds


def test_stated_totals_are_compared(store_db) -> None:
    con = duckdb.connect(str(store_db), read_only=True)
    rows = con.execute("SELECT year, category, stated FROM stated_totals").fetchall()
    assert len(rows) >= 25
    df = panel.load_placements()
    for year, category, stated in rows:
        tiers = {"total": None, "2+2WL": ("2", "2WL")}.get(category, (category,))
        sub = df[df.year == year]
        have = len(sub) if tiers is None else int(sub.tier.isin(tiers).sum())
        status = con.execute("SELECT status, reason FROM years WHERE year = ?", [year]).fetchone()
        if have != stated:
            assert status[0] == "partial" and category in status[1]
    con.close()


def test_build_prints_a_line_per_step_and_if_changed_keeps_a_current_store(tmp_path) -> None:
    db = tmp_path / "s.duckdb"
    res = run_cli("build", "--db", str(db), env={**os.environ, "TIPWATCH_PROGRESS": "1"})
    assert res.returncode == 0, res.stderr
    steps = [line for line in res.stderr.splitlines() if line.strip().startswith("step ")]
    assert len(steps) == len(store.BUILD_STEPS)
    assert all(re.search(r"\(\d+\.\d s\)$", line) for line in steps)  # each step says its time
    named = {line.split()[2].rstrip(":"): line for line in steps}
    assert "placements 4" in named["panel"] and "events" in named["audit"]  # what it wrote
    assert res.stdout.startswith("built ")  # the result stays on stdout, progress on stderr
    assert store.stored_build_id(db) == store.expected_build_id()
    before = db.stat().st_mtime_ns
    res = run_cli("build", "--db", str(db), "--if-changed")
    assert res.returncode == 0 and "up to date" in res.stdout and not res.stderr
    assert db.stat().st_mtime_ns == before
    quiet = run_cli("build", "--db", str(db), env={**os.environ, "TIPWATCH_PROGRESS": "0"})
    assert quiet.returncode == 0 and quiet.stderr == "" and db.stat().st_mtime_ns != before
