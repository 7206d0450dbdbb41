"""The package's imports form no cycle (read from the source: ``imports_graph``).

What counts: an import that runs when a module is loaded (module level) and an import inside
a function (it runs when the function does) both make an edge; ``if TYPE_CHECKING:`` imports
never run and make none. Two rules:

* module-level imports form no cycle (else loading one module of the cycle half-loads the
  others);
* no cycle at any level either: a function-level import that closes a loop is the same
  dependency running both ways, only deferred.

The ``api`` package is held to both now; the whole package too (this fails while modules
outside ``api`` still import each other back: the message names each cycle).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from imports_graph import Graph, build, cycles, describe

ANY_LEVEL = {"module", "function"}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build()


def _report(g: Graph, found: list[list[str]]) -> str:
    return "import cycles:\n" + "\n".join("  " + describe(g, c) for c in found)


def test_the_graph_sees_real_imports(graph: Graph) -> None:
    # the reader must find imports of every kind, or an empty graph would pass the rules below
    assert len(graph.modules) > 100
    assert graph.edges[("tipwatch.api.app", "tipwatch.api.routes")] == "module"
    assert graph.edges[("tipwatch.api.routes", "tipwatch.store.explore")] == "module"
    assert graph.edges[("tipwatch.api", "tipwatch.api.app")] == "function"  # __init__.py
    # TYPE_CHECKING imports are not edges: routes names Explorer only for type hints
    assert ("tipwatch.api.routes", "tipwatch.api.explorer") not in graph.edges


def test_a_cycle_is_found_and_named(tmp_path: Path) -> None:
    pkg = tmp_path / "tipwatch"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "a.py").write_text("from tipwatch.sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from . import c\n")
    (pkg / "sub" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import tipwatch.sub.b\n"
        "try:\n    import tipwatch.sub.a\nexcept ImportError:\n    pass\n")
    (pkg / "d.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                              "    from tipwatch.sub import a\n")
    g = build(tmp_path)
    assert cycles(g, {"module"}) == []
    found = cycles(g, ANY_LEVEL)
    assert found == [["tipwatch.sub.a", "tipwatch.sub.b", "tipwatch.sub.c", "tipwatch.sub.a"]]
    assert describe(g, found[0]) == ("tipwatch.sub.a -[module]-> tipwatch.sub.b -[function]-> "
                                     "tipwatch.sub.c -[module]-> tipwatch.sub.a")


def test_only_the_package_entry_imports_the_api_application(graph: Graph) -> None:
    # the routers, pages and handlers are given the explorer; they never import the app back
    importers = {a for (a, b) in graph.edges if b == "tipwatch.api.app"}
    assert {m for m in importers if m.startswith("tipwatch.api")} == {"tipwatch.api"}


def test_no_module_level_cycle_in_the_package(graph: Graph) -> None:
    found = cycles(graph, {"module"})
    assert not found, _report(graph, found)


def test_no_cycle_through_the_api_at_any_level(graph: Graph) -> None:
    found = [c for c in cycles(graph, ANY_LEVEL)
             if any(m == "tipwatch.api" or m.startswith("tipwatch.api.") for m in c)]
    assert not found, _report(graph, found)


def test_no_cycle_in_the_package_at_any_level(graph: Graph) -> None:
    found = cycles(graph, ANY_LEVEL)
    assert not found, _report(graph, found)
