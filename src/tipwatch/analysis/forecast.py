"""Early warning: the chance of a downgrade, no change or an upgrade in the next report.

For every country ranked in report ``Y - 1`` (Tier 1, 2, 2 Watch List or 3) the forecast gives
``p_down``, ``p_same`` and ``p_up`` for report ``Y``. The model is a multinomial logistic
regression (scikit-learn) over the features of :mod:`tipwatch.analysis.features`, trained only on
transitions whose later report is before ``Y``. It is scored by time split (:func:`backtest`)
beside two baselines measured the same way: "no change" and the per-tier base rate (the share of
countries at that tier that moved down or up in the training years). A direction whose model
does not beat the per-tier rate in the backtest is served from that baseline, and the forecast
says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tipwatch.analysis import features as feats
from tipwatch.analysis import scores
from tipwatch.analysis.diskcache import cached
from tipwatch.analysis.inputs import RANK, Inputs
from tipwatch.errors import UnknownYearError
from tipwatch.rules.law import Law, load_law
from tipwatch.tiers import TIER_LABELS

DOWN, SAME, UP = 0, 1, 2
DIRECTIONS = ("down", "up")
FIRST_PREDICTABLE = 2008  # at least three report pairs to learn from (2004 tiers onward)
BACKTEST_FROM = 2012
C = 0.003  # L2 strength, chosen on the 2009-2011 reports (before the backtest; docs/analysis.md)


@dataclass(frozen=True)
class Pair:
    iso3: str
    year: int  # the report the features are read from
    tier: str
    label: int | None  # DOWN / SAME / UP in report year + 1, None when not known


def _label(a: str, b: str) -> int:
    return DOWN if RANK[b] > RANK[a] else UP if RANK[b] < RANK[a] else SAME


def pairs(inp: Inputs) -> list[Pair]:
    """Every known transition between consecutive reports, both tiers ranked."""
    return cached(("pairs", inp.build_id), lambda: _pairs(inp))


def _pairs(inp: Inputs) -> list[Pair]:
    out = []
    for iso3, h in inp.hist.items():
        for y, t in h.items():
            n = h.get(y + 1)
            if t in RANK and n in RANK:
                out.append(Pair(iso3, y, t, _label(t, n)))
    return sorted(out, key=lambda p: (p.year, p.iso3))


class Model:
    """Standardized features + multinomial logistic regression, with per-feature contributions."""

    def __init__(self, rows: list[dict[str, float]], labels: list[int]) -> None:
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        x = np.array([[r[n] for n in feats.NAMES] for r in rows], dtype=float)
        self.mean = x.mean(axis=0)
        self.sd = x.std(axis=0)
        self.sd[self.sd == 0] = 1.0
        self.lr = LogisticRegression(C=C, max_iter=2000)
        self.lr.fit((x - self.mean) / self.sd, np.array(labels))
        self.classes = [int(c) for c in self.lr.classes_]

    def _z(self, rows: list[dict[str, float]]) -> Any:
        import numpy as np

        x = np.array([[r[n] for n in feats.NAMES] for r in rows], dtype=float)
        return (x - self.mean) / self.sd

    def proba(self, rows: list[dict[str, float]]) -> list[list[float]]:
        """[p_down, p_same, p_up] per row; moves off the scale's ends get no chance."""
        raw = self.lr.predict_proba(self._z(rows))
        out = []
        for r, pr in zip(rows, raw, strict=True):
            p = [0.0, 0.0, 0.0]
            for c, v in zip(self.classes, pr, strict=True):
                p[c] = float(v)
            if r["tier_1"]:
                p[UP] = 0.0
            if r["tier_3"]:
                p[DOWN] = 0.0
            s = sum(p) or 1.0
            out.append([v / s for v in p])
        return out

    def reasons(self, row: dict[str, float], direction: int, n: int = 3) -> list[dict]:
        """Present features that raise the log-odds of ``direction`` against no change most."""
        if direction not in self.classes or SAME not in self.classes:
            return []
        z = self._z([row])[0]
        d, s = self.classes.index(direction), self.classes.index(SAME)
        w = self.lr.coef_[d] - self.lr.coef_[s]
        # only what is present for the country (an absent indicator is not a reason)
        parts = sorted(((float(w[j] * z[j]), name) for j, name in enumerate(feats.NAMES)
                        if row[name]), reverse=True)
        return [{"feature": name, "value": row[name], "weight": round(c, 3)}
                for c, name in parts[:n] if c > 0.05]


