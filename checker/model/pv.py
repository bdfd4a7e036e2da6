"""Photovoltaic panels of one building: how many, their horizontal projected area, peak power, design life and
degradation.

Which elements are panels is decided in pv_detect.py. Elements that only look like PV (a slab named 光伏板, a solar
device of undefined type) and PV in the IfcSite that cannot be attributed to one of several buildings are not
counted, but they make the count and the area lower bounds: the rules then say `unknown`, naming those elements and
the fix, instead of failing a building whose PV is modelled another way.
"""

from __future__ import annotations

import math
import re

import ifcopenshell

from checker.model.facts import ElementRecord, Evidence, Fact, Scalar
from checker.model.names import NameRepairs
from checker.model.pv_degradation import degradation_values, max_annual_degradation
from checker.model.pv_detect import PvFinding, PvSurvey, survey
from checker.model.scope import GID_CAP, BuildingScope, extreme_of_records, source_evidence

SOLAR_QTO = ("Qto_SolarDeviceBaseQuantities", "BaseQuantities")
SHOWN = 10  # elements named in a warning; the JSON element list carries all of them
FIX = (
    "model PV panels as IfcSolarDevice (PredefinedType SOLARPANEL) or set CN_GreenBuilding.IsPhotovoltaic = true "
    "on them (false on elements that are not PV)"
)


def _named(findings: list[PvFinding], names: NameRepairs) -> str:
    shown = ", ".join(
        f"{f.element.is_a()} '{names.name(f.element) or ''}' ({f.element.GlobalId})" for f in findings[:SHOWN]
    )
    return shown + (f" and {len(findings) - SHOWN} more" if len(findings) > SHOWN else "")


def uncertainty(found: PvSurvey, names: NameRepairs) -> list[str]:
    """Why the true PV count may be higher than the panels counted (empty when it cannot be)."""
    reasons = []
    if found.possible:
        reasons.append(
            f"{len(found.possible)} elements look like PV but are not counted: {_named(found.possible, names)}; {FIX}"
        )
    if found.unattributed:
        reasons.append(
            f"{len(found.unattributed)} PV elements are contained in the IfcSite, not in a building, and the file "
            f"has several buildings, so they cannot be attributed: {_named(found.unattributed, names)}; "
            "contain them in their building's storey (IfcRelContainedInSpatialStructure)"
        )
    return reasons


def _count_fact(found: PvSurvey, names: NameRepairs) -> Fact:
    by_how: dict[str, list[str]] = {}
    for finding in found.panels:
        by_how.setdefault(finding.source, []).append(finding.element.GlobalId)
    evidence = [
        Evidence(
            method="property" if how.startswith("CN_GreenBuilding") else "attribute",
            source=how,
            global_ids=ids[:GID_CAP],
            count=len(ids),
            note="by name (ruleset pv_keywords)" if "by name" in how else None,
        )
        for how, ids in by_how.items()
    ] or [Evidence(method="attribute", source="no IfcSolarDevice SOLARPANEL or PV-marked element in the building")]
    reasons = uncertainty(found, names)
    warnings = [*reasons]
    if found.in_site:
        warnings.append(
            f"{len(found.in_site)} PV elements sit in the IfcSite, not in the building: attributed to its only "
            f"building ({_named(found.in_site, names)})"
        )
    return Fact(value=len(found.panels), evidence=evidence, warnings=warnings, bound="lower" if reasons else "exact")


def pv_facts(scope: BuildingScope) -> tuple[dict[str, Fact], list[ElementRecord], list[ElementRecord]]:
    """PV facts, the panels' records, and records of the elements that only look like PV (or cannot be attributed)."""
    found = survey(scope)
    panels = [finding.element for finding in found.panels]
    facts = {"pv_panel_count": _count_fact(found, scope.index.names)}
    footprints = scope.footprints(panels) if panels else {}
    records: list[ElementRecord] = []
    area_total, area_missing, upper_bound = 0.0, [], []
    power_total, power_missing = 0.0, []
    sources: dict[str, list[str]] = {}
    for panel in panels:
        area, area_source, bound = _projected_area(scope, panel, footprints)
        power = scope.custom(panel, "PeakPower")
        life, life_source = design_life_years(scope, panel)
        values: dict[str, Scalar] = {
            "projected_area_m2": area,
            "peak_power_w": power.si if power else None,
            "design_life_a": life,
        }
        record_sources = {
            "projected_area_m2": area_source,
            "peak_power_w": power.source if power else "missing",
            "design_life_a": life_source,
        }
        more_values, more_sources = degradation_values(scope, panel)
        records.append(scope.record(panel, {**values, **more_values}, {**record_sources, **more_sources}))
        if area is None:
            area_missing.append(panel.GlobalId)
        else:
            area_total += area
            sources.setdefault(area_source, []).append(panel.GlobalId)
            if bound:
                upper_bound.append(panel.GlobalId)
        if power is None or power.si is None:
            power_missing.append(panel.GlobalId)
        else:
            power_total += power.si
    area_fact = _area_fact(panels, area_total, area_missing, upper_bound, sources)
    facts["pv_panel_area"] = _with_uncertain_panels(area_fact, uncertainty(found, scope.index.names))
    facts["pv_peak_power"] = _power_fact(panels, power_total, power_missing)
    facts["pv_min_design_life"] = _life_fact(records)
    facts["pv_max_annual_degradation"] = max_annual_degradation(records)
    candidates = [scope.record(f.element, {"pv_status": f.kind}, {"pv_status": f.how}) for f in found.possible]
    candidates += [
        scope.record(f.element, {"pv_status": "in the IfcSite"}, {"pv_status": f"{f.kind}: {f.how}"})
        for f in found.unattributed
    ]
    return facts, records, candidates


