"""The assessment format: the findings behind one country's placement in one report year.

An assessment is a YAML or JSON mapping, validated with pydantic (unknown keys are refused)::

    country: Malaysia
    report_year: 2024
    fully_complies: false            # 22 U.S.C. 7106(a): meets the minimum standards
    significant_efforts: true        # 7107(b)(3): makes significant efforts
    increasing_efforts: false        # T-b: evidence of increasing efforts vs the previous period
    victims_very_significant_or_increasing: false   # T-a / T-a'
    proportional_concrete_actions: true             # T-a' (2019+): actions proportional
    relies_on_future_commitments: false             # T-c (to 2018); no credit from 2019
    policy_or_pattern: []            # 7107(b)(3)(B) kinds, e.g. [forced_labor]
    special_case: false              # reported on, not ranked
    child_soldiers_list: false       # 22 U.S.C. 2370c-1 list
    waiver: {written_plan: true, plan_would_be_significant_efforts: true,
             sufficient_resources: true, granted: true}
    evidence: {b1: ["note on prosecutions"], b3: "note on prevention"}
    history: {2021: "3", 2022: "3", 2023: "2WL"}   # optional; else read from the store

:func:`load_assessment` reads a file and names the field, line and column of any error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tipwatch.errors import MalformedInputError
from tipwatch.limits import check_input_file, check_yaml
from tipwatch.tiers import TIERS

Tier = Literal[TIERS]  # the tier codes of tiers.py
PolicyKind = Literal[
    "trafficking", "govt_funded_programs", "forced_labor", "sexual_slavery_camps", "child_soldiers"
]
Criterion = Literal["b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12"]

#: 22 U.S.C. 7106(b) indicia of serious and sustained efforts, keyed as in ``evidence``.
CRITERIA: dict[str, str] = {
    "b1": "investigation, prosecution, conviction and sentencing",
    "b2": "victim protection and non-penalization",
    "b3": "prevention",
    "b4": "cooperation with other governments",
    "b5": "extradition",
    "b6": "monitoring of migration patterns",
    "b7": "action against complicit officials",
    "b8": "share of non-citizen victims",
    "b9": "partnerships with measurable outcomes",
    "b10": "self-monitoring and public assessment",
    "b11": "appreciable progress on the previous assessment",
    "b12": "reducing demand for commercial sex and sex tourism",
}


class Waiver(BaseModel):
    """Facts behind a waiver of the automatic downgrade (22 U.S.C. 7107(b)(2)(D)(ii))."""

    model_config = ConfigDict(extra="forbid", strict=True)

    written_plan: bool = False
    plan_would_be_significant_efforts: bool = False
    sufficient_resources: bool = False
    granted: bool = False


class Assessment(BaseModel):
    """One country's findings for one report year."""

    model_config = ConfigDict(extra="forbid", strict=True)

    country: str = Field(min_length=1)
    report_year: int
    special_case: bool = False
    fully_complies: bool | None = None
    significant_efforts: bool | None = None
    increasing_efforts: bool = True
    victims_very_significant_or_increasing: bool = False
    proportional_concrete_actions: bool = True
    relies_on_future_commitments: bool = False
    policy_or_pattern: list[PolicyKind] = Field(default_factory=list)
    child_soldiers_list: bool = False
    waiver: Waiver = Field(default_factory=Waiver)
    evidence: dict[Criterion, list[str] | str] = Field(default_factory=dict)
    history: dict[int, Tier] | None = None

    @field_validator("history", mode="before")
    @classmethod
    def _history_keys(cls, value: Any) -> Any:
        """Accept ``{2019: "2WL"}`` or a list of ``{year, tier}`` mappings; tiers as text."""
        if isinstance(value, list):
            out: dict[Any, Any] = {}
            for item in value:
                if not isinstance(item, dict) or set(item) != {"year", "tier"}:
                    raise ValueError("history entries need exactly 'year' and 'tier'")
                out[item["year"]] = item["tier"]
            value = out
        if isinstance(value, dict):
            fixed = {}
            for k, v in value.items():
                if isinstance(k, str) and k.isdigit():
                    k = int(k)
                fixed[k] = str(v) if isinstance(v, int) and not isinstance(v, bool) else v
            return fixed
        return value

    @model_validator(mode="after")
    def _findings_given(self) -> Assessment:
        if not self.special_case:
            for name in ("fully_complies", "significant_efforts"):
                if getattr(self, name) is None:
                    raise _FieldError(name, "required unless special_case is true")
        if self.history:
            late = [y for y in self.history if y >= self.report_year]
            if late:
                raise _FieldError(
                    "history", f"year {min(late)} is not before report_year {self.report_year}"
                )
        return self


#: Other names users give the same findings (the issue's and the statute's wording).
SYNONYMS: dict[str, str] = {
    "year": "report_year",
    "iso3": "country",
    "fully_meets_minimum_standards": "fully_complies",
    "meets_minimum_standards": "fully_complies",
    "fully_meets_standards": "fully_complies",
    "makes_significant_efforts": "significant_efforts",
    "shows_increasing_efforts": "increasing_efforts",
    "demonstrates_increasing_efforts": "increasing_efforts",
    "increasing_efforts_vs_previous_period": "increasing_efforts",
    "victims_very_significant_or_significantly_increasing": (
        "victims_very_significant_or_increasing"
    ),
    "estimated_victims_very_significant_or_increasing": "victims_very_significant_or_increasing",
    "commitments_of_future_steps": "relies_on_future_commitments",
    "future_commitments": "relies_on_future_commitments",
    "state_policy_or_pattern": "policy_or_pattern",
    "government_policy_or_pattern": "policy_or_pattern",
    "cspa_list": "child_soldiers_list",
}
WAIVER_SYNONYMS: dict[str, str] = {
    "plan": "written_plan",
    "resources": "sufficient_resources",
    "devotes_sufficient_resources": "sufficient_resources",
    "waiver_granted": "granted",
}


