"""Prefabrication family: GB/T 51129-2017 assembly rate P, its prerequisites, and Beijing's precast ratio.

Items are scored in prefab_scoring.py; every range, point value, group minimum and grade band is rule `params`,
so a corrected table is a ruleset edit. An item whose data is missing is `unknown` and scores nothing; a score
that depends on one is unknown. Refused absence declarations and implausible ratios are warnings on every score.
"""

from __future__ import annotations

from typing import Any

from checker.model.facts import BuildingFacts, Evidence
from checker.rules.families.prefab_scoring import ABSENT_PSET, EPS, Scored, group_totals, score_items
from checker.rules.formatting import YES, format_value
from checker.rules.measurement import Measurement, MetricFn, Params


def _table(scored: list[Scored], totals: dict[str, float], denominator: float | None = None) -> dict[str, Any]:
    """The standard's scoring table; with the denominator (100 - Q4) each improvable item says what P it would give."""
    rows = []
    earned = sum(totals.get(q, 0.0) for q in ("Q1", "Q2", "Q3"))
    for s in scored:
        ratio = "—" if s.ratio is None else f"{s.ratio:.1%}"
        shown = {"measured": f"{s.points:.1f}", "absent": "absent (Q4)", "unknown": "unknown"}[s.status]
        basis = s.basis or (s.missing or "")
        if any(w.startswith(ABSENT_PSET) for w in s.warnings):
            basis += " (declared absent: refused, see warnings)"
        advice = s.to_max
        if advice and denominator and s.status == "measured":
            advice += f": P {earned / denominator:.1%} → {(earned - s.points + s.max_points) / denominator:.1%}"
        rows.append(
            [
                {"zh": f"{s.item.code} {s.item.zh}", "en": f"{s.item.code} {s.item.en}"},  # each report in its language
                ratio,
                basis,
                shown,
                f"{s.max_points:g}",
                s.counted,
                advice,
            ]
        )
    names = [q for q in ("Q1", "Q2", "Q3", "Q4") if q in totals]
    maxima = [sum(s.max_points for s in scored if f"Q{s.item.group}" == q) for q in names if q != "Q4"]
    rows.append(
        [
            " / ".join(names),
            "",
            "",
            " / ".join(f"{totals[q]:.1f}" for q in names),
            " / ".join(f"{m:g}" for m in maxima),
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
            "warnings": s.warnings,
        }
        for s in scored
    }
    return {"items": items, **totals, "tables": [_table(scored, totals, denominator)]}


def _elements(building: BuildingFacts, scored: list[Scored]) -> list[Any]:
    """The items' records, then the walls lacking LoadBearing / IsExternal (they leave item totals unknown)."""
    keys = dict.fromkeys(s.item.records for s in scored if s.item.records)
    found = [r for key in keys for r in building.elements.get(key or "", [])]
    return found + building.elements.get("prefab_unclassified_walls", [])


def _unknown(scored: list[Scored], codes: set[int]) -> list[str]:
    return [
        f"{s.item.code} ({s.item.en}): {s.missing}" for s in scored if s.status == "unknown" and s.item.group in codes
    ]


def _warnings(scored: list[Scored], codes: set[int], missing: list[str]) -> list[str]:
    """Refused absence declarations and implausible ratios of the items, then what is missing (no repeats)."""
    notes = [f"{s.item.code} ({s.item.en}): {w}" for s in scored if s.item.group in codes for w in s.warnings]
    return list(dict.fromkeys([*notes, *missing]))


def _evidence(scored: list[Scored]) -> list[Evidence]:
    return [e for s in scored for e in s.evidence]


def prefab_assembly_rate(building: BuildingFacts, params: Params) -> Measurement:
    """P = (Q1 + Q2 + Q3) / (100 - Q4) (GB/T 51129 4.0.1), with the grade when 5.0.1 allows one.

    The gap is in points of Table 4.0.1 (denominator = (100 - Q4) / 1 point)."""
    scored = score_items(building, params)
    totals = group_totals(scored)
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
            warnings=_warnings(scored, {1, 2, 3}, missing),
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
        warnings=_warnings(scored, {1, 2, 3}, []),
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
    # only this group's Q: the other groups are not scored here, and a Q1 of 0 beside P's Q1 of 21 would contradict it
    totals = {f"Q{group}": group_totals(scored)[f"Q{group}"]}
    details = _details(scored, totals)
    missing = _unknown(scored, {group})
    warnings = _warnings(scored, {group}, missing)
    if missing:
        return Measurement(
            value=None,
            missing=missing,
            evidence=_evidence(scored),
            elements=_elements(building, scored),
            details=details,
            warnings=warnings,
        )
    return Measurement(
        value=totals[f"Q{group}"],
        unit="points",
        evidence=_evidence(scored),
        elements=_elements(building, scored),
        details=details,
        gap_unit="points",
        warnings=warnings,
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
        return Measurement(value=None, unit=YES, missing=[fact.missing or "CN_GreenBuilding.FullDecoration"])
    return Measurement(
        value=1 if fact.value else 0,
        unit=YES,
        evidence=fact.evidence,
        display=f"full decoration declared (CN_GreenBuilding.FullDecoration = {str(fact.value).lower()})",
    )


def prefab_precast_ratio(building: BuildingFacts, params: Params) -> Measurement:
    """Beijing 预制率: precast concrete volume / concrete volume of the rated (above-ground) structural members.

    Steel and timber members are left out of both volumes (the rule addresses precast-concrete buildings). Gap in m³."""
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
    if precast < 0 or total < 0:
        text = (
            f"precast concrete volume {format_value(precast, 'm3')} of a structural concrete volume "
            f"{format_value(total, 'm3')}: a negative volume (broken quantities)"
        )
        return Measurement(value=None, missing=[text], warnings=[text], elements=elements)
    if precast > total * (1 + 1e-6):
        text = (
            f"precast concrete volume {format_value(precast, 'm3')} exceeds the structural concrete volume "
            f"{format_value(total, 'm3')}"
        )
        return Measurement(value=None, missing=[text], warnings=[f"{text}: volumes double counted?"], elements=elements)
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
