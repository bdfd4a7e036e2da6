"""Plausibility guards: an extracted figure outside physical range is a modelling or unit error, not a value.

Each check returns what looks wrong (a sentence for the report) or None; the caller turns the figure into
`unknown` with that note, so an implausible number can never pass or fail a rule. The limits are ruleset data
(`[extraction.plausibility]`, checker/model/config.py Plausibility).
"""

from __future__ import annotations

from checker.model.config import Plausibility


def u_value_problem(u_si: float, limits: Plausibility) -> str | None:
    """Why a U-value in W/(m²·K) is not physical for a building element, or None when it is plausible.

    Example:
        >>> u_value_problem(0.0008, Plausibility())
        '0.0008 W/(m²·K) is below 0.05: looks like kW/(m²·K) or a wrong unit'
    """
    low, high = limits.min_u_value, limits.max_u_value
    if u_si <= 0:
        return f"{u_si:g} W/(m²·K) is a placeholder (a U-value is always positive)"
    if u_si < low:
        looks = "looks like kW/(m²·K) or a wrong unit" if low <= u_si * 1000 <= high else "not physical"
        return f"{u_si:g} W/(m²·K) is below {low:g}: {looks}"
    if u_si > high:
        return f"{u_si:g} W/(m²·K) is above {high:g}: an exporter's placeholder (26.15 is common) or a wrong unit"
    return None
