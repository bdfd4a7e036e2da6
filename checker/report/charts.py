"""Inline SVG bar charts for `details["bars"]`: no script, no external asset, every label escaped."""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup, escape

from checker.rules.formatting import finite_float, number_text, percent_text

WIDTH, ROW, LABEL_W, BAR_W = 720, 26, 200, 340
PASS_COLOUR, FAIL_COLOUR, NEUTRAL_COLOUR = "#1a7f37", "#cf222e", "#6e7781"


def _label(label: Any, lang: str) -> str:
    if isinstance(label, dict):
        return str(label.get(lang) or label.get("en") or "")
    return str(label)


def _pct(value: object, unit: str) -> str:
    """The figure beside a bar; NaN, ±inf and 1e300 included (shown as such, never a crash)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "—"
    return f"{percent_text(value)} %" if unit == "1" else number_text(value, places=1)


def _scale_max(value: float, threshold: float | None, unit: str) -> float:
    """Each bar has its own scale: ratios run to 100 %, other figures to 125 % of the larger of value and threshold
    (capped at the float range, so 1e308 keeps a finite scale)."""
    top = max(value, threshold or 0.0)
    if unit == "1":
        return max(1.0, top)
    padded = max(top, 1e-9) * 1.25
    return padded if math.isfinite(padded) else top


def _colour(value: float, bar: dict[str, Any]) -> str:
    """Green when the value reaches its threshold, red when not, grey when the threshold has no digits."""
    raw = bar.get("threshold")
    if raw is None:
        return PASS_COLOUR
    threshold = finite_float(raw)
    if threshold is None:
        return NEUTRAL_COLOUR
    return PASS_COLOUR if value >= threshold else FAIL_COLOUR


def bar_chart(bars: list[dict[str, Any]], lang: str) -> Markup:
    """One horizontal bar per entry: value bar, a threshold tick, the value as text."""
    rows = [b for b in bars if isinstance(b, dict) and isinstance(b.get("value"), (int, float))]
    if not rows:
        return Markup("")
    height = ROW * len(rows) + 10
    parts = [
        f'<svg class="bars" role="img" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, bar in enumerate(rows):
        y = 5 + i * ROW
        unit = str(bar.get("unit", "1"))
        value, threshold = finite_float(bar["value"]), finite_float(bar.get("threshold"))
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(_label(bar.get("label", ""), lang))}</text>')
        if value is not None:  # a figure without digits (NaN, ±inf) gets no bar, only its text
            scale_max = _scale_max(value, threshold, unit)
            width = min(max(1.0, BAR_W * value / scale_max), float(BAR_W))
            parts.append(
                f'<rect x="{LABEL_W}" y="{y + 3}" width="{width:.1f}" height="16" fill="{_colour(value, bar)}"/>'
            )
            if threshold is not None:
                tx = LABEL_W + BAR_W * min(max(threshold / scale_max, 0.0), 1.0)
                parts.append(
                    f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y}" y2="{y + 22}" '
                    'stroke="#1f2328" stroke-width="2" stroke-dasharray="3,2"/>'
                )
        shown_threshold = bar.get("threshold")
        parts.append(
            f'<text x="{LABEL_W + BAR_W + 8}" y="{y + 15}" font-size="12">{escape(_pct(bar["value"], unit))}'
            + (f" / {escape(_pct(shown_threshold, unit))}" if isinstance(shown_threshold, (int, float)) else "")
            + "</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text above is escaped


def bar_charts(details: dict[str, Any], lang: str) -> list[Markup]:
    bars = details.get("bars")
    if isinstance(bars, list):
        return [bar_chart(bars, lang)]
    return []
