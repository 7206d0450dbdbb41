"""Rule cases written as readable YAML (tests/rules_cases/): history + assessment -> tier, reasons.

Trace files replay one country year by year: each step's history is the file's history plus
the tiers the earlier steps produced, and ``run`` is the counted watch-list run before the
year. The audit over the same history must agree with the engine on waivers and downgrades.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tipwatch.rules.assessment import Assessment
from tipwatch.rules.audit import audit
from tipwatch.rules.history import watch_list_run
from tipwatch.rules.law import load_law
from tipwatch.rules.place import place

CASES_DIR = Path(__file__).resolve().parents[1] / "rules_cases"
FILES = sorted(CASES_DIR.glob("*.yaml"))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _hist(raw: dict | None) -> dict[int, str]:
    return {int(y): str(t) for y, t in (raw or {}).items()}


def _single_cases() -> list:
    out = []
    for path in FILES:
        doc = _load(path)
        for case in doc.get("cases", []):
            out.append(pytest.param(case, id=f"{path.stem}:{case['name']}"))
    return out


def _traces() -> list:
    return [pytest.param(_load(p), id=p.stem) for p in FILES if "steps" in _load(p)]


def test_case_files_exist_and_include_the_spec_traces() -> None:
    names = {p.stem for p in FILES}
    assert {"china_trace", "malaysia_trace"} <= names
    assert len(_single_cases()) >= 10


@pytest.mark.parametrize("case", _single_cases())
def test_single_year_case(case: dict) -> None:
    a = Assessment.model_validate(
        {"country": case["country"], "report_year": case["year"], **case["assessment"]}
    )
    result = place(a, _hist(case.get("history")))
    assert result.tier == str(case["expect"]["tier"]), result.path
    assert result.codes == case["expect"]["reasons"], result.path
    assert all(r.statute for r in result.reasons)


@pytest.mark.parametrize("trace", _traces())
def test_trace(trace: dict) -> None:
    law = load_law()
    history = _hist(trace.get("history"))
    for step in trace["steps"]:
        year = int(step["year"])
        run = watch_list_run(history, year, law)
        assert run.lo == step["run"], f"{trace['country']} {year}: run {run.lo}"
        a = Assessment.model_validate(
            {"country": trace["country"], "report_year": year, **step["assessment"]}
        )
        result = place(a, history)
        expect = step["expect"]
        assert result.tier == str(expect["tier"]), (year, result.path)
        assert result.codes == expect["reasons"], (year, result.path)
        history[year] = result.tier


@pytest.mark.parametrize("trace", _traces())
def test_audit_agrees_with_engine_on_trace(trace: dict) -> None:
    """The audit of the traced history finds a waiver exactly where the engine used one."""
    history = _hist(trace.get("history"))
    engine_waivers, engine_downgrades = set(), set()
    for step in trace["steps"]:
        year = int(step["year"])
        a = Assessment.model_validate(
            {"country": trace["country"], "report_year": year, **step["assessment"]}
        )
        result = place(a, history)
        if any(c.startswith("R_TWL_WAIVER") for c in result.codes):
            engine_waivers.add(year)
        if any(c.startswith("R_T3_AUTO_DOWNGRADE") for c in result.codes):
            engine_downgrades.add(year)
        history[year] = result.tier
    rows = [{"iso3": "XXX", "name": trace["country"], "year": y, "tier": t}
            for y, t in history.items()]
    # the traces skip years (e.g. China 2018-2020): only events certain under the gap reading
    events = [e for e in audit(rows, waivers={}, policy_lists={}) if e["certain"]]
    assert {e["year"] for e in events if e["event"] == "waiver"} == engine_waivers
    assert {e["year"] for e in events if e["event"] == "auto_downgrade"} == engine_downgrades
    assert not [e for e in events if e["event"] == "violation"]


@pytest.mark.parametrize("trace", _traces())
def test_trace_matches_the_bundled_panel(trace: dict) -> None:
    """The traces replay real countries: every expected tier is the panel's placement."""
    from tipwatch import countries
    from tipwatch.panel import load_placements

    iso3 = countries.resolve(trace["country"]).iso3
    df = load_placements()
    panel = {int(r.year): str(r.tier) for r in df[df.iso3 == iso3].itertuples()}
    checked = 0
    for year, tier in {**_hist(trace.get("history")),
                       **{int(s["year"]): str(s["expect"]["tier"]) for s in trace["steps"]}
                       }.items():
        if year in panel:
            assert panel[year] == tier, (trace["country"], year)
            checked += 1
    assert checked >= len(trace["steps"]) - 1
