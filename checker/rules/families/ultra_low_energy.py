"""Ultra-low / nearly-zero / zero energy buildings (GB/T 51350-2019, cold zone): envelope U-values, glazing
SHGC, airtightness, heat recovery, energy indicators, and the level reached against the level claimed.

U of an element = its declared U, else 1 / (Rsi + Σ d/λ + Rse) with Rsi/Rse from the rule's params
(the extractor only supplies Σ d/λ of the material layers). Every limit comes from the ruleset.
"""

from __future__ import annotations

from typing import Any

from checker.model.facts import BuildingFacts, ElementRecord, Evidence
from checker.rules.measurement import Measurement, MetricFn, Params, from_fact

CLASS_LABELS = {
    "walls": ("exterior walls", "外墙"),
    "roofs": ("roofs", "屋面"),
    "floors": ("floors over outside / ground", "地面及外挑楼板"),
    "floors_unheated": ("floors between heated and unheated space", "分隔供暖与非供暖空间的楼板"),
    "windows": ("exterior windows", "外窗"),
    "doors": ("exterior doors", "外门"),
}
LEVELS = {"none": 0, "ultra_low": 1, "nearly_zero": 2, "zero": 3}
LEVEL_NAMES = {0: "none", 1: "ultra_low", 2: "nearly_zero", 3: "zero"}
U_UNIT = "W/(m2.K)"


def element_u(record: ElementRecord, rsi: float, rse: float) -> tuple[float | None, str]:
    """(U, source) of one envelope element."""
    declared = record.values.get("u_declared")
    if isinstance(declared, (int, float)) and not isinstance(declared, bool):
        return float(declared), record.sources.get("u_declared", "declared")
    r_layers = record.values.get("r_layers")
    if isinstance(r_layers, (int, float)) and not isinstance(r_layers, bool) and r_layers > 0:
        return 1.0 / (
            rsi + float(r_layers) + rse
        ), f"computed from material layers: 1/(Rsi {rsi:g} + Σd/λ {float(r_layers):.4f} + Rse {rse:g})"
    return None, "missing"


def why_u_missing(record: ElementRecord) -> str:
    parts = [str(record.values["note"])] if record.values.get("note") else []
    if "r_layers" in record.sources and record.values.get("r_layers") is None:
        parts.append(record.sources["r_layers"])
    label = f"{record.global_id} ({record.name})" if record.name else record.global_id
    return f"{label}: " + ("; ".join(parts) if parts else "no ThermalTransmittance")


def class_stats(records: list[ElementRecord], rsi: float, rse: float) -> dict[str, Any]:
    """Count, total area, area-weighted mean U (None if an area or U is missing), worst U, the U per element."""
    us = [(r, *element_u(r, rsi, rse)) for r in records]
    known = [u for _, u, _ in us if u is not None]
    areas = [r.values.get("area_m2") for r in records]
    complete = known and len(known) == len(records) and all(isinstance(a, (int, float)) and a > 0 for a in areas)
    total_area = sum(float(a) for a in areas if isinstance(a, (int, float)))
    mean = sum(float(r.values["area_m2"]) * u for r, u, _ in us) / total_area if complete and total_area > 0 else None  # type: ignore[arg-type,operator,misc]
    return {
        "count": len(records),
        "area": round(total_area, 3),
        "mean": mean,
        "worst": max(known) if len(known) == len(records) and known else None,
        "per_element": us,
    }


def surface_resistances(params: Params, cls: str) -> tuple[float, float]:
    """Surface resistances for U computed from layers: ruleset data (rsi_<class>/rse_<class>), never a code default."""
    return float(params[f"rsi_{cls}"]), float(params[f"rse_{cls}"])


