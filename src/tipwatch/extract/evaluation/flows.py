"""Directed flows against labels written by reading (``tests/devset/flows/*.yaml``).

A flow label lists, for one narrative, the countries victims come *from* into the narrative's
country (``flows_from``) and the countries its nationals, or victims moved from or through it,
are taken *to* or exploited in (``flows_to``), as stated in the trafficking profile (``scope:
profile``). The conventions are in ``tests/devset/README.md`` ("Directed flows"). A predicted
flow is a ``cited_country`` fact with direction ``from`` or ``to`` in that scope; precision and
recall are micro-averaged over (document, country, direction).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import field_validator

from tipwatch.extract.evaluation.labels import LabelFile, load_label_files
from tipwatch.extract.evaluation.scoring import KindScore

FLOWS_DIR = "flows"


class FlowLabel(LabelFile):
    scope: Literal["profile"]
    flows_from: list[str]
    flows_to: list[str]
    notes: str = ""

    @field_validator("flows_from", "flows_to")
    @classmethod
    def _codes(cls, v: list[str]) -> list[str]:
        for code in v:
            if len(code) != 3 or not code.isupper():
                raise ValueError(f"{code!r} is not an ISO3 code")
        if len(set(v)) != len(v):
            raise ValueError("a country is listed twice")
        return v

    def pairs(self) -> set[tuple[str, str]]:
        return {(c, "from") for c in self.flows_from} | {(c, "to") for c in self.flows_to}


def load_flow_labels(folder: str | Path) -> list[FlowLabel]:
    """Every ``*.yaml`` flow label in ``folder`` (one-line error for a bad file)."""
    return load_label_files(folder, FlowLabel, "flow label")


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def predicted_flows(facts: Iterable[Any], scope: str = "profile") -> dict[str, set]:
    """doc id -> {(country, direction)} of the directed cited-country facts in ``scope``."""
    out: dict[str, set[tuple[str, str]]] = {}
    for f in facts:
        if _get(f, "kind") != "cited_country" or _get(f, "direction") not in ("from", "to"):
            continue
        if _get(f, "section") != scope:
            continue
        out.setdefault(str(_get(f, "doc_id")), set()).add(
            (str(_get(f, "value")), str(_get(f, "direction")))
        )
    return out


def score_flows(
    labels: Iterable[FlowLabel], facts: Iterable[Any]
) -> tuple[KindScore, list[tuple[str, str, str, str]]]:
    """(score, errors as (doc, country, direction, false_positive|false_negative))."""
    pred = predicted_flows(facts)
    score = KindScore("directed_flow")
    errors: list[tuple[str, str, str, str]] = []
    for lb in labels:
        gold, got = lb.pairs(), pred.get(lb.doc, set())
        score.tp += len(gold & got)
        score.fp += len(got - gold)
        score.fn += len(gold - got)
        errors += [(lb.doc, c, d, "false_positive") for c, d in sorted(got - gold)]
        errors += [(lb.doc, c, d, "false_negative") for c, d in sorted(gold - got)]
    return score, errors