def _canonical(data: dict, pos: dict, path: tuple, synonyms: dict[str, str]) -> dict:
    """Rename synonym keys (keeping their file positions); a field given twice is an error."""
    out: dict = {}
    for key, value in data.items():
        name = synonyms.get(key, key) if isinstance(key, str) else key
        if name in out:
            line, col = pos.get((*path, key, "__key__"), (1, 1))
            raise MalformedInputError(
                f"line {line}, column {col}: {key}: {name} given twice (under two names)"
            )
        if name != key:
            for k in [k for k in pos if k[: len(path) + 1] == (*path, key)]:
                pos.setdefault((*path, name, *k[len(path) + 1 :]), pos[k])
        out[name] = value
    if path == () and isinstance(out.get("policy_or_pattern"), bool):
        out["policy_or_pattern"] = ["trafficking"] if out["policy_or_pattern"] else []
    if path == () and isinstance(out.get("waiver"), dict):
        out["waiver"] = _canonical(out["waiver"], pos, ("waiver",), WAIVER_SYNONYMS)
    return out


class _FieldError(ValueError):
    """A cross-field check that belongs to one field (so the message can point at it)."""

    def __init__(self, name: str, message: str) -> None:
        self.field = name
        super().__init__(message)


# --- reading files with positions -------------------------------------------------------------


def _positions(
    node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], tuple[int, int]]
) -> None:
    """Map every field path to the (line, column) of its value (keys under ``__key__``)."""
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            if key.value in seen:
                field = ".".join(str(p) for p in (*path, key.value))
                raise MalformedInputError(
                    f"line {key.start_mark.line + 1}, column {key.start_mark.column + 1}: "
                    f"{field}: given twice"
                )
            seen.add(key.value)
            names: list[Any] = [key.value]
            if isinstance(key.value, str) and key.value.isdigit():
                names.append(int(key.value))
            for name in names:
                out[(*path, name, "__key__")] = (key.start_mark.line + 1, key.start_mark.column + 1)
                _positions(value, (*path, name), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(item, (*path, i), out)


def _where(
    loc: tuple[Any, ...], pos: dict[tuple[Any, ...], tuple[int, int]], kind: str = "value"
) -> tuple[int, int]:
    """Position for an error at ``loc``: the value, the key (unknown field), or the nearest
    enclosing mapping (missing field)."""
    key = tuple(loc)
    if kind == "key" and (*key, "__key__") in pos:
        return pos[(*key, "__key__")]
    if kind == "missing":
        key = key[:-1]
    while key:
        if key in pos:
            return pos[key]
        key = key[:-1]
    return pos.get((), (1, 1))


def parse_assessment(text: str, source: str = "<assessment>") -> Assessment:
    """Parse YAML or JSON text into an :class:`Assessment`; errors name field, line, column.

    Nesting, aliases and the expanded size are bounded first (:mod:`tipwatch.limits`).
    """
    check_yaml(text, source)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise MalformedInputError(f"{source}{at}: not valid YAML/JSON: {problem}") from exc
    if not isinstance(data, dict) or node is None:
        raise MalformedInputError(f"{source}: an assessment must be a mapping of fields")
    pos: dict[tuple[Any, ...], tuple[int, int]] = {}
    try:
        _positions(node, (), pos)
    except MalformedInputError as exc:
        raise MalformedInputError(f"{source}: {exc}") from None
    try:
        data = _canonical(data, pos, (), SYNONYMS)
    except MalformedInputError as exc:
        raise MalformedInputError(f"{source}: {exc}") from None
    try:
        return Assessment.model_validate(data)
    except ValidationError as exc:
        messages = []
        for err in exc.errors()[:3]:
            loc = tuple(err["loc"])
            ctx_err = err.get("ctx", {}).get("error")
            if isinstance(ctx_err, _FieldError):
                loc = (ctx_err.field,)
            name = ".".join(str(p) for p in loc) or "assessment"
            kind = {"missing": "missing", "extra_forbidden": "key"}.get(err["type"], "value")
            line, col = _where(loc, pos, kind)
            msg = str(ctx_err) if ctx_err else err["msg"]
            if err["type"] == "missing":
                msg = "required field missing"
            elif err["type"] == "extra_forbidden":
                msg = "unknown field"
            messages.append(f"line {line}, column {col}: {name}: {msg}")
        more = len(exc.errors()) - len(messages)
        tail = f" (and {more} more)" if more > 0 else ""
        raise MalformedInputError(f"{source}: " + "; ".join(messages) + tail) from None


def load_assessment(path: str | Path) -> Assessment:
    """Read an assessment file (YAML or JSON)."""
    target = Path(path)
    check_input_file(target, "assessment")
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MalformedInputError(f"{target}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MalformedInputError(f"{target}: cannot read: {exc}") from None
    return parse_assessment(text, source=str(target))
