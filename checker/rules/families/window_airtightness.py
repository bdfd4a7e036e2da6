"""GB/T 50378-2019 Table 3.2.8 row T6: exterior-window airtightness meets the current energy standard (star_rating).

The required class (GB/T 7106 for windows, GB/T 15227 for curtain walls) is ruleset data: one for residential
buildings, one for public buildings below `high_storeys` and one at or above it, one for curtain walls. Figure: the
number of exterior windows below their class, ≤ 0 meets T6 (so the worst window decides). An unknown use or storey
count makes the required class a range; a window not known to be exterior, or lacking the class, is open: it keeps a
pass from being shown, never makes a fail.
"""

from __future__ import annotations

from typing import Any

from checker.model.facts import BuildingFacts, ElementRecord
from checker.rules.families.envelope_bounds import is_candidate
from checker.rules.families.material_shares import number, settle, settled_measurement
from checker.rules.measurement import Measurement, MetricFn, Params

PROPERTY = "CN_GreenBuilding.AirtightnessClass"
CURTAIN_CLASSES = ("IfcCurtainWall", "IfcPlate")


def required_range(building: BuildingFacts, params: Params) -> tuple[int, int, str]:
    """(lowest, highest) class a window may need, and why: by use and above-ground storeys."""
    use = building.fact("use_category").value
    low, high = int(params["min_class_residential"]), int(params["min_class_public_high"])
    public_low = int(params["min_class_public"])
    if use == "residential":
        return low, low, f"residential: class {low}"
    storeys = building.fact("storeys_above_ground")
    count = number(storeys.value)
    cut = int(params["high_storeys"])
    if use in ("public", "mixed") and count is not None:
        if count >= cut and storeys.bound in ("exact", "lower"):
            return high, high, f"public, {count:g} storeys (>= {cut}): class {high}"
        if count < cut and storeys.bound in ("exact", "upper"):
            return public_low, public_low, f"public, {count:g} storeys (< {cut}): class {public_low}"
    options = sorted({low, public_low, high}) if use not in ("public", "mixed") else [public_low, high]
    why = "use category unknown" if use is None else f"storey count of a {use} building not settled"
    return options[0], options[-1], f"{why}: class {options[0]}..{options[-1]}"


def window_airtightness(building: BuildingFacts, params: Params) -> Measurement:
    """How many exterior windows fall below the airtightness class they need (0 meets T6): at least those known
    exterior with a class known too low, at most those plus the windows lacking a class or not known exterior."""
    records = building.elements.get("envelope_windows", [])
    if not records:
        why = "identifiable exterior windows or transparent curtain walls: none found"
        return Measurement(value=None, unit="windows", missing=[why])
    need_low, need_high, why_need = required_range(building, params)
    curtain = int(params["min_class_curtain_wall"])
    below: list[ElementRecord] = []  # known exterior and below even the lowest class it may need
    maybe: list[ElementRecord] = []  # lacking a class, not known exterior, or below only a class it may need
    rows: list[list[Any]] = []
    for r in records:
        raw = r.values.get("airtightness_class")
        declared = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
        need = (curtain, curtain) if r.ifc_class in CURTAIN_CLASSES else (need_low, need_high)
        if declared is not None and declared < need[0] and not is_candidate(r):
            below.append(r)
            verdict = "below"
        elif declared is None or declared < need[1]:
            maybe.append(r)
            verdict = "open"
        else:
            verdict = "meets"
        rows.append([r.global_id, r.ifc_class, declared, f"{need[0]}..{need[1]}", verdict])
    lacking = [r for r in records if not isinstance(r.values.get("airtightness_class"), int)]
    missing = []
    if lacking:
        ids = ", ".join(r.global_id for r in lacking[:20]) + (
            f" and {len(lacking) - 20} more" if len(lacking) > 20 else ""
        )
        missing.append(f"{PROPERTY} (1..8) on {len(lacking)} exterior windows or their types: {ids}")
    candidates = [r.global_id for r in maybe if is_candidate(r)]
    if candidates:
        missing.append(
            f"whether {len(candidates)} windows are exterior (Pset_WindowCommon.IsExternal, or a host wall declared "
            f"exterior): {', '.join(candidates[:20])}"
        )
    if need_low != need_high:
        missing.append(f"the required class ({why_need})")
    details: dict[str, Any] = {
        "required": why_need,
        "curtain_wall_required": curtain,
        "tables": [
            {
                "title": {"en": "Window airtightness classes", "zh": "外窗气密性能等级"},
                "columns": ["GlobalId", "class", "airtightness class", "required", "verdict"],
                "rows": rows,
            }
        ],
    }
    settled = settle(float(len(below)), float(len(below) + len(maybe)), params)
    if settled is None:
        return Measurement(value=None, unit="windows", missing=missing, details=details, elements=below + maybe)
    value, bound = settled
    return settled_measurement(
        value, bound, missing, unit="windows", details=details, elements=below or maybe or records
    )


METRICS: dict[str, MetricFn] = {"window_airtightness": window_airtightness}
