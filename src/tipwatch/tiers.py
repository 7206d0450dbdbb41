"""Tier codes, their labels and their order: one definition for the whole project."""

from __future__ import annotations

TIERS: tuple[str, ...] = ("1", "2", "2WL", "3", "special", "1or2")
TIER_LABELS: dict[str, str] = {
    "1": "Tier 1",
    "2": "Tier 2",
    "2WL": "Tier 2 Watch List",
    "3": "Tier 3",
    "special": "Special Case",
    "1or2": "Tier 1 or 2",
}
#: Ordinal rank used to call a change an upgrade or a downgrade (Special Case is not ranked).
TIER_RANK: dict[str, float] = {"1": 1.0, "1or2": 1.5, "2": 2.0, "2WL": 2.5, "3": 3.0}
#: The ranked tiers (a placement on one of them has a place in the order; Special Case has not).
RANKED: tuple[str, ...] = ("1", "2", "2WL", "3")
