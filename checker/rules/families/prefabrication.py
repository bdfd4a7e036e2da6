"""Prefabrication family: GB/T 51129-2017 assembly rate P, its prerequisites, and Beijing's precast ratio.

Which fact feeds which Table 4.0.1 item is the standard's structure, so it lives here; every range,
point value, group minimum and grade band is rule `params`, so a corrected table is a ruleset edit.
An item whose data is missing is `unknown` and scores nothing; a score that depends on one is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.model.facts import BuildingFacts, Evidence
from checker.rules.measurement import Measurement, MetricFn, Params

EPS = 1e-9


@dataclass(frozen=True)
class Item:
    """One Table 4.0.1 row: where its ratio comes from and how it is described."""

    code: str
    group: int  # 1 main structure, 2 enclosure & partitions, 3 decoration & MEP
    en: str
    zh: str
    numerator: str | None = None  # facts of a measured ratio
    denominator: str | None = None
    ratio_fact: str | None = None  # a declared ratio / flag
    unit: str = "m2"
    records: str | None = None


ITEMS = (
    Item(
        "q1a",
        1,
        "Vertical load-bearing members (precast concrete volume)",
        "柱、支撑、承重墙等竖向构件",
        "prefab_q1a_precast",
        "prefab_q1a_total",
        unit="m3",
        records="prefab_vertical",
    ),
    Item(
        "q1b",
        1,
        "Horizontal members (precast projected area / floor-plan area)",
        "梁、板、楼梯、阳台、空调板等构件",
        "prefab_q1b_precast",
        "prefab_q1b_total",
        records="prefab_horizontal",
    ),
    Item(
        "q2a",
        2,
        "Non-load-bearing exterior walls, non-masonry",
        "非承重围护墙非砌筑",
        "prefab_q2a_nonmasonry",
        "prefab_q2a_total",
        records="prefab_exterior_walls",
    ),
    Item(
        "q2b",
        2,
        "Exterior walls integrated with insulation and decoration",
        "围护墙与保温、隔热、装饰一体化",
        ratio_fact="prefab_q2b_ratio",
    ),
    Item(
        "q2c",
        2,
        "Interior partitions, non-masonry",
        "内隔墙非砌筑",
        "prefab_q2c_nonmasonry",
        "prefab_q2c_total",
        records="prefab_partitions",
    ),
    Item(
        "q2d",
        2,
        "Partitions integrated with pipelines and decoration",
        "内隔墙与管线、装修一体化",
        ratio_fact="prefab_q2d_ratio",
    ),
    Item("q3_decoration", 3, "Full decoration", "全装修", ratio_fact="prefab_full_decoration"),
    Item("q3a", 3, "Dry-method floors", "干式工法楼面、地面", ratio_fact="prefab_q3a_ratio"),
    Item("q3b", 3, "Integrated kitchen", "集成厨房", ratio_fact="prefab_q3b_ratio"),
    Item("q3c", 3, "Integrated bathroom", "集成卫生间", ratio_fact="prefab_q3c_ratio"),
    Item("q3d", 3, "Pipeline separation", "管线分离", ratio_fact="prefab_q3d_ratio", records="prefab_pipelines"),
)


@dataclass
class Scored:
    """One item's outcome: measured ratio and points, absent (Q4), or unknown."""

    item: Item
    status: str  # measured | absent | unknown
    max_points: float
    ratio: float | None = None
    points: float = 0.0
    basis: str = ""
    missing: str | None = None
    to_max: str = ""
    counted: str = ""
    evidence: list[Evidence] = field(default_factory=list)


def item_points(ratio: float, ratio_range: list[float], points_range: list[float], decimals: int = 1) -> float:
    """Table 4.0.1 scoring: 0 below the range, linear inside it, the top points at or above it; rounded."""
    (r0, r1), (p0, p1) = (float(x) for x in ratio_range), (float(x) for x in points_range)
    if ratio < r0 - EPS:
        return 0.0
    if ratio >= r1 - EPS or r1 <= r0:
        return round(p1, decimals)
    return round(p0 + (ratio - r0) / (r1 - r0) * (p1 - p0) + EPS, decimals)


