"""Ultra-low / nearly-zero / zero energy buildings (GB/T 51350-2019, cold zone): envelope U-values, glazing
SHGC, airtightness, heat recovery, energy indicators, and the level reached against the level claimed.

U of an element = its declared U, else 1 / (Rsi + Σ d/λ + Rse) with Rsi/Rse from the rule's params
(the extractor only supplies Σ d/λ of the material layers). Every limit comes from the ruleset.
"""

from __future__ import annotations

from typing import Any

from checker.model.facts import BuildingFacts, ElementRecord, Evidence
from checker.rules.families.envelope_bounds import (
    CLASS_LABELS,
    NOUNS,
    U_UNIT,
    class_stats,
    decide_mean,
    is_candidate,
    mean_with_candidates,
    surface_resistances,
    why_u_missing,
    worst_with_candidates,
)
from checker.rules.formatting import FRACTION
from checker.rules.measurement import Measurement, MetricFn, Params, from_fact

LEVELS = {"none": 0, "ultra_low": 1, "nearly_zero": 2, "zero": 3}
LEVEL_NAMES = {0: "none", 1: "ultra_low", 2: "nearly_zero", 3: "zero"}


NO_ELEMENTS = (
    "(walls, curtain walls, windows: IfcWall / IfcCurtainWall / IfcWindow of the building; roofs: IfcRoof / ROOF "
    "slab; floors: BASESLAB, or FLOOR with IsExternal = TRUE)"
)


def envelope_u(building: BuildingFacts, params: Params) -> Measurement:
    """Worst (params.basis = 'worst') or area-weighted mean U of one envelope class, each element judged against
    the rule's own threshold (require_value, passed in by the engine). Elements whose exteriority is only a
    candidate (IsExternal missing) decide nothing unless they cannot change the verdict (envelope_bounds.py)."""
    cls = str(params["element_class"])
    limit = float(params["require_value"])
    basis = str(params.get("basis", "worst"))
    records = building.elements.get(f"envelope_{cls}", [])
    label_en = CLASS_LABELS[cls][0]
    if not records:
        return Measurement(value=None, unit=U_UNIT, missing=[f"identifiable {label_en} {NO_ELEMENTS}: none found"])
    stats = class_stats(records, *surface_resistances(params, cls))
    rows, failing = _u_rows(stats["per_element"], limit)
    details = _u_details(cls, stats, rows, limit, basis)
    evidence = [
        Evidence(
            method="derived",
            source=f"{label_en}: U per element (declared, or computed from material layers)",
            global_ids=[r.global_id for r in records],
            count=len(records),
        )
    ]
    items = [(r, u) for r, u, _ in stats["per_element"]]
    lacking = [why_u_missing(r) for r, u in items if u is None and not is_candidate(r)]
    unknown_note = f"U-value of {len(lacking)} {label_en}: " + " | ".join(lacking[:20])
    if basis == "worst":
        decided = worst_with_candidates(items, limit, "<=", NOUNS[cls], "U", unknown_note)
    else:
        decided = decide_mean(mean_with_candidates(items, NOUNS[cls], "U", unknown_note), limit)
    if decided.value is None:
        return Measurement(value=None, unit=U_UNIT, missing=decided.missing, evidence=evidence, details=details)
    warnings = list(decided.missing)
    if failing and basis == "mean" and decided.verdict:
        warnings.append(f"{len(failing)} {label_en} exceed {limit:g} although the mean passes")
    sure_failing = [r for r in failing if not is_candidate(r)]
    return Measurement(
        value=round(decided.value, 6),
        unit=U_UNIT,
        bound=decided.bound,
        missing=decided.missing,
        warnings=warnings,
        evidence=evidence,
        details=details,
        elements=(sure_failing if decided.verdict is False else failing) or records,
        gap_unit=U_UNIT,
    )


def _u_details(cls: str, stats: dict[str, Any], rows: list[list[Any]], limit: float, basis: str) -> dict[str, Any]:
    label_en, label_zh = CLASS_LABELS[cls]
    return {
        "tables": [
            {
                "title": {"en": f"{label_en}: U per element", "zh": f"{label_zh}：各构件传热系数"},
                "columns": ["GlobalId", "name", "area m²", "U W/(m²·K)", "limit", "verdict", "exterior", "source"],
                "rows": rows,
            }
        ],
        "count": stats["count"],
        "candidates": stats["candidates"],
        "area_m2": stats["area"],
        "mean_u": stats["mean"],
        "worst_u": stats["worst"],
        "limit": limit,
        "basis": basis,
    }


