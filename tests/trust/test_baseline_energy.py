"""Issue 12: the baseline energy code for every new building. Envelope U-values are facts whether or not a rule
applies (a residential building with no ultra-low target shows them), and GB 55015-2021 judges every new building's
envelope (cold zone) and asks for a solar system. Models built the way authoring tools export them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import greencheck_trust_envelope_models as em  # loaded by tests/trust/conftest.py
import ifcopenshell
import ifcopenshell.api.material
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.type
import pytest

from checker.api import check_file
from checker.rules.results import Status
from checker.rules.schema import Ruleset

RESIDENTIAL = {"ConstructionType": "新建", "GovernmentInvested": False}  # no EnergyTarget: outside the ULE scope


def run(model: Any, ruleset: Ruleset) -> tuple[Any, dict[str, Any]]:
    checked = check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z")
    (building,) = checked.buildings
    return building, {r.rule_id: r for r in building.results}


def revit_housing(make_model: Callable[..., Any], wall_u: float = 0.40) -> tuple[Any, list[Any]]:
    """Revit-like IFC2X3 residential block: Pset_WallCommon (IsExternal, ThermalTransmittance) on the wall TYPE only,
    as Revit writes type parameters; no EnergyTarget, so no ultra-low rule applies."""
    model = make_model(schema="IFC2X3", length_unit="METRE")
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "住宅"})
    model.pset(model.building, "CN_GreenBuilding", dict(RESIDENTIAL))
    wall_type = ifcopenshell.api.root.create_entity(model.file, ifc_class="IfcWallType", name="基本墙:外墙-200")
    u = model.file.create_entity("IfcThermalTransmittanceMeasure", wall_u)
    model.pset(wall_type, "Pset_WallCommon", {"IsExternal": True, "ThermalTransmittance": u})
    walls = [em.wall(model, side, None, external=None) for side in "SENW"]
    ifcopenshell.api.type.assign_type(model.file, related_objects=walls, relating_type=wall_type)
    return model, walls


def test_revit_residential_without_target_reports_u_from_the_type_and_is_judged(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    model, walls = revit_housing(make_model)
    em.roof(model, 0.28)
    building, results = run(model, ruleset)
    facts = building.facts
    assert facts["energy_target"].value == "none"
    assert facts["u_mean_walls"].value == pytest.approx(0.40)  # read from the IfcWallType
    assert facts["u_worst_walls"].value == pytest.approx(0.40)
    assert facts["u_worst_walls"].evidence[0].global_ids[0] in {w.GlobalId for w in walls}
    assert (facts["u_known_count_walls"].value, facts["u_missing_count_walls"].value) == (4, 0)
    assert facts["u_mean_roofs"].value == pytest.approx(0.28)
    assert facts["storeys_above_ground"].value == 1
    assert results["BJ-ULE-WALL-RES"].status is Status.NOT_APPLICABLE  # no ultra-low target
    wall = results["BJ-E55-WALL-RES"]  # one storey: the <= 3 storeys column, 0.35
    assert wall.status is Status.FAIL and wall.value == pytest.approx(0.40 / 0.35)
    roof = results["BJ-E55-ROOF-RES"]
    assert roof.status is Status.PASS and roof.value == pytest.approx(0.28 / 0.30)
    # IFC2X3 has no IfcSolarDevice and no PV is modelled: no solar system
    assert facts["solar_collector_count"].warnings and results["BJ-E55-SOLAR"].status is Status.FAIL


def test_retrofit_is_not_judged_by_the_new_building_code(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model, _ = revit_housing(make_model)
    model.pset(model.building, "CN_GreenBuilding", {"ConstructionType": "改造"})
    building, results = run(model, ruleset)
    assert building.facts["u_mean_walls"].value == pytest.approx(0.40)  # still reported
    for rule_id in ("BJ-E55-WALL-RES", "BJ-E55-ROOF-RES", "BJ-E55-WIN-RES", "BJ-E55-SOLAR"):
        assert results[rule_id].status is Status.NOT_APPLICABLE, rule_id


def test_archicad_layers_without_u_give_a_computed_u(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """ArchiCAD-like IFC4 in millimetres: the office's walls carry a layer set with λ and no ThermalTransmittance;
    U = 1 / (0.11 + 0.2/1.74 + 0.1/0.04 + 0.04) = 0.3635. No shape factor declared: 0.3635 meets the stricter
    column (0.45) too, so the wall rule passes whatever S is (an upper bound)."""
    model = em.office(make_model, green={"ConstructionType": "New", "GovernmentInvested": True})
    layers = ifcopenshell.api.material.add_material_set(model.file, name="AW", set_type="IfcMaterialLayerSet")
    for name, thickness, conductivity in (("Beton", 0.2, 1.74), ("EPS", 0.1, 0.04)):
        material = ifcopenshell.api.material.add_material(model.file, name=name)
        pset = ifcopenshell.api.pset.add_pset(model.file, product=material, name="Pset_MaterialThermal")
        lam = model.file.create_entity("IfcThermalConductivityMeasure", conductivity)
        ifcopenshell.api.pset.edit_pset(model.file, pset=pset, properties={"ThermalConductivity": lam})
        layer = ifcopenshell.api.material.add_layer(model.file, layer_set=layers, material=material)
        layer.LayerThickness = thickness / model.m.scale
    walls = [em.wall(model, side, None) for side in "SENW"]
    ifcopenshell.api.material.assign_material(model.file, products=walls, type="IfcMaterialLayerSet", material=layers)
    building, results = run(model, ruleset)
    u = 1 / (0.11 + 0.2 / 1.74 + 0.1 / 0.04 + 0.04)
    assert building.facts["u_mean_walls"].value == pytest.approx(u, abs=1e-4)
    assert building.facts["shape_factor"].value is None
    wall = results["BJ-E55-WALL-PUB"]
    assert wall.status is Status.PASS and wall.bound == "upper"
    assert wall.value == pytest.approx(u / 0.45, abs=1e-4)


def test_glazed_curtain_wall_is_judged_by_its_facade_wwr(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """A 10 m x 4 m glazed IfcCurtainWall (U 2.6) on the N facade beside 10 m of wall: WWR 0.5, window limit 1.9
    (0.40 < WWR <= 0.50): 2.6 / 1.9 fails; its glazing SHGC sits on the north facade, which has no SHGC limit."""
    model = em.office(make_model, green={"ConstructionType": "New", "GovernmentInvested": True, "ShapeFactor": 0.25})
    for side in "SEW":
        em.wall(model, side, 0.30)
    em.wall(model, "N", 0.30, length=10.0)
    cw = em.curtain_wall_ifc4(model, "N", 2.6, shgc_on_type=0.35)
    em.roof(model, 0.30)
    building, results = run(model, ruleset)
    assert building.facts["wwr_N"].value == pytest.approx(0.5)
    assert building.facts["u_worst_windows"].value == pytest.approx(2.6)
    assert building.facts["u_worst_windows"].evidence[0].global_ids == [cw.GlobalId]
    win = results["BJ-E55-WIN-PUB"]
    assert win.status is Status.FAIL and win.value == pytest.approx(2.6 / 1.9)
    assert [e.global_id for e in win.elements] == [cw.GlobalId]
    shgc = results["BJ-E55-SHGC-PUB"]
    assert shgc.status is Status.PASS and shgc.value == 0.0  # no window on E / S / W
    wall = results["BJ-E55-WALL-PUB"]  # S 0.25 declared: the 0.50 column
    assert wall.status is Status.PASS and wall.value == pytest.approx(0.30 / 0.50) and wall.bound == "exact"


def test_solar_collectors_count_as_the_solar_system(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """IFC4 IfcSolarDevice SOLARCOLLECTOR (solar hot water) with a type-level PredefinedType; one declares no life."""
    model = em.office(make_model, green={"ConstructionType": "New", "GovernmentInvested": True})
    collector_type = ifcopenshell.api.root.create_entity(
        model.file, ifc_class="IfcSolarDeviceType", name="集热器", predefined_type="SOLARCOLLECTOR"
    )
    first = model.element("IfcSolarDevice", "Collector 1")
    second = model.element("IfcSolarDevice", "Collector 2")
    ifcopenshell.api.type.assign_type(model.file, related_objects=[first, second], relating_type=collector_type)
    model.pset(first, "Pset_ServiceLife", {"ServiceLifeDuration": model.file.createIfcDuration("P20Y")})
    building, results = run(model, ruleset)
    assert building.facts["solar_collector_count"].value == 2
    assert results["BJ-E55-SOLAR"].status is Status.PASS and results["BJ-E55-SOLAR"].value == 2
    life = results["BJ-E55-COLLECTOR-LIFE"]
    assert life.status is Status.UNKNOWN and second.GlobalId in " ".join(life.missing)
    model.pset(second, "CN_GreenBuilding", {"DesignLife": 12.0})
    _, results = run(model, ruleset)
    life = results["BJ-E55-COLLECTOR-LIFE"]
    assert life.status is Status.FAIL and life.value == pytest.approx(12.0)


def test_roof_level_and_empty_storeys_do_not_loosen_the_residential_column(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    """Revit-like levels: three floors, a roof level holding only the roof slab, and an empty 'T.O. Parapet' level.
    Counting them would put the block in the looser >= 4 storeys column (walls 0.45); the roof level is left out and
    the empty level makes 3 a lower bound, so a wall of U 0.40 (passes 0.45, fails 0.35) is unknown, not a pass."""
    levels = [("L1", 0.0), ("L2", 3.0), ("L3", 6.0), ("Roof", 9.0), ("T.O. Parapet", 10.0)]
    model = make_model(schema="IFC2X3", length_unit="METRE", storeys=levels)
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "住宅"})
    model.pset(model.building, "CN_GreenBuilding", dict(RESIDENTIAL))
    for n in range(3):
        wall = model.element("IfcWallStandardCase", f"Wall {n}", storey=n)
        model.pset(wall, "Pset_WallCommon", {"IsExternal": True, "ThermalTransmittance": 0.40})
        model.qto(wall, "BaseQuantities", {"NetSideArea": 60.0, "GrossSideArea": 60.0})
    model.element("IfcSlab", "Roof slab", storey=3, predefined_type="ROOF")
    building, results = run(model, ruleset)
    storeys = building.facts["storeys_above_ground"]
    assert (storeys.value, storeys.bound) == (3, "lower")
    assert "T.O. Parapet" in (storeys.missing or "")
    wall = results["BJ-E55-WALL-RES"]
    assert wall.status is Status.UNKNOWN and any("storeys_above_ground" in m for m in wall.missing)
