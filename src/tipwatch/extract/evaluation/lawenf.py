"""Law-enforcement counts against labels of their own (``tests/devset/lawenf/*.yaml``).

A label lists the headline figures of one narrative's PROSECUTION and PROTECTION sections
(``le_counts``: measure -> figure, or a list of figures when the text gives parts with no
total), read by the conventions of ``tests/devset/README.md`` ("Law-enforcement counts").
Scored like the main development set: (measure, figure) pairs per narrative, micro-averaged.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from tipwatch.extract.evaluation.labels import LabelFile, Measure, load_label_files
from tipwatch.extract.evaluation.scoring import KindScore, predicted_items


class LawEnfLabel(LabelFile):
    scope: Literal["prosecution and protection"]
    le_counts: dict[Measure, int | list[int]] = Field(default_factory=dict)
    notes: str = ""

    def pairs(self) -> set[tuple[str, int]]:
        out: set[tuple[str, int]] = set()
        for measure, n in self.le_counts.items():
            for x in n if isinstance(n, list) else [n]:
                out.add((measure, int(x)))
        return out


def load_lawenf_labels(folder: str | Path) -> list[LawEnfLabel]:
    """Every ``*.yaml`` law-enforcement label in ``folder`` (one-line error for a bad file)."""
    return load_label_files(folder, LawEnfLabel, "law-enforcement label")


def score_lawenf(
    labels: Iterable[LawEnfLabel], facts: Iterable[Any]
) -> tuple[KindScore, list[tuple[str, Any, str]]]:
    """(score, errors as (doc, (measure, figure), false_positive|false_negative))."""
    pred = predicted_items(facts)
    score = KindScore("le_count")
    errors: list[tuple[str, Any, str]] = []
    for lb in labels:
        gold, got = lb.pairs(), pred.get(lb.doc, {}).get("le_count", set())
        score.tp += len(gold & got)
        score.fp += len(got - gold)
        score.fn += len(gold - got)
        errors += [(lb.doc, v, "false_positive") for v in sorted(got - gold)]
        errors += [(lb.doc, v, "false_negative") for v in sorted(gold - got)]
    return score, errors
