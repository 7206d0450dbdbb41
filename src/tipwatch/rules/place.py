"""Assessment -> placement under the law of the report year (a pure function).

``place(assessment, history)`` follows the decision logic of the statute (22 U.S.C. 7107(b)):
special case; policy or pattern (2019+); full compliance -> Tier 1; significant efforts ->
Tier 2; watch-list triggers -> Tier 2 Watch List; rule F (2019+); the automatic downgrade and
its waivers (2009+). Each step reads its parameters from :meth:`Law.at`, and each reason cites
the statute. ``path`` records every step taken, for ``--explain``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tipwatch.rules.assessment import Assessment
from tipwatch.rules.history import (
    TIER3,
    WATCH,
    auto_downgrades,
    current_run_since,
    label,
    watch_list_run,
    watch_list_runs_between,
)
from tipwatch.rules.law import Law, LawYear, load_law

TRIGGER_TEXT = {
    "T-a": "the absolute number of victims is very significant or significantly increasing",
    "T-a'": (
        "the estimated number of victims is very significant or significantly increasing and "
        "the country is not taking proportional concrete actions"
    ),
    "T-b": "no evidence of increasing efforts compared with the previous reporting period",
    "T-c": "the significant-efforts finding rests on commitments to take future steps",
}
TRIGGER_CLAUSE = {"T-a": "(I)", "T-a'": "(I)", "T-b": "(II)", "T-c": "(III)"}


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    statute: str


@dataclass(frozen=True)
class Placement:
    country: str
    year: int
    tier: str
    reasons: list[Reason]
    consequences: list[str]
    path: list[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    def as_dict(self) -> dict:
        return {
            "country": self.country,
            "year": self.year,
            "tier": self.tier,
            "tier_label": label(self.tier),
            "reasons": [r.__dict__ for r in self.reasons],
            "consequences": list(self.consequences),
            "path": list(self.path),
            "warnings": list(self.warnings),
        }


def _triggers(a: Assessment, at: LawYear) -> list[str]:
    held = {
        "T-a": a.victims_very_significant_or_increasing,
        "T-a'": a.victims_very_significant_or_increasing and not a.proportional_concrete_actions,
        "T-b": not a.increasing_efforts,
        "T-c": a.relies_on_future_commitments,
    }
    return [t for t in at.triggers if held.get(t)]


def place(
    assessment: Assessment,
    history: Mapping[int, str] | None = None,
    law: Law | None = None,
) -> Placement:
    """The tier the law gives ``assessment``, with reasons, consequences and the decision path.

    ``history`` maps earlier report years to tiers; ``assessment.history`` wins when given.
    """
    law = law or load_law()
    a = assessment
    year = law.check_year(a.report_year)
    at = law.at(year)
    hist: dict[int, str] = dict(a.history if a.history is not None else (history or {}))
    hist = {y: t for y, t in hist.items() if y < year}
    reasons: list[Reason] = []
    path: list[str] = [
        f"law of the {year} report: placements {', '.join(label(t) for t in at.tiers)}; "
        f"watch-list triggers {', '.join(at.triggers) or 'none'}; automatic downgrade "
        f"{'from ' + str(at.count_start) + ' (' + str(at.consecutive_years) + ' years)' if at.auto_downgrade else 'not in force'}"  # noqa: E501
        f"; up to {at.max_waivers} waiver year(s); rule F "
        f"{'in force' if at.cap['in_force'] else 'not in force'}"
    ]
    warnings: list[str] = []

    def done(tier: str) -> Placement:
        path.append(f"=> {label(tier)}")
        consequences = _consequences(tier, a, at, hist, reasons)
        return Placement(a.country, year, tier, reasons, consequences, path, warnings)

    if a.special_case:
        reasons.append(Reason(
            "R_SPECIAL_CASE",
            "reported on but not ranked (conflict or instability prevents an assessment)",
            at.cite("special_case_breaks_run"),
        ))
        path.append("special_case: yes -> Special Case (no tier list applies)")
        return done("special")

    # 1. base placement
    kinds = [k for k in a.policy_or_pattern if k in at.policy_kinds] if at.policy_or_pattern else []
    significant = bool(a.significant_efforts)
    if a.relies_on_future_commitments and at.concrete_actions_only and significant:
        significant = False
        path.append(
            "significant efforts rest on commitments to future steps: no credit under the "
            f"concrete-actions-only rule ({at.cite('concrete_actions_only')})"
        )
    if a.policy_or_pattern and not at.policy_or_pattern:
        path.append(
            f"policy or pattern reported ({', '.join(a.policy_or_pattern)}) but not yet proof of "
            f"no significant efforts in {year}; weighed under 7107(b)(3)(A)(ii) only"
        )
    if kinds:
        for kind in kinds:
            reasons.append(Reason(
                f"R_T3_POLICY_OR_PATTERN:{kind}",
                f"a government policy or pattern of {kind.replace('_', ' ')} is proof of failure "
                "to make significant efforts",
                at.cite("policy_or_pattern_is_proof"),
            ))
        path.append(f"policy or pattern ({', '.join(kinds)}) -> Tier 3")
        return done(TIER3)
    if a.fully_complies:
        reasons.append(Reason(
            "R_T1_FULL_COMPLIANCE",
            "the government fully meets the minimum standards"
            + (" (shown by concrete actions in the reporting period)"
               if at.concrete_actions_only else ""),
            "22 U.S.C. 7106(a), 7107(b)(1)(A)",
        ))
        path.append("fully complies with the minimum standards -> Tier 1")
        return done("1")
    if not significant:
        reasons.append(Reason(
            "R_T3_NO_SIGNIFICANT_EFFORTS",
            "the government does not fully meet the minimum standards and is not making "
            "significant efforts to do so",
            "22 U.S.C. 7107(b)(1)(C), (b)(3)",
        ))
        path.append("not fully compliant, no significant efforts -> Tier 3")
        return done(TIER3)
    reasons.append(Reason(
        "R_T2_SIGNIFICANT_EFFORTS",
        "the government does not fully meet the minimum standards but is making significant "
        "efforts to do so",
        "22 U.S.C. 7107(b)(1)(B), (b)(3)",
    ))
    path.append("not fully compliant, significant efforts -> Tier 2")

    # 2. watch list
    if not at.watch_list:
        path.append(f"no watch list in {year} -> stays Tier 2")
        return done("2")
    triggers = _triggers(a, at)
    if not triggers:
        path.append("no watch-list trigger holds -> Tier 2")
        return done("2")
    for t in triggers:
        reasons.append(Reason(
            f"R_TWL_{t}", TRIGGER_TEXT[t],
            f"22 U.S.C. 7107(b)(2)(A)(iii){TRIGGER_CLAUSE[t]}; {at.cite('watch_list_triggers')}",
        ))
    path.append(f"watch-list trigger(s) {', '.join(triggers)} -> Tier 2 Watch List")

    # 3. rule F: after an automatic downgrade, at most N consecutive watch-list years
    cap = at.cap
    if cap["in_force"]:
        downs = [d for d in auto_downgrades(hist, law, before=year)
                 if cap["downgrades_from"] is not None and d >= cap["downgrades_from"]]
        if downs:
            d = max(downs)
            before = current_run_since(hist, year, d)
            runs = watch_list_runs_between(hist, d, year)
            first_run = runs == 0 or (runs == 1 and before > 0)
            capped = cap["scope"] == "lifetime" or first_run
            path.append(
                f"rule F: automatic downgrade in {d}; {before} watch-list year(s) since in this "
                f"run; {'capped' if capped else 'not capped (' + cap['scope'] + ')'}"
            )
            if capped and before + 1 > int(cap["max_consecutive_years"]):
                dest = str(cap["destination"])
                reasons.append(Reason(
                    "R_F_POST_DOWNGRADE_TWL_LIMIT",
                    f"after its {d} automatic downgrade the country may not be on the watch list "
                    f"for more than {cap['max_consecutive_years']} consecutive year; the bar "
                    f"removes only the watch list, so it is placed on {label(dest)}",
                    at.cite("post_downgrade_cap"),
                ))
                path.append(f"rule F bars another watch-list year -> {label(dest)}")
                return done(dest)

    # 4. automatic downgrade and waivers
    if at.auto_downgrade:
        run = watch_list_run(hist, year, law)
        k = at.consecutive_years
        if not run.certain:
            warnings.append(
                f"history lacks {', '.join(map(str, run.gaps))}: the watch-list run before "
                f"{year} is {run.lo} to {run.hi} years; the engine counts {run.lo}"
            )
        path.append(f"counted watch-list years just before {year}: {run.lo} (need {k} for the "
                    "automatic downgrade)")
        if run.lo >= k:
            waiver_no = run.lo - k + 1
            w = a.waiver
            conditions = {c: bool(getattr(w, c)) for c in at.waiver_conditions}
            unmet = [c for c, ok in conditions.items() if not ok]
            if waiver_no > at.max_waivers:
                reasons.append(Reason(
                    "R_T3_AUTO_DOWNGRADE_WAIVERS_EXHAUSTED",
                    f"{run.lo} consecutive watch-list years and the {at.max_waivers} waiver "
                    f"year(s) the law allows are used up",
                    f"{at.cite('auto_downgrade')}; {at.cite('max_waiver_years')}",
                ))
                path.append(f"waiver no. {waiver_no} needed, at most {at.max_waivers} -> Tier 3")
                return done(TIER3)
            if w.granted and not unmet:
                reasons.append(Reason(
                    f"R_TWL_WAIVER_{waiver_no}",
                    f"waiver no. {waiver_no} of the automatic downgrade: written plan, plan would "
                    "be significant efforts, sufficient resources",
                    f"22 U.S.C. 7107(b)(2)(D)(ii); {at.cite('max_waiver_years')}",
                ))
                path.append(f"waiver no. {waiver_no} granted with its conditions -> stays on the "
                            "watch list")
                return done(WATCH)
            why = ("not granted" if not w.granted
                   else "granted without " + ", ".join(c.replace("_", " ") for c in unmet))
            reasons.append(Reason(
                "R_T3_AUTO_DOWNGRADE_NO_WAIVER",
                f"{run.lo} consecutive watch-list years; waiver no. {waiver_no} was possible but "
                f"{why}",
                f"{at.cite('auto_downgrade')}; 22 U.S.C. 7107(b)(2)(D)(ii)",
            ))
            path.append(f"waiver no. {waiver_no} {why} -> Tier 3 (automatic downgrade)")
            return done(TIER3)
    return done(WATCH)


def _consequences(tier: str, a: Assessment, at: LawYear, hist: Mapping[int, str],
                  reasons: list[Reason]) -> list[str]:
    out: list[str] = []
    prev = hist.get(at.year - 1)
    if tier == TIER3:
        out += list(at["tier3_consequences"])
    elif tier == WATCH:
        out += list(at["watch_list_consequences"])
        if any(r.code.startswith("R_TWL_WAIVER") for r in reasons):
            out += list(at["waiver_consequences"])
    elif tier in ("1", "2"):
        out.append("no assistance restrictions under 22 U.S.C. 7107(d)")
    if tier == "1" and prev == "2":
        out.append("on the special watch list as a Tier 2 -> Tier 1 upgrade "
                   "(22 U.S.C. 7107(b)(2)(A)(i))")
    if tier in ("2", WATCH) and prev == TIER3 and at.watch_list:
        out.append("on the special watch list as a Tier 3 -> Tier 2 upgrade "
                   "(22 U.S.C. 7107(b)(2)(A)(ii))")
    if a.child_soldiers_list:
        out += list(at["cspa_consequences"]) or [
            f"no Child Soldiers Prevention Act list in the {at.year} report"
        ]
    return out
