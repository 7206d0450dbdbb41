"""The reliability diagram of the forecast backtest as SVG text, written by the project.

One panel per direction (downgrade, upgrade): predicted probability (x) against the observed
share (y) in each probability bin, for the model (filled circles, area by number of
predictions) and the per-tier base rate (open squares), with the diagonal of perfect
calibration. Pure: scores in, SVG out.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

W, H, PAD, GAP = 300, 300, 42, 30
MODEL, BASE = "#b2182b", "#2166ac"


def _panel(x0: float, title: str, model: list[dict], base: list[dict], total: int) -> list[str]:
    size = W - PAD - 12

    def px(v: float) -> float:
        return x0 + PAD + v * size

    def py(v: float) -> float:
        return 24 + (1 - v) * size

    out = [f'<text x="{x0 + PAD + size / 2:.1f}" y="14" text-anchor="middle" '
           f'font-weight="bold">{escape(title)}</text>',
           f'<rect x="{px(0):.1f}" y="{py(1):.1f}" width="{size}" height="{size}" '
           f'fill="#fafbfc" stroke="#99a"/>',
           f'<line x1="{px(0):.1f}" y1="{py(0):.1f}" x2="{px(1):.1f}" y2="{py(1):.1f}" '
           f'stroke="#888" stroke-dasharray="4 3"/>']
    for t in (0, 0.25, 0.5, 0.75, 1):
        out.append(f'<text x="{px(t):.1f}" y="{py(0) + 14:.1f}" text-anchor="middle">{t:g}</text>')
        out.append(f'<text x="{px(0) - 5:.1f}" y="{py(t) + 4:.1f}" text-anchor="end">{t:g}</text>')
    out.append(f'<text x="{px(0.5):.1f}" y="{py(0) + 30:.1f}" text-anchor="middle">'
               f'predicted probability</text>')
    out.append(f'<text transform="translate({x0 + 11},{py(0.5):.1f}) rotate(-90)" '
               f'text-anchor="middle">observed share</text>')
    for b in base:
        s = 4
        out.append(f'<rect class="base" x="{px(b["predicted"]) - s:.1f}" '
                   f'y="{py(b["observed"]) - s:.1f}" width="{2 * s}" height="{2 * s}" '
                   f'fill="none" stroke="{BASE}" stroke-width="1.5"><title>per-tier rate: '
                   f'{b["n"]} predictions, predicted {b["predicted"]:.2f}, observed '
                   f'{b["observed"]:.2f}</title></rect>')
    for b in model:
        r = 2 + 9 * math.sqrt(b["n"] / max(total, 1))
        out.append(f'<circle class="model" cx="{px(b["predicted"]):.1f}" '
                   f'cy="{py(b["observed"]):.1f}" r="{r:.1f}" fill="{MODEL}" '
                   f'fill-opacity="0.75"><title>model: {b["n"]} predictions, predicted '
                   f'{b["predicted"]:.2f}, observed {b["observed"]:.2f}</title></circle>')
    return out


def reliability_svg(scores: dict[str, Any], base_bins: dict[str, list[dict]] | None = None,
                    title: str = "") -> str:
    """Both directions side by side; ``base_bins`` are the per-tier rate's reliability bins."""
    base_bins = base_bins or {}
    width = 2 * W + GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {H + 40}" '
             f'font-family="sans-serif" font-size="11" role="img" '
             f'aria-label="{escape(title or "Reliability diagram of the forecast backtest")}">']
    for i, (d, label) in enumerate((("down", "Downgrade"), ("up", "Upgrade"))):
        parts += _panel(i * (W + GAP), f"{label} (n = {scores['n']})",
                        scores[d]["reliability"], base_bins.get(d, []), scores["n"])
    y = H + 30
    parts.append(f'<circle cx="60" cy="{y - 4}" r="5" fill="{MODEL}"/>'
                 f'<text x="70" y="{y}">model (area: predictions in the bin)</text>'
                 f'<rect x="300" y="{y - 8}" width="8" height="8" fill="none" '
                 f'stroke="{BASE}" stroke-width="1.5"/>'
                 f'<text x="314" y="{y}">per-tier base rate</text>'
                 f'<line x1="450" y1="{y - 4}" x2="470" y2="{y - 4}" stroke="#888" '
                 f'stroke-dasharray="4 3"/><text x="476" y="{y}">perfect calibration</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def backtest_svg(bt: dict[str, Any]) -> str:
    """The reliability diagram of a backtest result (model and per-tier rate)."""
    from tipwatch.analysis import scores as sc

    preds = bt["predictions"]
    obs = [p["observed"] for p in preds]
    base = {d: sc.reliability([p[f"base_{d}"] for p in preds], [int(o == d) for o in obs])
            for d in ("down", "up")}
    s = bt["scores"]
    return reliability_svg(s, base, title=f"Reliability of the forecast, reports "
                                          f"{s['years'][0]}-{s['years'][1]}")
