"""Facts for the baseline energy code (GB 55015-2021) that every new building is checked against: the declared shape
factor and the above-ground storey count (which pick the envelope limits' column), and the solar collectors (with
their design life) that count, beside PV panels, as the solar system every new building shall install.

The shape factor S = envelope area / heated volume is not computed from geometry (a heated volume is not in the
model): it is read as declared, CN_GreenBuilding.ShapeFactor on the IfcBuilding, else unknown.
"""

from __future__ import annotations

from checker.model.facts import ElementRecord, Evidence, Fact
from checker.model.pv import design_life_years
from checker.model.scope import GID_CAP, BuildingScope, extreme_of_records, prop_evidence
from checker.model.storeys import held_elements, roof_levels, storey_levels

COLLECTOR = "SOLARCOLLECTOR"


def baseline_energy_facts(scope: BuildingScope) -> tuple[dict[str, Fact], dict[str, list[ElementRecord]]]:
    collectors = _collectors(scope)
    facts = {
        "shape_factor": shape_factor(scope),
        "storeys_above_ground": storeys_above_ground(scope),
        "solar_collector_count": _collector_count(scope, collectors),
        "solar_collector_min_design_life": _collector_life(collectors),
    }
    return facts, {"solar_collectors": collectors}


def shape_factor(scope: BuildingScope) -> Fact:
    value = scope.custom(scope.building, "ShapeFactor")
    wanted = "CN_GreenBuilding.ShapeFactor (number, envelope area / heated volume) on the IfcBuilding"
    if value is None or isinstance(value.raw, bool) or not isinstance(value.raw, (int, float)):
        return Fact(value=None, unit="1/m", missing=wanted)
    if not 0.0 < float(value.raw) < 2.0:
        problem = f"CN_GreenBuilding.ShapeFactor = {value.raw} is not a plausible shape factor (0 < S < 2 1/m)"
        return Fact(value=None, unit="1/m", missing=problem, warnings=[problem])
    return Fact(value=float(value.raw), unit="1/m", evidence=[prop_evidence(value, [scope.building])])


def storeys_above_ground(scope: BuildingScope) -> Fact:
    """Above-ground storeys that hold elements, roof levels left out (they hold only the roof); a storey whose level
    is unknown, or an empty one (a reference level, or one whose elements are not assigned), makes it a lower bound."""
    levels = storey_levels(scope)
    roofs = roof_levels(scope)
    above = [s for s in scope.storeys if (lv := levels.get(s.id())) is not None and lv.above_ground]
    unsure = [s for s in scope.storeys if (lv := levels.get(s.id())) is None or lv.above_ground is None]
    empty = [s for s in above if not held_elements(scope, s)]
    counted = [s for s in above if s.id() not in roofs and s not in empty]
    evidence = Evidence(
        method="attribute",
        source="IfcBuildingStorey above ground (Elevation, or CN_GreenBuilding.AboveGround) holding elements",
        global_ids=[s.GlobalId for s in counted][:GID_CAP],
        count=len(counted),
    )
    if not scope.storeys:
        return Fact(value=None, missing="IfcBuildingStorey of the building: none found")
    doubts = []
    if unsure:
        names = ", ".join(scope.label(s) for s in unsure[:20])
        doubts.append(f"above-ground status (Elevation or CN_GreenBuilding.AboveGround) of storeys {names}")
    if empty:
        doubts.append(f"elements of the empty storeys {', '.join(scope.label(s) for s in empty[:20])}")
    if doubts:
        why = "; ".join(doubts)
        return Fact(value=len(counted), bound="lower", evidence=[evidence], missing=why, warnings=[why])
    return Fact(value=len(counted), evidence=[evidence])


def _collectors(scope: BuildingScope) -> list[ElementRecord]:
    records = []
    for device in scope.of_class("IfcSolarDevice"):
        if scope.index.predefined_type(device) != COLLECTOR:
            continue
        life, source = design_life_years(scope, device)
        records.append(scope.record(device, {"design_life_a": life}, {"design_life_a": source}))
    return records


def _collector_count(scope: BuildingScope, collectors: list[ElementRecord]) -> Fact:
    evidence = Evidence(
        method="attribute",
        source="IfcSolarDevice PredefinedType SOLARCOLLECTOR (on the occurrence or its type)",
        global_ids=[c.global_id for c in collectors][:GID_CAP],
        count=len(collectors),
    )
    warnings = []
    if scope.index.file.schema == "IFC2X3":
        warnings.append("IFC2X3 has no IfcSolarDevice: solar collectors modelled otherwise are not counted")
    return Fact(value=len(collectors), evidence=[evidence], warnings=warnings)


def _collector_life(collectors: list[ElementRecord]) -> Fact:
    if not collectors:
        return Fact(value=None, unit="a", missing="a solar collector in the building to read a design life from")
    where = "Pset_ServiceLife.ServiceLifeDuration or CN_GreenBuilding.DesignLife"
    return extreme_of_records(collectors, "design_life_a", min, "a", ("design life", "solar collectors", where), 3)
