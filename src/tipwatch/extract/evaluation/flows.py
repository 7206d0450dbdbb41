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


def text_facts(folder: str | Path, labels: Iterable[FlowLabel]) -> list[Any]:
    """Facts of labelled ``web:<year>:<ISO3>`` documents read from ``<ISO3>_<year>.txt`` files.

    Such batches are report pages the user fetched (the repository holds no report text): each
    file holds a narrative's heading and its trafficking profile, is read by the project's text
    reader and extracted; the facts carry the label's document id. A missing file, or one
    without a profile of that country, is a :class:`MalformedInputError` naming it.
    """
    import dataclasses

    from tipwatch.errors import MalformedInputError
    from tipwatch.extract import extract
    from tipwatch.ingest import load_path

    out: list[Any] = []
    for lb in labels:
        kind, year, iso3 = lb.doc.split(":")
        if kind != "web":
            continue
        path = Path(folder) / f"{iso3}_{year}.txt"
        if not path.is_file():
            raise MalformedInputError(f"{path}: missing (the text of {lb.doc})")
        found = [n for n in load_path(path, "txt", year=int(year))
                 if n.country == iso3 and "profile" in n.spans]
        if len(found) != 1:
            raise MalformedInputError(f"{path}: no single profile of {iso3} {year} in it")
        out += [dataclasses.replace(f, doc_id=lb.doc) for f in extract(found[0])]
    return out
