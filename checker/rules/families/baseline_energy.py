"""GB 55015-2021 baseline envelope limits (cold zone) for every new building, and its solar-system requirement.

The limits form tables in the ruleset ([param_sets]): one column per band of a building fact (public 甲类: shape
factor; residential: above-ground storeys), windows one row per single-facade window-to-wall-ratio band. When the
band fact or a facade's WWR is missing or only a bound, the limit is a range strict..loose: the rule passes when the
strictest limit is met anyway, fails when even the loosest is missed, else it is unknown naming what is missing.
The value judged is U / limit (≤ 1 passes), so one rule covers every column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.model.facts import BuildingFacts, ElementRecord, Evidence, Fact, split_skylights
from checker.rules.families.envelope_bounds import (
    CLASS_LABELS,
    NOUNS,
    U_UNIT,
    Bound,
    band_columns,
    class_stats,
    is_candidate,
    mean_with_candidates,
    surface_resistances,
    why_u_missing,
    worst_with_candidates,
)
from checker.rules.families.envelope_improvement import SIDES, wwr_band
from checker.rules.measurement import Measurement, MetricFn, Params

EPS = 1e-12
# what a window lacking the figure should carry (the checklist's rows match these texts)
WINDOW_PROPERTIES = {
    "U": "Pset_WindowCommon.ThermalTransmittance (Pset_CurtainWallCommon for curtain walls)",
    "SHGC": "Pset_DoorWindowGlazingType.SolarHeatGainTransmittance",
}


def _number(fact: Fact) -> float | None:
    value = fact.value
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _limits(params: Params, cls: str, columns: list[int]) -> tuple[float, float]:
    table = [float(u) for u in params[f"u_{cls}_base"]]
    chosen = [table[c] for c in columns]
    return min(chosen), max(chosen)


def _decide_ratio(
    low: float, high: float, strict: float, loose: float, exists: bool
) -> tuple[float | None, Bound, bool | None]:
    """U in low..high against a limit in strict..loose, as U / limit: pass, fail or unknown."""
    if high / strict <= 1 + EPS:
        exact = abs(high - low) <= EPS and abs(loose - strict) <= EPS
        return high / strict, "exact" if exact else "upper", True
    if exists and low / loose > 1 + EPS:
        exact = abs(high - low) <= EPS and abs(loose - strict) <= EPS
        return low / loose, "exact" if exact else "lower", False
    return None, "exact", None


def baseline_u(building: BuildingFacts, params: Params) -> Measurement:
    """Area-weighted mean U of one opaque component (params.element_class) / its GB 55015 limit."""
    cls = str(params["element_class"])
    records = building.elements.get(f"envelope_{cls}", [])
    label_en = CLASS_LABELS[cls][0]
    if not records:
        return Measurement(value=None, missing=[f"identifiable {label_en}: none found"])
    columns, column_text, band_missing = band_columns(building, params)
    strict, loose = _limits(params, cls, columns)
    stats = class_stats(records, *surface_resistances(params, cls))
    items = [(r, u) for r, u, _ in stats["per_element"]]
    lacking = [why_u_missing(r) for r, u in items if u is None and not is_candidate(r)]
    note = f"U-value of {len(lacking)} {label_en}: " + " | ".join(lacking[:20])
    interval = mean_with_candidates(items, NOUNS[cls], "U", note)
    details = _details(cls, stats, strict, loose, column_text)
    evidence = [
        Evidence(
            method="derived",
            source=f"{label_en}: area-weighted mean U (declared, or computed from material layers)",
            global_ids=[r.global_id for r in records],
            count=len(records),
        )
    ]
    if interval.low is None or interval.high is None:
        return Measurement(value=None, missing=interval.missing, evidence=evidence, details=details)
    value, bound, verdict = _decide_ratio(interval.low, interval.high, strict, loose, not interval.may_be_absent)
    doubts = list(interval.missing)
    if verdict is None:
        return Measurement(
            value=None, missing=[m for m in [band_missing, *doubts] if m], evidence=evidence, details=details
        )
    limit = strict if verdict else loose
    mean = interval.high if verdict else interval.low
    return Measurement(
        value=round(float(value), 6),  # type: ignore[arg-type]
        bound=bound,
        missing=doubts,
        warnings=doubts,
        evidence=evidence,
        details=details,
        display=f"mean U {mean:.3f} {U_UNIT} / limit {limit:g} = {float(value):.2f}",  # type: ignore[arg-type]
        elements=records,
        gap_unit="1",
    )


def _details(cls: str, stats: dict[str, Any], strict: float, loose: float, column: str) -> dict[str, Any]:
    label_en, label_zh = CLASS_LABELS[cls]
    rows = [
        [
            r.global_id,
            r.name,
            r.values.get("area_m2"),
            None if u is None else round(u, 4),
            str(r.values.get("exterior") or "declared"),
            source,
        ]
        for r, u, source in stats["per_element"]
    ]
    return {
        "tables": [
            {
                "title": {"en": f"{label_en}: U per element", "zh": f"{label_zh}：各构件传热系数"},
                "columns": ["GlobalId", "name", "area m²", "U W/(m²·K)", "exterior", "source"],
                "rows": rows,
            }
        ],
        "mean_u": stats["mean"],
        "worst_u": stats["worst"],
        "limit_strict": strict,
        "limit_loose": loose,
        "column": column,
    }


def _facade_limits(
    building: BuildingFacts, params: Params, side: str | None, key: str, columns: list[int]
) -> tuple[float, float, str, str | None]:
    """(strict, loose) window limit of one facade from its WWR band and the band columns; an unknown facade or WWR
    spans every row."""
    uppers = [float(u) for u in params["window_wwr_upper"]]
    rows = list(range(len(uppers) + 1))
    text, missing = "WWR unknown: any band", None
    wwr = building.fact(f"wwr_{side}") if side else None
    if wwr is None:
        missing = "orientation (facade) of the windows, needed to pick the WWR band"
    elif _number(wwr) is None:
        missing = f"window-to-wall ratio of the {side} facade ({wwr.missing or f'wwr_{side}'})"
    else:
        index, text = wwr_band(float(wwr.value), uppers)  # type: ignore[arg-type]
        rows = {"exact": [index], "upper": rows[: index + 1], "lower": rows[index:]}[wwr.bound]
        bound_text = "" if wwr.bound == "exact" else f" ({wwr.bound} bound)"
        text = f"WWR {float(wwr.value):.3f}{bound_text}: {text}"  # type: ignore[arg-type]
        missing = None if wwr.bound == "exact" else f"exact window-to-wall ratio of the {side} facade"
    limits = []
    # GB/T 50378 Table 3.2.8 T2: the window U must be `reduction` below the limit, so the target is the limit scaled
    factor = 1.0 - float(params.get("reduction", 0.0))
    for column in columns:
        table = params.get(f"{key}_{column}", params[key])
        limits += [float(table[r]) * factor for r in rows]
    return min(limits), max(limits), text, missing


def _window_value(record: ElementRecord, what: str, params: Params) -> float | None:
    if what == "U":
        return record.u_value(*surface_resistances(params, "windows"))[0]
    value = record.values.get("shgc_glazing")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _facade_verdict(
    items: list[tuple[ElementRecord, float | None]], strict: float, loose: float, what: str, note: str
) -> tuple[float | None, Bound, bool | None, list[str]]:
    """Worst element of a facade / its limit, decided only when the limit's range cannot change the verdict."""
    noun = NOUNS["windows"]
    at_strict = worst_with_candidates(items, strict, "<=", noun, what, note)
    if at_strict.verdict is True and at_strict.value is not None:
        exact = at_strict.bound == "exact" and abs(loose - strict) <= EPS
        return at_strict.value / strict, "exact" if exact else "upper", True, list(at_strict.missing)
    at_loose = worst_with_candidates(items, loose, "<=", noun, what, note)
    if at_loose.verdict is False and at_loose.value is not None:
        exact = at_loose.bound == "exact" and abs(loose - strict) <= EPS
        return at_loose.value / loose, "exact" if exact else "lower", False, list(at_loose.missing)
    return None, "exact", None, list(at_loose.missing or at_strict.missing)