def envelope_u(building: BuildingFacts, params: Params) -> Measurement:
    """Worst (params.basis = 'worst') or area-weighted mean U of one envelope class, each element judged against
    the rule's own threshold (require_value, passed in by the engine)."""
    cls = str(params["element_class"])
    limit = float(params["require_value"])
    basis = str(params.get("basis", "worst"))
    rsi, rse = surface_resistances(params, cls)
    records = building.elements.get(f"envelope_{cls}", [])
    label_en, label_zh = CLASS_LABELS[cls]
    if not records:
        return Measurement(
            value=None,
            unit=U_UNIT,
            missing=[
                f"no {label_en} identified "
                "(IsExternal = TRUE in Pset_*Common, or IfcSlab BASESLAB / IfcRoof / ROOF slab)"
            ],
        )
    stats = class_stats(records, rsi, rse)
    rows, failing = [], []
    for record, u, source in stats["per_element"]:
        verdict = "unknown" if u is None else ("pass" if u <= limit + 1e-12 else "fail")
        rows.append(
            [
                record.global_id,
                record.name,
                record.values.get("area_m2"),
                None if u is None else round(u, 4),
                limit,
                verdict,
                source,
            ]
        )
        if verdict == "fail":
            failing.append(
                record.model_copy(update={"values": {**record.values, "u_value": round(u, 4), "u_limit": limit}})
            )
    table = {
        "title": {"en": f"{label_en}: U per element", "zh": f"{label_zh}：各构件传热系数"},
        "columns": ["GlobalId", "name", "area m²", "U W/(m²·K)", "limit", "verdict", "source"],
        "rows": rows,
    }
    details = {
        "tables": [table],
        "count": stats["count"],
        "area_m2": stats["area"],
        "mean_u": stats["mean"],
        "worst_u": stats["worst"],
        "limit": limit,
        "basis": basis,
    }
    evidence = [
        Evidence(
            method="derived",
            source=f"{label_en}: U per element (declared, or computed from material layers)",
            global_ids=[r.global_id for r in records],
            count=len(records),
        )
    ]
    lacking = [why_u_missing(r) for r, u, _ in stats["per_element"] if u is None]
    known = [u for _, u, _ in stats["per_element"] if u is not None]
    if lacking and basis == "worst" and known:
        # The worst known U is a lower bound of the true worst: enough to fail, never enough to pass.
        missing = [f"U-value of {len(lacking)} {label_en}: " + " | ".join(lacking[:20])]
        return Measurement(
            value=round(max(known), 6),
            unit=U_UNIT,
            bound="lower",
            missing=missing,
            warnings=missing,
            evidence=evidence,
            details=details,
            elements=failing or records,
            gap_unit=U_UNIT,
        )
    if lacking:
        return Measurement(
            value=None,
            unit=U_UNIT,
            missing=[f"U-value of {len(lacking)} {label_en}: " + " | ".join(lacking[:20])],
            evidence=evidence,
            details=details,
            elements=records,
        )
    value = stats["worst"] if basis == "worst" else stats["mean"]
    if value is None:
        return Measurement(
            value=None,
            unit=U_UNIT,
            missing=[f"area of every one of the {label_en} (for the area-weighted mean)"],
            evidence=evidence,
            details=details,
            elements=records,
        )
    warnings = (
        [f"{len(failing)} {label_en} exceed {limit:g} although the mean passes"] if failing and basis == "mean" else []
    )
    return Measurement(
        value=round(value, 6),
        unit=U_UNIT,
        evidence=evidence,
        elements=failing or records,
        details=details,
        warnings=warnings,
        gap_unit=U_UNIT,
    )


def window_shgc(building: BuildingFacts, params: Params) -> Measurement:
    """Lowest glazing SHGC (Pset_DoorWindowGlazingType.SolarHeatGainTransmittance) of the exterior windows."""
    windows = building.elements.get("envelope_windows", [])
    if not windows:
        return Measurement(value=None, missing=["no exterior windows identified"])
    rows = [[w.global_id, w.name, w.values.get("shgc_glazing"), w.values.get("orientation")] for w in windows]
    details = {
        "tables": [
            {
                "title": {"en": "Glazing SHGC per window", "zh": "各外窗玻璃太阳得热系数"},
                "columns": ["GlobalId", "name", "SHGC (glazing)", "orientation"],
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
    lacking = [w.global_id for w in windows if not isinstance(w.values.get("shgc_glazing"), (int, float))]
    if lacking:
        return Measurement(
            value=None,
            missing=[
                f"Pset_DoorWindowGlazingType.SolarHeatGainTransmittance on {len(lacking)} windows: "
                f"{', '.join(lacking[:20])}"
            ],
            evidence=evidence,
            details=details,
        )
    lowest = min(float(w.values["shgc_glazing"]) for w in windows)  # type: ignore[arg-type]
    worst = [w for w in windows if float(w.values["shgc_glazing"]) == lowest]  # type: ignore[arg-type]
    return Measurement(value=lowest, evidence=evidence, details=details, elements=worst)


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


def _envelope_table(building: BuildingFacts, params: Params, use: str) -> tuple[list[list[Any]], list[bool | None]]:
    rows, verdicts = [], []
    for cls in ("walls", "roofs", "floors", "floors_unheated", "windows"):
        if cls == "floors_unheated" and not building.elements.get("envelope_floors_unheated"):
            continue  # only buildings with such floors have the row
        limit = params.get(f"u_{cls}_{use}")
        rsi, rse = surface_resistances(params, cls)
        stats = class_stats(building.elements.get(f"envelope_{cls}", []), rsi, rse)
        verdict = None if limit is None or not stats["count"] else _check(stats["worst"], "<=", float(limit))
        verdicts.append(verdict)
        mean = None if stats["mean"] is None else round(stats["mean"], 4)
        worst = None if stats["worst"] is None else round(stats["worst"], 4)
        rows.append(
            [
                CLASS_LABELS[cls][0],
                stats["count"],
                stats["area"],
                mean,
                worst,
                limit,
                {True: "pass", False: "fail", None: "unknown"}[verdict],
            ]
        )
    return rows, verdicts


def ule_level(building: BuildingFacts, params: Params) -> Measurement:
    """Level reached (0 none, 1 ultra-low, 2 nearly-zero, 3 zero) minus level claimed; the rule requires ≥ 0.
    Envelope U (worst element), N50 and heat recovery are prerequisites of every level; the level then follows
    from heating demand (residential) or the energy-saving rate (public) and the renewable utilisation."""
    claimed = max(LEVELS.get(str(building.fact("energy_target").value), 0), int(params.get("minimum_level", 1)))
    use = "residential" if building.fact("use_category").value == "residential" else "public"
    rows, verdicts = _envelope_table(building, params, use)
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
            "columns": ["class", "count", "area m²", "mean U", "worst U", "limit", "verdict"],
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
            missing=[f"figures that decide the level reached: {', '.join(n for n in names if n)}"],
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
