"""Plausibility guards: a figure no building can have is a modelling or unit error, not a measurement.

Each check returns what looks wrong (for the fact's `missing` and warnings) or None; the limits are ruleset
data (`extraction.plausibility`). A figure that fails its check makes its fact unknown, never a pass or a fail.
"""

from __future__ import annotations

import math

from checker.model.config import Plausibility

MM2_PER_M2 = 1_000_000.0
MM_PER_M = 1_000.0
REJECTED_SHOWN = 10  # rejected values named in the model warning; the rest are counted


def rejected_values_warning(rejected: dict[tuple[str, str], str]) -> list[str]:
    """One model warning naming the values read from the file but not used (negative sizes, not finite), with their
    elements: the facts that needed them are unknown or bounds, and this says why."""
    if not rejected:
        return []
    shown = [f"{why} (on {gid})" for (gid, _), why in list(rejected.items())[:REJECTED_SHOWN]]
    more = f"; (+{len(rejected) - REJECTED_SHOWN:,} more)" if len(rejected) > REJECTED_SHOWN else ""
    return [f"{len(rejected):,} values in the file were not used as figures: {'; '.join(shown)}{more}"]


def _shown(value: float, places: int) -> str:
    """'14,000,000' or, from 1e15 on, '1.2e+26': a warning never carries a 300-digit number (or crashes on NaN)."""
    if not math.isfinite(value) or abs(value) >= 1e15:
        return f"{value:.3g}"
    return f"{value:,.{places}f}"


def area_problem(area_m2: float, what: str, limits: Plausibility) -> str | None:
    """What looks wrong with an area (m²) of one storey or roof, e.g. "14,000,000 m² for one storey ('L1'): areas
    look like millimetres"; None when it is plausible."""
    if not math.isfinite(area_m2):
        return f"{_shown(area_m2, 0)} m² for {what}: not a finite number"
    if area_m2 < 0:
        return f"{_shown(area_m2, 0)} m² for {what}: a negative area (broken quantity or geometry)"
    limit = limits.max_storey_area_m2
    if area_m2 <= limit:
        return None
    hint = ": areas look like millimetres" if area_m2 / MM2_PER_M2 <= limit else ""
    return f"{_shown(area_m2, 0)} m² for {what}{hint} (more than the plausible {limit:,.0f} m²)"


def height_problem(height_m: float, limits: Plausibility) -> str | None:
    """What looks wrong with a building height (m), or None."""
    if not math.isfinite(height_m):
        return f"a building height of {_shown(height_m, 0)} m is not a finite number"
    if height_m < 0:
        return f"a building height of {_shown(height_m, 2)} m is negative"
    limit = limits.max_building_height_m
    if height_m <= limit:
        return None
    hint = ": lengths look like millimetres" if height_m / MM_PER_M <= limit else ""
    return f"a building height of {_shown(height_m, 0)} m{hint} (more than the plausible {limit:,.0f} m)"


def u_value_problem(u_si: float, limits: Plausibility) -> str | None:
    """Why a U-value in W/(m²·K) is not physical for a building element, or None when it is plausible.

    Example:
        >>> u_value_problem(0.0008, Plausibility())
        '0.0008 W/(m²·K) is below 0.05: looks like kW/(m²·K) or a wrong unit'
    """
    low, high = limits.min_u_value, limits.max_u_value
    if not math.isfinite(u_si):
        return f"{u_si:g} W/(m²·K) is not a finite number"
    if u_si <= 0:
        return f"{u_si:g} W/(m²·K) is a placeholder (a U-value is always positive)"
    if u_si < low:
        looks = "looks like kW/(m²·K) or a wrong unit" if low <= u_si * 1000 <= high else "not physical"
        return f"{u_si:g} W/(m²·K) is below {low:g}: {looks}"
    if u_si > high:
        return f"{u_si:g} W/(m²·K) is above {high:g}: an exporter's placeholder (26.15 is common) or a wrong unit"
    return None
