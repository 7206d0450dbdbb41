"""Directed flows and law-enforcement counts on their held-out batches, over the real texts.

Each batch was labelled by reading, scored once (the figures in docs/extraction.md), and only
then were its errors worked on. A batch that has been worked on is "seen": its floor guards
against regressions and is no estimate for unseen text. The last batch of each kind that was
scored once keeps the figure it had then.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from tipwatch.extract import extract
from tipwatch.extract.evaluation.flows import load_flow_labels, score_flows
from tipwatch.extract.evaluation.lawenf import load_lawenf_labels, score_lawenf

pytestmark = pytest.mark.corpus

DEVSET = Path(__file__).resolve().parents[1] / "devset"


@lru_cache(maxsize=1)
def _documents() -> dict:
    from tipwatch.ingest import load_factbook, load_tip2018

    return {n.doc_id: n for n in list(load_tip2018()) + list(load_factbook())}


def _facts(labels) -> list:
    docs = _documents()
    return [f for lb in labels for f in extract(docs[lb.doc])]


FLOW_BATCHES = [f"flows-holdout-{i}" for i in (*range(1, 9), 10)]


@pytest.mark.parametrize("batch", FLOW_BATCHES)
def test_directed_flows_of_the_seen_batches(batch: str) -> None:
    labels = [lb for lb in load_flow_labels(DEVSET / "flows") if lb.batch == batch]
    assert len(labels) >= 5
    score = score_flows(labels, _facts(labels))[0]
    assert score.precision >= 0.95 and score.recall >= 0.95, (batch, score.as_dict())


#: the flow batches drawn five or more report years from every labelled document of their
#: country, each scored once (docs/extraction.md): (narratives, labelled flows, P, R then)
FLOW_SINGLE = {"flows-holdout-9": (14, 63, 0.953, 0.984),
               "flows-holdout-11": (14, 80, 0.987, 0.975)}


@pytest.mark.parametrize("batch", sorted(FLOW_SINGLE))
def test_the_years_apart_flow_batches_keep_their_single_scores(batch: str) -> None:
    # flows-holdout-9 was scored with the rules of a208bbf (the 2.0.0 rules give P 0.965,
    # R 0.873) and met the target (P 0.95, R 0.90); flows-holdout-10 (first score P 0.896,
    # R 0.923 with the rules of 5eeaa8e) has since been worked on and is a seen batch;
    # flows-holdout-11 was scored once with the rules of 3041ad9 (2.0.0: P 0.987, R 0.938)
    # and met the target
    n, gold, prec, rec = FLOW_SINGLE[batch]
    labels = [lb for lb in load_flow_labels(DEVSET / "flows") if lb.batch == batch]
    assert len(labels) == n
    score = score_flows(labels, _facts(labels))[0]
    assert score.tp + score.fn == gold
    assert score.precision >= prec and score.recall >= rec, score.as_dict()


def test_every_flow_batch_is_covered() -> None:
    batches = {lb.batch for lb in load_flow_labels(DEVSET / "flows")}
    assert batches == {*FLOW_BATCHES, *FLOW_SINGLE}


#: law-enforcement batches worked on after their single score: F1 floors
LAWENF_SEEN = {"lawenf-holdout-1": 0.95, "lawenf-holdout-2": 0.93, "lawenf-holdout-3": 0.93,
               "lawenf-holdout-4": 0.95}


@pytest.mark.parametrize("batch", sorted(LAWENF_SEEN))
def test_law_enforcement_counts_of_the_seen_batches(batch: str) -> None:
    labels = [lb for lb in load_lawenf_labels(DEVSET / "lawenf") if lb.batch == batch]
    assert labels
    score = score_lawenf(labels, _facts(labels))[0]
    assert score.f1 >= LAWENF_SEEN[batch], (batch, score.as_dict())


def test_the_last_law_enforcement_batch_keeps_its_single_score() -> None:
    # lawenf-holdout-5 (14 narratives, 54 figures) was scored once: P 0.978, R 0.833, F1 0.900
    labels = [lb for lb in load_lawenf_labels(DEVSET / "lawenf")
              if lb.batch == "lawenf-holdout-5"]
    assert len(labels) == 14
    score = score_lawenf(labels, _facts(labels))[0]
    assert (score.tp + score.fn) == 54
    assert score.f1 >= 0.90 and score.precision >= 0.97, score.as_dict()
