"""The scoring functions of tipwatch.extract.evaluation on facts built by hand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tipwatch.extract.evaluation import (
    KINDS,
    Label,
    fact_item,
    gold_items,
    match_documents,
    score,
    similarity,
    tier_agreement,
)


@dataclass
class F:
    doc_id: str
    kind: str
    value: Any


def _label(**over: Any) -> Label:
    base = {
        "doc": "tip2018:NGA",
        "country": "NGA",
        "year": 2018,
        "labelled_by": "reading the text",
        "roles": ["source", "transit", "destination"],
        "forms": ["sex_trafficking", "forced_labor"],
        "victim_groups": ["women", "children"],
        "cited_countries": ["BEN", "ITA"],
        "le_counts": {"investigations": 100, "convictions": [3, 4]},
        "state_policy_or_pattern": False,
        "official_complicity": True,
        "tier": "2WL",
        "recommendations": 2,
    }
    return Label.model_validate({**base, **over})


def test_gold_items() -> None:
    g = gold_items(_label())
    assert g["role"] == {"source", "transit", "destination"}
    assert g["le_count"] == {("investigations", 100), ("convictions", 3), ("convictions", 4)}
    assert g["state_involvement"] == {"official_complicity"}
    assert g["tier"] == {"2WL"}
    assert g["recommendation"] == {1, 2}


def test_perfect_facts_score_one() -> None:
    d = "tip2018:NGA"
    facts = [
        F(d, "role", "source"),
        F(d, "role", "transit"),
        F(d, "role", "destination"),
        F(d, "form", "sex_trafficking"),
        F(d, "form", "forced_labor"),
        F(d, "victim_group", "women"),
        F(d, "victim_group", "children"),
        F(d, "cited_country", {"iso3": "BEN", "direction": "from"}),
        F(d, "cited_country", "ITA"),
        F(d, "le_count", {"measure": "investigations", "value": 100, "period": "2017"}),
        F(d, "le_count", {"measure": "convictions", "value": 3, "period": "reporting period"}),
        F(d, "le_count", {"measure": "convictions", "value": 4, "period": "reporting period"}),
        F(d, "state_involvement", "official_complicity"),
        F(d, "tier_statement", {"tier": "2WL", "movement": "remained"}),
        F(d, "recommendation", {"index": 1, "label": "a"}),
        F(d, "recommendation", {"index": 2, "label": "b"}),
        # a duplicate role fact and facts of unlabelled documents change nothing
        F(d, "role", "source"),
        F("tip2018:GHA", "role", "internal"),
    ]
    ev = score([_label()], facts)
    for kind in KINDS:
        s = ev.scores[kind]
        assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0), kind
    assert ev.errors == []
    assert ev.failures() == {}


def test_errors_are_counted_micro_averaged() -> None:
    a, b = "tip2018:NGA", "tip2018:PHL"
    labels = [
        _label(),
        _label(doc=b, country="PHL", roles=["source"], cited_countries=["MYS", "NGA"]),
    ]
    facts = [
        F(a, "role", "source"),
        F(a, "role", "internal"),  # false positive
        F(b, "role", "source"),
        F(b, "cited_country", {"iso3": "MYS"}),
        F(b, "cited_country", {"iso3": "PHL"}),  # own country: a false positive
    ]
    ev = score(labels, facts)
    role = ev.scores["role"]
    # doc a: tp 1 (source), fp 1 (internal), fn 2; doc b: tp 1
    assert (role.tp, role.fp, role.fn) == (2, 1, 2)
    assert role.precision == pytest.approx(2 / 3)
    assert role.recall == pytest.approx(2 / 4)
    assert role.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    cc = ev.scores["cited_country"]
    assert (cc.tp, cc.fp, cc.fn) == (1, 1, 3)  # a: BEN, ITA missed; b: NGA missed, PHL wrong
    assert "role" in ev.failures()
    kinds = {(e.doc, e.kind, e.value, e.error) for e in ev.errors}
    assert (a, "role", "internal", "false_positive") in kinds
    assert (b, "cited_country", "NGA", "false_negative") in kinds
    assert "role" in ev.table() and "MISS" in ev.table()


def test_previous_period_counts_are_not_scored() -> None:
    prev = {"measure": "investigations", "value": 80, "period": "previous period"}
    assert fact_item(F("x", "le_count", prev)) is None
    cur = {"measure": "investigations", "value": 80, "period": "reporting period", "prior_value": 1}
    assert fact_item(F("x", "le_count", cur)) == ("le_count", ("investigations", 80))
    assert fact_item(F("x", "le_count", {"measure": "investigations"})) is None
    assert fact_item(F("x", "narrative", "text")) is None


def test_tier_values_are_normalized() -> None:
    for raw, want in [("Tier 2 Watch List", "2WL"), ("2WL", "2WL"), ("TIER 3", "3"), (1, "1")]:
        assert fact_item(F("x", "tier_statement", {"tier": raw})) == ("tier", want)
    assert fact_item(
        {"doc_id": "x", "kind": "tier_statement", "value": {"tier": "Special Case"}}
    ) == (
        "tier",
        "special",
    )


def test_a_document_without_facts_is_all_misses() -> None:
    ev = score([_label()], [], doc_map={"tip2018:NGA": ""})
    assert ev.missing_docs == ["tip2018:NGA"]
    assert ev.scores["role"].recall == 0.0
    assert ev.scores["role"].precision == 1.0  # nothing predicted
    assert ev.scores["role"].f1 == 0.0


def test_unlabelled_recommendations_are_not_scored() -> None:
    ev = score([_label(recommendations=None)], [F("tip2018:NGA", "recommendation", 1)])
    s = ev.scores["recommendation"]
    assert (s.tp, s.fp, s.fn) == (0, 0, 0)


def test_match_documents_by_id_then_by_content() -> None:
    text = "North Korea is a source country for men, women, and children subjected to forced labor"
    fb = Label.model_validate(
        {
            "doc": "factbook:2011:PRK",
            "edition": 2011,
            "country": "PRK",
            "year": 2011,
            "labelled_by": "reading the text",
            "roles": ["source"],
            "forms": ["forced_labor"],
            "victim_groups": [],
            "cited_countries": [],
            "state_policy_or_pattern": False,
            "official_complicity": False,
        }
    )
    narratives = [
        {"doc_id": "tip2018:NGA", "country": "NGA", "text": "x"},
        {"doc_id": "factbook:2010:PRK", "country": "PRK", "text": "tier rating: " + text},
        {"doc_id": "factbook:2010:CHN", "country": "CHN", "text": text},
    ]
    m = match_documents([_label(), fb], narratives, {(2011, "PRK"): text})
    assert m == {"tip2018:NGA": "tip2018:NGA", "factbook:2011:PRK": "factbook:2010:PRK"}
    assert match_documents([fb], narratives, {}) == {"factbook:2011:PRK": ""}
    assert similarity(text, text) == 1.0
    assert similarity(text, "something else entirely here today") == 0.0
    facts = [
        F("factbook:2010:PRK", "role", "source"),
        F("factbook:2010:PRK", "form", "forced_labor"),
    ]
    ev = score([fb], facts, doc_map=m)
    assert ev.scores["role"].f1 == 1.0 and ev.scores["form"].f1 == 1.0


def test_tier_agreement() -> None:
    facts = [
        F("tip2018:NGA", "tier_statement", {"tier": "Tier 2 Watch List"}),
        F("tip2018:PHL", "tier_statement", {"tier": "2"}),
        F("tip2018:PHL", "tier_statement", {"tier": "1"}),
    ]
    panel = {("NGA", 2018): "2WL", ("PHL", 2018): "1", ("USA", 2018): "1"}
    docs = [
        ("tip2018:NGA", "NGA", 2018),
        ("tip2018:PHL", "PHL", 2018),
        ("tip2018:USA", "USA", 2018),
    ]
    agree, mismatches = tier_agreement(facts, panel, docs)
    assert agree == 1
    assert [(m.iso3, m.extracted, m.panel) for m in mismatches] == [
        ("PHL", "1|2", "1"),
        ("USA", None, "1"),
    ]


def test_tier_statement_details_are_scored() -> None:
    statement = {
        "movement": "remained",
        "consecutive_years": 3,
        "waiver": True,
        "not_significant_efforts": False,
        "no_increasing_efforts": True,
    }
    label = _label(tier_statement=statement)
    assert gold_items(label)["tier_statement"] == {
        ("movement", "remained"),
        ("consecutive_years", 3),
        ("waiver", True),
        ("no_increasing_efforts", True),
    }
    d = "tip2018:NGA"
    got = {**statement, "tier": "2WL", "consecutive_years": 2, "waiver": False}
    ev = score([label], [F(d, "tier_statement", got)])
    s = ev.scores["tier_statement"]
    # movement and no_increasing_efforts right; consecutive years wrong (fp + fn); waiver missed
    assert (s.tp, s.fp, s.fn) == (2, 1, 2)
    assert ev.scores["tier"].f1 == 1.0
    # a label without tier_statement details does not score them
    ev = score([_label()], [F(d, "tier_statement", got)])
    s = ev.scores["tier_statement"]
    assert (s.tp, s.fp, s.fn) == (0, 0, 0)