def score_items(building: BuildingFacts, params: Params, codes: set[int] | None = None) -> list[Scored]:
    """Score every Table 4.0.1 item of the given groups with the ranges and points in params."""
    absent_fact = building.fact("prefab_absent_items")
    absent = set(str(absent_fact.value).split(",")) if absent_fact.value else set()
    decimals = int(params.get("points_decimals", 1))
    results = []
    for item in ITEMS:
        if codes is not None and item.group not in codes:
            continue
        ratio_range, points_range = params[f"{item.code}_range"], params[f"{item.code}_points"]
        top = float(points_range[1])
        if item.code in absent:
            results.append(
                Scored(
                    item,
                    "absent",
                    top,
                    basis="declared absent (CN_GreenBuilding.PrefabAbsentItems): counted in Q4",
                    evidence=list(absent_fact.evidence),
                )
            )
            continue
        scored = _measure(building, item, top)
        if scored.ratio is not None:
            scored.points = item_points(scored.ratio, ratio_range, points_range, decimals)
            scored.to_max = _to_max(scored, float(ratio_range[1]))
        results.append(scored)
    return results


def _measure(building: BuildingFacts, item: Item, top: float) -> Scored:
    records = building.elements.get(item.records or "", [])
    flagged = sum(
        1 for r in records if r.values.get("prefabricated") or r.values.get("non_masonry") or r.values.get("separated")
    )
    counted = f"{flagged} of {len(records)}" if records else ""
    if item.ratio_fact is not None:
        fact = building.fact(item.ratio_fact)
        if fact.value is None:
            return Scored(item, "unknown", top, missing=fact.missing, counted=counted)
        ratio = float(fact.value)  # a bool flag (full decoration) scores as 1 or 0
        basis = (
            "declared"
            if fact.evidence and fact.evidence[0].method == "property"
            else (fact.evidence[0].note or "")
            if fact.evidence
            else ""
        )
        return Scored(
            item, "measured", top, ratio=ratio, basis=basis or "declared", counted=counted, evidence=list(fact.evidence)
        )
    part, whole = building.fact(item.numerator or ""), building.fact(item.denominator or "")
    lacking = list(dict.fromkeys(f.missing for f in (part, whole) if f.value is None and f.missing))
    if lacking:
        return Scored(item, "unknown", top, missing="; ".join(lacking), counted=counted)
    if float(whole.value) <= 0:  # type: ignore[arg-type]
        return Scored(
            item,
            "unknown",
            top,
            missing=(
                f"{item.en.lower()}: none found in the model "
                "(declare it absent in CN_GreenBuilding.PrefabAbsentItems if the project has none)"
            ),
            counted=counted,
        )
    ratio = float(part.value) / float(whole.value)  # type: ignore[arg-type]
    symbol = "m³" if item.unit == "m3" else "m²"
    basis = f"{float(part.value):,.1f} / {float(whole.value):,.1f} {symbol}"  # type: ignore[arg-type]
    return Scored(
        item, "measured", top, ratio=ratio, basis=basis, counted=counted, evidence=[*part.evidence, *whole.evidence]
    )


def _to_max(scored: Scored, top_ratio: float) -> str:
    """What would bring the item to its full points, in the item's own quantity where the model measures it."""
    if scored.ratio is None or scored.ratio >= top_ratio - EPS:
        return ""
    shortfall = top_ratio - scored.ratio
    if scored.basis and "/" in scored.basis and scored.item.numerator:
        whole = float(scored.basis.split("/")[1].split()[0].replace(",", ""))
        symbol = "m³" if scored.item.unit == "m3" else "m²"
        return f"+{shortfall * whole:,.1f} {symbol} prefabricated (to {top_ratio:.0%})"
    return f"raise to {top_ratio:.0%}"


def _groups(scored: list[Scored]) -> dict[str, float]:
    totals = {"Q1": 0.0, "Q2": 0.0, "Q3": 0.0, "Q4": 0.0}
    for s in scored:
        if s.status == "absent":
            totals["Q4"] += s.max_points
        elif s.status == "measured":
            totals[f"Q{s.item.group}"] += s.points
    return {k: round(v, 6) for k, v in totals.items()}


