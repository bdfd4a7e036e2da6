"""Material claims judged per material kind or per target material (green_materials family).

Waste-based materials (利废建材, GB/T 50378-2019 7.2.17(2)): per material class (CN_GreenBuilding.MaterialKind), the
mass share of the materials declaring CN_GreenBuilding.WasteBased; points for one class at the single-kind share or
several classes at the multi-kind share. Missing masses, flags and kinds leave each share an interval, so the points
are an interval too, and the rule decides only where both ends agree on the requirement (never a guess).

Low-VOC materials (plan 三(一)): of the materials the ruleset's keyword table names (coatings, adhesives, ...), the
share by count declaring CN_GreenBuilding.LowVOC. Count, not mass: coats and sealants are rarely given a volume.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from checker.model.facts import BuildingFacts, ElementRecord
from checker.rules.families.material_shares import (
    bare_elements,
    describe_bare,
    materials,
    names,
    number,
    settle,
    settled_measurement,
)
from checker.rules.measurement import Measurement, MetricFn, Params

MASS = "mass (kg) (Pset_MaterialCommon.MassDensity x volume)"


@dataclass
class ClassShare:
    """The waste-based mass share of one material class, known to lie in [low, high]."""

    kind: str
    members: list[ElementRecord]
    waste_kg: float = 0.0
    total_kg: float = 0.0
    low: float = 0.0
    high: float = 0.0
    missing: list[str] = field(default_factory=list)


def _waste(record: ElementRecord) -> bool | None:
    flag = record.values.get("waste_based")
    return flag if isinstance(flag, bool) else None


def _class_share(kind: str, members: list[ElementRecord], unkinded: list[ElementRecord], bare: bool) -> ClassShare:
    """Share bounds: a member lacking its mass may be anything (up if it may be waste-based, down if it may not);
    a member lacking the flag counts as not waste-based at the low end and waste-based at the high end; materials
    without a kind, and construction elements without any material (`bare`: mass unknown), may belong to this class,
    so their non-waste mass lowers the low end."""
    share = ClassShare(kind, members)
    weighed = [r for r in members if number(r.values.get("mass_kg")) is not None]
    share.total_kg = sum(number(r.values.get("mass_kg")) or 0.0 for r in weighed)
    share.waste_kg = sum(number(r.values.get("mass_kg")) or 0.0 for r in weighed if _waste(r) is True)
    maybe_kg = sum(number(r.values.get("mass_kg")) or 0.0 for r in weighed if _waste(r) is None)
    unweighed = [r for r in members if r not in weighed]
    outside = [r for r in unkinded if _waste(r) is not True]
    outside_masses = [number(r.values.get("mass_kg")) for r in outside]
    outside_kg = math.inf if None in outside_masses else sum(m or 0.0 for m in outside_masses)
    down = any(_waste(r) is not True for r in unweighed) or outside_kg == math.inf or bare
    up = any(_waste(r) is not False for r in unweighed)
    denominator = share.total_kg + outside_kg
    share.low = 0.0 if down or denominator <= 0 else share.waste_kg / denominator
    share.high = 1.0 if up else (share.waste_kg + maybe_kg) / share.total_kg if share.total_kg > 0 else 0.0
    if unweighed:
        share.missing.append(f"{MASS} of {len(unweighed)} materials of kind {kind}: {names(unweighed)}")
    unflagged = [r for r in members if _waste(r) is None]
    if unflagged:
        share.missing.append(
            f"CN_GreenBuilding.WasteBased of {len(unflagged)} materials of kind {kind}: {names(unflagged)}"
        )
    return share


def waste_points(shares: Sequence[float], params: Params) -> float:
    """Points of 7.2.17(2) for the class shares: several classes at multi_share, else one at single_share."""
    if sum(s >= float(params["multi_share"]) - 1e-12 for s in shares) >= int(params["multi_kinds"]):
        return float(params["multi_points"])
    if any(s >= float(params["single_share"]) - 1e-12 for s in shares):
        return float(params["single_points"])
    return 0.0


def _next_tier(points: float, classes: list[ClassShare], params: Params) -> str:
    best = max(classes, key=lambda c: c.low, default=None)
    best_text = f"best class now {best.kind} at {best.low:.1%}" if best else "no material class with a mass"
    if points >= float(params["multi_points"]):
        return "the maximum of this part is reached"
    if points >= float(params["single_points"]):
        reached = sum(c.low >= float(params["multi_share"]) - 1e-12 for c in classes)
        return (
            f"{params['multi_points']:g} points: {params['multi_kinds']} material classes each with waste-based "
            f"materials at >= {float(params['multi_share']):.0%} of their mass (now {reached})"
        )
    return (
        f"{params['single_points']:g} points: one material class with waste-based materials at >= "
        f"{float(params['single_share']):.0%} of its mass ({best_text})"
    )


def waste_based_points(building: BuildingFacts, params: Params) -> Measurement:
    """7.2.17(2) points from the waste-based mass share of each material class."""
    records = materials(building)
    if not records:
        why = "materials associated with the building's elements (IfcRelAssociatesMaterial)"
        return Measurement(value=None, unit="points", missing=[why])
    kinds: dict[str, list[ElementRecord]] = {}
    unkinded: list[ElementRecord] = []
    for record in records:
        kind = record.values.get("kind")
        (kinds.setdefault(str(kind), []) if kind else unkinded).append(record)
    bare = bare_elements(building)
    classes = [_class_share(kind, members, unkinded, bool(bare)) for kind, members in sorted(kinds.items())]
    # a material without a kind that may be waste-based may be a class of its own, wholly waste-based
    candidates = [r for r in unkinded if _waste(r) is not False]
    low = waste_points([c.low for c in classes], params)
    high = waste_points([c.high for c in classes] + [1.0] * len(candidates), params)
    missing = [m for c in classes for m in c.missing]
    if candidates:
        missing.append(
            f"CN_GreenBuilding.MaterialKind of {len(candidates)} materials that may be waste-based: {names(candidates)}"
        )
    if bare:
        missing.append(f"{MASS} of {describe_bare(bare)} (their material may belong to any class)")
    outside = [r for r in unkinded if _waste(r) is not True]
    if outside and any(_waste(r) is True for r in records):
        missing.append(f"CN_GreenBuilding.MaterialKind of {len(outside)} materials: {names(outside)}")
    rows = [
        [c.kind, round(c.waste_kg, 3), round(c.total_kg, 3), round(c.low, 4), round(c.high, 4), names(c.members)]
        for c in classes
    ]
    details: dict[str, Any] = {
        "points_interval": [low, high],
        "tables": [
            {
                "title": {"en": "Waste-based materials by material class", "zh": "按建材种类的利废建材"},
                "columns": ["kind", "waste-based kg", "known kg", "share (low)", "share (high)", "materials"],
                "rows": rows,
            }
        ],
    }
    settled = settle(low, high, params)
    if settled is None:
        open_points = [
            *missing,
            f"the data leave the figure between {low:g} and {high:g} points, which does not settle the rule",
        ]
        return Measurement(value=None, unit="points", missing=open_points, details=details, elements=[*records, *bare])
    value, bound = settled
    details["points"] = value
    details["next_tier"] = _next_tier(low, classes, params)
    return settled_measurement(value, bound, missing, unit="points", details=details, elements=records)


def low_voc_share(building: BuildingFacts, params: Params) -> Measurement:
    """Share (by count) of the target materials declaring CN_GreenBuilding.LowVOC = true; a material declaring
    false is a fail, undeclared ones leave the share between the declared-true share and 1."""
    records = materials(building)
    targets = [r for r in records if r.values.get("voc_group") or r.values.get("low_voc") is not None]
    if not targets:
        why = (
            f"coatings, paints, adhesives, sealants, waterproofing or decorative boards among the {len(records)} "
            f"materials (ruleset [extraction.materials] low_voc_targets words in their Name, Category or "
            f"MaterialKind), or a material declaring CN_GreenBuilding.LowVOC: none found"
        )
        return Measurement(value=None, missing=[why], elements=records)
    yes = [r for r in targets if r.values.get("low_voc") is True]
    no = [r for r in targets if r.values.get("low_voc") is False]
    undeclared = [r for r in targets if r.values.get("low_voc") is None]
    low, high = len(yes) / len(targets), (len(targets) - len(no)) / len(targets)
    missing = (
        [f"CN_GreenBuilding.LowVOC of {len(undeclared)} target materials: {names(undeclared)}"] if undeclared else []
    )
    rows = [[r.name, r.values.get("voc_group"), r.values.get("low_voc"), r.values.get("mass_kg")] for r in targets]
    details: dict[str, Any] = {
        "basis": "count of target materials",
        "declared_low_voc": len(yes),
        "declared_not_low_voc": len(no),
        "undeclared": len(undeclared),
        "tables": [
            {
                "title": {"en": "Low-VOC target materials", "zh": "低挥发性有机物目标建材"},
                "columns": ["material", "group", "LowVOC", "mass kg"],
                "rows": rows,
            }
        ],
    }
    warnings = [f"{len(no)} materials are declared not low-VOC: {names(no)}"] if no else []
    settled = settle(low, high, params)
    if settled is None:
        open_share = [
            *missing,
            f"the data leave the figure between {low:.1%} and {high:.1%}, which does not settle the rule",
        ]
        return Measurement(value=None, missing=open_share, warnings=warnings, details=details, elements=targets)
    value, bound = settled
    return Measurement(
        value=round(value, 6),
        bound=bound,
        missing=missing if bound != "exact" else [],
        warnings=warnings,
        details=details,
        elements=targets,
    )


METRICS: dict[str, MetricFn] = {"waste_based_points": waste_based_points, "low_voc_share": low_voc_share}
