"""Who may open DuckDB: the store package, and nothing in ingest/, extract/, rules/.

Every module's AST is walked (imports inside functions count too), so a lazy import cannot
hide a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tipwatch

PKG = Path(tipwatch.__file__).parent

#: modules outside ``store/`` that still import duckdb, and why (each one is a known debt)
DUCKDB_OUTSIDE_STORE = {
    # names duckdb's exception module to turn a disk-full or damaged-file error met anywhere
    # into one line; it imports no duckdb code itself (a string test on the module name)
    "cli.py": "no import: checks an exception's module name",
}

#: modules of ingest/ that write the user's corpus file through tipwatch.store.corpus
STORE_IN_INGEST: dict[str, str] = {}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _modules(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (PKG / f).rglob("*.py"))


def _rel(p: Path) -> str:
    return p.relative_to(PKG).as_posix()


def _uses(names: set[str], root: str) -> bool:
    return any(n == root or n.startswith(root + ".") for n in names)


def test_ingest_extract_rules_import_neither_duckdb_nor_the_store() -> None:
    mods = _modules("ingest", "extract", "rules")
    assert len(mods) > 30  # the walk found the packages
    bad = []
    for p in mods:
        names = _imports(p)
        if _uses(names, "duckdb"):
            bad.append(f"{_rel(p)} imports duckdb")
        if _uses(names, "tipwatch.store") and _rel(p) not in STORE_IN_INGEST:
            bad.append(f"{_rel(p)} imports tipwatch.store")
    assert bad == []


def test_only_the_store_package_imports_duckdb() -> None:
    found = {_rel(p) for p in PKG.rglob("*.py")
             if "store" not in p.relative_to(PKG).parts[:1] and _uses(_imports(p), "duckdb")}
    # cli.py names duckdb only in a string: it is not found, and must not be
    assert found == set(DUCKDB_OUTSIDE_STORE) - {"cli.py"}


def test_the_store_package_does_import_duckdb_and_the_walk_sees_lazy_imports() -> None:
    found = {_rel(p) for p in _modules("store") if _uses(_imports(p), "duckdb")}
    assert "store/build.py" in found  # imported inside functions only, and still found


def test_exceptions_listed_here_still_exist() -> None:
    for rel in [*DUCKDB_OUTSIDE_STORE, *STORE_IN_INGEST]:
        assert (PKG / rel).is_file(), rel
    # the harvest is handed its corpus writer by the command: it imports no store code
    assert not _uses(_imports(PKG / "ingest/harvest.py"), "tipwatch.store")
