"""Effort facts benchmark: precision and recall per pillar on the labelled dev set.

Scores the dev batch, the first three held-out batches (each scored once, then worked on:
now seen) and the fourth (scored once) of ``tests/devset_efforts/labels.yaml`` (labelled by
reading) with the extractor and with the baseline (same topic words, polarity from "not"/"no"
in the sentence), prints both, and exits 1 when a dev-batch figure misses the 0.90 target.

    .venv/bin/python benchmarks/efforts.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from tipwatch.analysis.effort_quality import PILLARS, baseline, load_labels, score

LABELS = Path(__file__).resolve().parent.parent / "tests" / "devset_efforts" / "labels.yaml"
TARGET = 0.90


def main() -> int:
    labels = load_labels(LABELS)
    ok = True
    for batch in ("dev", "holdout-1", "holdout-2", "holdout-3", "holdout-4"):
        ours, base = score(labels, batch), score(labels, batch, baseline)
        print(f"{batch}: {ours['narratives']} narratives; overall finding accuracy "
              f"{ours['overall_accuracy']}")
        for p in PILLARS:
            o, b = ours["pillars"][p], base["pillars"][p]
            print(f"  {p:12s} P {o['precision']:.2f} R {o['recall']:.2f} F1 {o['f1']:.2f} "
                  f"({o['labelled']} labelled) | baseline P {b['precision']:.2f} "
                  f"R {b['recall']:.2f} F1 {b['f1']:.2f}")
            if batch == "dev" and min(o["precision"], o["recall"]) < TARGET:
                ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