def _table(scored: list[Scored], totals: dict[str, float], denominator: float | None = None) -> dict[str, Any]:
    """The standard's scoring table; with the denominator (100 - Q4) each improvable item says what P it would give."""
    rows = []
    earned = totals["Q1"] + totals["Q2"] + totals["Q3"]
    for s in scored:
        ratio = "—" if s.ratio is None else f"{s.ratio:.1%}"
        shown = {"measured": f"{s.points:.1f}", "absent": "absent (Q4)", "unknown": "unknown"}[s.status]
        advice = s.to_max
        if advice and denominator and s.status == "measured":
            advice += f": P {earned / denominator:.1%} → {(earned - s.points + s.max_points) / denominator:.1%}"
        rows.append(
            [
                f"{s.item.code} {s.item.en} / {s.item.zh}",
                ratio,
                s.basis or (s.missing or ""),
                shown,
                f"{s.max_points:g}",
                s.counted,
                advice,
            ]
        )
    rows.append(
        [
            "Q1 / Q2 / Q3 / Q4",
            "",
            "",
            f"{totals['Q1']:.1f} / {totals['Q2']:.1f} / {totals['Q3']:.1f} / {totals['Q4']:.1f}",
            "50 / 20 / 30",
            "",
            "",
        ]
    )
    return {
        "title": {"en": "GB/T 51129-2017 Table 4.0.1 scoring", "zh": "GB/T 51129-2017 表4.0.1 评分"},
        "columns": ["item", "ratio", "basis", "points", "max", "elements counted", "to reach full points"],
        "rows": rows,
    }


def _details(scored: list[Scored], totals: dict[str, float], denominator: float | None = None) -> dict[str, Any]:
    items = {
        s.item.code: {
            "status": s.status,
            "ratio": s.ratio,
            "points": s.points if s.status == "measured" else None,
            "max": s.max_points,
            "missing": s.missing,
            "counted": s.counted,
        }
        for s in scored
    }
    return {"items": items, **totals, "tables": [_table(scored, totals, denominator)]}


def _elements(building: BuildingFacts, scored: list[Scored]) -> list[Any]:
    keys = dict.fromkeys(s.item.records for s in scored if s.item.records)
    return [r for key in keys for r in building.elements.get(key or "", [])]


def _unknown(scored: list[Scored], codes: set[int]) -> list[str]:
    return [
        f"{s.item.code} ({s.item.en}): {s.missing}" for s in scored if s.status == "unknown" and s.item.group in codes
    ]


def _evidence(scored: list[Scored]) -> list[Evidence]:
    return [e for s in scored for e in s.evidence]


def prefab_assembly_rate(building: BuildingFacts, params: Params) -> Measurement:
    """P = (Q1 + Q2 + Q3) / (100 - Q4) (GB/T 51129 4.0.1), with the grade when 5.0.1 allows one.

    The gap is in points of Table 4.0.1 (denominator = (100 - Q4) / 1 point)."""
    scored = score_items(building, params)
    totals = _groups(scored)
    details = _details(scored, totals, float(params["total_points"]) - totals["Q4"])
    missing = _unknown(scored, {1, 2, 3})
    elements = _elements(building, scored)
    if missing:
        # Unknown items score 0 and stay in the denominator, so this P is a lower bound:
        # it can prove a pass, not a fail.
        partial = (totals["Q1"] + totals["Q2"] + totals["Q3"]) / (float(params["total_points"]) - totals["Q4"])
        details["p_lower_bound"] = partial
        return Measurement(
            value=partial,
            unit="1",
            bound="lower",
            missing=missing,
            warnings=missing,
            evidence=_evidence(scored),
            elements=elements,
            details=details,
        )
    p = (totals["Q1"] + totals["Q2"] + totals["Q3"]) / (float(params["total_points"]) - totals["Q4"])
    details["P"] = p
    grade, why = prefab_grade(p, scored, totals, params)
    details["grade"] = grade
    details["grade_note"] = why
    shown = (
        f"P = {p:.1%} (Q1 {totals['Q1']:.1f} + Q2 {totals['Q2']:.1f} + Q3 {totals['Q3']:.1f}) "
        f"/ (100 - Q4 {totals['Q4']:.1f}); grade {grade or 'none'}"
    )
    return Measurement(
        value=p,
        unit="1",
        evidence=_evidence(scored),
        denominator=float(params["total_points"]) - totals["Q4"],
        gap_unit="points",
        elements=elements,
        details=details,
        display=shown,
    )


