"""The project's SVG charts: world map by tier and tier timeline."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tipwatch.report.charts import (
    COMPOSITES,
    NO_DATA,
    TIER_COLOURS,
    load_shapes,
    timeline_svg,
    world_map_svg,
)

NS = {"s": "http://www.w3.org/2000/svg"}


def _by_iso(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {e.get("data-iso3"): e for e in root.iter() if e.get("data-iso3")}


def test_shapes_cover_the_report_entities() -> None:
    shapes = load_shapes()["countries"]
    for iso3 in ("HKG", "MAC", "XKX", "TWN", "CUW", "ABW", "SXM", "SSD", "PSE", "MMR"):
        assert iso3 in shapes, iso3
        assert shapes[iso3]["d"] or shapes[iso3].get("tiny"), iso3
    assert "ATA" not in shapes


def test_map_colours_by_tier_and_leaves_unknown_grey() -> None:
    svg = world_map_svg({"FRA": ("1", "read"), "RUS": ("3", "read"), "BRA": ("2WL", "deduced"),
                         "MAC": ("2", "read")})
    nodes = _by_iso(svg)
    assert nodes["FRA"].get("fill") == TIER_COLOURS["1"]
    assert nodes["RUS"].get("fill") == TIER_COLOURS["3"]
    assert nodes["BRA"].get("fill") == TIER_COLOURS["2WL"]
    assert nodes["BRA"].get("stroke-dasharray")  # deduced: dotted outline
    assert not nodes["FRA"].get("stroke-dasharray")
    assert nodes["DEU"].get("fill") == NO_DATA  # no placement given: no data, not a tier
    assert nodes["MAC"].tag.endswith("circle")  # too small for a shape: a dot


def test_map_draws_old_entities_through_their_successors() -> None:
    nodes = _by_iso(world_map_svg({"SCG": ("2WL", "read")}))
    for iso3 in COMPOSITES["SCG"]:
        if iso3 in nodes:
            assert nodes[iso3].get("fill") == TIER_COLOURS["2WL"]
    assert nodes["SRB"].get("fill") == TIER_COLOURS["2WL"]


def test_timeline_marks_gaps_and_deduced_years() -> None:
    history = [
        {"year": 2001, "tier": "2", "basis": "read"},
        {"year": 2002, "tier": "2WL", "basis": "read"},
        {"year": 2005, "tier": "3", "basis": "deduced"},
    ]
    root = ET.fromstring(timeline_svg(history, 2001, 2005))
    circles = root.findall("s:circle", NS)
    assert len(circles) == 3
    assert circles[2].get("fill") == "#fff" and circles[2].get("stroke") == TIER_COLOURS["3"]
    assert circles[0].get("fill") == TIER_COLOURS["2"]
    gaps = [r for r in root.findall("s:rect", NS) if r.get("fill") == "#efefef"]
    assert len(gaps) == 2  # 2003 and 2004 have no placement
    # a line joins consecutive years only (2001-2002), not across the gap
    joins = [ln for ln in root.findall("s:line", NS) if ln.get("stroke") == "#777"]
    assert len(joins) == 1
    # worse tiers sit lower
    ys = [float(c.get("cy")) for c in circles]
    assert ys[0] < ys[1] < ys[2]
