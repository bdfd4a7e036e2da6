"""Inline SVG bar charts for `details["bars"]`: no script, no external asset, every label escaped."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

WIDTH, ROW, LABEL_W, BAR_W = 720, 26, 200, 340


def _label(label: Any, lang: str) -> str:
    if isinstance(label, dict):
        return str(label.get(lang) or label.get("en") or "")
    return str(label)


def _pct(value: float, unit: str) -> str:
    return f"{value * 100:.1f} %" if unit == "1" else f"{value:,.1f}"


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
        value = float(bar["value"])
        unit = str(bar.get("unit", "1"))
        threshold = bar.get("threshold")
        ok = threshold is None or value >= float(threshold)
        # Each bar has its own scale: ratios run to 100 %, other figures to 125 % of the larger of value and threshold.
        scale_max = (
            max(1.0, value, float(threshold or 0)) if unit == "1" else max(value, float(threshold or 0), 1e-9) * 1.25
        )
        width = max(1.0, BAR_W * value / scale_max)
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(_label(bar.get("label", ""), lang))}</text>')
        parts.append(
            f'<rect x="{LABEL_W}" y="{y + 3}" width="{width:.1f}" height="16" fill="{"#1a7f37" if ok else "#cf222e"}"/>'
        )
        if isinstance(threshold, (int, float)):
            tx = LABEL_W + BAR_W * float(threshold) / scale_max
            parts.append(
                f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y}" y2="{y + 22}" '
                'stroke="#1f2328" stroke-width="2" stroke-dasharray="3,2"/>'
            )
        parts.append(
            f'<text x="{LABEL_W + BAR_W + 8}" y="{y + 15}" font-size="12">{escape(_pct(value, unit))}'
            + (f" / {escape(_pct(float(threshold), unit))}" if isinstance(threshold, (int, float)) else "")
            + "</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text above is escaped


def bar_charts(details: dict[str, Any], lang: str) -> list[Markup]:
    bars = details.get("bars")
    if isinstance(bars, list):
        return [bar_chart(bars, lang)]
    return []
