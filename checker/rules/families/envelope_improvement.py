"""GB/T 50378-2019 Table 3.2.8 row T1: envelope thermal-performance improvement over the baseline energy standard
(star-rating family). Every figure (baselines, WWR bands, surface resistances, shape-factor column) is a param.

improvement of a component = (U_base − area-weighted mean U) / U_base; each component must improve, so the
building's figure is the lowest. Where the model leaves part of a component uncertain (walls or curtain walls
without IsExternal, a facade's WWR known only as a bound), the component's improvement is an interval, the
building's figure too, and the rule decides only when that interval lies on one side of the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.model.facts import BuildingFacts, ElementRecord, Evidence, Fact, split_skylights
from checker.rules.families.envelope_bounds import (
    CLASS_LABELS,
    NOUNS,
    Bound,
    band_columns,
    class_stats,
    is_candidate,
    mean_with_candidates,
    surface_resistances,
    why_u_missing,
)
from checker.rules.measurement import Measurement, MetricFn, Params

SIDES = ("N", "E", "S", "W")


@dataclass(frozen=True)
class Component:
    """One envelope component with its baseline U: `strict`..`loose` when the facade's WWR band is uncertain."""

    cls: str
    en: str
    zh: str
    records: list[ElementRecord]
    strict: float
    loose: float
    basis: str


def wwr_band(wwr: float, uppers: list[float]) -> tuple[int, str]:
    """Index and label of the single-facade window-to-wall-ratio band (upper bounds inclusive)."""
    for i, upper in enumerate(uppers):
        if wwr <= upper + 1e-12:
            return i, (f"WWR ≤ {upper:g}" if i == 0 else f"{uppers[i - 1]:g} < WWR ≤ {upper:g}")
    return len(uppers), f"WWR > {uppers[-1]:g}"


def _window_baseline(wwr: Fact, params: Params, columns: list[int]) -> tuple[float, float, str]:
    """(strictest, loosest) window baseline for a facade: one band when its WWR is exact; the bands at or below
    it for an upper bound, at or above it for a lower bound; over every limits column the building may fall in
    (u_windows_base_<column>, else u_windows_base)."""
    uppers = [float(u) for u in params["window_wwr_upper"]]
    index, text = wwr_band(float(wwr.value), uppers)  # type: ignore[arg-type]
    rows = {"exact": slice(index, index + 1), "upper": slice(0, index + 1), "lower": slice(index, None)}[wwr.bound]
    span = [float(u) for c in columns for u in params.get(f"u_windows_base_{c}", params["u_windows_base"])[rows]]
    shown = {"exact": "", "upper": " (an upper bound)", "lower": " (a lower bound)"}[wwr.bound]
    return min(span), max(span), f"WWR {float(wwr.value):.3f}{shown}: {text}"  # type: ignore[arg-type]


def baseline_column(building: BuildingFacts, params: Params) -> tuple[list[int], str, str | None]:
    """Columns of the baseline table: the ruleset's shape-factor column (public: S is not extracted), else those
    the building's band fact allows (residential: above-ground storeys), with what is missing when several."""
    if "shape_factor_bands" in params:
        band = str(params["shape_factor_band"])
        return [[str(b) for b in params["shape_factor_bands"]].index(band)], f"shape factor {band}", None
    columns, text, missing = band_columns(building, params)
    return columns, text, missing