def _u_rows(
    per_element: list[tuple[ElementRecord, float | None, str]], limit: float
) -> tuple[list[list[Any]], list[ElementRecord]]:
    """One table row per element; the elements above the limit (a candidate's 'fail' holds only if exterior)."""
    rows, failing = [], []
    for record, u, source in per_element:
        verdict = "unknown" if u is None else ("pass" if u <= limit + 1e-12 else "fail")
        exterior = str(record.values.get("exterior") or "declared")
        shown = None if u is None else round(u, 4)
        rows.append(
            [record.global_id, record.name, record.values.get("area_m2"), shown, limit, verdict, exterior, source]
        )
        if u is not None and verdict == "fail":
            failing.append(record.model_copy(update={"values": {**record.values, "u_value": shown, "u_limit": limit}}))
    return rows, failing


def window_shgc(building: BuildingFacts, params: Params) -> Measurement:
    """Lowest glazing SHGC (Pset_DoorWindowGlazingType.SolarHeatGainTransmittance) of the exterior windows and
    transparent curtain walls (on the element or its type)."""
    windows = building.elements.get("envelope_windows", [])
    if not windows:
        return Measurement(
            value=None, missing=["identifiable exterior windows or transparent curtain walls: none found"]
        )
    rows = [
        [w.global_id, w.name, w.values.get("shgc_glazing"), w.values.get("orientation"), w.values.get("exterior")]
        for w in windows
    ]
    details = {
        "tables": [
            {
                "title": {"en": "Glazing SHGC per window", "zh": "各外窗（含透光幕墙）玻璃太阳得热系数"},
                "columns": ["GlobalId", "name", "SHGC (glazing)", "orientation", "exterior"],
                "rows": rows,
            }
        ]
    }
    evidence = [
        Evidence(
            method="property",
            source="Pset_DoorWindowGlazingType.SolarHeatGainTransmittance (glazing's value, not the whole window)",
            global_ids=[w.global_id for w in windows],
            count=len(windows),
        )
    ]
    items = [(w, _shgc(w)) for w in windows]
    lacking = [w.global_id for w, v in items if v is None and not is_candidate(w)]
    unknown_note = (
        "Pset_DoorWindowGlazingType.SolarHeatGainTransmittance (on the element or its type) on "
        f"{len(lacking)} windows / curtain walls: {', '.join(lacking[:20])}"
    )
    decided = worst_with_candidates(items, float(params["require_value"]), ">=", NOUNS["windows"], "SHGC", unknown_note)
    if decided.value is None:
        return Measurement(value=None, unit=FRACTION, missing=decided.missing, evidence=evidence, details=details)
    worst = [w for w, v in items if v is not None and abs(v - decided.value) < 1e-12]
    return Measurement(
        value=decided.value,
        unit=FRACTION,  # a dimensionless coefficient (0.42), not a share to show as a percentage
        bound=decided.bound,
        missing=decided.missing,
        warnings=list(decided.missing),
        evidence=evidence,
        details=details,
        elements=worst,
    )


def _shgc(record: ElementRecord) -> float | None:
    value = record.values.get("shgc_glazing")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def ule_indicator(building: BuildingFacts, params: Params) -> Measurement:
    """A declared building indicator (N50, renewable utilisation, saving rate, heating demand) passed through."""
    return from_fact(building.fact(str(params["fact"])))


def _unit_score(record: ElementRecord, s_min: float, t_min: float) -> tuple[float | None, str]:
    """max(sensible / s_min, total / t_min), using only the effectiveness that matches the declared HeatTransferType."""
    kind = str(record.values.get("heat_transfer_type") or "")
    s, t = record.values.get("sensible"), record.values.get("total")
    options = []
    if isinstance(s, float) and kind != "LATENT":
        options.append((s / s_min, f"sensible {s:.0%} (≥ {s_min:.0%})"))
    if isinstance(t, float) and kind != "SENSIBLE":
        options.append((t / t_min, f"enthalpy {t:.0%} (≥ {t_min:.0%})"))
    return max(options) if options else (None, "")


