"""store/schema.py is the truth about the tables: a real build, the corpus file and the docs."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tipwatch.extract.bundle import FACT_COLUMNS
from tipwatch.store import schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def _columns(db: Path) -> dict[str, list[tuple[str, str]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall()
    finally:
        con.close()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, col, typ in rows:
        out.setdefault(table, []).append((col, typ))
    return out


def _expected(tables: tuple[schema.Table, ...]) -> dict[str, list[tuple[str, str]]]:
    return {t.name: [(c.name, c.type) for c in t.columns] for t in tables}


def test_a_bundled_build_writes_exactly_the_schema(store_db) -> None:
    assert _columns(store_db) == _expected(schema.STORE)


@pytest.mark.corpus
def test_a_build_with_a_corpus_and_the_corpus_file_match_the_schema(years_store) -> None:
    env = years_store["env"]
    assert _columns(Path(env["TIPWATCH_DB"])) == _expected(schema.STORE)
    assert _columns(Path(env["TIPWATCH_CORPUS"])) == _expected(schema.CORPUS)


def test_generated_ddl_creates_the_listed_columns_and_constraints() -> None:
    con = duckdb.connect()
    for t in schema.STORE:
        con.execute(schema.ddl(t.name))
    con.execute(schema.ddl("narratives", corpus=True))
    got = con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                      "ORDER BY table_name, ordinal_position").fetchall()
    assert {(a, b, c) for a, b, c in got if a in schema.TABLES} == {
        (t.name, c.name, c.type) for t in schema.STORE for c in t.columns}
    con.execute("INSERT INTO panel_variables (iso3, year) VALUES ('NGA', 2020)")
    with pytest.raises(duckdb.ConstraintException):  # the composite key is in the DDL
        con.execute("INSERT INTO panel_variables (iso3, year) VALUES ('NGA', 2020)")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO facts (doc_id, iso3, year) VALUES ('d', NULL, 2020)")


def test_the_facts_row_format_is_the_facts_table() -> None:
    assert schema.TABLES["facts"].column_names == FACT_COLUMNS
    assert schema.CORPUS_TABLES["facts"].column_names == FACT_COLUMNS


def _doc_tables(section: str) -> dict[str, list[str]]:
    text = DOC.read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    found = {}
    for m in re.finditer(r"^\| `(\w+)` \| ([^|]+) \|", body, flags=re.M):
        found[m.group(1)] = re.findall(r"`([^`]+)`", m.group(2))
    return found


def test_architecture_doc_lists_exactly_the_schema_tables_and_columns() -> None:
    assert _doc_tables("Store tables") == {t.name: list(t.column_names) for t in schema.STORE}
    assert _doc_tables("Corpus file tables") == {
        t.name: list(t.column_names) for t in schema.CORPUS}
