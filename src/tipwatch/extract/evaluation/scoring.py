"""Scoring extracted facts against the labels: items per kind, precision, recall, F1."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from tipwatch.extract.evaluation.labels import KINDS, TARGETS, Label, tier_detail_items

FINDING = "policy_or_pattern_finding"


def finding_check(facts: Iterable[Any], lists_csv: Any) -> dict[str, Any]:
    """Findings of a government policy or pattern against the official lists
    (``../shared/data/policy_or_pattern/lists.csv``: year, iso3), in the listed years.

    Precision: the share of finding facts (in a listed year) whose country is on that year's
    list. Recall: the share of listed (year, country) pairs with a narrative in ``narratives``
    that have a finding fact (pass the narratives' (year, iso3) pairs as ``have``).
    """

    with open(lists_csv, encoding="utf-8", newline="") as fh:
        listed = {(int(r["year"]), r["iso3"]) for r in csv.DictReader(fh)}
    years = {y for y, _ in listed}
    found = {
        (int(field_of(f, "year")), str(field_of(f, "iso3")))
        for f in facts
        if field_of(f, "kind") == "state_involvement" and field_of(f, "value") == FINDING
    }
    in_years = {p for p in found if p[0] in years}
    right = in_years & listed
    return {
        "findings": len(in_years),
        "on_list": len(right),
        "precision": round(len(right) / len(in_years), 3) if in_years else None,
        "wrong": sorted(in_years - listed),
        "years": sorted(years),
    }


def gold_items(label: Label) -> dict[str, set[Any]]:
    """The labelled (kind -> set of values) of one narrative."""
    le: set[Any] = set()
    for measure, n in label.le_counts.items():
        for x in n if isinstance(n, list) else [n]:
            le.add((measure, int(x)))
    state = set()
    if label.state_policy_or_pattern:
        state.add("state_policy_or_pattern")
    if label.official_complicity:
        state.add("official_complicity")
    if label.policy_or_pattern_finding:
        state.add(FINDING)
    return {
        "role": set(label.roles),
        "form": set(label.forms),
        "victim_group": set(label.victim_groups),
        "cited_country": set(label.cited_countries),
        "le_count": le,
        "state_involvement": state,
        "tier": {label.tier} if label.tier else set(),
        "tier_statement": label.tier_statement.items() if label.tier_statement else set(),
        "recommendation": set(range(1, label.recommendations + 1))
        if label.recommendations is not None
        else set(),
    }


def field_of(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


_PREVIOUS = re.compile(r"^(previous|prior|last)\b", re.IGNORECASE)


def _normalize_tier(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip().upper().replace("TIER", "").strip()
    text = re.sub(r"\s+", " ", text)
    if text in {"2WL", "2 WL", "2 WATCH LIST", "2-WL"}:
        return "2WL"
    if text.startswith("SPECIAL"):
        return "special"
    return text or None


def fact_item(fact: Any) -> tuple[str, Any] | None:
    """(scored kind, value) of one extracted fact, or ``None`` if the fact is not scored."""
    kind = field_of(fact, "kind")
    value = field_of(fact, "value")
    if kind in {"role", "form", "victim_group", "state_involvement"}:
        if isinstance(value, Mapping):
            value = value.get("value") or value.get(kind)
        return (kind, str(value)) if value else None
    if kind == "cited_country":
        iso3 = value.get("iso3") if isinstance(value, Mapping) else value
        return ("cited_country", str(iso3).upper()) if iso3 else None
    if kind == "le_count":
        if not isinstance(value, Mapping):
            return None
        period = str(value.get("period") or "reporting period")
        if _PREVIOUS.match(period):
            return None
        try:
            return ("le_count", (str(value["measure"]), int(value["value"])))
        except (KeyError, TypeError, ValueError):
            return None
    if kind == "tier_statement":
        tier = value.get("tier") if isinstance(value, Mapping) else value
        tier = _normalize_tier(tier)
        return ("tier", tier) if tier else None
    if kind == "recommendation":
        index = value.get("index") if isinstance(value, Mapping) else value
        try:
            return ("recommendation", int(index))
        except (TypeError, ValueError):
            return None
    return None


def predicted_items(facts: Iterable[Any]) -> dict[str, dict[str, set[Any]]]:
    """doc id -> kind -> set of predicted values."""
    out: dict[str, dict[str, set[Any]]] = {}
    for fact in facts:
        item = fact_item(fact)
        if item is None:
            continue
        doc = str(field_of(fact, "doc_id") or field_of(fact, "doc") or "")
        kind, value = item
        out.setdefault(doc, {}).setdefault(kind, set()).add(value)
        details = field_of(fact, "value")
        if kind == "tier" and isinstance(details, Mapping):
            out[doc].setdefault("tier_statement", set()).update(tier_detail_items(details))
    return out


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class Error:
    doc: str
    kind: str
    value: Any
    error: Literal["false_positive", "false_negative"]


@dataclass
class KindScore:
    kind: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Evaluation:
    scores: dict[str, KindScore]
    errors: list[Error] = field(default_factory=list)
    missing_docs: list[str] = field(default_factory=list)

    def failures(self, targets: Mapping[str, float] = TARGETS) -> dict[str, float]:
        """Kinds whose F1 is below target -> their F1."""
        return {k: self.scores[k].f1 for k, t in targets.items() if self.scores[k].f1 < t}

    def table(self) -> str:
        lines = [f"{'kind':<18}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}  target"]
        for kind in KINDS:
            s = self.scores[kind]
            target = TARGETS.get(kind)
            mark = "" if target is None else f"{target:.2f} {'ok' if s.f1 >= target else 'MISS'}"
            lines.append(
                f"{kind:<18}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
                f"{s.tp:>6}{s.fp:>6}{s.fn:>6}  {mark}"
            )
        if self.missing_docs:
            lines.append(
                "labelled documents the engine did not produce: " + ", ".join(self.missing_docs)
            )
        return "\n".join(lines)


def score(
    labels: Sequence[Label],
    facts: Iterable[Any],
    doc_map: Mapping[str, str] | None = None,
) -> Evaluation:
    """Compare facts with labels, micro-averaged per kind over (doc, value) pairs.

    ``doc_map`` maps a label's doc id to the engine's doc id when they differ (see
    :func:`match_documents`). Facts of documents that are not labelled are ignored. A labelled
    document with no facts at all counts as all false negatives and is listed in
    ``missing_docs`` when ``doc_map`` says the engine never produced it.
    """
    doc_map = dict(doc_map or {})
    predicted = predicted_items(facts)
    scores = {k: KindScore(k) for k in KINDS}
    errors: list[Error] = []
    missing = []
    for label in labels:
        engine_doc = doc_map.get(label.doc, label.doc)
        if engine_doc == "":
            missing.append(label.doc)
        gold = gold_items(label)
        pred = predicted.get(engine_doc, {}) if engine_doc else {}
        for kind in KINDS:
            if kind == "recommendation" and label.recommendations is None:
                continue  # not labelled for this narrative
            if kind == "tier_statement" and label.tier_statement is None:
                continue
            g, p = gold[kind], pred.get(kind, set())
            if kind == "state_involvement" and label.policy_or_pattern_finding is None:
                p = p - {FINDING}  # the finding was not labelled for this narrative
            s = scores[kind]
            s.tp += len(g & p)
            s.fp += len(p - g)
            s.fn += len(g - p)
            errors += [Error(label.doc, kind, v, "false_positive") for v in sorted(p - g, key=str)]
            errors += [Error(label.doc, kind, v, "false_negative") for v in sorted(g - p, key=str)]
    return Evaluation(scores=scores, errors=errors, missing_docs=missing)


# --------------------------------------------------------------------------- documents
