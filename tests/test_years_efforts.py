"""Effort facts: the issue's examples, the overall finding, and quality on the labelled set."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract_helpers import nar
from tipwatch.analysis.effort_quality import PILLARS, baseline, load_labels, score
from tipwatch.extract import efforts

LABELS = Path(__file__).parent / "devset_efforts" / "labels.yaml"


def _items(intro: str) -> set[tuple[str, str, str]]:
    return {(f.value["pillar"], f.value["topic"], f.value["polarity"])
            for f in efforts.extract(nar("MDA", intro=intro))}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The government did not make any known attempts to protect trafficking victims.",
     {("protection", "shelters_services", "failing")}),
    ("The government reported no efforts to identify or assist trafficking victims.",
     {("protection", "victim_identification", "failing"),
      ("protection", "shelters_services", "failing")}),
    ("The government provided no discernible protection services.",
     {("protection", "shelters_services", "failing")}),
    ("There were no assurances that victims were exempt from being penalized for unlawful acts "
     "traffickers compelled them to commit.", {("protection", "non_penalization", "failing")}),
    ("The government convicted more traffickers and opened two shelters.",
     {("prosecution", "convictions", "effort"), ("protection", "shelters_services", "effort")}),
    ("Police continued to arrest and deport potential victims, but the government trained "
     "border guards.", {("protection", "non_penalization", "failing"),
                        ("prosecution", "training", "effort")}),
])
def test_the_issues_examples_come_out(sentence, expected):
    assert _items(sentence) == expected


def test_overall_finding_increasing_or_not():
    def overall(intro: str) -> dict:
        return next(f.value for f in efforts.extract(nar("MDA", intro=intro))
                    if f.value["topic"] == "overall")

    o = overall("The government did not demonstrate overall increasing efforts compared to the "
                "previous reporting period.")
    assert o["increasing"] is False and o["polarity"] == "failing"
    o = overall("The government demonstrated increasing efforts compared to the previous "
                "reporting period.")
    assert o["increasing"] is True and o["polarity"] == "effort"
    o = overall("The government is not making significant efforts to do so.")
    assert o["significant"] is False and o["increasing"] is None


def test_dev_batch_meets_the_target_and_beats_the_baseline():
    labels = load_labels(LABELS)
    assert len(labels) >= 25
    ours, base = score(labels, "dev"), score(labels, "dev", baseline)
    for p in PILLARS:
        assert ours["pillars"][p]["precision"] >= 0.90, (p, ours["pillars"][p])
        assert ours["pillars"][p]["recall"] >= 0.90, (p, ours["pillars"][p])
        assert ours["pillars"][p]["f1"] >= base["pillars"][p]["f1"]
    assert ours["overall_accuracy"] >= 0.95


def test_held_out_batches_do_not_fall_below_their_recorded_figures():
    # holdout-1 and holdout-2 were each scored once, then their errors were worked on (now
    # seen); holdout-3 was scored once after that (docs/extraction.md, "Effort facts"): floors
    # against regressions, not targets
    labels = load_labels(LABELS)
    for batch, n in (("holdout-1", 9), ("holdout-2", 10)):
        seen = score(labels, batch)
        assert seen["narratives"] == n
        assert all(seen["pillars"][p]["f1"] >= 0.95 for p in PILLARS), batch
    r = score(labels, "holdout-3")
    assert r["narratives"] == 10
    assert r["pillars"]["prosecution"]["f1"] >= 0.80
    assert r["pillars"]["protection"]["f1"] >= 0.79
    assert r["pillars"]["prevention"]["f1"] >= 0.83
