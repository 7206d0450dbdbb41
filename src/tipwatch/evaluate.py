"""Score extracted facts against the labelled development set (``tests/devset/*.yaml``).

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

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tipwatch.errors import MalformedInputError

Role = Literal["source", "transit", "destination", "internal"]
Form = Literal[
    "sex_trafficking",
    "forced_labor",
    "domestic_servitude",
    "debt_bondage",
    "forced_marriage",
    "forced_begging",
    "forced_criminality",
    "child_soldiers",
    "organ_removal",
    "sex_tourism",
]
VictimGroup = Literal[
    "men",
    "women",
    "children",
    "boys",
    "girls",
    "adults",
    "migrants",
    "refugees",
    "asylum_seekers",
    "idps",
    "domestic_workers",
    "fishermen",
    "agricultural_workers",
    "construction_workers",
    "factory_workers",
    "mine_workers",
    "indigenous",
    "lgbtqi",
    "persons_with_disabilities",
    "stateless",
    "street_children",
    "students",
]
Measure = Literal["investigations", "prosecutions", "convictions", "victims_identified"]
Tier = Literal["1", "2", "2WL", "3", "special"]

#: Fact kinds scored, in display order.
KINDS: tuple[str, ...] = (
    "role",
    "form",
    "victim_group",
    "cited_country",
    "le_count",
    "state_involvement",
    "tier",
    "tier_statement",
    "recommendation",
)

#: The issue's F1 targets per kind.
TARGETS: dict[str, float] = {
    "role": 0.95,
    "form": 0.95,
    "victim_group": 0.95,
    "cited_country": 0.90,
    "le_count": 0.90,
}

#: Batches the quality gate leaves out: a held-out batch measures generalization; it is reported in
#: docs/extraction.md, never tuned on.
HELD_OUT_BATCHES: frozenset[str] = frozenset({"holdout-2", "holdout-3"})

_DOC_RE = re.compile(r"^(tip2018:[A-Z]{3}|factbook:(19|20)\d\d:[A-Z]{3})$")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")


class TierStatement(BaseModel):
    """What the narrative's tier sentence says besides the tier."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    movement: Literal["remained", "upgraded", "downgraded"] | None
    consecutive_years: int | None = Field(ge=2, le=30)
    waiver: bool
    not_significant_efforts: bool
    no_increasing_efforts: bool

    def items(self) -> set[tuple[str, Any]]:
        return tier_detail_items(self.model_dump())


def tier_detail_items(value: Mapping[str, Any]) -> set[tuple[str, Any]]:
    """(field, value) pairs of a tier statement: stated values and true flags only."""
    out: set[tuple[str, Any]] = set()
    movement = value.get("movement")
    if isinstance(movement, str) and movement.strip():
        out.add(("movement", movement.strip().lower()))
    years = value.get("consecutive_years")
    if isinstance(years, int) and not isinstance(years, bool):
        out.add(("consecutive_years", years))
    for flag in ("waiver", "not_significant_efforts", "no_increasing_efforts"):
        if value.get(flag) is True:
            out.add((flag, True))
    return out