def tier_rates(train: list[Pair]) -> dict[str, tuple[float, float, int]]:
    """Per tier: share moved down, share moved up, number of transitions."""
    acc: dict[str, list[int]] = {}
    for p in train:
        a = acc.setdefault(p.tier, [0, 0, 0])
        a[0] += 1
        a[1] += p.label == DOWN
        a[2] += p.label == UP
    return {t: (d / n, u / n, n) for t, (n, d, u) in acc.items()}


def feature_row(inp: Inputs, iso3: str, year: int, law: Law) -> dict[str, float]:
    """The features of one country-year (computed once per store build)."""
    return cached(("features", inp.build_id, iso3, year),
                   lambda: feats.features(inp, iso3, year, law))


def _rows(inp: Inputs, ps: list[Pair], law: Law) -> list[dict[str, float]]:
    return [feature_row(inp, p.iso3, p.year, law) for p in ps]


def _fit(inp: Inputs, train: list[Pair], law: Law) -> Model:
    return Model(_rows(inp, train, law), [p.label for p in train if p.label is not None])


def model_for(inp: Inputs, year: int) -> tuple[Model, dict, list[Pair]]:
    """The model and per-tier rates trained on every transition into a report before ``year``."""
    def fit() -> tuple[Model, dict, list[Pair]]:
        train = [p for p in pairs(inp) if p.year + 1 < year]
        return _fit(inp, train, load_law()), tier_rates(train), train

    return cached(("model", inp.build_id, year), fit)


def backtest(inp: Inputs, start: int = BACKTEST_FROM, end: int | None = None) -> dict:
    """Predict every report from ``start`` on with a model trained on earlier reports only."""
    return cached(("backtest", inp.build_id, start, end), lambda: _backtest(inp, start, end),
                   inp)


def _backtest(inp: Inputs, start: int, end: int | None) -> dict:
    law = load_law()
    allp = pairs(inp)
    last = max(p.year for p in allp) + 1
    end = last if end is None else min(end, last)
    preds = []
    for y in range(max(start, FIRST_PREDICTABLE), end + 1):
        test = [p for p in allp if p.year + 1 == y]
        if not test:
            continue
        model, rates, train = model_for(inp, y)
        lo, hi = min(p.year for p in train), max(p.year for p in train) + 1
        for p, pr in zip(test, model.proba(_rows(inp, test, law)), strict=True):
            rd, ru, _ = rates.get(p.tier, (0.0, 0.0, 0))
            preds.append({
                "iso3": p.iso3, "country": inp.names.get(p.iso3, p.iso3), "year": y,
                "tier_before": p.tier, "p_down": round(pr[DOWN], 4),
                "p_same": round(pr[SAME], 4), "p_up": round(pr[UP], 4),
                "base_down": round(rd, 4), "base_up": round(ru, 4),
                "observed": ("down", "same", "up")[p.label or 0] if p.label is not None else "",
                "trained_on": f"{lo}-{hi}",
            })
    return {"from": start, "to": end, "predictions": preds, "scores": score(preds)}


def score(preds: list[dict], years: tuple[int, int] | None = None) -> dict:
    """The model and both baselines on the same predictions, per direction, plus log loss."""
    ps = [p for p in preds if years is None or years[0] <= p["year"] <= years[1]]
    if not ps:
        return {}
    labels = [("down", "same", "up").index(p["observed"]) for p in ps]
    out: dict[str, Any] = {"n": len(ps), "years": [min(p["year"] for p in ps),
                                                   max(p["year"] for p in ps)]}
    for name, key in (("down", DOWN), ("up", UP)):
        y = [int(lab == key) for lab in labels]
        out[name] = {
            "model": scores.direction_scores([p[f"p_{name}"] for p in ps], y),
            "no_change": scores.direction_scores([0.0] * len(ps), y),
            "tier_rate": scores.direction_scores([p[f"base_{name}"] for p in ps], y),
            "reliability": scores.reliability([p[f"p_{name}"] for p in ps], y),
        }
        m, b = out[name]["model"]["brier"], out[name]["tier_rate"]["brier"]
        out[name]["improvement_over_tier_rate"] = round(1 - m / b, 4) if b else None
        out[name]["served"] = "model" if m < b else "tier_rate"
    out["log_loss"] = {
        "model": round(scores.log_loss([[p["p_down"], p["p_same"], p["p_up"]] for p in ps],
                                       labels), 4),
        "no_change": round(scores.log_loss([[0.0, 1.0, 0.0]] * len(ps), labels), 4),
        "tier_rate": round(scores.log_loss(
            [[p["base_down"], 1 - p["base_down"] - p["base_up"], p["base_up"]] for p in ps],
            labels), 4),
    }
    return out


