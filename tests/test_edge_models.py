"""Edge cases on tiny models built in code (conftest.make_model): units, storey elevations, PV markers, bounds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checker.api import check_file
from checker.errors import ModelLoadError
from checker.rules.results import CheckRun, Status
from checker.rules.schema import Ruleset

GREEN = {"ConstructionType": "New", "GovernmentInvested": True, "TargetStarLevel": 3}


def check(model: Any, ruleset: Ruleset) -> CheckRun:
    return check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z")


def facts(run: CheckRun) -> dict[str, Any]:
    (building,) = run.buildings
    return building.facts


def status(run: CheckRun, rule_id: str) -> Status:
    return next(r.status for r in run.buildings[0].results if r.rule_id == rule_id)


def test_millimetre_storey_quantity_is_square_metres(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(length_unit="MILLIMETRE", storeys=[("L1", 0.0), ("L2", 3.5)])
    for storey in model.storeys:
        model.qto(storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": 250.0})
    raw = model.file.by_type("IfcQuantityArea")[0].AreaValue
    assert raw == pytest.approx(250.0e6)  # written in mm²
    run = check(model, ruleset)
    assert run.model.length_unit == "MILLIMETRE"
    assert facts(run)["above_ground_gfa"].value == pytest.approx(500.0)


def test_metre_ifc2x3_model(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(schema="IFC2X3", length_unit="METRE")
    model.qto(model.storeys[0], "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": 120.0})
    run = check(model, ruleset)
    assert run.model.schema_name == "IFC2X3"
    gfa = facts(run)["above_ground_gfa"]
    assert gfa.value == pytest.approx(120.0)
    assert gfa.evidence[0].source == "BaseQuantities.GrossFloorArea"


def test_no_unit_assignment_makes_areas_unknown(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(length_unit=None)
    model.qto(model.storeys[0], "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": 120.0})
    assert not model.file.by_type("IfcUnitAssignment")
    run = check(model, ruleset)
    assert any("declares no units" in w for w in run.model.warnings)
    gfa = facts(run)["above_ground_gfa"]
    assert gfa.value is None
    assert "unit" in (gfa.missing or "")


def test_building_without_storeys(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    run = check(make_model(storeys=[]), ruleset)
    assert facts(run)["above_ground_gfa"].missing == "an IfcBuildingStorey in the building (there is none)"


def test_file_without_building_is_refused(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(building=None)
    with pytest.raises(ModelLoadError, match="contains no IfcBuilding: nothing to check"):
        check(model, ruleset)


@pytest.mark.parametrize(("elevation", "counted"), [(-0.3, True), (-0.31, False), (-3.0, False), (0.0, True)])
def test_above_ground_threshold_from_the_ruleset(
    make_model: Callable[..., Any], ruleset: Ruleset, elevation: float, counted: bool
) -> None:
    assert ruleset.extraction.above_ground_min_elevation_m == -0.3
    model = make_model(length_unit="MILLIMETRE", storeys=[("X", elevation), ("L1", 3.0)])
    for storey in model.storeys:
        model.qto(storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": 100.0})
    assert facts(check(model, ruleset))["above_ground_gfa"].value == pytest.approx(200.0 if counted else 100.0)


def test_declared_above_ground_overrides_elevation(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(length_unit="METRE", storeys=[("Podium", -4.0), ("L1", 0.0)])
    for storey in model.storeys:
        model.qto(storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": 100.0})
    model.pset(model.storeys[0], "CN_GreenBuilding", {"AboveGround": True})
    assert facts(check(model, ruleset))["above_ground_gfa"].value == pytest.approx(200.0)


def _public_roof(model: Any, roof_m2: float = 400.0) -> None:
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    model.pset(model.building, "CN_GreenBuilding", GREEN)
    roof = model.element("IfcSlab", "Roof", predefined_type="ROOF")
    model.qto(roof, "Qto_SlabBaseQuantities", {"GrossArea": roof_m2})


def test_pv_markers(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(length_unit="METRE")
    _public_roof(model)
    flagged = model.element("IfcBuildingElementProxy", "Roof equipment 7")
    model.pset(flagged, "CN_GreenBuilding", {"IsPhotovoltaic": True, "PeakPower": 400.0})
    model.qto(flagged, "Qto_SolarDeviceBaseQuantities", {"GrossArea": 2.0})
    model.pset(
        model.element("IfcBuildingElementProxy", "PV-inverter cabinet"), "CN_GreenBuilding", {"IsPhotovoltaic": False}
    )
    model.element("IfcSolarDevice", "Hot water collector", predefined_type="SOLARCOLLECTOR")
    model.element("IfcBuildingElementProxy", "PVC drainage pipe")
    run = check(model, ruleset)
    f = facts(run)
    assert f["pv_panel_count"].value == 1
    assert f["pv_panel_count"].evidence[0].global_ids == [flagged.GlobalId]
    assert f["pv_peak_power"].value == pytest.approx(400.0)


def test_panel_area_without_geometry_or_tilt_is_an_upper_bound(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    """300 m² of gross panel area on a 400 m² roof 'passes' 50 % only as an upper bound: unknown, never pass."""
    model = make_model(length_unit="METRE")
    _public_roof(model)
    for n in range(3):
        panel = model.element("IfcSolarDevice", f"PV {n}", predefined_type="SOLARPANEL")
        model.qto(panel, "Qto_SolarDeviceBaseQuantities", {"GrossArea": 100.0})
        model.pset(panel, "CN_GreenBuilding", {"PeakPower": 20000.0})
    run = check(model, ruleset)
    area = facts(run)["pv_panel_area"]
    assert area.value == pytest.approx(300.0) and area.bound == "upper"
    assert area.evidence[0].source == "Qto_SolarDeviceBaseQuantities.GrossArea (tilt unknown: upper bound)"
    result = next(r for r in run.buildings[0].results if r.rule_id == "BJ-PV-002")
    assert result.status is Status.UNKNOWN
    assert result.value == pytest.approx(0.75) and result.bound == "upper"
    assert status(run, "BJ-PV-001") is Status.PASS


def test_declared_tilt_gives_an_exact_projection(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(length_unit="METRE")
    _public_roof(model)
    panel = model.element("IfcSolarDevice", "PV tilted", predefined_type="SOLARPANEL")
    model.qto(panel, "Qto_SolarDeviceBaseQuantities", {"GrossArea": 400.0})
    model.pset(panel, "CN_GreenBuilding", {"PeakPower": 20000.0, "TiltAngle": 1.0471975511965976})  # 60° in radians
    run = check(model, ruleset)
    area = facts(run)["pv_panel_area"]
    assert area.value == pytest.approx(200.0) and area.bound == "exact"  # 400 m² x cos 60°
    assert status(run, "BJ-PV-002") is Status.PASS


def test_two_buildings_elements_are_not_mixed(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(length_unit="METRE")
    _public_roof(model)
    other = model.add_building("Second")
    storey = model.ib.add_spatial(model.m, "IfcBuildingStorey", "S1", other)
    panel = model.ib.add_element(model.m, "IfcSolarDevice", "PV on second", storey, "SOLARPANEL")
    model.qto(panel, "Qto_SolarDeviceBaseQuantities", {"GrossArea": 10.0})
    run = check(model, ruleset)
    counts = {b.name: b.facts["pv_panel_count"].value for b in run.buildings}
    assert counts == {"Tiny building": 0, "Second": 1}


def test_floor_over_unheated_space_is_judged_only_where_flagged(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    """A residential ULE building: the flagged floor (U 0.6 declared) fails the 0.50 limit;
    the unflagged one is not in the class."""
    model = make_model(length_unit="METRE", storeys=[("B1", -3.0), ("L1", 0.0)])
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "Residential"})
    model.pset(model.building, "CN_GreenBuilding", {"EnergyTarget": "ultra-low", "ConstructionType": "New"})
    over_garage = model.element("IfcSlab", "Floor over garage", storey=1, predefined_type="FLOOR")
    model.pset(over_garage, "Pset_SlabCommon", {"ThermalTransmittance": 0.6})
    model.pset(over_garage, "CN_GreenBuilding", {"AboveUnheatedSpace": True})
    ordinary = model.element("IfcSlab", "Upper floor", storey=1, predefined_type="FLOOR")
    model.pset(ordinary, "Pset_SlabCommon", {"ThermalTransmittance": 2.0})
    run = check(model, ruleset)
    assert facts(run)["floors_unheated_count"].value == 1
    result = next(r for r in run.buildings[0].results if r.rule_id == "BJ-ULE-FLOOR-UNHEATED-RES")
    assert (
        result.status is Status.FAIL
        and result.value == 0.6
        and [e.global_id for e in result.elements] == [over_garage.GlobalId]
    )
