"""Property tests: monotone in efforts, total over valid inputs, and no unflagged excess runs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tipwatch.rules.assessment import Assessment
from tipwatch.rules.audit import audit
from tipwatch.rules.history import TIER_ORDER, watch_list_run
from tipwatch.rules.law import load_law
from tipwatch.rules.place import place

LAW = load_law()
YEARS = st.integers(LAW.first_year, LAW.latest_year)
TIERS = st.sampled_from(["1", "2", "2WL", "3", "special", "1or2"])
KINDS = st.lists(
    st.sampled_from(["trafficking", "govt_funded_programs", "forced_labor",
                     "sexual_slavery_camps", "child_soldiers"]), unique=True, max_size=2)
WAIVER = st.fixed_dictionaries({
    "written_plan": st.booleans(), "plan_would_be_significant_efforts": st.booleans(),
    "sufficient_resources": st.booleans(), "granted": st.booleans(),
})
EFFORTS = ("fully_complies", "significant_efforts", "increasing_efforts",
           "proportional_concrete_actions")


@st.composite
def histories(draw: st.DrawFn, end: int | None = None, start: int = 2001) -> dict[int, str]:
    last = end if end is not None else LAW.latest_year + 1
    years = [y for y in range(start, last) if draw(st.integers(0, 9)) > 0]  # ~10% missing
    return {y: draw(TIERS) for y in years}


@st.composite
def assessments(draw: st.DrawFn) -> dict:
    return {
        "country": "Testland",
        "report_year": draw(YEARS),
        "special_case": draw(st.booleans()) and draw(st.booleans()),
        "fully_complies": draw(st.booleans()),
        "significant_efforts": draw(st.booleans()),
        "increasing_efforts": draw(st.booleans()),
        "victims_very_significant_or_increasing": draw(st.booleans()),
        "proportional_concrete_actions": draw(st.booleans()),
        "relies_on_future_commitments": draw(st.booleans()),
        "policy_or_pattern": draw(KINDS),
        "child_soldiers_list": draw(st.booleans()),
        "waiver": draw(WAIVER),
    }


def _rank(tier: str) -> int:
    return TIER_ORDER[tier]


@settings(max_examples=400, deadline=None)
@given(assessments(), histories(), st.sampled_from(EFFORTS))
def test_more_efforts_never_yield_a_worse_tier(raw: dict, hist: dict, more: str) -> None:
    raw = dict(raw, special_case=False)
    if raw[more]:
        return  # already at the better value
    worse = place(Assessment.model_validate(raw), hist)
    better = place(Assessment.model_validate(dict(raw, **{more: True})), hist)
    assert _rank(better.tier) <= _rank(worse.tier), (more, worse.path, better.path)


@settings(max_examples=400, deadline=None)
@given(assessments(), histories())
def test_engine_is_total_over_valid_inputs(raw: dict, hist: dict) -> None:
    a = Assessment.model_validate(raw)
    result = place(a, hist)
    at = LAW.at(a.report_year)
    assert result.tier in at.tiers
    assert result.reasons and all(r.code and r.statute for r in result.reasons)
    assert result.path and result.path[-1].startswith("=>")
    if result.tier == "3":
        assert result.consequences
    if a.special_case:
        assert result.tier == "special"


@settings(max_examples=300, deadline=None)
@given(histories(start=2004))
def test_no_excess_watch_list_run_without_a_violation(hist: dict) -> None:
    """A watch-list year beyond what the law of that year allows is always flagged."""
    events = audit([{"iso3": "AAA", "name": "Testland", "year": y, "tier": t}
                    for y, t in hist.items()], waivers={}, policy_lists={})
    flagged = {e["year"] for e in events if e["event"] == "violation" and e["certain"]}
    for year, tier in hist.items():
        at = LAW.at(year)
        if tier != "2WL" or not at.auto_downgrade:
            continue
        run = watch_list_run(hist, year, LAW)
        if run.lo + 1 > at.max_consecutive_watch_list:
            assert year in flagged, (year, run, hist)


@settings(max_examples=200, deadline=None)
@given(histories(start=2004))
def test_audit_waivers_match_the_engine(hist: dict) -> None:
    """Where the audit derives a certain waiver, the engine grants one for the same history."""
    events = audit([{"iso3": "AAA", "name": "Testland", "year": y, "tier": t}
                    for y, t in hist.items()], waivers={}, policy_lists={})
    full = dict.fromkeys(("written_plan", "plan_would_be_significant_efforts",
                          "sufficient_resources", "granted"), True)
    violations = {e["year"] for e in events if e["event"] == "violation"}
    for e in events:
        if e["event"] != "waiver" or not e["certain"] or e["year"] in violations:
            continue  # a year that also breaks rule F is placed by F, not by the waiver
        a = Assessment(country="Testland", report_year=e["year"], fully_complies=False,
                       significant_efforts=True, increasing_efforts=False, waiver=full)
        result = place(a, hist)
        assert result.tier == "2WL"
        assert f"R_TWL_WAIVER_{e['waiver_no']}" in result.codes, (e, result.path)
