"""Score extracted facts against the labelled development set (``tests/devset/*.yaml``): the
development tools beside the extraction code they score.

The labels are written by reading the narratives, never by running the extractor. This module
holds the pure scoring functions that the quality-gate test and ``benchmarks/extraction.py``
share, plus the small loaders at the edge (label files, the panel tiers, the Factbook rows used
to match a labelled Factbook text when an engine numbers report years differently).

Scoring is micro-averaged over (document, value) pairs per fact kind:

* ``role``, ``form``, ``victim_group``: the value code;
* ``cited_country``: the ISO3 code (direction is not scored);
* ``le_count``: ``(measure, number)`` for the reporting period (facts whose period is the
  previous period are left out, as the labels hold reporting-period figures only);
* ``state_involvement``: ``state_policy_or_pattern`` / ``official_complicity``;
* ``tier``: the tier stated in the narrative (``tier_statement`` facts);
* ``tier_statement``: the details of that statement, as (field, value) pairs: movement,
  consecutive years, waiver, "not making significant efforts", "did not demonstrate overall
  increasing efforts" (only the true flags and the stated values count);
* ``recommendation``: the recommendation's position 1..n (labels give the count).
"""

from tipwatch.extract.evaluation.corpora import (
    EngineRun,
    evaluate_engine,
    factbook_archive_texts,
    match_documents,
    panel_tiers,
    similarity,
    tier_agreement,
)
from tipwatch.extract.evaluation.labels import HELD_OUT_BATCHES, KINDS, TARGETS, Label, load_labels
from tipwatch.extract.evaluation.scoring import (
    Evaluation,
    fact_item,
    finding_check,
    gold_items,
    score,
)

__all__ = [
    "HELD_OUT_BATCHES", "KINDS", "TARGETS", "EngineRun", "Evaluation", "Label", "evaluate_engine",
    "fact_item", "factbook_archive_texts", "finding_check", "gold_items", "load_labels",
    "match_documents", "panel_tiers", "score", "similarity", "tier_agreement",
]