def prefab_grade(p: float, scored: list[Scored], totals: dict[str, float], params: Params) -> tuple[str | None, str]:
    """A/AA/AAA per 5.0.2 bands, only when 3.0.3 holds and the vertical ratio reaches 5.0.1's minimum."""
    vertical = next((s.ratio for s in scored if s.item.code == "q1a"), None)
    decoration = next((s.ratio for s in scored if s.item.code == "q3_decoration"), None)
    if (
        totals["Q1"] < float(params["grade_min_q1"]) - EPS
        or totals["Q2"] < float(params["grade_min_q2"]) - EPS
        or not decoration
        or p < float(params["grade_min_p"]) - EPS
    ):
        return None, "not graded: GB/T 51129 3.0.3 minimum conditions (Q1, Q2, full decoration, P) not all met"
    if vertical is None or vertical < float(params["grade_min_vertical"]) - EPS:
        return None, "not graded: vertical precast ratio below the 5.0.1 minimum"
    grade = None
    for band, name in zip(params["grade_bands"], params["grade_names"], strict=True):
        if p >= float(band) - EPS:
            grade = str(name)
    return grade, "graded per GB/T 51129 5.0.2" if grade else "P below the lowest grade band"


def _group_score(building: BuildingFacts, params: Params, group: int) -> Measurement:
    scored = score_items(building, params, {group})
    totals = _groups(scored)
    details = _details(scored, totals)
    missing = _unknown(scored, {group})
    if missing:
        return Measurement(
            value=None,
            missing=missing,
            evidence=_evidence(scored),
            elements=_elements(building, scored),
            details=details,
        )
    return Measurement(
        value=totals[f"Q{group}"],
        unit="points",
        evidence=_evidence(scored),
        elements=_elements(building, scored),
        details=details,
        gap_unit="points",
    )


def prefab_main_structure_score(building: BuildingFacts, params: Params) -> Measurement:
    """Q1: main-structure points (vertical + horizontal members)."""
    return _group_score(building, params, 1)


def prefab_enclosure_score(building: BuildingFacts, params: Params) -> Measurement:
    """Q2: enclosure-wall and partition points."""
    return _group_score(building, params, 2)


def prefab_full_decoration(building: BuildingFacts, params: Params) -> Measurement:
    """1 when the building is declared fully decorated (全装修), 0 when declared not; unknown otherwise."""
    fact = building.fact("prefab_full_decoration")
    if fact.value is None:
        return Measurement(value=None, missing=[fact.missing or "CN_GreenBuilding.FullDecoration"])
    return Measurement(
        value=1 if fact.value else 0,
        unit="",
        evidence=fact.evidence,
        display=f"full decoration declared (CN_GreenBuilding.FullDecoration = {str(fact.value).lower()})",
    )


def prefab_precast_ratio(building: BuildingFacts, params: Params) -> Measurement:
    """Beijing 预制率: precast concrete volume / concrete volume of above-ground structural members. Gap in m³."""
    part, whole = building.fact("prefab_structure_precast"), building.fact("prefab_structure_total")
    missing = [f.missing for f in (part, whole) if f.value is None and f.missing]
    elements = [*building.elements.get("prefab_vertical", []), *building.elements.get("prefab_horizontal", [])]
    if missing:
        return Measurement(value=None, missing=missing, elements=elements)
    total = float(whole.value)  # type: ignore[arg-type]
    if total <= 0:
        return Measurement(
            value=None,
            missing=[
                "above-ground structural members (columns, load-bearing walls, beams, slabs, stairs) "
                "with a concrete volume"
            ],
            elements=elements,
        )
    precast = float(part.value)  # type: ignore[arg-type]
    details = {
        "precast_volume_m3": precast,
        "total_volume_m3": total,
        "building_height_m": building.fact("building_height").value,
    }
    return Measurement(
        value=precast / total,
        unit="1",
        evidence=[*part.evidence, *whole.evidence],
        denominator=total,
        gap_unit="m3",
        elements=elements,
        details=details,
        warnings=list(whole.warnings),
    )


METRICS: dict[str, MetricFn] = {
    "prefab_assembly_rate": prefab_assembly_rate,
    "prefab_main_structure_score": prefab_main_structure_score,
    "prefab_enclosure_score": prefab_enclosure_score,
    "prefab_full_decoration": prefab_full_decoration,
    "prefab_precast_ratio": prefab_precast_ratio,
}
