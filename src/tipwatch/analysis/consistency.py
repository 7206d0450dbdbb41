"""Consistency: placements that the narrative's own evidence does not explain, and rule flags.

Two parts, both pure over :class:`tipwatch.analysis.inputs.Inputs`:

* an **evidence model**: the tier predicted from the facts of the year's narrative *without* its
  tier statement (law-enforcement counts and their changes, state involvement, the published
  policy-or-pattern listing, roles, forms, victim groups, recommendations). Predictions are
  cross-validated by country (no placement, and no other year of its country, is scored by a
  model that saw it). The residual is the placed rank minus the expected rank on the tier order
  (Tier 1 = 0 ... Tier 3 = 3): negative = placed better than its evidence suggests;
* **rule flags**, each with the locators of the facts behind it: an upgrade while the narrative
  says the government did not demonstrate overall increasing efforts; an upgrade while
  prosecutions, convictions and victims identified all fell; a tier statement whose label and
  wording disagree; a Watch List placement past the statutory limit (from the audit).

Product wording: "not explained by the narrative's own evidence".
"""

from __future__ import annotations

import math
from typing import Any

from tipwatch.analysis.inputs import MEASURES, RANK, Inputs, Narrative
from tipwatch.tiers import TIER_LABELS

MIN_FACTS = 8  # evidence facts a narrative needs to be scored
THRESHOLD = 1.0  # |residual| on the tier order that marks a placement
FOLDS = 5
MIN_COUNTRIES = 20  # countries with scored placements needed to fit the evidence model
WORDING = "not explained by the narrative's own evidence"
ROLES = ("source", "transit", "destination", "internal")
TOPICS = ("prosecution", "complicity", "victim_protection", "victim_identification",
          "forced_labor", "legislation", "resources", "training", "labor_recruitment")
FLAGS = ("upgrade_without_increasing_efforts", "upgrade_while_counts_fell",
         "label_wording_mismatch", "watch_list_past_limit")


def evidence_facts(n: Narrative) -> int:
    """Facts of the narrative other than its tier statement."""
    return n.n_facts - (1 if n.tier_statement is not None else 0)


def evidence_features(inp: Inputs, iso3: str, year: int, n: Narrative) -> dict[str, float]:
    row: dict[str, float] = {}
    for m in MEASURES:
        c = n.counts.get(m)
        v = c.get("value") if c else None
        p = c.get("prior_value") if c else None
        row[f"{m}_log"] = math.log1p(v) if isinstance(v, int | float) and v >= 0 else 0.0
        row[f"{m}_known"] = float(c is not None)
        row[f"{m}_fell"] = float(isinstance(v, int | float) and isinstance(p, int | float)
                                 and v < p)
        row[f"{m}_rose"] = float(isinstance(v, int | float) and isinstance(p, int | float)
                                 and v > p)
    kinds = {s["kind"] for s in n.state_involvement}
    row["complicity"] = float("official_complicity" in kinds)
    row["narrative_policy_or_pattern"] = float("state_policy_or_pattern" in kinds)
    listing = inp.policy.get((year, iso3))
    row["listed_policy_or_pattern"] = float(listing is not None and listing.status != "text flag")
    for r in ROLES:
        row[f"role_{r}"] = float(r in n.roles)
    row["n_forms"] = float(len(n.forms))
    row["n_victim_groups"] = float(len(n.victims))
    row["n_recommendations"] = float(len(n.recommendations))
    for t in TOPICS:
        row[f"rec_{t}"] = float(sum(t in topics for topics in n.recommendations))
    row["factbook"] = float(n.source == "factbook")
    row["log_facts"] = math.log1p(evidence_facts(n))
    # what the opening paragraph says was done or not done, per pillar (the overall finding,
    # which restates the tier, is left out)
    for pillar in ("prosecution", "protection", "prevention"):
        for polarity in ("effort", "failing"):
            row[f"effort_{pillar}_{polarity}"] = float(n.efforts.get(f"{pillar}_{polarity}", 0))
    return row


def _scored_keys(inp: Inputs) -> list[tuple[str, int]]:
    return sorted(k for k, n in inp.narratives.items()
                  if inp.hist.get(k[0], {}).get(k[1]) in RANK and evidence_facts(n) >= MIN_FACTS)


