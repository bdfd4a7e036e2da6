"""Issue 12: PV beyond new public buildings (retrofits, transport facilities), GB 55015 PV degradation and the Beijing
steel-structure rule (京政办发〔2017〕8号). Small models written the way authoring tools export them: a Revit-like
steel frame (material profile set with an I-shape on the column type), concrete walls, a car park whose spaces are
IFC4 PARKING, a retrofitted house with a solar collector, and PV panels whose degradation sits on their type only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ifcopenshell
import ifcopenshell.api.material
import ifcopenshell.api.root
import ifcopenshell.api.type
import pytest

from checker.api import check_file
from checker.rules.results import RuleResult, Status
from checker.rules.schema import Ruleset

GENERATED_AT = "2024-01-01T00:00:00Z"
LEVELS = [("Level 1", 0.0), ("Level 2", 4.0), ("Level 3", 8.0)]
GOVERNMENT_NEW = {"ConstructionType": "New", "GovernmentInvested": True}


def run(model: Any, ruleset: Ruleset) -> tuple[Any, dict[str, RuleResult]]:
    checked = check_file(model.write(), ruleset, generated_at=GENERATED_AT)
    (building,) = checked.buildings
    return building, {r.rule_id: r for r in building.results}


def public_office(make_model: Callable[..., Any], storey_area: float) -> Any:
    """IFC4 (metres) government-invested new office, three storeys of `storey_area` m² each."""
    model = make_model(schema="IFC4", length_unit="METRE", storeys=LEVELS)
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    model.pset(model.building, "CN_GreenBuilding", dict(GOVERNMENT_NEW))
    for storey in model.storeys:
        model.qto(storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": storey_area})
    return model


def steel_columns(model: Any, per_storey: int = 8) -> list[ifcopenshell.entity_instance]:
    """Revit-like: the column TYPE carries an IfcMaterialProfileSet of an I-shape (HW300x300) in Q355B steel."""
    steel = ifcopenshell.api.material.add_material(model.file, name="Q355B", category="Steel")
    profile = model.file.create_entity(
        "IfcIShapeProfileDef",
        ProfileType="AREA",
        ProfileName="HW300x300",
        OverallWidth=0.3,
        OverallDepth=0.3,
        WebThickness=0.01,
        FlangeThickness=0.015,
    )
    profiles = ifcopenshell.api.material.add_material_set(model.file, name="HW300", set_type="IfcMaterialProfileSet")
    ifcopenshell.api.material.add_profile(model.file, profile_set=profiles, material=steel, profile=profile)
    column_type = ifcopenshell.api.root.create_entity(model.file, ifc_class="IfcColumnType", name="HW300x300")
    ifcopenshell.api.material.assign_material(model.file, products=[column_type], material=profiles)
    columns = [model.element("IfcColumn", f"C{n}-{c}", n) for n in range(len(LEVELS)) for c in range(per_storey)]
    ifcopenshell.api.type.assign_type(model.file, related_objects=columns, relating_type=column_type)
    return columns


def concrete_walls(model: Any, per_storey: int = 4) -> list[ifcopenshell.entity_instance]:
    """Load-bearing shear walls of 'C30 混凝土' (IfcMaterial on the occurrence)."""
    concrete = ifcopenshell.api.material.add_material(model.file, name="C30 混凝土", category="Concrete")
    walls = []
    for n in range(len(LEVELS)):
        for w in range(per_storey):
            wall = model.element("IfcWall", f"SW{n}-{w}", n)
            model.pset(wall, "Pset_WallCommon", {"LoadBearing": True, "IsExternal": w == 0})
            ifcopenshell.api.material.assign_material(model.file, products=[wall], material=concrete)
            walls.append(wall)
    return walls


# --- BJ-STRUCT-STEEL ------------------------------------------------------------------------------------------------


def test_steel_frame_with_i_profiles_passes_and_names_its_columns(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    model = public_office(make_model, 4000.0)  # 3 x 4,000 = 12,000 m² >= 10,000
    columns = steel_columns(model)
    building, results = run(model, ruleset)
    structure = building.facts["structure_type"]
    assert structure.value == "steel"
    assert structure.evidence[0].count == 24 and "steel 100.0%" in (structure.evidence[0].note or "")
    assert set(structure.evidence[0].global_ids) == {c.GlobalId for c in columns}
    assert building.facts["above_ground_gfa"].value == pytest.approx(12000.0)
    assert results["BJ-STRUCT-STEEL"].status is Status.PASS


def test_concrete_walls_fail_and_a_mix_is_unknown(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = public_office(make_model, 4000.0)
    concrete_walls(model)
    _, results = run(model, ruleset)
    steel = results["BJ-STRUCT-STEEL"]
    assert steel.status is Status.FAIL and steel.value == 0  # 12 of 12 members concrete: clearly concrete
    steel_columns(model)  # 24 steel columns beside 12 concrete walls: 67 % / 33 %, neither reaches 90 %
    building, results = run(model, ruleset)
    assert building.facts["structure_type"].value == "hybrid"
    steel = results["BJ-STRUCT-STEEL"]
    assert steel.status is Status.UNKNOWN and "CN_GreenBuilding.StructureType" in " ".join(steel.missing)
    model.pset(model.building, "CN_GreenBuilding", {"StructureType": "钢结构"})  # the designer declares steel
    building, results = run(model, ruleset)
    assert building.facts["structure_type"].value == "steel" and building.facts["structure_type"].warnings
    assert results["BJ-STRUCT-STEEL"].status is Status.PASS


def test_steel_rule_threshold_is_inclusive_and_small_buildings_are_left_out(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    exactly = public_office(make_model, 10000.0 / 3)
    concrete_walls(exactly)
    _, results = run(exactly, ruleset)
    assert results["BJ-STRUCT-STEEL"].status is Status.FAIL  # 10,000 m² (含): in scope
    small = public_office(make_model, 3000.0)  # 9,000 m²
    concrete_walls(small)
    _, results = run(small, ruleset)
    assert results["BJ-STRUCT-STEEL"].status is Status.NOT_APPLICABLE


def test_unlabelled_members_leave_the_structure_unknown(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = public_office(make_model, 4000.0)
    for n in range(len(LEVELS)):
        model.element("IfcColumn", f"Column {n}", n)  # no material at all: inference proves nothing
    building, results = run(model, ruleset)
    assert building.facts["structure_type"].value is None
    assert results["BJ-STRUCT-STEEL"].status is Status.UNKNOWN


def test_declared_masonry_is_read(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = public_office(make_model, 4000.0)
    model.pset(model.building, "CN_GreenBuilding", {"StructureType": "砖混结构"})
    building, results = run(model, ruleset)
    assert building.facts["structure_type"].value == "masonry"
    assert results["BJ-STRUCT-STEEL"].status is Status.FAIL


# --- BJ-PV-TRANSPORT ------------------------------------------------------------------------------------------------


def car_park(make_model: Callable[..., Any], schema: str = "IFC4") -> Any:
    """A car park: no OccupancyType; three parking spaces and one office (IFC4 PARKING, or names in IFC2X3)."""
    model = make_model(schema=schema, length_unit="METRE")
    model.pset(model.building, "CN_GreenBuilding", {"ConstructionType": "New"})
    for n in range(3):
        if schema == "IFC4":
            space = model.ib.add_spatial(model.m, "IfcSpace", f"P{n + 1}", model.storeys[0])
            space.PredefinedType = "PARKING"
        else:
            space = model.ib.add_spatial(model.m, "IfcSpace", f"地下停车库 {n + 1}", model.storeys[0])
        model.qto(space, "Qto_SpaceBaseQuantities", {"NetFloorArea": 1200.0})
    office = model.ib.add_spatial(model.m, "IfcSpace", "管理办公室", model.storeys[0])
    model.qto(office, "Qto_SpaceBaseQuantities", {"NetFloorArea": 40.0})
    return model


def test_car_park_of_parking_spaces_without_pv_fails_then_passes(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    model = car_park(make_model)
    building, results = run(model, ruleset)
    facility = building.facts["transport_facility"]
    assert facility.value == "car_park" and facility.evidence[0].count == 3  # 75 % by count, 99 % by area
    assert "75% by count" in (facility.evidence[0].note or "") and facility.warnings
    assert results["BJ-PV-TRANSPORT"].status is Status.FAIL
    model.element("IfcSolarDevice", "Canopy PV", 0, "SOLARPANEL")
    _, results = run(model, ruleset)
    assert results["BJ-PV-TRANSPORT"].status is Status.PASS and results["BJ-PV-TRANSPORT"].value == 1


def test_ifc2x3_parking_space_names_make_a_car_park(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    building, _ = run(car_park(make_model, schema="IFC2X3"), ruleset)
    assert building.facts["transport_facility"].value == "car_park"


def test_facility_declaration_and_occupancy(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(schema="IFC4", length_unit="METRE")
    _, results = run(model, ruleset)  # nothing shows the use: unknown, never not applicable
    assert results["BJ-PV-TRANSPORT"].status is Status.UNKNOWN
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "公交场站"})
    building, results = run(model, ruleset)
    assert building.facts["transport_facility"].value == "bus_depot"
    assert results["BJ-PV-TRANSPORT"].status is Status.FAIL
    model.pset(model.building, "CN_GreenBuilding", {"FacilityType": "none"})
    building, results = run(model, ruleset)
    assert building.facts["transport_facility"].value == "none"
    assert results["BJ-PV-TRANSPORT"].status is Status.NOT_APPLICABLE
    office = make_model(schema="IFC4", length_unit="METRE")
    office.pset(office.building, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    building, results = run(office, ruleset)
    assert building.facts["transport_facility"].value == "none"
    assert results["BJ-PV-TRANSPORT"].status is Status.NOT_APPLICABLE


# --- BJ-PV-RETRO ----------------------------------------------------------------------------------------------------


def test_retrofit_house_with_a_solar_collector(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(schema="IFC4", length_unit="METRE")
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "农村住宅"})
    model.pset(model.building, "CN_GreenBuilding", {"ConstructionType": "改造"})
    _, results = run(model, ruleset)
    assert results["BJ-PV-RETRO"].status is Status.FAIL and results["BJ-PV-RETRO"].severity.value == "warning"
    collector = model.element("IfcSolarDevice", "太阳能热水器", 0, "SOLARCOLLECTOR")
    _, results = run(model, ruleset)
    retro = results["BJ-PV-RETRO"]
    assert retro.status is Status.PASS and retro.value == 1
    assert collector.GlobalId in {gid for e in retro.evidence for gid in e.global_ids}
    unknown = make_model(schema="IFC4", length_unit="METRE")
    unknown.pset(unknown.building, "Pset_BuildingCommon", {"OccupancyType": "住宅"})
    _, results = run(unknown, ruleset)  # no ConstructionType: new or retrofit cannot be told
    assert results["BJ-PV-RETRO"].status is Status.UNKNOWN


# --- BJ-E55-PV-DEG1 / DEGN ------------------------------------------------------------------------------------------


def panels_with_typed_degradation(make_model: Callable[..., Any]) -> tuple[Any, list[ifcopenshell.entity_instance]]:
    """Three IfcSolarDevice panels whose type alone carries PVCellType 单晶 and the two degradation ratios."""
    model = public_office(make_model, 1000.0)
    panel_type = ifcopenshell.api.root.create_entity(
        model.file, ifc_class="IfcSolarDeviceType", name="Mono 550W", predefined_type="SOLARPANEL"
    )
    # the builder writes CN_GreenBuilding ratios as IfcPositiveRatioMeasure (sample_models/_ifcbuild.py GREEN_TYPES)
    model.pset(
        panel_type,
        "CN_GreenBuilding",
        {"PVCellType": "单晶硅", "PVFirstYearDegradation": 0.02, "PVAnnualDegradation": 0.0055},
    )
    panels = [model.element("IfcSolarDevice", f"PV {n}", -1) for n in range(3)]
    ifcopenshell.api.type.assign_type(model.file, related_objects=panels, relating_type=panel_type)
    return model, panels


def test_degradation_on_the_panel_type_passes(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model, panels = panels_with_typed_degradation(make_model)
    building, results = run(model, ruleset)
    assert building.facts["pv_panel_count"].value == 3
    first = results["BJ-E55-PV-DEG1"]
    assert first.status is Status.PASS and first.value == pytest.approx(0.02 / 0.03, abs=1e-6)
    annual = results["BJ-E55-PV-DEGN"]
    assert annual.status is Status.PASS and annual.value == pytest.approx(0.0055)
    assert building.facts["pv_max_annual_degradation"].evidence[0].count == 3


def test_a_poly_panel_over_its_limit_fails_and_a_percentage_is_refused(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    model, panels = panels_with_typed_degradation(make_model)
    # the occurrence overrides its type: a poly cell at 2.8 % (0.028 / 0.025 = 1.12) and an annual figure in %
    model.pset(panels[0], "CN_GreenBuilding", {"PVCellType": "poly", "PVFirstYearDegradation": 0.028})
    model.pset(panels[1], "CN_GreenBuilding", {"PVAnnualDegradation": 0.6})
    building, results = run(model, ruleset)
    first = results["BJ-E55-PV-DEG1"]
    assert first.status is Status.FAIL and first.value == pytest.approx(1.12)
    assert panels[0].GlobalId in (first.evidence[0].note or "")
    annual = results["BJ-E55-PV-DEGN"]
    assert annual.status is Status.UNKNOWN and panels[1].GlobalId in " ".join(annual.missing)
    assert any("a percentage?" in w for w in building.facts["pv_max_annual_degradation"].warnings)