def heat_recovery(building: BuildingFacts, params: Params) -> Measurement:
    """Worst unit's fraction of its requirement: sensible ≥ params.sensible_min or enthalpy ≥ params.enthalpy_min.
    1.0 means exactly at the requirement; the rule requires ≥ 1."""
    s_min, t_min = float(params["sensible_min"]), float(params["enthalpy_min"])
    units = building.elements.get("heat_recovery_units", [])
    if not units:
        return Measurement(
            value=None,
            missing=[
                "heat-recovery efficiency: no IfcAirToAirHeatRecovery and no "
                "CN_GreenBuilding.HeatRecoverySensibleEfficiency / HeatRecoveryEnthalpyEfficiency"
            ],
        )
    scored = [(u, *_unit_score(u, s_min, t_min)) for u in units]
    rows = [
        [
            u.global_id,
            u.name,
            u.values.get("heat_transfer_type"),
            u.values.get("sensible"),
            u.values.get("total"),
            None if sc is None else round(sc, 4),
        ]
        for u, sc, _ in scored
    ]
    details = {
        "tables": [
            {
                "title": {"en": "Heat-recovery units", "zh": "新风热回收装置"},
                "columns": ["GlobalId", "name", "type", "sensible", "total", "fraction of requirement"],
                "rows": rows,
            }
        ]
    }
    evidence = [
        Evidence(
            method="property",
            source="Pset_AirToAirHeatRecoveryPHistory / CN_GreenBuilding heat-recovery efficiency",
            global_ids=[u.global_id for u in units],
            count=len(units),
        )
    ]
    lacking = [u.global_id for u, sc, _ in scored if sc is None]
    if lacking:
        return Measurement(
            value=None,
            missing=[f"Sensible/TotalEffectiveness matching the HeatTransferType of {', '.join(lacking[:20])}"],
            evidence=evidence,
            details=details,
        )
    worst = min(scored, key=lambda item: item[1])  # type: ignore[arg-type,return-value]
    return Measurement(
        value=round(float(worst[1]), 6),  # type: ignore[arg-type]
        evidence=evidence,
        details=details,
        elements=[worst[0]],
        display=f"worst unit {worst[2]}",
    )


def _check(value: object, op: str, threshold: float) -> bool | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return value <= threshold + 1e-12 if op == "<=" else value >= threshold - 1e-12


def _envelope_table(
    building: BuildingFacts, params: Params, use: str
) -> tuple[list[list[Any]], list[bool | None], list[str]]:
    """Per class: count, area, mean and worst U of the elements known to be exterior, limit, and the verdict of the
    worst element (candidates decide nothing they could change); plus what leaves a class undecided."""
    rows, verdicts, doubts = [], [], []
    for cls in ("walls", "roofs", "floors", "floors_unheated", "windows"):
        records = building.elements.get(f"envelope_{cls}", [])
        if cls == "floors_unheated" and not records:
            continue  # only buildings with such floors have the row
        limit = params.get(f"u_{cls}_{use}")
        rsi, rse = surface_resistances(params, cls)
        stats = class_stats(records, rsi, rse)
        verdict = None
        if limit is not None and records:
            items = [(r, u) for r, u, _ in stats["per_element"]]
            lacking = [why_u_missing(r) for r, u in items if u is None and not is_candidate(r)]
            note = f"U-value of {len(lacking)} {CLASS_LABELS[cls][0]}: " + " | ".join(lacking[:20])
            decided = worst_with_candidates(items, float(limit), "<=", NOUNS[cls], "U", note)
            verdict = decided.verdict
            doubts += [f"{CLASS_LABELS[cls][0]}: {m}" for m in decided.missing] if verdict is None else []
        verdicts.append(verdict)
        mean = None if stats["mean"] is None else round(stats["mean"], 4)
        worst = None if stats["worst"] is None else round(stats["worst"], 4)
        rows.append(
            [
                CLASS_LABELS[cls][0],
                stats["count"],
                stats["candidates"],
                stats["area"],
                mean,
                worst,
                limit,
                {True: "pass", False: "fail", None: "unknown"}[verdict],
            ]
        )
    return rows, verdicts, doubts


