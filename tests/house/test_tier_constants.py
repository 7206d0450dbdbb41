"""Tier codes are defined once (``tipwatch/tiers.py``); other modules import them.

A collection of three or more tier codes written out elsewhere is a copy that can drift. The few
that are not copies (another order or subset with a meaning of its own) are listed with it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tipwatch

CODES = {"1", "2", "2WL", "3", "special", "1or2"}
PACKAGE = Path(tipwatch.__file__).parent
#: (module, what the literal holds that tiers.py does not)
OWN_MEANING = {
    ("report/charts.py", "display order and colours of the map and timelines"),
    ("rules/history.py", "the statute's order, where Tier 1 or 2 sits with Tier 2"),
    ("extract/evaluation/labels.py", "the tiers a label may state (no 1or2 in any narrative)"),
    ("analysis/consistency.py", "the tiers above Tier 3, for one rule flag"),
}


def _tier_literals() -> list[tuple[str, int]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "tiers.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                items = node.elts
            elif isinstance(node, ast.Dict):
                items = [k for k in node.keys if k is not None]
            else:
                continue
            values = [e.value for e in items if isinstance(e, ast.Constant)]
            if (len(values) == len(items) >= 3 and all(isinstance(v, str) for v in values)
                    and set(values) <= CODES and "2WL" in values):
                found.append((rel, node.lineno))
    return found


def test_tier_codes_are_not_copied() -> None:
    allowed = {m for m, _ in OWN_MEANING}
    copies = [f"{m}:{line}" for m, line in _tier_literals() if m not in allowed]
    assert not copies, "tier codes written out again (import them from tipwatch.tiers): " + \
        ", ".join(copies)


def test_the_check_finds_a_copy() -> None:
    # the scan must see a written-out list, or an empty result would pass the test above
    assert any(m == "report/charts.py" for m, _ in _tier_literals())
