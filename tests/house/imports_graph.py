"""The import graph of ``src/tipwatch`` read from the source (AST), for the house tests.

An edge ``a -> b`` means module ``a`` imports module ``b`` of the package. Each edge records
whether the import runs when ``a`` is loaded (``module``: a statement at module level, also
inside a module-level ``if``/``try``) or only when a function of ``a`` runs (``function``).
Imports under ``if TYPE_CHECKING:`` never run and are not edges. ``from pkg import name``
is an edge to ``pkg.name`` when that is a module of the package, else to ``pkg``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = "tipwatch"


@dataclass
class Graph:
    modules: dict[str, Path] = field(default_factory=dict)
    #: (importer, imported) -> "module" or "function" ("module" wins when both occur)
    edges: dict[tuple[str, str], str] = field(default_factory=dict)

    def successors(self, name: str, levels: set[str]) -> list[str]:
        return sorted(b for (a, b), lvl in self.edges.items() if a == name and lvl in levels)


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.Module) -> list[tuple[ast.Import | ast.ImportFrom, str]]:
    """Every executed import statement with its level ("module" or "function")."""
    found: list[tuple[ast.Import | ast.ImportFrom, str]] = []

    def walk(nodes: list[ast.stmt], level: str) -> None:
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.append((node, level))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                walk(node.body, "function")
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                walk(node.orelse, level)
            else:
                for child_field in ("body", "orelse", "finalbody", "handlers"):
                    children = getattr(node, child_field, None)
                    if isinstance(children, list):
                        walk([c for c in children if isinstance(c, ast.stmt)]
                             + [s for h in children if isinstance(h, ast.ExceptHandler)
                                for s in h.body], level)
                if isinstance(node, ast.Match):
                    for case in node.cases:
                        walk(case.body, level)

    walk(tree.body, "module")
    return found


def _resolve(importer: str, is_package: bool, node: ast.Import | ast.ImportFrom,
             modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == PACKAGE]
    if node.level:  # relative import
        base = importer.split(".") if is_package else importer.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if target.split(".")[0] != PACKAGE:
        return []
    out = []
    for alias in node.names:
        sub = f"{target}.{alias.name}"
        out.append(sub if sub in modules else target)
    return out


def build(src: Path = SRC) -> Graph:
    g = Graph()
    for path in sorted((src / PACKAGE).rglob("*.py")):
        g.modules[module_name(path, src)] = path
    for name, path in g.modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node, level in _imports(tree):
            for target in _resolve(name, is_package, node, g.modules):
                # a dotted name that is not a module (``import tipwatch.x.attr``): its module
                while target not in g.modules and "." in target:
                    target = target.rsplit(".", 1)[0]
                if target == name or target not in g.modules:
                    continue
                key = (name, target)
                if g.edges.get(key) != "module":
                    g.edges[key] = level
    return g


def cycles(g: Graph, levels: set[str]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each with one
    cycle through it spelled out: ``[a, b, ..., a]``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    comps: list[list[str]] = []
    counter = 0
    succ = {m: g.successors(m, levels) for m in g.modules}

    def strong(v: str) -> None:  # recursive: the package is a few hundred modules deep at most
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in succ[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    for m in sorted(g.modules):
        if m not in index:
            strong(m)
    return [_one_cycle(c, succ) for c in sorted(comps)]


def _one_cycle(comp: list[str], succ: dict[str, list[str]]) -> list[str]:
    """A shortest cycle through the first module of a strongly connected component (BFS)."""
    members = set(comp)
    start = comp[0]
    prev: dict[str, str] = {}
    queue = [start]
    seen = {start}
    while queue:
        v = queue.pop(0)
        for w in succ[v]:
            if w not in members:
                continue
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(prev[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if w not in seen:
                seen.add(w)
                prev[w] = v
                queue.append(w)
    return comp  # pragma: no cover - a component always holds a cycle


def describe(g: Graph, cycle: list[str]) -> str:
    steps = [f"{a} -[{g.edges[(a, b)]}]-> " for a, b in zip(cycle, cycle[1:], strict=False)]
    return "".join(steps) + cycle[-1]


if __name__ == "__main__":  # pragma: no cover - a look at the graph by hand
    graph = build()
    for lv in ({"module"}, {"module", "function"}):
        print(sorted(lv))
        for c in cycles(graph, lv):
            print("  ", describe(graph, c))
