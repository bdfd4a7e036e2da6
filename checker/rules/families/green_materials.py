"""Green-materials family (GB/T 50378-2019 2024 rev. 3.2.8 / 7.2.17 / 7.2.18, district green-materials targets).

The application ratio follows the appendix method as implemented by S4 (standards.md §5.2): material kinds
grouped into four categories weighted by ruleset params; a kind qualifies when the certified share of its
quantity reaches `qualify_share`; category score = qualified kinds / applicable kinds x weight (a category
with no applicable kind scores 0, as in S4). Quantities come from the material take-off records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from checker.model.facts import BuildingFacts, ElementRecord
from checker.rules.measurement import Measurement, MetricFn, Params

CATEGORY_LABELS = {
    "structure_envelope": ("main structure & envelope", "主体及围护结构工程用材"),
    "decoration": ("decoration & fit-out", "装饰装修工程用材"),
    "mep": ("MEP installation", "机电安装工程用材"),
    "outdoor": ("outdoor works", "室外工程用材"),
}
BASES = ("cost", "mass_kg", "volume_m3")
BASIS_UNITS = {"cost": "CNY", "mass_kg": "kg", "volume_m3": "m3", "element_count": "elements"}
BASIS_LABELS = {
    "cost": ("cost (CNY)", "造价"),
    "mass_kg": ("mass (kg)", "质量"),
    "volume_m3": ("volume (m³)", "体积"),
    "element_count": ("element count", "构件数量"),
}


def materials(building: BuildingFacts) -> list[ElementRecord]:
    return building.elements.get("materials", [])


def quantity_basis(records: Sequence[ElementRecord], bases: Sequence[str] = BASES) -> str | None:
    """The first basis (cost, else mass, else volume) every record has a value for."""
    for basis in bases:
        if records and all(isinstance(r.values.get(basis), (int, float)) for r in records):
            return basis
    return None


def _quantity(record: ElementRecord, basis: str) -> float:
    value = record.values.get(basis)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


@dataclass
class Appendix:
    """Result of the appendix method: ratio 0..1 (None when unknown) and its working."""

    ratio: float | None
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kinds: list[list[Any]] = field(default_factory=list)
    categories: list[list[Any]] = field(default_factory=list)


def appendix_ratio(building: BuildingFacts, params: Params) -> Appendix:
    """Green-material application ratio P/100 = Σ qualified/applicable x weight / 100."""
    names: list[str] = list(params["category_names"])
    weights: list[float] = [float(w) for w in params["category_weights"]]
    qualify = float(params["qualify_share"])
    records = materials(building)
    classified = [r for r in records if r.values.get("kind") and r.values.get("category") in names]
    warnings = []
    unclassified = [r.name or r.global_id for r in records if r not in classified]
    if unclassified:
        warnings.append(
            f"{len(unclassified)} materials carry no CN_GreenBuilding.MaterialKind / MaterialCategory "
            f"and are outside the ratio: {', '.join(unclassified[:10])}"
        )
    if not classified:
        return Appendix(
            None,
            missing=["CN_GreenBuilding.MaterialKind and MaterialCategory on the building's IfcMaterials"],
            warnings=warnings,
        )
    unflagged = [r.name or r.global_id for r in classified if r.values.get("green_certified") is None]
    if unflagged:
        return Appendix(
            None,
            missing=[
                f"CN_GreenBuilding.GreenCertified on {len(unflagged)} classified materials: {', '.join(unflagged[:10])}"
            ],
            warnings=warnings,
        )
    groups: dict[tuple[str, str], list[ElementRecord]] = defaultdict(list)
    for record in classified:
        groups[(str(record.values["category"]), str(record.values["kind"]))].append(record)
    kinds: list[list[Any]] = []
    qualified: dict[str, int] = defaultdict(int)
    applicable: dict[str, int] = defaultdict(int)
    for (category, kind), members in sorted(groups.items()):
        basis = quantity_basis(members) or "element_count"
        total = sum(_quantity(r, basis) for r in members)
        certified = sum(_quantity(r, basis) for r in members if r.values.get("green_certified") is True)
        share = certified / total if total > 0 else 0.0
        ok = total > 0 and share >= qualify - 1e-12
        applicable[category] += 1
        qualified[category] += int(ok)
        kinds.append(
            [
                category,
                kind,
                BASIS_LABELS[basis][0],
                round(total, 3),
                round(certified, 3),
                round(share, 4),
                ok,
                ", ".join(r.name or "" for r in members),
            ]
        )
    categories, total_score = [], 0.0
    for name, weight in zip(names, weights, strict=True):
        score = qualified[name] / applicable[name] * weight if applicable[name] else 0.0
        total_score += score
        label = CATEGORY_LABELS.get(name, (name, name))
        categories.append([f"{label[0]} / {label[1]}", weight, applicable[name], qualified[name], round(score, 3)])
    return Appendix(round(total_score / 100.0, 6), warnings=warnings, kinds=kinds, categories=categories)


def _tables(appendix: Appendix) -> list[dict[str, Any]]:
    return [
        {
            "title": {"en": "Green-material ratio by category (appendix method)", "zh": "绿色建材应用比例（分类计算）"},
            "columns": ["category", "weight", "applicable kinds", "qualified kinds", "score"],
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


def points_for(value: float, thresholds: Sequence[float], points: Sequence[float]) -> float:
    """Highest tier reached: thresholds ascending, points per tier."""
    earned = 0.0
    for threshold, score in zip(thresholds, points, strict=True):
        if value >= float(threshold) - 1e-12:
            earned = float(score)
    return earned


def green_material_ratio(building: BuildingFacts, params: Params) -> Measurement:
    """Appendix-method ratio (0..1); the T7 rules compare it with the star level's minimum."""
    appendix = appendix_ratio(building, params)
    details: dict[str, Any] = {"tables": [*_tables(appendix), materials_table(building)]}
    if appendix.ratio is not None and "star_ratios" in params:
        details["bars"] = [
            {
                "label": {"en": f"{n}-star minimum", "zh": f"{n}星级要求"},
                "value": appendix.ratio,
                "threshold": float(t),
                "unit": "1",
            }
            for n, t in enumerate(params["star_ratios"], start=1)
        ]
    return Measurement(
        value=appendix.ratio,
        unit="1",
        missing=appendix.missing,
        warnings=appendix.warnings,
        details=details,
        elements=materials(building),
    )