def _components(building: BuildingFacts, params: Params, missing: list[str]) -> list[Component]:
    """Components with their baseline limit: one per opaque class, windows one per facade (limit by its WWR)."""
    columns, band, _ = baseline_column(building, params)
    out: list[Component] = []
    components = split_skylights(building.elements)  # skylights have no facade: never a facade's window
    for cls in params["classes"]:
        records = components.get(str(cls), building.elements.get(f"envelope_{cls}", []))
        en, zh = CLASS_LABELS[str(cls)]
        if not [r for r in records if not is_candidate(r)] and cls in params.get("required_classes", []):
            missing.append(f"{en}: none known to be exterior, so the improvement of the others is only an upper bound")
        if not records:
            continue
        if cls == "skylights":  # one limit, no shape-factor column
            limit = float(params["u_skylights_base"])
            basis = f"{params['baseline_label']}: {en}"
            out.append(Component(str(cls), en, zh, records, limit, limit, basis))
            continue
        if cls != "windows":
            limits = [float(params[f"u_{cls}_base"][c]) for c in columns]
            basis = f"{params['baseline_label']}: {en}, {band}"
            out.append(Component(str(cls), en, zh, records, min(limits), max(limits), basis))
            continue
        unoriented = [r.global_id for r in records if r.values.get("orientation") not in SIDES]
        if unoriented:
            missing.append(
                f"orientation (facade) of {len(unoriented)} exterior windows / curtain walls, "
                f"needed to pick the WWR band: {', '.join(unoriented[:20])}"
            )
        for side in SIDES:
            facing = [r for r in records if r.values.get("orientation") == side]
            wwr = building.fact(f"wwr_{side}")
            if not facing:
                continue
            if not isinstance(wwr.value, (int, float)) or isinstance(wwr.value, bool):
                missing.append(
                    f"window-to-wall ratio of the {side} facade ({wwr.missing or 'wwr_' + side}), "
                    "needed to pick the window baseline"
                )
                continue
            strict, loose, text = _window_baseline(wwr, params, columns)
            basis = f"{params['baseline_label']}: windows, {side} facade {text}"
            out.append(Component(str(cls), f"{en} ({side})", f"{zh}（{side}）", facing, strict, loose, basis))
    return out


@dataclass(frozen=True)
class Scored:
    """A component's improvement: `low`..`high` (None: unbounded); `counts_high` False when the component may not
    exist (no element known to be exterior), so it cannot lower the building's upper bound."""

    component: Component
    low: float | None
    high: float | None
    shown: float | None  # over the elements known to be exterior, against the strictest baseline
    sure_mean: float | None
    counts_high: bool
    notes: tuple[str, ...] = ()  # what makes low and high differ (walls without IsExternal)


def _score(component: Component, params: Params, missing: list[str]) -> Scored:
    rsi, rse = surface_resistances(params, component.cls)
    stats = class_stats(component.records, rsi, rse)
    items = [(r, u) for r, u, _ in stats["per_element"]]
    lacking = [why_u_missing(r) for r, u in items if u is None and not is_candidate(r)]
    note = f"U-value of {len(lacking)} {component.en}: " + " | ".join(lacking[:20])
    interval = mean_with_candidates(items, NOUNS[component.cls], "U", note)
    notes = tuple(f"{component.en}: {m}" if m.startswith("IsExternal") else m for m in interval.missing)
    if interval.low is None or interval.high is None:
        missing.extend(notes)  # the component cannot be computed: the building figure is only an upper bound
        return Scored(component, None, None, None, None, False)
    low = 1 - interval.high / component.strict
    high = 1 - interval.low / component.loose
    shown = None if interval.sure_mean is None else 1 - interval.sure_mean / component.strict
    return Scored(component, low, high, shown, interval.sure_mean, not interval.may_be_absent, notes)


def _row(scored: Scored, target: float) -> list[Any]:
    c = scored.component
    stats_area = round(sum(float(a) for r in c.records if isinstance(a := r.values.get("area_m2"), (int, float))), 3)
    exact = scored.low is not None and scored.high is not None and abs(scored.high - scored.low) <= 1e-12
    span = "" if exact or scored.low is None or scored.high is None else f"{scored.low:.3f} … {scored.high:.3f}"
    return [
        f"{c.en} / {c.zh}",
        len(c.records),
        stats_area,
        None if scored.sure_mean is None else round(scored.sure_mean, 4),
        c.strict,
        c.basis,
        None if scored.shown is None else round(scored.shown, 6),
        round(c.strict * (1 - target), 4),
        span,
    ]


TABLE_COLUMNS = [
    "component",
    "count",
    "area m²",
    "mean U W/(m²·K)",
    "baseline U",
    "baseline basis",
    "improvement",
    "U for the target",
    "range (IsExternal missing / WWR bound)",
]


