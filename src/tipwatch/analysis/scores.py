"""Scores for probability forecasts: Brier, log loss, AUC, calibration slope, reliability bins.

Pure functions over plain lists (numpy and scikit-learn are imported inside them). Log loss
clips probabilities to [``EPS``, 1 - ``EPS``] so that a baseline that gives a move zero chance
has a finite score; the clipping is the same for every forecaster scored.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

EPS = 1e-3


def brier(p: Sequence[float], y: Sequence[int]) -> float:
    return sum((pi - yi) ** 2 for pi, yi in zip(p, y, strict=True)) / len(p)


def log_loss(probs: Sequence[Sequence[float]], labels: Sequence[int]) -> float:
    """Mean negative log probability of the observed class (classes 0..k-1)."""
    total = 0.0
    for row, lab in zip(probs, labels, strict=True):
        total -= math.log(min(max(row[lab], EPS), 1 - EPS))
    return total / len(labels)


def auc(p: Sequence[float], y: Sequence[int]) -> float | None:
    """Area under the ROC curve (ties count half); ``None`` when only one class occurs."""
    pos = [pi for pi, yi in zip(p, y, strict=True) if yi]
    neg = [pi for pi, yi in zip(p, y, strict=True) if not yi]
    if not pos or not neg:
        return None
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(list(y), list(p)))


def calibration_slope(p: Sequence[float], y: Sequence[int]) -> float | None:
    """Slope of the logistic recalibration ``y ~ a + b·logit(p)``: 1 is ideal, <1 overconfident."""
    if len(set(y)) < 2 or len({round(pi, 9) for pi in p}) < 2:
        return None
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    q = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    x = np.log(q / (1 - q)).reshape(-1, 1)
    fit = LogisticRegression(C=1e6, max_iter=1000).fit(x, np.asarray(y))
    return float(fit.coef_[0][0])


def reliability(p: Sequence[float], y: Sequence[int], bins: int = 10) -> list[dict[str, float]]:
    """Predicted against observed frequency in equal-width probability bins (non-empty ones)."""
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, pi in enumerate(p) if lo <= pi < hi or (b == bins - 1 and pi == 1.0)]
        if not idx:
            continue
        out.append({
            "bin_low": lo, "bin_high": hi, "n": len(idx),
            "predicted": sum(p[i] for i in idx) / len(idx),
            "observed": sum(y[i] for i in idx) / len(idx),
        })
    return out


def direction_scores(p: Sequence[float], y: Sequence[int]) -> dict[str, float | int | None]:
    """Brier, AUC and calibration slope of one direction's probabilities."""
    return {
        "n": len(y),
        "events": int(sum(y)),
        "brier": round(brier(p, y), 4),
        "auc": None if (a := auc(p, y)) is None else round(a, 4),
        "calibration_slope": None if (s := calibration_slope(p, y)) is None else round(s, 3),
    }
