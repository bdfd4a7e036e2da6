"""Photovoltaic panels: which elements are PV, their horizontal projected area and peak power.

IFC4/IFC4X3 model PV as IfcSolarDevice SOLARPANEL. IFC2X3 has no such class, so exporters use
proxies or energy-conversion devices; those count when their name, type or object type matches
the ruleset's PV keywords (光伏 included; whole-word match so 'PVC pipe' is not a panel) or when
CN_GreenBuilding.IsPhotovoltaic says so.
"""

from __future__ import annotations

import math
import re

import ifcopenshell

from checker.model.facts import ElementRecord, Evidence, Fact, Scalar
from checker.model.scope import GID_CAP, BuildingScope, as_bool, keyword_matches, predefined_type, source_evidence

SOLAR_QTO = ("Qto_SolarDeviceBaseQuantities", "BaseQuantities")
PROXY_CLASSES = ("IfcBuildingElementProxy", "IfcEnergyConversionDevice", "IfcFlowTerminal", "IfcDistributionElement")


def is_pv(scope: BuildingScope, element: ifcopenshell.entity_instance) -> bool:
    if element.is_a("IfcSolarDevice"):
        return predefined_type(element) == "SOLARPANEL"
    flag = scope.custom(element, "IsPhotovoltaic")
    if flag is not None and as_bool(flag.raw) is not None:
        return bool(as_bool(flag.raw))
    if not any(element.is_a(c) for c in PROXY_CLASSES):
        return False
    element_type = scope.index.type_of(element)
    texts = [element.Name, getattr(element, "ObjectType", None), getattr(element_type, "Name", None)]
    return any(keyword_matches(str(t), scope.config.pv_keywords) for t in texts if t)


def pv_panels(scope: BuildingScope) -> list[ifcopenshell.entity_instance]:
    candidates = scope.of_class("IfcSolarDevice") if scope.index.file.schema != "IFC2X3" else []
    candidates += [e for e in scope.of_class(*PROXY_CLASSES) if not e.is_a("IfcSolarDevice")]
    return [e for e in candidates if is_pv(scope, e)]


def pv_facts(scope: BuildingScope) -> tuple[dict[str, Fact], list[ElementRecord]]:
    panels = pv_panels(scope)
    ids = [p.GlobalId for p in panels]
    count_ev = Evidence(
        method="attribute",
        source="IfcSolarDevice SOLARPANEL / PV-marked proxies",
        global_ids=ids[:GID_CAP],
        count=len(ids),
    )
    facts = {"pv_panel_count": Fact(value=len(panels), evidence=[count_ev])}
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
        records.append(scope.record(panel, values, record_sources))
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
    facts["pv_panel_area"] = _area_fact(panels, area_total, area_missing, upper_bound, sources)
    facts["pv_peak_power"] = _power_fact(panels, power_total, power_missing)
    facts["pv_min_design_life"] = _life_fact(records)
    return facts, records


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
        return Fact(value=None, unit="a", missing="no PV panels in the building")
    lacking = [r.global_id for r in records if r.values.get("design_life_a") is None]
    if lacking:
        return Fact(
            value=None,
            unit="a",
            missing=(
                f"design life of {len(lacking)} PV panels ({', '.join(lacking[:10])}): "
                "Pset_ServiceLife.ServiceLifeDuration or CN_GreenBuilding.DesignLife"
            ),
        )
    shortest = min(records, key=lambda r: float(r.values["design_life_a"]))  # type: ignore[arg-type]
    ids = [r.global_id for r in records]
    ev = Evidence(
        method="property",
        source=shortest.sources["design_life_a"],
        global_ids=ids[:GID_CAP],
        count=len(ids),
        note=f"shortest: {shortest.global_id}",
    )
    return Fact(value=round(float(shortest.values["design_life_a"]), 3), unit="a", evidence=[ev])  # type: ignore[arg-type]


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