def _details(scored: list[Scored], band: str, target: float) -> dict[str, Any]:
    return {
        "tables": [
            {
                "title": {
                    "en": "Envelope improvement over the baseline, per component",
                    "zh": "围护结构各部位热工性能提高比例",
                },
                "columns": TABLE_COLUMNS,
                "rows": [_row(s, target) for s in scored],
            }
        ],
        "bars": [
            {
                "label": {"en": s.component.en, "zh": s.component.zh},
                "value": round(s.shown, 6),
                "threshold": target,
                "unit": "1",
            }
            for s in scored
            if s.shown is not None
        ],
        "shape_factor_band": band,
        "rule": "every envelope component must improve: the building's figure is the lowest component's",
    }


def envelope_improvement(building: BuildingFacts, params: Params) -> Measurement:
    """Table 3.2.8 T1: lowest improvement over the components present. The shape factor is not extracted: the
    baseline column comes from params.shape_factor_band, by default the stricter one (a conservative baseline)."""
    missing: list[str] = []
    _, band, band_missing = baseline_column(building, params)
    warnings = []
    if "shape_factor_bands" in params:
        band = str(params["shape_factor_band"])
        warnings.append(
            f"shape factor S not taken from the model: baseline column '{band}' from the ruleset"
            + (
                " (the stricter column: conservative; S ≤ 0.30 would give a looser baseline)"
                if band == str(params["shape_factor_bands"][-1])
                else ""
            )
        )
    target = float(params.get("require_value", 0.0))
    scored = [_score(c, params, missing) for c in _components(building, params, missing)]
    all_records = [r for s in scored for r in s.component.records]
    details = _details(scored, band, target)
    if "shape_factor_bands" not in params:  # residential: the column follows a fact, not a ruleset choice
        details["baseline_column"] = details.pop("shape_factor_band")
    evidence = [
        Evidence(
            method="derived",
            source=(
                "area-weighted mean U per envelope component (declared U, or 1/(Rsi + Σd/λ + Rse)) "
                "vs the baseline table"
            ),
            global_ids=[r.global_id for r in all_records][:200],
            count=len(all_records),
        )
    ]
    return _decide(scored, missing, warnings, target, evidence, details, [band_missing] if band_missing else [])


def _decide(
    scored: list[Scored],
    missing: list[str],
    warnings: list[str],
    target: float,
    evidence: list[Evidence],
    details: dict[str, Any],
    column_doubts: list[str],
) -> Measurement:
    """The building's figure: the lowest component's, as an interval. A component that could not be computed, or a
    component whose facade or class is missing, leaves only an upper bound (it could be the lowest); a baseline
    column the facts leave open widens the interval (`column_doubts` say why)."""
    doubts = [*column_doubts, *(n for s in scored for n in s.notes)]
    lows = [s.low for s in scored]
    highs = [s.high for s in scored if s.high is not None and s.counts_high]
    low = min(lows) if lows and not missing and None not in lows else None  # type: ignore[type-var]
    high = min(highs) if highs else None
    computed = [s for s in scored if s.low is not None]
    if not computed or (low is None and high is None):
        return Measurement(
            value=None,
            missing=missing + doubts or ["identifiable exterior walls, roofs, floors or windows: none found"],
            evidence=evidence,
            details=details,
            warnings=warnings,
        )
    limiting = min(computed, key=lambda s: s.shown if s.shown is not None else float(s.low))  # type: ignore[arg-type]
    details["limiting_component"] = limiting.component.en
    exact = low is not None and high is not None and abs(high - low) <= 1e-12 and not doubts
    bound: Bound
    if low is not None and low >= target - 1e-12:
        value, bound, why = low, "exact" if exact else "lower", doubts
    elif high is not None:
        value, bound, why = high, "exact" if exact else "upper", missing + doubts
    else:  # below the target only as a lower bound, and no component known to exist can bound it from above
        return Measurement(value=None, missing=missing + doubts, evidence=evidence, details=details, warnings=warnings)
    return Measurement(
        value=value,
        bound=bound,
        missing=why,
        warnings=[*warnings, *why],
        evidence=evidence,
        details=details,
        elements=limiting.component.records,
        gap_unit="1",
    )


METRICS: dict[str, MetricFn] = {"envelope_improvement": envelope_improvement}
