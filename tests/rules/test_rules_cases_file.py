"""Every row of ../shared/spec/tip-rules-cases.csv is reproduced by the audit of the bundled panel.

The audit runs in the real store (``store_db``). Rows the bundled data cannot support are
listed in docs/rules.md with their reason; the test checks that exactly those rows fail, so the
list cannot grow silently.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest

from tipwatch import countries

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "rules.md"
TIER = {"Tier 3": "3", "Tier 2 Watch List": "2WL", "Special Case": "special", "Tier 2": "2",
        "Tier 1": "1"}
STREAK = re.compile(r"streak=(\d+) \((\d{4})(?:-(\d{4}))?[^)]*\).*next=(.*)$")


def _cases(shared: Path) -> list[dict]:
    with (shared / "spec" / "tip-rules-cases.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _key(row: dict) -> tuple[str, int, str]:
    return (row["country"], int(row["report_year"]), row["event"])


def unsupported_in_doc() -> dict[tuple[str, int, str], str]:
    """Rows of the 'Cases the bundled data cannot support' table in docs/rules.md."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Cases the bundled data cannot support", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[1].isdigit():
            out[(cells[0], int(cells[1]), cells[2])] = cells[3]
    return out


def _events(store_db: Path, iso3: str, year: int, event: str) -> list[dict]:
    with duckdb.connect(str(store_db), read_only=True) as con:
        cur = con.execute(
            "SELECT * FROM events WHERE iso3 = ? AND year = ? AND event = ?", [iso3, year, event]
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def reproduced(row: dict, store_db: Path) -> tuple[bool, str]:
    """Does the audit in the store reproduce this case row? (ok, why not)."""
    iso3 = countries.resolve(row["country"]).iso3
    year = int(row["report_year"])
    events = _events(store_db, iso3, year, row["event"])
    if not events:
        return False, "no such event"
    expected = row["expected"]
    if row["event"] == "watch_list_streak":
        m = STREAK.match(expected)
        assert m, f"unparsed expectation {expected!r}"
        n, first = int(m.group(1)), int(m.group(2))
        last = int(m.group(3) or first)
        nxt = m.group(4)
        want_next = TIER[nxt.split("->")[-1].strip()]
        for e in events:
            if (e["streak"], e["first_year"], e["last_year"]) == (n, first, last) and (
                e["next_tier"] == want_next
            ):
                return True, ""
        found = [(e["streak"], e["first_year"], e["next_tier"]) for e in events]
        return False, f"streaks found: {found}"
    tier = TIER[expected]
    if not any(e["tier"] == tier for e in events):
        return False, f"tier {[e['tier'] for e in events]} != {tier}"
    if row["event"] == "auto_downgrade" and not all(
        e["reason"].startswith("R_T3_AUTO_DOWNGRADE") and e["statute"] for e in events
    ):
        return False, "auto_downgrade without its reason"
    return True, ""


def _params() -> list:
    from tipwatch.paths import shared_dir

    return [pytest.param(r, id=f"{r['country']}-{r['report_year']}-{r['event']}")
            for r in _cases(shared_dir())]


@pytest.mark.corpus
@pytest.mark.parametrize("row", _params())
def test_case_row(row: dict, store_db: Path) -> None:
    ok, why = reproduced(row, store_db)
    listed = unsupported_in_doc()
    if _key(row) in listed:
        assert not ok, f"{_key(row)} is reproduced now: remove it from docs/rules.md"
    else:
        assert ok, f"{_key(row)} not reproduced: {why}"


@pytest.mark.corpus
def test_unsupported_list_names_real_rows(shared: Path) -> None:
    """Every row listed as unsupported exists in the cases file and has a reason."""
    keys = {_key(r) for r in _cases(shared)}
    for key, reason in unsupported_in_doc().items():
        assert key in keys, f"{key} is not a row of the cases file"
        assert len(reason) > 10


@pytest.mark.corpus
def test_cases_cover_every_event_kind(shared: Path) -> None:
    kinds = {r["event"] for r in _cases(shared)}
    from tipwatch.rules.audit import EVENTS

    assert kinds <= set(EVENTS)
