"""SVG charts written by the project: the world map by tier and a country's tier timeline.

Pure functions from data to SVG text (no network, no browser), used by the report's HTML and
PDF. Colours match the web explorer's legend.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from html import escape
from typing import Any

from tipwatch.paths import DATA_DIR
from tipwatch.tiers import TIER_LABELS

TIER_ORDER: tuple[str, ...] = ("1", "1or2", "2", "2WL", "3", "special")
TIER_COLOURS: dict[str, str] = {
    "1": "#2166ac",
    "1or2": "#67a9cf",
    "2": "#a6d5ec",
    "2WL": "#f4a582",
    "3": "#b2182b",
    "special": "#7b68a6",
}
NO_DATA = "#e4e4e4"
#: advance of one digit in DejaVu Sans (the report's font), in em: digits are equal width
YEAR_DIGIT_EM = 0.636
#: entities ranked in old reports, drawn through their successors on today's map
COMPOSITES: dict[str, tuple[str, ...]] = {
    "ANT": ("CUW", "SXM", "ABW", "BES"),
    "SCG": ("SRB", "MNE", "XKX"),
}


@lru_cache(maxsize=1)
def load_shapes() -> dict[str, Any]:
    """The bundled world shapes (``data/shapes/world.json``)."""
    return json.loads((DATA_DIR / "shapes" / "world.json").read_text(encoding="utf-8"))


def world_map_svg(
    placements: Mapping[str, tuple[str, str]], title: str = "", shapes: dict | None = None
) -> str:
    """The world coloured by tier. ``placements``: iso3 -> (tier, basis).

    Countries without a placement are grey (no data); deduced tiers get a dotted outline.
    """
    shapes = shapes or load_shapes()
    x0, y0, w, h = shapes["viewBox"]
    fills: dict[str, tuple[str, str]] = {}
    for iso3, (tier, basis) in placements.items():
        targets = (iso3,) if iso3 in shapes["countries"] else COMPOSITES.get(iso3, ())
        for code in targets:
            fills[code] = (tier, basis)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0} {y0} {w} {h}" '
        f'class="worldmap" role="img" aria-label="{escape(title or "World map by tier")}">',
        f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="#f3f7fb"/>',
    ]
    dots = []
    for iso3, c in shapes["countries"].items():
        tier, basis = fills.get(iso3, (None, None))
        colour = TIER_COLOURS.get(tier, NO_DATA) if tier else NO_DATA
        label = f"{c['name']}: {TIER_LABELS.get(tier, tier)} ({basis})" if tier else \
            f"{c['name']}: no data"
        dash = ' stroke-dasharray="1.5 1.2" stroke="#222" stroke-width="0.7"' \
            if basis == "deduced" else ' stroke="#fff" stroke-width="0.35"'
        if c.get("d"):
            out.append(f'<path d="{c["d"]}" fill="{colour}"{dash} data-iso3="{iso3}">'
                       f"<title>{escape(label)}</title></path>")
        elif tier:  # small entities: a dot, only when placed
            lx, ly = c["label"]
            dots.append(f'<circle cx="{lx}" cy="{ly}" r="2.6" fill="{colour}" stroke="#333" '
                        f'stroke-width="0.5" data-iso3="{iso3}"><title>{escape(label)}</title>'
                        "</circle>")
    out.extend(dots)
    out.append("</svg>")
    return "".join(out)


def timeline_svg(
    history: Iterable[Mapping[str, Any]], first_year: int, last_year: int,
    highlight: int | None = None, width: int = 640, height: int = 170,
) -> str:
    """A country's tier by report year: one dot per placement, lines between consecutive years.

    Years without a placement are shaded (unknown is not a tier); deduced tiers are hollow.
    """
    hist = {int(h["year"]): h for h in history}
    left, right, top, bottom = 118, 20, 10, 24
    span = max(1, last_year - first_year)
    step = (width - left - right) / span
    rows = [t for t in TIER_ORDER if t != "1or2" or any(h["tier"] == "1or2"
                                                        for h in hist.values())]
    dy = (height - top - bottom) / max(1, len(rows) - 1)

    def x(year: int) -> float:
        return left + (year - first_year) * step

    def y(tier: str) -> float:
        return top + rows.index(tier) * dy if tier in rows else top

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'class="timeline" role="img" aria-label="Tier by report year">']
    for year in range(first_year, last_year + 1):
        if year not in hist:
            parts.append(f'<rect x="{x(year) - step / 2:.1f}" y="{top - 6}" width="{step:.1f}" '
                         f'height="{height - top - bottom + 12}" fill="#efefef"/>')
    if highlight is not None:
        parts.append(f'<rect x="{x(highlight) - step / 2:.1f}" y="{top - 6}" '
                     f'width="{step:.1f}" height="{height - top - bottom + 12}" '
                     'fill="none" stroke="#0b5cad" stroke-width="1"/>')
    for tier in rows:
        parts.append(f'<line x1="{left - 4}" x2="{width - right}" y1="{y(tier):.1f}" '
                     f'y2="{y(tier):.1f}" stroke="#e3e6ea"/>'
                     f'<text x="4" y="{y(tier) + 3.5:.1f}" '
                     f'font-size="10" fill="#5b6475">{TIER_LABELS[tier]}</text>')
    # Labels are anchored at their start: an anchored ("middle"/"end") SVG text becomes a PDF
    # form object of its own in WeasyPrint, and 13 of them per country page slowed the PDF.
    # Years are four digits of equal width, so centring is arithmetic.
    half_year = 2 * YEAR_DIGIT_EM * 10
    for year in range(first_year, last_year + 1):
        if (year - first_year) % 4 == 0 or year == last_year:
            parts.append(f'<text x="{x(year) - half_year:.1f}" y="{height - 8}" '
                         f'font-size="10" fill="#5b6475">{year}</text>')
    for year, h in sorted(hist.items()):
        nxt = hist.get(year + 1)
        if nxt is not None:
            parts.append(f'<line x1="{x(year):.1f}" y1="{y(h["tier"]):.1f}" '
                         f'x2="{x(year + 1):.1f}" y2="{y(nxt["tier"]):.1f}" stroke="#777" '
                         'stroke-width="1.4"/>')
    for year, h in sorted(hist.items()):
        colour = TIER_COLOURS.get(h["tier"], NO_DATA)
        deduced = h.get("basis") == "deduced"
        fill = "#fff" if deduced else colour
        stroke = colour if deduced else "#222"
        # no <title>: the chart is an <img>, where no viewer shows tooltips
        parts.append(f'<circle cx="{x(year):.1f}" cy="{y(h["tier"]):.1f}" r="4.5" '
                     f'fill="{fill}" stroke="{stroke}" stroke-width="{2 if deduced else 0.8}"/>')
    parts.append("</svg>")
    return "".join(parts)


def svg_data_uri(svg: str) -> str:
    """An SVG document as a ``data:`` URI, for an ``<img>`` (light to parse and lay out)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def legend_items() -> list[tuple[str, str, str]]:
    """(tier, label, colour) for the legend, plus no data."""
    return [(t, TIER_LABELS[t], TIER_COLOURS[t]) for t in TIER_ORDER] + [
        ("none", "No data for this year", NO_DATA)
    ]
