"""Quality gate: the extraction engine over the labelled development set meets the issue's targets.

Targets (issue 4): F1 >= 0.95 for roles, forms and victim groups; >= 0.90 for cited countries and
law-enforcement counts (every label batch except the held-out ones); the 2018 tier statements
agree with the panel for every country, each mismatch explained in
``tests/devset/tier_mismatches.csv``. The labels were written by reading
the narratives, never by running the extractor.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from tipwatch.extract.evaluation import (
    HELD_OUT_BATCHES,
    TARGETS,
    EngineRun,
    Evaluation,
    evaluate_engine,
    load_labels,
    panel_tiers,
    score,
    tier_agreement,
)

pytestmark = pytest.mark.corpus

DEVSET = Path(__file__).resolve().parents[1] / "devset"


@pytest.fixture(scope="module")
def run() -> EngineRun:
    return evaluate_engine(load_labels(DEVSET))


@pytest.fixture(scope="module")
def gated(run: EngineRun) -> Evaluation:
    # A held-out batch measures generalization (reported in docs/extraction.md, never tuned on).
    labels = [lb for lb in load_labels(DEVSET) if lb.batch not in HELD_OUT_BATCHES]
    return score(labels, run.facts, run.doc_map)


def _error_summary(evaluation: Evaluation, kind: str, limit: int = 25) -> str:
    errs = [e for e in evaluation.errors if e.kind == kind]
    common = Counter((e.error, str(e.value)) for e in errs).most_common(8)
    lines = [f"  most common {kind} errors: {common}"]
    lines += [f"  {e.doc}: {e.error} {e.value}" for e in errs[:limit]]
    return "\n".join(lines)


def test_engine_produces_every_labelled_document(run: EngineRun) -> None:
    assert run.evaluation.missing_docs == [], run.evaluation.missing_docs


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_f1_meets_target(gated: Evaluation, kind: str) -> None:
    s = gated.scores[kind]
    assert s.tp + s.fn > 0, f"no labelled {kind} values: the dev set cannot measure it"
    assert s.f1 >= TARGETS[kind], (
        f"{kind}: F1 {s.f1:.3f} < {TARGETS[kind]}\n"
        + gated.table()
        + "\n"
        + _error_summary(gated, kind)
    )


def test_every_fact_has_a_locator(run: EngineRun) -> None:
    assert run.facts, "the engine produced no facts for the labelled documents"
    texts = {n.doc_id: n for n in run.narratives}
    for fact in run.facts:
        assert fact.doc_id in texts
        assert fact.extractor_version
        assert 0 <= fact.start <= fact.end, fact
        assert fact.section, fact


def test_2018_tier_statements_agree_with_the_panel(run: EngineRun) -> None:
    from tipwatch.extract import extract

    panel = panel_tiers()
    tip = [n for n in run.narratives if n.doc_id.startswith("tip2018:")]
    assert len(tip) >= 180
    facts = [f for n in tip for f in extract(n) if f.kind == "tier_statement"]
    agree, mismatches = tier_agreement(facts, panel, [(n.doc_id, n.country, 2018) for n in tip])
    with open(DEVSET / "tier_mismatches.csv", newline="", encoding="utf-8") as fh:
        explained = {(r["iso3"], r["extracted"], r["panel"]) for r in csv.DictReader(fh)}
    unexplained = [
        m for m in mismatches if (m.iso3, m.extracted or "", m.panel or "") not in explained
    ]
    assert unexplained == [], f"{agree} of {len(tip)} agree; unexplained: {unexplained}"