class Label(BaseModel):
    """One labelled narrative (one YAML file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc: str
    country: str
    year: int = Field(ge=2001, le=2100)
    labelled_by: Literal["reading the text"]
    edition: int | None = Field(default=None, ge=2000, le=2100)
    roles: list[Role]
    forms: list[Form]
    victim_groups: list[VictimGroup]
    cited_countries: list[str]
    le_counts: dict[Measure, int | list[int]] = Field(default_factory=dict)
    state_policy_or_pattern: bool
    official_complicity: bool
    #: the Department's finding stated in the text; None: not labelled (the value is not scored)
    policy_or_pattern_finding: bool | None = None
    tier: Tier | None = None
    tier_statement: TierStatement | None = None
    recommendations: int | None = Field(default=None, ge=0)
    notes: str = ""
    batch: str | None = None

    @field_validator("roles", "forms", "victim_groups")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("repeated value")
        return v

    @field_validator("cited_countries")
    @classmethod
    def _iso3_sorted(cls, v: list[str]) -> list[str]:
        bad = [c for c in v if not _ISO3_RE.match(c)]
        if bad:
            raise ValueError(f"not ISO3 codes: {bad}")
        if v != sorted(set(v)):
            raise ValueError("cited_countries must be sorted and unique")
        return v

    @field_validator("le_counts")
    @classmethod
    def _non_negative(cls, v: dict[str, int | list[int]]) -> dict[str, int | list[int]]:
        for measure, n in v.items():
            numbers = n if isinstance(n, list) else [n]
            if not numbers or any(x < 0 for x in numbers):
                raise ValueError(f"{measure}: counts must be non-negative integers")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Label:
        if not _DOC_RE.match(self.doc):
            raise ValueError(f"doc id {self.doc!r} is not tip2018:<ISO3> or factbook:<year>:<ISO3>")
        if not _ISO3_RE.match(self.country):
            raise ValueError(f"country {self.country!r} is not an ISO3 code")
        if not self.doc.endswith(":" + self.country):
            raise ValueError(f"doc {self.doc} does not belong to country {self.country}")
        if self.doc.startswith("tip2018:") and self.year != 2018:
            raise ValueError("a tip2018 document has year 2018")
        if self.doc.startswith("factbook:"):
            if int(self.doc.split(":")[1]) != self.year:
                raise ValueError("the year in a factbook doc id must equal `year`")
            if self.edition is None:
                raise ValueError("a factbook label names the Factbook `edition` it was read from")
        if self.country in self.cited_countries:
            raise ValueError("a narrative's own country is never a cited country")
        return self

    @property
    def file_stem(self) -> str:
        return self.doc.replace(":", "_")


def load_labels(folder: str | Path) -> list[Label]:
    """Read every ``*.yaml`` label in ``folder``; a bad file raises a one-line error."""
    folder = Path(folder)
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise MalformedInputError(f"no label files (*.yaml) in {folder}")
    labels = []
    for path in files:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise MalformedInputError(f"{path.name}: not valid YAML ({exc})") from exc
        if not isinstance(raw, dict):
            raise MalformedInputError(f"{path.name}: a label file is a mapping")
        try:
            label = Label.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"]) or "file"
            raise MalformedInputError(f"{path.name}: {loc}: {first['msg']}") from exc
        if label.file_stem != path.stem:
            raise MalformedInputError(f"{path.name}: file name does not match doc {label.doc}")
        labels.append(label)
    return labels


# --------------------------------------------------------------------------- gold and predicted


FINDING = "policy_or_pattern_finding"


def finding_check(facts: Iterable[Any], lists_csv: Any) -> dict[str, Any]:
    """Findings of a government policy or pattern against the official lists
    (``../shared/data/policy_or_pattern/lists.csv``: year, iso3), in the listed years.

    Precision: the share of finding facts (in a listed year) whose country is on that year's
    list. Recall: the share of listed (year, country) pairs with a narrative in ``narratives``
    that have a finding fact (pass the narratives' (year, iso3) pairs as ``have``).
    """
    import csv

    with open(lists_csv, encoding="utf-8", newline="") as fh:
        listed = {(int(r["year"]), r["iso3"]) for r in csv.DictReader(fh)}
    years = {y for y, _ in listed}
    found = {
        (int(_get(f, "year")), str(_get(f, "iso3")))
        for f in facts
        if _get(f, "kind") == "state_involvement" and _get(f, "value") == FINDING
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


def _get(obj: Any, name: str, default: Any = None) -> Any:
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
    kind = _get(fact, "kind")
    value = _get(fact, "value")
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
        doc = str(_get(fact, "doc_id") or _get(fact, "doc") or "")
        kind, value = item
        out.setdefault(doc, {}).setdefault(kind, set()).add(value)
        details = _get(fact, "value")
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


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of 5-word shingles (used to find the same Factbook text)."""
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def match_documents(
    labels: Sequence[Label],
    narratives: Sequence[Any],
    factbook_texts: Mapping[tuple[int, str], str] | None = None,
    min_similarity: float = 0.6,
) -> dict[str, str]:
    """Label doc id -> engine doc id ('' when the engine has no such document).

    The doc id is matched first. A Factbook label whose report year the engine numbers
    differently is matched by content: the label's (edition, country) text from the Factbook
    archive is compared with the engine's Factbook narratives of that country.
    """
    by_id = {_get(n, "doc_id"): n for n in narratives}
    out: dict[str, str] = {}
    for label in labels:
        if label.doc in by_id:
            out[label.doc] = label.doc
            continue
        out[label.doc] = ""
        if not label.doc.startswith("factbook:") or factbook_texts is None:
            continue
        reference = factbook_texts.get((label.edition or 0, label.country))
        if not reference:
            continue
        best, best_sim = "", 0.0
        for n in narratives:
            doc_id = str(_get(n, "doc_id"))
            if doc_id.startswith("factbook:") and _get(n, "country") == label.country:
                sim = similarity(reference, str(_get(n, "text") or ""))
                if sim > best_sim:
                    best, best_sim = doc_id, sim
        if best_sim >= min_similarity:
            out[label.doc] = best
    return out


def read_factbook_texts(
    path: str | Path, iso2_to_iso3: Mapping[str, str]
) -> dict[tuple[int, str], str]:
    """(edition, ISO3) -> text from the Factbook archive CSV (for :func:`match_documents`)."""
    csv.field_size_limit(1 << 30)
    out: dict[tuple[int, str], str] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            iso3 = iso2_to_iso3.get((row.get("iso2") or "").upper())
            if iso3 and row.get("content"):
                out[(int(row["edition_year"]), iso3)] = row["content"]
    return out


# --------------------------------------------------------------------------- tiers vs the panel


@dataclass(frozen=True)
class TierMismatch:
    iso3: str
    year: int
    extracted: str | None
    panel: str | None


def tier_agreement(
    facts: Iterable[Any], panel: Mapping[tuple[str, int], str], docs: Iterable[tuple[str, str, int]]
) -> tuple[int, list[TierMismatch]]:
    """Compare the tier stated in each narrative with the panel tier.

    ``docs`` lists (doc id, ISO3, year) of the narratives to check; returns (number agreeing,
    mismatches). A narrative with no tier statement, or with several different tiers, is a
    mismatch.
    """
    stated: dict[str, set[str]] = {}
    for fact in facts:
        item = fact_item(fact)
        if item and item[0] == "tier":
            stated.setdefault(str(_get(fact, "doc_id")), set()).add(item[1])
    agree, mismatches = 0, []
    for doc, iso3, year in docs:
        tiers = stated.get(doc, set())
        want = panel.get((iso3, year))
        got = next(iter(tiers)) if len(tiers) == 1 else ("|".join(sorted(tiers)) or None)
        if got is not None and got == want:
            agree += 1
        else:
            mismatches.append(TierMismatch(iso3, year, got, want))
    return agree, mismatches


def panel_tiers() -> dict[tuple[str, int], str]:
    """(ISO3, year) -> tier from the bundled panel (``tipwatch.panel``), else the research CSV."""
    try:
        from tipwatch.panel import load_placements
    except ImportError:
        load_placements = None
    if load_placements is not None:
        df = load_placements()
        return {(str(r.iso3), int(r.year)): str(r.tier) for r in df.itertuples()}
    from tipwatch.paths import shared_dir

    out: dict[tuple[str, int], str] = {}
    with open(shared_dir() / "data" / "tip_tiers.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[(row["iso3"], int(row["year"]))] = row["tier"]
    return out


# --------------------------------------------------------------------------- the engine, end to end


def iso2_to_iso3() -> dict[str, str]:
    """ISO2 -> ISO3 from the country table (``tipwatch.countries``)."""
    from tipwatch.countries import all_countries

    return {c.iso2.upper(): c.iso3 for c in all_countries() if c.iso2}


def factbook_archive_texts() -> dict[tuple[int, str], str]:
    """(edition, ISO3) -> Factbook text from the research archive in ``../shared``."""
    from tipwatch.paths import shared_dir

    path = (
        shared_dir()
        / "data"
        / "raw"
        / "cia_factbook_archive"
        / "cia_factbook_trafficking_in_persons_2006_2025.csv"
    )
    return read_factbook_texts(path, iso2_to_iso3())


@dataclass
class EngineRun:
    """Facts of the labelled documents, as produced by the extraction engine."""

    evaluation: Evaluation
    doc_map: dict[str, str]
    facts: list[Any]
    narratives: list[Any]


def evaluate_engine(labels: Sequence[Label]) -> EngineRun:
    """Ingest the corpora with the engine, extract the labelled documents, score them."""
    from tipwatch.extract import extract
    from tipwatch.ingest import load_factbook, load_tip2018

    narratives = list(load_tip2018()) + list(load_factbook())
    doc_map = match_documents(labels, narratives, factbook_archive_texts())
    wanted = {d for d in doc_map.values() if d}
    facts = [f for n in narratives if _get(n, "doc_id") in wanted for f in extract(n)]
    return EngineRun(score(labels, facts, doc_map), doc_map, facts, narratives)
