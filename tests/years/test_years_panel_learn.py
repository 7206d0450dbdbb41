"""The panel learning rules on a real store's panel (built in memory by the panel step)."""

from __future__ import annotations

import duckdb
import pytest

from tipwatch.store import panel_learn
from tipwatch.store.corpus_merge import CorpusDoc
from tipwatch.store.steps import panel as panel_step


@pytest.fixture()
def con():
    c = duckdb.connect()
    panel_step.run(c)
    panel_learn.create_tables(c)
    yield c
    c.close()


def _doc(doc_id: str, iso3: str, year: int, tier: str) -> CorpusDoc:
    return CorpusDoc(doc_id, iso3, year, "txt", f"{doc_id}.txt", {"tier": tier}, "x", {})


def test_implied_previous_reads_each_transition_phrase():
    def imp(tier: str, value: dict, intro: str = "") -> list[tuple[int, set, str | None]]:
        return [(i.year, set(i.allowed), i.fill)
                for i in panel_learn.implied_previous(2030, tier, value, "q", intro)]

    assert imp("2WL", {"tier": "2WL", "movement": "remained", "consecutive_years": 3}) == [
        (2029, {"2WL"}, "2WL"), (2028, {"2WL"}, "2WL")]
    assert imp("2WL", {"tier": "2WL", "movement": "upgraded"}) == [(2029, {"3"}, "3")]
    assert imp("2", {"tier": "2", "movement": "upgraded"}) == [(2029, {"2WL", "3"}, None)]
    assert imp("2", {"tier": "2", "movement": "downgraded"}) == [(2029, {"1"}, "1")]
    assert imp("2WL", {"tier": "2WL", "movement": "downgraded"}) == [
        (2029, {"1", "2", "1or2"}, "1or2")]
    assert imp("special", {"tier": "special", "movement": None}) == []
    waiver = "X was granted a waiver per the Act from an otherwise required downgrade to Tier 3."
    assert imp("2WL", {"tier": "2WL", "movement": None}, waiver) == [
        (2029, {"2WL"}, "2WL"), (2028, {"2WL"}, "2WL")]


def test_documents_that_disagree_fill_nothing_and_are_a_conflict(con):
    docs = [_doc("html:2030:FRA", "FRA", 2030, "1"), _doc("pdf:2030:FRA", "FRA", 2030, "2")]
    got = panel_learn.learn(con, docs, {}, corpus_label="c.duckdb")
    assert got["filled"] == 0 and got["conflicts"] == 2
    kinds = {r[0] for r in con.execute("SELECT kind FROM conflicts").fetchall()}
    assert kinds == {"documents disagree"}
    assert con.execute("SELECT count(*) FROM placements WHERE year = 2030").fetchone()[0] == 0


def test_a_document_narrowing_tier_1_or_2_agrees(con):
    row = ("FRA", 2010)  # a known "Tier 1 or 2", as a deduction can leave it
    con.execute("UPDATE placements SET tier = '1or2' WHERE iso3 = ? AND year = ?", list(row))
    got = panel_learn.learn(con, [_doc("txt:x", row[0], row[1], "2")], {}, corpus_label="c")
    assert got["agree"] == 1 and got["conflicts"] == 0
    (tier, sources) = con.execute("SELECT tier, all_sources FROM placements WHERE iso3 = ? "
                                  "AND year = ?", list(row)).fetchone()
    assert tier == "1or2" and "txt:x=2" in sources