def check_year(inp: Inputs, year: int) -> None:
    """Raise ``UnknownYearError`` saying why the data cannot support a forecast for ``year``."""
    newest = max(inp.year_status)
    if year > newest + 1:
        raise UnknownYearError(
            f"cannot forecast the {year} report: the panel ends with the {newest} report, so "
            f"the newest forecastable report is {newest + 1} (a forecast needs the placements "
            f"of the report before it)")
    if year < FIRST_PREDICTABLE:
        raise UnknownYearError(
            f"cannot forecast the {year} report: a forecast needs at least three earlier "
            f"report-to-report transitions with the Watch List (reports from 2004), so the "
            f"first forecastable report is {FIRST_PREDICTABLE}")
    if not any(t in RANK for h in inp.hist.values() for y, t in h.items() if y == year - 1):
        raise UnknownYearError(f"cannot forecast the {year} report: no country is ranked in "
                               f"the {year - 1} report")


def forecast(inp: Inputs, year: int) -> dict:
    """The forecast of report ``year`` for every country ranked in report ``year - 1``."""
    check_year(inp, year)
    return cached(("forecast", inp.build_id, year), lambda: _forecast(inp, year), inp)


def _forecast(inp: Inputs, year: int) -> dict:
    law = load_law()
    model, rates, train = model_for(inp, year)
    bt = backtest(inp)
    past = score(bt["predictions"], (BACKTEST_FROM, year - 1))
    served = {d: (past[d]["served"] if past else "tier_rate") for d in DIRECTIONS}
    base = year - 1
    ranked = [iso for iso in inp.placed(base) if inp.hist[iso][base] in RANK]
    rows = [feature_row(inp, iso, base, law) for iso in ranked]
    probs = model.proba(rows) if rows else []
    _, beyond = feats.law_for(law, year)
    out = []
    for iso, row, pr in zip(ranked, rows, probs, strict=True):
        tier = inp.hist[iso][base]
        rd, ru, n = rates.get(tier, (0.0, 0.0, 0))
        p = {"down": pr[DOWN], "up": pr[UP]}
        why: dict[str, list[str]] = {}
        for d, key, rate in (("down", DOWN, rd), ("up", UP, ru)):
            if served[d] == "model":
                why[d] = [feats.describe(r["feature"], r["value"], base)
                          for r in model.reasons(row, key)]
            else:
                p[d] = rate
                why[d] = [f"per-tier base rate: {rate:.0%} of {n} transitions from "
                          f"{TIER_LABELS[tier]} in the training years moved {d} (the model "
                          f"did not beat this baseline in the backtest)"]
        actual = inp.hist[iso].get(year)
        out.append({
            "iso3": iso, "country": inp.names.get(iso, iso), "year": year,
            "tier_before": tier, "p_down": round(p["down"], 4),
            "p_same": round(max(0.0, 1 - p["down"] - p["up"]), 4), "p_up": round(p["up"], 4),
            "reasons_down": why["down"], "reasons_up": why["up"],
            "observed_tier": actual,
            "summary": _sentence(inp.names.get(iso, iso), tier, year, p, why),
        })
    out.sort(key=lambda r: -max(r["p_down"], r["p_up"]))
    lo = min(p.year for p in train) if train else None
    return {
        "year": year, "from_report": base, "trained_on": [lo, base],
        "base_year_status": inp.year_status.get(base),
        "served": served,
        "law_note": (f"the law of the {law.latest_year} report is applied to {year}: it is the "
                     f"law in force, and no later change is encoded") if beyond else "",
        "coverage_note": ("" if inp.year_status.get(base) == "complete" else
                          f"the {base} report is {inp.year_status.get(base)} in the panel: "
                          f"only the {len(ranked)} countries ranked in it are forecast"),
        "rows": out,
    }


def _sentence(name: str, tier: str, year: int, p: dict[str, float],
              why: dict[str, list[str]]) -> str:
    d = max(("down", "up"), key=lambda k: p[k])
    lead = f"{name} ({TIER_LABELS[tier]} in {year - 1})"
    if p[d] < 0.15:
        return f"{lead}: most likely unchanged in the {year} report."
    reason = f", mainly because {why[d][0]}" if why[d] and why[d][0][:8] != "per-tier" else ""
    word = "a downgrade" if d == "down" else "an upgrade"
    return f"{lead}: a {p[d]:.0%} chance of {word} in the {year} report{reason}."
