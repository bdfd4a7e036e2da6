"""Green-materials family (GB/T 50378-2019 2024 rev. 3.2.8 / 7.2.17 / 7.2.18, district green-materials targets).

The application ratio follows the appendix method as implemented by S4 (standards.md §5.2): material kinds
grouped into four categories weighted by ruleset params; a kind qualifies when the certified share of its
quantity reaches `qualify_share`; category score = qualified kinds / applicable kinds x weight (a category
with no applicable kind scores 0, as in S4). Quantities come from the material take-off records; where they are
missing the figures are intervals or bounds (material_shares.py), never element counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from checker.model.facts import BuildingFacts
from checker.rules.families.flagged_shares import flagged_share
from checker.rules.families.material_shares import (
    BASES,
    BASIS_LABELS,
    BASIS_UNITS,
    Appendix,
    Bound,
    appendix_ratio,
    bare_elements,
    materials,
    settle,
)
from checker.rules.measurement import Measurement, MetricFn, Params


def _tables(appendix: Appendix) -> list[dict[str, Any]]:
    return [
        {
            "title": {"en": "Green-material ratio by category (appendix method)", "zh": "绿色建材应用比例（分类计算）"},
            "columns": ["category", "weight", "applicable kinds", "qualified kinds", "undecided kinds", "score"],
            "rows": appendix.categories,
        },
        {
            "title": {"en": "Material kinds", "zh": "建材种类"},
            "columns": [
                "category",
                "kind",
                "basis",
                "quantity",
                "certified quantity",
                "certified share",
                "qualified",
                "materials",
            ],
            "rows": appendix.kinds,
        },
    ]


def materials_table(building: BuildingFacts) -> dict[str, Any]:
    rows = []
    for r in materials(building):
        v = r.values
        flags = ", ".join(k for k in ("green_certified", "recyclable", "reusable", "waste_based") if v.get(k) is True)
        rows.append(
            [
                r.name,
                v.get("kind"),
                v.get("category"),
                v.get("volume_m3"),
                v.get("mass_kg"),
                v.get("cost"),
                r.sources.get("volume_m3"),
                flags,
                v.get("element_count"),
            ]
        )
    return {
        "title": {"en": "Material take-off", "zh": "建材用量"},
        "columns": ["material", "kind", "category", "volume m³", "mass kg", "cost CNY", "basis", "flags", "elements"],
        "rows": rows,
    }


def bare_table(building: BuildingFacts) -> list[dict[str, Any]]:
    """The construction elements without material, when there are any (they can only lower the shares)."""
    bare = bare_elements(building)
    if not bare:
        return []
    rows = [[r.global_id, r.ifc_class, r.name, r.values.get("volume_m3"), r.sources.get("volume_m3")] for r in bare]
    return [
        {
            "title": {"en": "Construction elements without material", "zh": "未关联材料的构件"},
            "columns": ["GlobalId", "class", "name", "volume m³", "volume source"],
            "rows": rows,
        }
    ]


def points_for(value: float, thresholds: Sequence[float], points: Sequence[float]) -> float:
    """Highest tier reached: thresholds ascending, points per tier."""
    earned = 0.0
    for threshold, score in zip(thresholds, points, strict=True):
        if value >= float(threshold) - 1e-12:
            earned = float(score)
    return earned


def ratio_note(appendix: Appendix, bound: str) -> str:
    """'upper bound: green-material ratio between 0.0% and 22.9%: <why>' for the warnings of a bounded result."""
    return f"{bound} bound: green-material ratio between {appendix.lower:.1%} and {appendix.upper:.1%}: " + "; ".join(
        appendix.open
    )


def _bounded(
    appendix: Appendix, lower: float, upper: float, params: Params, unit: str, details: dict[str, Any]
) -> Measurement | tuple[float, Bound]:
    """(value, bound) of a figure that grows with the appendix ratio, or the unknown measurement when the
    interval the missing data leave does not settle the rule."""
    settled = settle(lower, upper, params)
    if settled is None:
        shown = f"{lower:g} and {upper:g} {unit}" if unit != "1" else f"{lower:.1%} and {upper:.1%}"
        why = [*appendix.open, f"the data leave the figure between {shown}, which does not settle the rule"]
        return Measurement(value=None, unit=unit, missing=why, warnings=appendix.warnings, details=details)
    return settled


def green_material_ratio(building: BuildingFacts, params: Params) -> Measurement:
    """Appendix-method ratio (0..1); the T7 rules compare it with the star level's minimum. An interval that the
    missing data leave is reported by the side that settles the rule, as a bound."""
    appendix = appendix_ratio(building, params)
    details: dict[str, Any] = {"tables": [*_tables(appendix), materials_table(building), *bare_table(building)]}
    elements = [*materials(building), *bare_elements(building)]
    if appendix.lower is None or appendix.upper is None:
        return Measurement(value=None, missing=appendix.missing, warnings=appendix.warnings, details=details)
    details["ratio_interval"] = [appendix.lower, appendix.upper]
    settled = _bounded(appendix, appendix.lower, appendix.upper, params, "1", details)
    if isinstance(settled, Measurement):
        return settled.model_copy(update={"elements": elements})
    value, bound = settled
    if "star_ratios" in params:
        details["bars"] = [
            {
                "label": {"en": f"{n}-star minimum", "zh": f"{n}星级要求"},
                "value": value,
                "threshold": float(t),
                "unit": "1",
            }
            for n, t in enumerate(params["star_ratios"], start=1)
        ]
    opened = bound != "exact"
    return Measurement(
        value=value,
        unit="1",
        bound=bound,
        missing=appendix.open if opened else [],
        warnings=[*appendix.warnings, *([ratio_note(appendix, bound)] if opened else [])],
        details=details,
        elements=elements,
    )


def green_material_points(building: BuildingFacts, params: Params) -> Measurement:
    """7.2.18 points from the ratio with the default threshold set; the alternative set is shown beside it."""
    appendix = appendix_ratio(building, params)
    if appendix.lower is None or appendix.upper is None:
        return Measurement(value=None, unit="points", missing=appendix.missing, warnings=appendix.warnings)
    low, high = (points_for(r, params["thresholds"], params["points"]) for r in (appendix.lower, appendix.upper))
    details: dict[str, Any] = {
        "ratio": appendix.ratio,
        "ratio_interval": [appendix.lower, appendix.upper],
        "tables": [*_tables(appendix), *bare_table(building)],
    }
    settled = _bounded(appendix, low, high, params, "points", details)
    if isinstance(settled, Measurement):
        return settled
    value, bound = settled
    ratio = appendix.lower if bound == "lower" else appendix.upper
    details["bars"] = [
        {
            "label": {"en": "green-material ratio", "zh": "绿色建材应用比例"},
            "value": ratio,
            "threshold": float(params["thresholds"][0]),
            "unit": "1",
        }
    ]
    if "alt_thresholds" in params:
        details["points_with_alternative_thresholds"] = points_for(ratio, params["alt_thresholds"], params["points"])
    opened = bound != "exact"
    return Measurement(
        value=value,
        unit="points",
        bound=bound,
        missing=appendix.open if opened else [],
        warnings=[*appendix.warnings, *([ratio_note(appendix, bound)] if opened else [])],
        details=details,
    )


def _share(building: BuildingFacts, flag_keys: Sequence[str], bases: Sequence[str], params: Params) -> Measurement:
    """Share of flagged material quantity. A material that does not declare the flag does not qualify: a
    certificate or a recyclability claim has to be shown (warned). Missing quantities make it a bound or unknown."""
    share, missing = flagged_share(building, flag_keys, bases, params)
    elements = [*materials(building), *bare_elements(building)]
    if share is None:
        return Measurement(value=None, missing=missing, elements=elements, details={"tables": bare_table(building)})
    unflagged = [r.name or r.global_id for r in materials(building) if all(r.values.get(k) is None for k in flag_keys)]
    warnings = (
        [
            f"{len(unflagged)} materials declare none of {', '.join(flag_keys)} "
            f"and count as not qualifying: {', '.join(unflagged[:10])}"
        ]
        if unflagged
        else []
    )
    details: dict[str, Any] = {
        "basis": BASIS_LABELS[share.basis][0] if share.basis in BASIS_LABELS else share.basis,
        "total": None if share.total is None else round(share.total, 3),
        "qualifying": round(share.qualifying, 3),
        "tables": [materials_table(building), *bare_table(building)],
    }
    return Measurement(
        value=round(share.value, 6),
        unit="1",
        bound=share.bound or "exact",
        missing=share.missing,
        denominator=share.total,
        gap_unit=BASIS_UNITS.get(share.basis, "1") if share.total is not None else "1",
        warnings=[*warnings, *share.warnings, *(f"{share.bound} bound: {m}" for m in share.missing)],
        details=details,
        elements=elements,
    )


def certified_material_share(building: BuildingFacts, params: Params) -> Measurement:
    """Certified share of all material quantity by cost, else mass, else volume (flagged_shares.py)."""
    measured = _share(building, ["green_certified"], list(params.get("bases", BASES)), params)
    if measured.value is not None:
        details = {
            **measured.details,
            "bars": [
                {
                    "label": {"en": "certified green materials", "zh": "获证绿色建材"},
                    "value": measured.value,
                    "threshold": float(params.get("target", 0.7)),
                    "unit": "1",
                }
            ],
        }
        measured = measured.model_copy(update={"details": details})
    return measured


def recyclable_reusable_share(building: BuildingFacts, params: Params) -> Measurement:
    """7.2.17(1): recyclable + reusable materials by mass over all materials; points per the params tiers."""
    measured = _share(building, ["recyclable", "reusable"], ["mass_kg"], params)
    if measured.value is None:
        return measured
    value = float(measured.value)
    details = {
        **measured.details,
        "points": points_for(value, params["thresholds"], params["points"]),
        "bars": [
            {
                "label": {"en": "recyclable + reusable (mass)", "zh": "可再循环+可再利用（质量）"},
                "value": value,
                "threshold": float(params["thresholds"][0]),
                "unit": "1",
            }
        ],
    }
    if measured.bound != "exact":
        details["points_bound"] = measured.bound  # points of a bounded share are bounded the same way
    return measured.model_copy(update={"details": details})


METRICS: dict[str, MetricFn] = {
    "green_material_ratio": green_material_ratio,
    "green_material_points": green_material_points,
    "certified_material_share": certified_material_share,
    "recyclable_reusable_share": recyclable_reusable_share,
}