def _with_uncertain_panels(area: Fact, reasons: list[str]) -> Fact:
    """Uncounted PV-like elements may add area: an exact area becomes a lower bound; an upper bound knows nothing."""
    if not reasons or area.value is None:
        return area
    if area.bound == "upper":
        return Fact(
            value=None,
            unit=area.unit,
            evidence=area.evidence,
            missing=f"the PV area is an upper bound (tilt unknown) and may also be too low: {'; '.join(reasons)}",
        )
    return area.model_copy(update={"bound": "lower", "warnings": [*area.warnings, *reasons]})


SECONDS_PER_YEAR = 365.25 * 24 * 3600
_ISO_YEARS = re.compile(r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?$")


def design_life_years(scope: BuildingScope, panel: ifcopenshell.entity_instance) -> tuple[float | None, str]:
    """Design service life in years: Pset_ServiceLife.ServiceLifeDuration (IFC4 ISO 8601 duration such as 'P25Y';
    IFC2X3 IfcTimeMeasure in seconds), else CN_GreenBuilding.DesignLife (years)."""
    standard = scope.index.value(panel, "Pset_ServiceLife", "ServiceLifeDuration")
    if standard is not None:
        if isinstance(standard.raw, str):
            match = _ISO_YEARS.match(standard.raw.strip().upper())
            if match and any(match.groups()):
                years, months, days = (float(g) if g else 0.0 for g in match.groups())
                return years + months / 12 + days / 365.25, standard.source
        elif isinstance(standard.raw, (int, float)) and not isinstance(standard.raw, bool) and standard.si is not None:
            return standard.si / SECONDS_PER_YEAR, f"{standard.source} (seconds)"
    declared = scope.custom(panel, "DesignLife")
    if declared is not None and isinstance(declared.raw, (int, float)) and not isinstance(declared.raw, bool):
        return float(declared.raw), declared.source
    return None, "missing"


def _life_fact(records: list[ElementRecord]) -> Fact:
    if not records:
        return Fact(
            value=None, unit="a", missing="a PV panel in the building to read a design life from (there is none)"
        )
    where = "Pset_ServiceLife.ServiceLifeDuration or CN_GreenBuilding.DesignLife"
    return extreme_of_records(records, "design_life_a", min, "a", ("design life", "PV panels", where), digits=3)


def _projected_area(
    scope: BuildingScope, panel: ifcopenshell.entity_instance, footprints: dict[int, float]
) -> tuple[float | None, str, bool]:
    """(m², source, is_upper_bound): geometry first, then GrossArea x cos(tilt), then GrossArea as an upper bound."""
    if panel.id() in footprints and footprints[panel.id()] > 0:
        return footprints[panel.id()], "geometry", False
    gross = scope.index.value(panel, SOLAR_QTO, "GrossArea")
    if gross is None or gross.si is None:
        return None, "missing", False
    tilt = scope.custom(panel, "TiltAngle")
    if tilt is not None and tilt.si is not None:
        return gross.si * math.cos(tilt.si), f"{gross.source} x cos(CN_GreenBuilding.TiltAngle)", False
    return gross.si, f"{gross.source} (tilt unknown: upper bound)", True


def _area_fact(
    panels: list[ifcopenshell.entity_instance],
    total: float,
    missing: list[str],
    upper: list[str],
    sources: dict[str, list[str]],
) -> Fact:
    if not panels:
        return Fact(value=0.0, unit="m2", evidence=[Evidence(method="derived", source="no PV panels in the building")])
    if missing:
        shown = ", ".join(missing[:10])
        return Fact(
            value=None,
            unit="m2",
            missing=(
                f"area of {len(missing)} PV panels ({shown}): "
                "no geometry and no Qto_SolarDeviceBaseQuantities.GrossArea"
            ),
        )
    evidence = [source_evidence(source, ids) for source, ids in sources.items()]
    warnings = (
        [f"{len(upper)} panels have no geometry and no tilt: their gross area is an upper bound of the projection"]
        if upper
        else []
    )
    return Fact(
        value=round(total, 6), unit="m2", evidence=evidence, warnings=warnings, bound="upper" if upper else "exact"
    )


def _power_fact(panels: list[ifcopenshell.entity_instance], total: float, missing: list[str]) -> Fact:
    if not panels:
        return Fact(value=0.0, unit="W", evidence=[Evidence(method="derived", source="no PV panels in the building")])
    if missing:
        return Fact(
            value=None, unit="W", missing=f"CN_GreenBuilding.PeakPower on {len(missing)} of {len(panels)} PV panels"
        )
    ids = [p.GlobalId for p in panels]
    return Fact(
        value=round(total, 3),
        unit="W",
        evidence=[
            Evidence(method="property", source="CN_GreenBuilding.PeakPower", global_ids=ids[:GID_CAP], count=len(ids))
        ],
    )
