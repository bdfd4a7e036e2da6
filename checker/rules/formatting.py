"""Human formatting of measured values, shared by messages and reports."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

UNIT_SYMBOLS = {
    "m2": "m²",
    "m3": "m³",
    "W/(m2.K)": "W/(m²·K)",
    "1/h": "h⁻¹",
    "1": "",
    "star": "★",
    "panels": "",
    "points": "pts",
    "kg": "kg",
    "a": "a",
}


def format_number(value: float, digits: int = 1) -> str:
    if float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:,.{digits}f}" if abs(value) >= 1 else f"{value:.{max(digits, 3)}g}"


def _half_up(value: float, places: int) -> str:
    """Round half away from zero, as people (and the HTML report) do: 56.25 -> 56.3."""
    quantum = Decimal(1).scaleb(-places)
    return f"{Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP):,}"


def format_value(value: object, unit: str | None) -> str:
    """56.25 % for ratios, 21,600 m² for areas, 360 kW for powers, 3★ for star levels."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if unit == "1":
        return f"{_half_up(value * 100, 1)} %"
    if unit == "W":
        return f"{value / 1000:,.1f} kW" if abs(value) >= 1000 else f"{value:,.0f} W"
    if unit == "star":
        return f"{int(value)}★" if float(value).is_integer() else f"{value}★"
    symbol = UNIT_SYMBOLS.get(unit or "", unit or "")
    text = format_number(float(value), 2 if unit in ("W/(m2.K)", "1/h") else 1)
    return f"{text} {symbol}".strip()
