"""Inline SVG bar charts for `details["bars"]`, and one measured-vs-required bar for a failed ratio rule: no script,
no external asset, every label escaped.

Charts scale with their card (a viewBox and no fixed width; the page's CSS sets width: 100 %) and carry their
figures as an accessible name (<title>, referenced by aria-labelledby), so a screen reader reads what the bars show.
"""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup, escape

from checker.rules.formatting import finite_float, number_text, percent_text
from checker.rules.results import RuleResult, Status

# The drawing's own coordinates: each bar's label on a line above it, so the drawing stays narrow enough to be read
# on a 360 px phone, where it is scaled to its card's width (max 440 CSS px, see the template).
WIDTH, ROW, LABEL_H, BAR_W, FONT = 360, 44, 16, 240, 12
PASS_COLOUR, FAIL_COLOUR, NEUTRAL_COLOUR = "#1a7f37", "#cf222e", "#6e7781"


def _label(label: Any, lang: str) -> str:
    if isinstance(label, dict):
        return str(label.get(lang) or label.get("en") or "")
    return str(label)


def _fit(text: str, width: float = WIDTH) -> str:
    """The label cut with '…' where it would run into its bar (CJK characters take about 1 em, others 0.6 em);
    the chart's <title> keeps the whole text."""
    used = 0.0
    for index, char in enumerate(text):
        used += FONT * (1.0 if ord(char) > 0x2E80 else 0.6)
        if used > width:
            return text[: max(index - 1, 0)] + "…"
    return text


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


def _figures(bar: dict[str, Any], unit: str) -> str:
    """'34.1 % / 50 %': the value, and the threshold when there is one."""
    shown_threshold = bar.get("threshold")
    text = _pct(bar["value"], unit)
    if isinstance(shown_threshold, (int, float)):
        text += f" / {_pct(shown_threshold, unit)}"
    return text


def bar_chart(bars: list[dict[str, Any]], lang: str, chart_id: str = "", caption: str = "") -> Markup:
    """One horizontal bar per entry: value bar, a threshold tick, the value as text; `chart_id` names the <title>
    that aria-labelledby points to (one per page, so ids stay unique)."""
    rows = [b for b in bars if isinstance(b, dict) and isinstance(b.get("value"), (int, float))]
    if not rows:
        return Markup("")
    height = ROW * len(rows) + 10
    name = "; ".join(f"{_label(b.get('label', ''), lang)}: {_figures(b, str(b.get('unit', '1')))}" for b in rows)
    name = f"{caption} — {name}" if caption else name
    labelled = f' aria-labelledby="{escape(chart_id)}-title"' if chart_id else f' aria-label="{escape(name)}"'
    parts = [
        f'<svg class="bars" role="img"{labelled} viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMin meet">'
    ]
    if chart_id:
        parts.append(f'<title id="{escape(chart_id)}-title">{escape(name)}</title>')
    for i, bar in enumerate(rows):
        y = 5 + i * ROW
        unit = str(bar.get("unit", "1"))
        value, threshold = finite_float(bar["value"]), finite_float(bar.get("threshold"))
        label = escape(_fit(_label(bar.get("label", ""), lang)))
        parts.append(f'<text x="0" y="{y + 12}" font-size="{FONT}">{label}</text>')
        y += LABEL_H
        if value is not None:  # a figure without digits (NaN, ±inf) gets no bar, only its text
            scale_max = _scale_max(value, threshold, unit)
            width = min(max(1.0, BAR_W * value / scale_max), float(BAR_W))
            parts.append(f'<rect x="0" y="{y + 3}" width="{width:.1f}" height="16" fill="{_colour(value, bar)}"/>')
            if threshold is not None:
                tx = BAR_W * min(max(threshold / scale_max, 0.0), 1.0)
                parts.append(
                    f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y}" y2="{y + 22}" '
                    'stroke="#1f2328" stroke-width="2" stroke-dasharray="3,2"/>'
                )
        parts.append(f'<text x="{BAR_W + 8}" y="{y + 16}" font-size="{FONT}">{escape(_figures(bar, unit))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text above is escaped


def bar_charts(details: dict[str, Any], lang: str, chart_id: str = "", caption: str = "") -> list[Markup]:
    bars = details.get("bars")
    if isinstance(bars, list):
        return [bar_chart(bars, lang, chart_id, caption)]
    return []


def rule_charts(result: RuleResult, lang: str, chart_id: str) -> list[Markup]:
    """The rule's own `details["bars"]`; failing that, for a failed ratio rule (PV coverage, the prefab assembly rate
    P, ...), one bar of the measured ratio against its threshold, so the shortfall is seen at a glance."""
    own = bar_charts(result.details, lang, chart_id, str(result.title.get(lang)))
    if own:
        return own
    value, threshold = finite_float(result.value), finite_float(result.threshold)
    if result.status is not Status.FAIL or result.unit != "1" or value is None or threshold is None:
        return []
    bar = {"label": result.title.model_dump(), "value": value, "threshold": threshold, "unit": "1"}
    return [bar_chart([bar], lang, chart_id)]
