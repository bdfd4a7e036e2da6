"""PV family: panels present on the building, and roof coverage by horizontal projected panel area."""

from __future__ import annotations

from checker.model.facts import BuildingFacts, Evidence
from checker.rules.formatting import KNOWN, format_value
from checker.rules.measurement import Measurement, MetricFn, Params, from_fact


def pv_panel_count(building: BuildingFacts, params: Params) -> Measurement:
    """Number of PV panels (IfcSolarDevice SOLARPANEL, PV-flagged or PV-named elements). The elements that only look
    like PV are listed too: they make the count a lower bound, so a missing panel is unknown rather than a fail."""
    measured = from_fact(building.fact("pv_panel_count"), unit="panels")
    elements = [*building.elements.get("pv_panels", []), *building.elements.get("pv_candidates", [])]
    return measured.model_copy(update={"elements": elements, "gap_unit": "panels"})


def pv_roof_coverage(building: BuildingFacts, params: Params) -> Measurement:
    """Σ PV projected area / usable roof area. The gap is expressed in m² of panels."""
    area = building.fact("pv_panel_area")
    roof = building.fact("usable_roof_area")
    missing = [f.missing for f in (area, roof) if f.value is None and f.missing]
    evidence = [*area.evidence, *roof.evidence]
    panels = building.elements.get("pv_panels", [])
    if missing:
        return Measurement(value=None, missing=missing, evidence=evidence, elements=panels)
    usable = float(roof.value)  # type: ignore[arg-type]
    if usable <= 0:
        return Measurement(
            value=None,
            missing=["a usable roof area above zero (roof area minus CN_GreenBuilding.RoofExclusionArea)"],
            evidence=evidence,
        )
    panel_area = float(area.value)  # type: ignore[arg-type]
    details = {
        "pv_panel_area_m2": panel_area,
        "usable_roof_area_m2": usable,
        "pv_peak_power_w": building.fact("pv_peak_power").value,
    }
    bound = quotient_bound(area.bound, roof.bound)
    if bound is None:
        why = (
            f"panel area is a {area.bound} bound and usable roof area a {roof.bound} bound: "
            "the coverage could go either way"
        )
        return Measurement(
            value=None, missing=[why, *(f.missing for f in (area, roof) if f.missing)], evidence=evidence
        )
    coverage = panel_area / usable
    if coverage > 1.0 + 1e-9:
        # More panel than usable roof is a modelling error (areas counted twice, facade PV, a wrong roof), not coverage.
        why = (
            f"PV projected area {format_value(panel_area, 'm2')} exceeds the usable roof area "
            f"{format_value(usable, 'm2')}: check the roof area, the panel quantities and "
            "CN_GreenBuilding.RoofExclusionArea"
        )
        return Measurement(
            value=None, missing=[why], warnings=[why], evidence=evidence, elements=panels, details=details
        )
    return Measurement(
        value=coverage,
        unit="1",
        evidence=evidence,
        bound=bound,
        denominator=usable,
        gap_unit="m2",
        elements=panels,
        details=details,
        warnings=[*area.warnings, *roof.warnings],
    )


def quotient_bound(numerator: str, denominator: str) -> str | None:
    """The bound of a / b from the bounds of a and b; None when they pull the quotient in opposite directions."""
    flipped = {"lower": "upper", "upper": "lower", "exact": "exact"}[denominator]
    if numerator == "exact" or numerator == flipped:
        return flipped
    if flipped == "exact":
        return numerator
    return None


def pv_design_life(building: BuildingFacts, params: Params) -> Measurement:
    """The shortest design service life (years) among the building's PV panels."""
    measured = from_fact(building.fact("pv_min_design_life"), unit="a")
    return measured.model_copy(update={"elements": building.elements.get("pv_panels", []), "gap_unit": "a"})


def pv_capacity_stated(building: BuildingFacts, params: Params) -> Measurement:
    """1 when every PV panel states its rated peak power (so the installed capacity is known)."""
    power = building.fact("pv_peak_power")
    if power.value is None:
        return Measurement(
            value=None, unit=KNOWN, missing=[power.missing or "CN_GreenBuilding.PeakPower on the PV panels"]
        )
    shown = f"{float(power.value) / 1000:,.1f} kWp" if isinstance(power.value, (int, float)) else str(power.value)
    return Measurement(value=1, unit=KNOWN, evidence=power.evidence, display=f"installed capacity {shown}")


def pv_first_year_degradation(building: BuildingFacts, params: Params) -> Measurement:
    """Worst panel's first-year degradation as a share of its cell type's limit (params limit_poly, limit_mono,
    limit_thin_film): below 1 passes. Panels lacking the cell type or the figure make the worst known share a lower
    bound, so a panel already over its limit still fails and the others' gaps only keep a pass unknown."""
    panels = building.elements.get("pv_panels", [])
    if not panels:
        return Measurement(
            value=None, missing=["a PV panel in the building to read a degradation from (there is none)"]
        )
    shares, lacking = [], []
    for panel in panels:
        kind, figure = panel.values.get("pv_cell_type"), panel.values.get("first_year_degradation")
        if not isinstance(kind, str) or not isinstance(figure, float) or f"limit_{kind}" not in params:
            lacking.append(panel.global_id)
            continue
        limit = float(params[f"limit_{kind}"])
        shares.append((figure / limit, figure, limit, kind, panel.global_id))
    missing = (
        [
            f"first-year degradation or cell type of {len(lacking)} PV panels ({', '.join(lacking[:10])}): "
            "CN_GreenBuilding.PVFirstYearDegradation (ratio, 0.025 for 2.5 %) and CN_GreenBuilding.PVCellType "
            "(poly / mono / thin-film) on the panel or its type"
        ]
        if lacking
        else []
    )
    if not shares:
        return Measurement(value=None, missing=missing, elements=panels)
    share, figure, limit, kind, gid = max(shares)
    return Measurement(
        value=round(share, 6),
        unit="1",
        bound="lower" if lacking else "exact",
        missing=missing,
        elements=panels,
        evidence=[
            Evidence(
                method="property",
                source="CN_GreenBuilding.PVFirstYearDegradation / CN_GreenBuilding.PVCellType",
                global_ids=[s[4] for s in shares],
                count=len(shares),
                note=f"worst: {gid}",
            )
        ],
        display=f"worst panel {gid}: {figure:.2%} first-year ({kind}, limit {limit:.1%}) = {share:.2f} of the limit",
    )


METRICS: dict[str, MetricFn] = {
    "pv_panel_count": pv_panel_count,
    "pv_roof_coverage": pv_roof_coverage,
    "pv_design_life": pv_design_life,
    "pv_capacity_stated": pv_capacity_stated,
    "pv_first_year_degradation": pv_first_year_degradation,
}
