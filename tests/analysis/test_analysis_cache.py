"""Results kept beside the store: keyed by build id and code, stale builds removed, optional."""

from __future__ import annotations

from pathlib import Path

from tipwatch.analysis import diskcache


def test_results_round_trip_and_other_builds_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / ".store.duckdb.analysis"
    value = {"rows": [{"iso3": "MYS", "p_down": 0.25}], "years": [2012, 2025]}
    assert diskcache.get(folder, "build-a", ("forecast", 2026)) is None
    diskcache.put(folder, "build-a", ("forecast", 2026), value)
    assert diskcache.get(folder, "build-a", ("forecast", 2026)) == value
    assert diskcache.get(folder, "build-a", ("forecast", 2025)) is None
    assert diskcache.get(folder, "build-b", ("forecast", 2026)) is None
    diskcache.put(folder, "build-b", ("forecast", 2026), {"other": 1})
    assert diskcache.get(folder, "build-a", ("forecast", 2026)) is None  # removed
    assert len(list(folder.glob("*.json"))) == 1
    assert not list(folder.glob(".*"))  # no temporary files left


def test_an_unwritable_place_means_no_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    diskcache.put(blocker / "sub", "b", ("k",), {"a": 1})  # cannot create: silently skipped
    assert diskcache.get(blocker / "sub", "b", ("k",)) is None
    assert diskcache.get(None, "b", ("k",)) is None


def test_the_store_file_is_found_from_a_connection(store_db: Path) -> None:
    import duckdb

    con = duckdb.connect(str(store_db), read_only=True)
    try:
        assert diskcache.store_file(con) == store_db
        assert diskcache.folder(store_db).name == f".{store_db.name}.analysis"
    finally:
        con.close()
    mem = duckdb.connect()
    assert diskcache.store_file(mem) is None
    mem.close()