@dataclass(frozen=True)
class Facade:
    """One facade's worst window / its limit; verdict None = cannot tell, `doubts` says why or what is uncertain."""

    ratio: float | None
    bound: Bound
    verdict: bool | None
    doubts: list[str]
    records: list[ElementRecord]


def _judge_facade(
    building: BuildingFacts, params: Params, side: str | None, facing: list[ElementRecord], columns: list[int]
) -> tuple[Facade, list[Any]]:
    what = str(params.get("what", "U"))
    key = "u_windows_base" if what == "U" else "shgc_windows_base"
    strict, loose, text, wwr_missing = _facade_limits(building, params, side, key, columns)
    items = [(r, _window_value(r, what, params)) for r in facing]
    lacking = [r.global_id for r, v in items if v is None and not is_candidate(r)]
    prop = WINDOW_PROPERTIES[what]
    note = f"{prop} on {len(lacking)} windows / curtain walls of facade {side or '?'}: {', '.join(lacking[:20])}"
    ratio, bound, verdict, doubts = _facade_verdict(items, strict, loose, what, note)
    if what == "SHGC" and verdict is False:  # a glazing value above the limit does not prove the window's
        ratio, bound, verdict = None, "exact", None
        doubts.append("the whole window's SHGC (only the glazing's Pset_DoorWindowGlazingType value is modelled)")
    if verdict is None and wwr_missing:
        doubts.insert(0, wwr_missing)
    shown = None if ratio is None else round(ratio, 4)
    row = [
        side or "?",
        len(facing),
        text,
        strict,
        loose,
        shown,
        {True: "pass", False: "fail", None: "unknown"}[verdict],
    ]
    return Facade(ratio, bound, verdict, doubts, facing), row


