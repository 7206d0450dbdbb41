"""The bundled map shapes and the development-time conversion that makes them."""

from __future__ import annotations

import importlib.util
import math
import re
from pathlib import Path

import duckdb
import pytest

from conftest import REPO
from tipwatch.report.charts import COMPOSITES, load_shapes


@pytest.fixture(scope="module")
def make_shapes():  # noqa: ANN201 - the script as a module
    script = REPO / "scripts" / "make_shapes.py"
    spec = importlib.util.spec_from_file_location("make_shapes", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_ranked_entity_can_be_drawn(store_db: Path) -> None:
    shapes = load_shapes()["countries"]
    con = duckdb.connect(str(store_db), read_only=True)
    ranked = {r[0] for r in con.execute("SELECT DISTINCT iso3 FROM placements").fetchall()}
    con.close()
    for iso3 in ranked:
        drawn = [iso3] if iso3 in shapes else [c for c in COMPOSITES.get(iso3, ()) if c in shapes]
        assert drawn, f"{iso3} has no shape, dot or successor on the map"


def test_shapes_are_compact_and_inside_the_view() -> None:
    doc = load_shapes()
    path = REPO / "src" / "tipwatch" / "data" / "shapes" / "world.json"
    assert path.stat().st_size < 400_000
    x0, y0, w, h = doc["viewBox"]
    assert re.fullmatch(r"[0-9a-f]{64}", doc["sha256"]) and "public domain" in doc["source"]
    for iso3, c in doc["countries"].items():
        assert re.fullmatch(r"[A-Z]{3}", iso3)
        lx, ly = c["label"]
        assert x0 <= lx <= x0 + w and y0 - 1 <= ly <= y0 + h + 1, iso3
        assert c["d"] or c.get("tiny"), iso3


def test_projection_is_symmetric_and_fills_the_width(make_shapes) -> None:  # noqa: ANN001
    x_west, y_eq = make_shapes.project(-180.0, 0.0)
    x_east, _ = make_shapes.project(180.0, 0.0)
    assert math.isclose(x_west, 0.0, abs_tol=1e-6)
    assert math.isclose(x_east, make_shapes.WIDTH, abs_tol=1e-6)
    x1, y1 = make_shapes.project(30.0, 45.0)
    x2, y2 = make_shapes.project(-30.0, -45.0)
    assert math.isclose(x1 + x2, make_shapes.WIDTH, abs_tol=1e-6)
    assert math.isclose(y1 + y2, 2 * y_eq, abs_tol=1e-6)
    assert y1 < y_eq < y2  # north is up


def test_simplify_keeps_the_ends_and_drops_what_is_within_tolerance(make_shapes) -> None:  # noqa: ANN001
    line = [(float(x), 0.0 + (0.05 if x % 2 else 0.0)) for x in range(50)]
    simple = make_shapes.simplify(line, 0.1)
    assert simple[0] == line[0] and simple[-1] == line[-1]
    assert len(simple) == 2
    corner = [(0.0, 0.0), (5.0, 0.0), (10.0, 0.0), (10.0, 5.0), (10.0, 10.0)]
    assert (10.0, 0.0) in make_shapes.simplify(corner, 0.5)
    square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]
    assert make_shapes.ring_area(square) == 4.0