def ule_level(building: BuildingFacts, params: Params) -> Measurement:
    """Level reached (0 none, 1 ultra-low, 2 nearly-zero, 3 zero) minus level claimed; the rule requires ≥ 0.
    Envelope U (worst element), N50 and heat recovery are prerequisites of every level; the level then follows
    from heating demand (residential) or the energy-saving rate (public) and the renewable utilisation."""
    claimed = max(LEVELS.get(str(building.fact("energy_target").value), 0), int(params.get("minimum_level", 1)))
    use = "residential" if building.fact("use_category").value == "residential" else "public"
    rows, verdicts, doubts = _envelope_table(building, params, use)
    n50 = building.fact("airtightness_n50").value
    hr = heat_recovery(building, params).value if "sensible_min" in params else None
    verdicts += [_check(n50, "<=", float(params[f"n50_{use}"])), _check(hr, ">=", 1.0)]
    indicator = "heating_demand" if use == "residential" else "energy_saving_rate"
    op = "<=" if use == "residential" else ">="
    value = building.fact(indicator).value
    renewable = building.fact("renewable_utilisation").value
    reached_ule = _check(value, op, float(params[f"{indicator}_ultra_low"]))
    reached_nz = _check(value, op, float(params[f"{indicator}_nearly_zero"]))
    ren_nz = _check(renewable, ">=", float(params["renewable_nearly_zero"]))
    ren_zero = _check(renewable, ">=", float(params["renewable_zero"]))
    wwr = [[side, building.fact(f"wwr_{side}").value] for side in ("N", "E", "S", "W")]
    tables = [
        {
            "title": {"en": "Envelope per class", "zh": "围护结构分类汇总"},
            "columns": [
                "class",
                "count",
                "of which IsExternal missing",
                "area m²",
                "mean U",
                "worst U",
                "limit",
                "verdict",
            ],
            "rows": rows,
        },
        {
            "title": {"en": "Window-to-wall ratio per orientation", "zh": "各朝向窗墙面积比"},
            "columns": ["orientation", "WWR"],
            "rows": wwr,
        },
    ]
    checks = {
        "envelope+N50+heat recovery": verdicts,
        indicator: [reached_ule],
        f"{indicator} nearly-zero": [reached_nz],
        "renewable nearly-zero": [ren_nz],
        "renewable zero": [ren_zero],
    }
    details = {
        "tables": tables,
        "claimed": LEVEL_NAMES[claimed],
        "use": use,
        "checks": {k: v for k, v in checks.items()},
    }
    prerequisite = False if False in verdicts else (None if None in verdicts else True)
    reached: int | None
    if prerequisite is False or reached_ule is False:
        reached = 0
    elif prerequisite is None or reached_ule is None:
        reached = None
    elif reached_nz and ren_nz:
        reached = 3 if ren_zero else (None if ren_zero is None and claimed == 3 else 2)
    elif reached_nz is None or (reached_nz and ren_nz is None):
        reached = None if claimed >= 2 else 1
    else:
        reached = 1
    if reached is None:
        names = [
            "envelope classes, N50 or heat recovery" if None in verdicts else "",
            indicator if reached_ule is None else "",
        ]
        names += ["renewable utilisation" if ren_nz is None or ren_zero is None else ""]
        return Measurement(
            value=None,
            missing=[f"figures that decide the level reached: {', '.join(n for n in names if n)}", *doubts[:5]],
            details=details,
        )
    details["reached"] = LEVEL_NAMES[reached]
    text = f"reached {LEVEL_NAMES[reached]}, claimed {LEVEL_NAMES[claimed]}"
    return Measurement(
        value=reached - claimed,
        unit="level",
        details=details,
        display=text,
        gap_unit="level",
        warnings=[] if reached >= claimed else [text],
    )


METRICS: dict[str, MetricFn] = {
    "envelope_u": envelope_u,
    "window_shgc": window_shgc,
    "ule_indicator": ule_indicator,
    "heat_recovery": heat_recovery,
    "ule_level": ule_level,
}