def green_material_points(building: BuildingFacts, params: Params) -> Measurement:
    """7.2.18 points from the ratio with the default threshold set; the alternative set is shown beside it."""
    appendix = appendix_ratio(building, params)
    if appendix.ratio is None:
        return Measurement(value=None, unit="points", missing=appendix.missing, warnings=appendix.warnings)
    earned = points_for(appendix.ratio, params["thresholds"], params["points"])
    details: dict[str, Any] = {
        "ratio": appendix.ratio,
        "tables": _tables(appendix),
        "bars": [
            {
                "label": {"en": "green-material ratio", "zh": "绿色建材应用比例"},
                "value": appendix.ratio,
                "threshold": float(params["thresholds"][0]),
                "unit": "1",
            }
        ],
    }
    if "alt_thresholds" in params:
        details["points_with_alternative_thresholds"] = points_for(
            appendix.ratio, params["alt_thresholds"], params["points"]
        )
    return Measurement(value=earned, unit="points", warnings=appendix.warnings, details=details)


def _share(building: BuildingFacts, flag_keys: Sequence[str], bases: Sequence[str]) -> Measurement:
    """Share of flagged material quantity. A material that does not declare the flag does not qualify: a
    certificate or a recyclability claim has to be shown, so the share is exact under that rule (warned)."""
    records = materials(building)
    if not records:
        return Measurement(
            value=None, missing=["materials associated with the building's elements (IfcRelAssociatesMaterial)"]
        )
    basis = quantity_basis(records, bases)
    if basis is None:
        lacking = [
            r.name or r.global_id for r in records if not any(isinstance(r.values.get(b), (int, float)) for b in bases)
        ]
        need = " or ".join(BASIS_LABELS[b][0] for b in bases)
        return Measurement(
            value=None, missing=[f"{need} of every material; lacking on {len(lacking)}: {', '.join(lacking[:10])}"]
        )
    total = sum(_quantity(r, basis) for r in records)
    if total <= 0:
        return Measurement(value=None, missing=[f"a material {BASIS_LABELS[basis][0]} above zero"])
    flagged = [r for r in records if any(r.values.get(k) is True for k in flag_keys)]
    unflagged = [r.name or r.global_id for r in records if all(r.values.get(k) is None for k in flag_keys)]
    share_value = sum(_quantity(r, basis) for r in flagged) / total
    warnings = (
        [
            f"{len(unflagged)} materials declare none of {', '.join(flag_keys)} "
            f"and count as not qualifying: {', '.join(unflagged[:10])}"
        ]
        if unflagged
        else []
    )
    details = {
        "basis": BASIS_LABELS[basis][0],
        "total": round(total, 3),
        "qualifying": round(share_value * total, 3),
        "tables": [materials_table(building)],
    }
    return Measurement(
        value=round(share_value, 6),
        unit="1",
        denominator=total,
        gap_unit=BASIS_UNITS[basis],
        warnings=warnings,
        details=details,
        elements=records,
    )


def certified_material_share(building: BuildingFacts, params: Params) -> Measurement:
    """Certified share of all material quantity, by cost when every material has one, else mass, else volume."""
    measured = _share(building, ["green_certified"], list(params.get("bases", BASES)))
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
    measured = _share(building, ["recyclable", "reusable"], ["mass_kg"])
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
    return measured.model_copy(update={"details": details})


METRICS: dict[str, MetricFn] = {
    "green_material_ratio": green_material_ratio,
    "green_material_points": green_material_points,
    "certified_material_share": certified_material_share,
    "recyclable_reusable_share": recyclable_reusable_share,
}