def evidence_model(inp: Inputs) -> dict[str, Any]:
    """Cross-validated expected tier per scored placement, the residuals and the model's score."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    keys = _scored_keys(inp)
    if len({iso for iso, _ in keys}) < MIN_COUNTRIES or \
            len({inp.hist[iso][y] for iso, y in keys}) < 2:
        return {"rows": [], "per_year": _per_year(inp),
                "score": {"n": 0, "mae": None, "mae_mean_rank_baseline": None, "unexplained": 0,
                          "note": f"not enough narrative facts in the store to fit the evidence "
                                  f"model (needs scored placements of at least "
                                  f"{MIN_COUNTRIES} countries and two tiers)"}}
    rows = [evidence_features(inp, iso, y, inp.narratives[(iso, y)]) for iso, y in keys]
    names = sorted(rows[0]) if rows else []
    x = np.array([[r[c] for c in names] for r in rows], dtype=float)
    y = np.array([RANK[inp.hist[iso][yr]] for iso, yr in keys])
    groups = np.array([iso for iso, _ in keys])
    expected = np.zeros(len(keys))
    baseline = np.zeros(len(keys))
    # folds by country only (never by tier), so a placement's own tier cannot shape its split
    for train, test in GroupKFold(n_splits=FOLDS).split(x, y, groups):
        model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=3000))
        model.fit(x[train], y[train])
        proba = model.predict_proba(x[test])
        classes = model[-1].classes_
        expected[test] = proba @ classes
        baseline[test] = y[train].mean()
    out = []
    for (iso, yr), e, obs in zip(keys, expected, y, strict=True):
        res = float(obs - e)
        out.append({"iso3": iso, "country": inp.names.get(iso, iso), "year": yr,
                    "tier": inp.hist[iso][yr], "expected_rank": round(float(e), 2),
                    "residual": round(res, 2),
                    "unexplained": abs(round(res, 2)) >= THRESHOLD,  # as shown
                    "direction": ("placed better than its evidence suggests" if res <= -THRESHOLD
                                  else "placed worse than its evidence suggests"
                                  if res >= THRESHOLD else "")})
    n = len(keys)
    return {
        "rows": out,
        "score": {
            "n": n,
            "mae": round(float(np.abs(expected - y).mean()), 3) if n else None,
            "mae_mean_rank_baseline": round(float(np.abs(baseline - y).mean()), 3) if n else None,
            "unexplained": sum(r["unexplained"] for r in out),
        },
        "per_year": _per_year(inp),
    }


def _per_year(inp: Inputs) -> list[dict[str, int]]:
    """Per report year: ranked placements with narrative facts, and how many are scored."""
    per_year: dict[int, dict[str, int]] = {}
    for (iso, yr), n_obj in inp.narratives.items():
        if inp.hist.get(iso, {}).get(yr) not in RANK:
            continue
        d = per_year.setdefault(yr, {"year": yr, "narratives": 0, "scored": 0})
        d["narratives"] += 1
        d["scored"] += evidence_facts(n_obj) >= MIN_FACTS
    return [per_year[k] for k in sorted(per_year)]


def _upgrade(inp: Inputs, iso3: str, year: int) -> str | None:
    a, b = inp.hist[iso3].get(year - 1), inp.hist[iso3].get(year)
    if a in RANK and b in RANK and RANK[b] < RANK[a]:
        return a
    return None


def rule_flags(inp: Inputs) -> list[dict[str, Any]]:
    """Every rule flag, with the locators of the facts (or the audit event) behind it."""
    out: list[dict[str, Any]] = []
    for (iso, yr), n in sorted(inp.narratives.items()):
        tier = inp.hist.get(iso, {}).get(yr)
        if tier is None:
            continue
        name = inp.names.get(iso, iso)
        ts = n.tier_statement or {}
        before = _upgrade(inp, iso, yr)
        if before and ts.get("no_increasing_efforts"):
            out.append(_flag(iso, name, yr, tier, FLAGS[0],
                             f"upgraded from {TIER_LABELS[before]} to {TIER_LABELS[tier]} while "
                             f"the {yr} narrative says the government did not demonstrate "
                             f"overall increasing efforts", [n.tier_locator]))
        trio = [n.counts.get(m) for m in ("prosecutions", "convictions", "victims_identified")]
        if before and all(c and isinstance(c.get("value"), int | float)
                          and isinstance(c.get("prior_value"), int | float)
                          and c["value"] < c["prior_value"] for c in trio):
            detail = ", ".join(f"{c['measure'].replace('_', ' ')} {c['prior_value']} -> "
                               f"{c['value']}" for c in trio if c)
            out.append(_flag(iso, name, yr, tier, FLAGS[1],
                             f"upgraded from {TIER_LABELS[before]} to {TIER_LABELS[tier]} while "
                             f"prosecutions, convictions and victims identified all fell "
                             f"({detail})", [c["locator"] for c in trio if c]))
        label = ts.get("tier")
        if label in ("1", "2", "2WL") and ts.get("not_significant_efforts"):
            out.append(_flag(iso, name, yr, tier, FLAGS[2],
                             f"the tier statement names {TIER_LABELS[label]} but says the "
                             f"government is not making significant efforts (the wording of "
                             f"Tier 3)", [n.tier_locator]))
    for iso, events in sorted(inp.events.items()):
        for e in events:
            if e["event"] == "violation" and e["reason"] in ("R_TWL_WAIVERS_EXCEEDED",
                                                             "R_F_POST_DOWNGRADE_TWL_LIMIT"):
                out.append(_flag(iso, inp.names.get(iso, iso), int(e["year"]), e["tier"],
                                 FLAGS[3], str(e["detail"]),
                                 [{"audit_event": "violation", "reason": e["reason"],
                                   "statute": e["statute"]}]))
    out.sort(key=lambda f: (f["year"], f["iso3"], f["flag"]))
    return out


def _flag(iso3: str, name: str, year: int, tier: str | None, flag: str, detail: str,
          evidence: list[Any]) -> dict[str, Any]:
    return {"iso3": iso3, "country": name, "year": year, "tier": tier, "flag": flag,
            "detail": detail + ".", "evidence": [e for e in evidence if e]}


def consistency(inp: Inputs, year: int | None = None, iso3: str | None = None) -> dict:
    """Evidence-model residuals and rule flags, optionally for one year and/or one country."""
    from tipwatch.analysis.diskcache import cached

    model = cached(("evidence", inp.build_id), lambda: evidence_model(inp), inp)
    flags = cached(("flags", inp.build_id), lambda: rule_flags(inp), inp)

    def keep(r: dict) -> bool:
        return (year is None or r["year"] == year) and (iso3 is None or r["iso3"] == iso3)

    flagged: dict[tuple[str, int], list[str]] = {}
    for f in flags:
        flagged.setdefault((f["iso3"], f["year"]), []).append(f["flag"])
    rows = []
    for r in model["rows"]:
        if keep(r):
            rows.append({**r, "flags": flagged.get((r["iso3"], r["year"]), []),
                         "note": WORDING if r["unexplained"] else ""})
    return {"wording": WORDING, "threshold": THRESHOLD, "min_facts": MIN_FACTS,
            "score": model["score"], "per_year": model["per_year"],
            "rows": rows, "flags": [f for f in flags if keep(f)]}


def sentence_at(text: str, start: int, end: int, limit: int = 600) -> str:
    """The sentence(s) of ``text`` around the span ``start:end`` (at most ``limit`` chars)."""
    lo = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    hi = min(stops) + 1 if stops else len(text)
    return " ".join(text[lo:hi].split())[:limit]


def attach_sentences(flags: list[dict[str, Any]], corpus: Any) -> int:
    """Add the sentence behind each located piece of evidence whose narrative is in
    ``corpus`` (an open connection to an ingested corpus); returns how many were added."""
    texts: dict[str, str | None] = {}
    added = 0
    for f in flags:
        for ev in f["evidence"]:
            doc = ev.get("doc_id")
            if not doc or ev.get("start") is None:
                continue
            if doc not in texts:
                row = corpus.execute("SELECT text FROM narratives WHERE doc_id = ?",
                                     [doc]).fetchone()
                texts[doc] = row[0] if row else None
            text = texts[doc]
            if text is not None and int(ev["end"]) <= len(text):
                ev["sentence"] = sentence_at(text, int(ev["start"]), int(ev["end"]))
                added += 1
    return added
