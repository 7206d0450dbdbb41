"""Effort facts benchmark: precision and recall per pillar on the labelled dev set.

Scores the dev batch and the four held-out batches of ``tests/devset_efforts/labels.yaml``
(labelled by reading; each held-out batch was scored once, then worked on, so all are now seen
and their first scores, the honest figures, are printed beside them from ``FIRST_SCORES``) with
the extractor and with the baseline (same topic words, polarity from "not"/"no"
in the sentence), prints both, and exits 1 when a dev-batch figure misses the 0.90 target.

    .venv/bin/python benchmarks/efforts.py
    .venv/bin/python benchmarks/efforts.py --labels tests/devset_efforts/labels_web.yaml \
        --texts DIR --batch web-1

With ``--texts``, a batch whose texts are report pages the user holds (``<ISO3>_<year>.txt``
files, each the narrative's heading and intro; the labels record each intro's SHA-256) is
scored beside the baseline; nothing is compared with a target.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tipwatch.analysis.effort_quality import PILLARS, baseline, load_labels, load_texts, score

LABELS = Path(__file__).resolve().parent.parent / "tests" / "devset_efforts" / "labels.yaml"
TARGET = 0.90
#: F1 per pillar (prosecution, protection, prevention) when each held-out batch was scored once
#: (docs/extraction.md, "Effort facts"); holdout-4: labels 311a853, rules 068d91e
FIRST_SCORES = {"holdout-1": (0.89, 0.82, 0.95), "holdout-2": (0.81, 0.83, 0.84),
                "holdout-3": (0.80, 0.79, 0.83), "holdout-4": (0.90, 0.90, 0.67)}


def _print(batch: str, ours: dict, base: dict, note: str = "") -> None:
    print(f"{batch}: {ours['narratives']} narratives; overall finding accuracy "
          f"{ours['overall_accuracy']}{note}")
    for p in PILLARS:
        o, b = ours["pillars"][p], base["pillars"][p]
        print(f"  {p:12s} P {o['precision']:.3f} R {o['recall']:.3f} F1 {o['f1']:.3f} "
              f"({o['labelled']} labelled, {o['found']} found) | baseline "
              f"P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f}")


def score_texts(labels_path: Path, texts: Path, batch: str, errors: bool) -> int:
    labels = load_labels(labels_path)
    narratives = load_texts(texts, [e for e in labels if e["batch"] == batch])
    ours = score(labels, batch, narratives=narratives)
    _print(batch, ours, score(labels, batch, baseline, narratives=narratives))
    if errors:
        for doc, what, item in ours["errors"]:
            print(f"    {doc} {what} {item}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--texts", type=Path, help="folder of <ISO3>_<year>.txt intros")
    ap.add_argument("--batch", default="web-1")
    ap.add_argument("--errors", action="store_true", help="list each error")
    args = ap.parse_args()
    if args.texts:
        return score_texts(args.labels, args.texts, args.batch, args.errors)
    labels = load_labels(LABELS)
    ok = True
    for batch in ("dev", "holdout-1", "holdout-2", "holdout-3", "holdout-4"):
        ours, base = score(labels, batch), score(labels, batch, baseline)
        first = FIRST_SCORES.get(batch)
        seen = (f" (now seen; F1 when scored once: {' / '.join(f'{x:.2f}' for x in first)})"
                if first else "")
        _print(batch, ours, base, seen)
        if batch == "dev" and any(min(ours["pillars"][p]["precision"],
                                      ours["pillars"][p]["recall"]) < TARGET for p in PILLARS):
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