def baseline_windows(building: BuildingFacts, params: Params) -> Measurement:
    """Worst window (incl. transparent curtain walls) of any facade / the facade's limit by its WWR band: U
    (params.what = 'U', key u_windows_base) or glazing SHGC ('SHGC', key shgc_windows_base, facades in
    params.facades; the glazing's SHGC is at least the whole window's, so it proves a pass, never a fail).
    params.reduction (GB/T 50378 Table 3.2.8 T2) scales every limit by 1 − reduction."""
    what = str(params.get("what", "U"))
    facades = [str(f) for f in params.get("facades", list(SIDES))]
    records = split_skylights(building.elements)["windows"]  # skylights have no facade: their own rule judges them
    if not records:
        return Measurement(
            value=None, missing=["identifiable exterior windows or transparent curtain walls: none found"]
        )
    columns, column_text, band_missing = band_columns(building, params) if "band_fact" in params else ([0], "", None)
    groups: dict[str | None, list[ElementRecord]] = {}
    for r in records:
        side = r.values.get("orientation")
        groups.setdefault(str(side) if side in SIDES else None, []).append(r)
    judged = [
        _judge_facade(building, params, side, facing, columns)
        for side, facing in groups.items()
        if side is None or side in facades
    ]
    details: dict[str, Any] = {
        "tables": [
            {
                "title": {"en": f"Windows per facade: worst {what} / limit", "zh": "各朝向外窗：最不利值 / 限值"},
                "columns": [
                    "facade",
                    "count",
                    "WWR band",
                    "limit (strict)",
                    "limit (loose)",
                    "worst / limit",
                    "verdict",
                ],
                "rows": [row for _, row in judged],
            }
        ],
        "column": column_text,
    }
    if params.get("reduction"):
        details["reduction"] = float(params["reduction"])  # limits shown already scaled by 1 − reduction
    evidence = [
        Evidence(
            method="derived",
            source=f"window {what} per facade against its WWR band",
            global_ids=[r.global_id for r in records],
            count=len(records),
        )
    ]
    return _windows_verdict([f for f, _ in judged], band_missing, facades, evidence, details)


def _windows_verdict(
    judged: list[Facade],
    band_missing: str | None,
    facades: list[str],
    evidence: list[Evidence],
    details: dict[str, Any],
) -> Measurement:
    """Any facade failing fails the building; every facade passing passes it; otherwise unknown."""
    undecided = [f for f in judged if f.verdict is None]
    doubts = list(dict.fromkeys(d for f in undecided for d in f.doubts))
    if undecided and band_missing:
        doubts.insert(0, band_missing)
    fails = [f for f in judged if f.verdict is False and f.ratio is not None]
    if fails:
        worst = max(fails, key=lambda f: float(f.ratio or 0.0))
        bound: Bound = "lower" if doubts or worst.bound != "exact" else "exact"
        return Measurement(
            value=round(float(worst.ratio or 0.0), 6),
            bound=bound,
            missing=doubts,
            warnings=doubts,
            evidence=evidence,
            details=details,
            elements=worst.records,
            gap_unit="1",
        )
    if doubts:
        return Measurement(value=None, missing=doubts, evidence=evidence, details=details)
    if not judged:  # no window on a facade the limit covers (SHGC: north only)
        return Measurement(value=0.0, evidence=evidence, details=details, display=f"no windows on {'/'.join(facades)}")
    notes = [d for f in judged for d in f.doubts]
    top = max(judged, key=lambda f: float(f.ratio or 0.0))
    exact = all(f.bound == "exact" for f in judged)
    return Measurement(
        value=round(float(top.ratio or 0.0), 6),
        bound="exact" if exact else "upper",
        warnings=notes,
        evidence=evidence,
        details=details,
        gap_unit="1",
    )


def solar_systems(building: BuildingFacts, params: Params) -> Measurement:
    """PV panels + solar collectors of the building (≥ 1 passes). PV presence unknown (elements named like PV that
    are not counted) with no collector leaves only a lower bound."""
    pv = building.fact("pv_panel_count")
    collectors = building.fact("solar_collector_count")
    known = [int(f.value) for f in (pv, collectors) if _number(f) is not None]  # type: ignore[arg-type]
    total = sum(known)
    evidence = [*pv.evidence, *collectors.evidence]
    missing = [f"{f.missing}" for f in (pv, collectors) if f.missing and (f.value is None or f.bound != "exact")]
    exact = len(known) == 2 and pv.bound == "exact" and collectors.bound == "exact"
    shown = ["?" if _number(f) is None else str(int(_number(f) or 0)) for f in (pv, collectors)]
    text = f"{shown[0]} PV panels, {shown[1]} solar collectors"
    return Measurement(
        value=total,
        unit="systems",
        bound="exact" if exact else "lower",
        missing=missing,
        evidence=evidence,
        display=text,
    )


METRICS: dict[str, MetricFn] = {
    "baseline_u": baseline_u,
    "baseline_windows": baseline_windows,
    "solar_systems": solar_systems,
}
