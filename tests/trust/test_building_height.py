"""Issue 8 case 6: the building height decides between the <= 60 m and > 60 m precast-ratio rules only as far as
it is known.

Order: Qto_BuildingBaseQuantities.Height; top storey elevation + GrossHeight; a roof level's elevation; the top of
the roof geometry (exact on a flat roof, an upper bound on a pitched one); else the top storey's elevation as a
lower bound. The building is a government-invested residential tower whose precast ratio lies between 20 % and
40 %: it fails the <= 60 m rule (40 %) and passes the > 60 m rule (20 %), so applying the wrong rule shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ifcopenshell.api.material
import pytest

from checker.api import check_file
from checker.rules.results import BuildingResult, Status
from checker.rules.schema import Ruleset

STOREY_H = 2.9  # L1..L21: the top storey stands at 58.0 m


def _check(model: Any, ruleset: Ruleset) -> BuildingResult:
    (building,) = check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z").buildings
    return building


def _statuses(building: BuildingResult) -> tuple[Status, Status]:
    found = {r.rule_id: r.status for r in building.results}
    return found["BJ-PREFAB-005"], found["BJ-PREFAB-006"]


def _tower(make_model: Callable[..., Any], storeys: int = 21, schema: str = "IFC4") -> Any:
    levels = [(f"L{n + 1}", round(STOREY_H * n, 6)) for n in range(storeys)]
    model = make_model(schema=schema, length_unit="MILLIMETRE", storeys=levels, building="Tower 3")
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "Residential"})
    model.pset(model.building, "CN_GreenBuilding", {"ConstructionType": "New", "GovernmentInvested": True})
    concrete = ifcopenshell.api.material.add_material(
        model.file, name="C35 混凝土"
    )  # a concrete frame (structure_type)
    for n, storey in enumerate(model.storeys):
        model.qto(storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": 600.0})
        column = model.element("IfcColumn", f"L{n + 1} column", n)
        model.ib.add_quantities(model.m, column, "Qto_ColumnBaseQuantities", volumes={"NetVolume": 10.0})
        ifcopenshell.api.material.assign_material(model.file, products=[column], type="IfcMaterial", material=concrete)
        if n % 4 == 0:  # 6 of 21 columns precast: 60 / 210 m³ = 28.6 %
            model.pset(column, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "Precast"})
    return model


def _cast_roof_slab(model: Any) -> Any:
    """A cast ROOF slab of 30 m³ on the top storey: precast ratio 60 / 240 m³ = 25 %."""
    roof = model.element("IfcSlab", "Roof slab", -1, "ROOF")
    model.ib.add_quantities(model.m, roof, "Qto_SlabBaseQuantities", volumes={"NetVolume": 30.0})
    return roof


def test_top_storey_only_is_a_lower_bound_and_never_fails_the_60_m_rule(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    building = _check(_tower(make_model), ruleset)
    height = building.facts["building_height"]
    assert height.value == pytest.approx(58.0) and height.bound == "lower"
    assert height.evidence[0].source == "elevation of the top storey 'L21' (Elevation attribute)"
    assert _statuses(building) == (Status.UNKNOWN, Status.UNKNOWN)  # on main: 005 failed (28.6 % < 40 %)


def test_flat_roof_geometry_gives_the_height(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """A 63 m tower: the ROOF slab's top at 63.0 m (its own span 0.3 m: flat) is exact; the > 60 m rule applies."""
    model = _tower(make_model)
    roof = _cast_roof_slab(model)
    model.box(roof, (0.0, 0.0, 62.7), (20.0, 30.0, 0.3))
    building = _check(model, ruleset)
    height = building.facts["building_height"]
    assert height.value == pytest.approx(63.0, abs=1e-6) and height.bound == "exact"
    assert height.evidence[0].source == "computed from geometry of 1 elements"
    assert height.evidence[0].global_ids == [roof.GlobalId]
    assert _statuses(building) == (Status.NOT_APPLICABLE, Status.PASS)


def test_pitched_roof_ridge_is_an_upper_bound(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Top storey at 40.6 m, a roof rising 7 m to a ridge at 50 m: at most 50 m settles '<= 60 m' (and fails it)."""
    model = _tower(make_model, storeys=15)
    roof = model.element("IfcRoof", "Pitched roof", -1)
    model.box(roof, (0.0, 0.0, 43.0), (20.0, 30.0, 7.0))
    building = _check(model, ruleset)
    height = building.facts["building_height"]
    assert height.value == pytest.approx(50.0, abs=1e-6) and height.bound == "upper"
    assert "ridge of a pitched roof" in height.warnings[0]
    assert _statuses(building) == (Status.FAIL, Status.NOT_APPLICABLE)


def test_canopy_below_the_top_storey_is_not_the_roof(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = _tower(make_model)
    canopy = model.element("IfcSlab", "Entrance canopy", 0, "ROOF")
    model.box(canopy, (0.0, -3.0, 3.5), (6.0, 3.0, 0.2))
    height = _check(model, ruleset).facts["building_height"]
    assert height.value == pytest.approx(58.0) and height.bound == "lower"


@pytest.mark.parametrize("source", ["quantity", "gross_height"])
def test_declared_heights(make_model: Callable[..., Any], ruleset: Ruleset, source: str) -> None:
    model = _tower(make_model)
    if source == "quantity":
        model.ib.add_quantities(model.m, model.building, "Qto_BuildingBaseQuantities")
        qto = model.file.by_type("IfcElementQuantity")[-1]
        qto.Quantities = (model.file.createIfcQuantityLength("Height", None, None, 63_000.0),)  # mm
    else:
        qto = model.file.by_type("IfcElementQuantity")
        top_qto = next(
            q for q in qto if q.Name == "Qto_BuildingStoreyBaseQuantities" and _owner(q) == model.storeys[-1]
        )
        top_qto.Quantities = (
            *top_qto.Quantities,
            model.file.createIfcQuantityLength("GrossHeight", None, None, 5000.0),
        )
    building = _check(model, ruleset)
    height = building.facts["building_height"]
    assert height.value == pytest.approx(63.0) and height.bound == "exact"
    assert _statuses(building) == (Status.NOT_APPLICABLE, Status.PASS)


def _owner(qto: Any) -> Any:
    return qto.DefinesOccurrence[0].RelatedObjects[0]


def test_roof_level_elevation_is_the_roof_surface(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """The top storey 'RF' holds a ROOF slab, a parapet and a railing: its elevation (61.0 m) is the height."""
    model = _tower(make_model)
    roof_level = model.ib.add_spatial(model.m, "IfcBuildingStorey", "RF", model.building, z=61.0)
    model.storeys.append(roof_level)
    _cast_roof_slab(model)
    model.element("IfcWall", "Parapet", -1, "PARAPET")
    model.element("IfcRailing", "Guard rail", -1, "GUARDRAIL")
    building = _check(model, ruleset)
    height = building.facts["building_height"]
    assert height.value == pytest.approx(61.0) and height.bound == "exact"
    assert height.evidence[0].source == "elevation of the roof level 'RF' (Elevation attribute)"
    assert _statuses(building) == (Status.NOT_APPLICABLE, Status.PASS)
    assert building.facts["above_ground_gfa"].value == pytest.approx(21 * 600.0)


def test_implausible_height_is_unknown(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """63,000 written as metres (a millimetre figure in a metre file): unknown, saying lengths look like millimetres."""
    model = make_model(length_unit="METRE", storeys=[("L1", 0.0)])
    model.ib.add_quantities(model.m, model.building, "Qto_BuildingBaseQuantities")
    qto = model.file.by_type("IfcElementQuantity")[-1]
    qto.Quantities = (model.file.createIfcQuantityLength("Height", None, None, 63_000.0),)
    height = _check(model, ruleset).facts["building_height"]
    assert height.value is None
    assert (
        height.missing
        == "a building height of 63,000 m: lengths look like millimetres (more than the plausible 1,000 m)"
    )
    assert height.warnings == [height.missing]


@pytest.mark.parametrize(
    ("name", "height", "bound", "source"),
    [
        ("pass-public-office", 24.0, "exact", "elevation of the roof level 'Roof' (Elevation attribute)"),
        ("fail-residential-one-star", 30.3, "exact", "computed from geometry of 1 elements"),  # ROOF slab 30.0-30.3 m
        ("pass-public-office-millimetres", 16.3, "exact", "computed from geometry of 1 elements"),
        ("unknown-missing-data", 6.0, "lower", "elevation of the top storey 'L3' (Elevation attribute)"),
    ],
)
def test_sample_heights(checked: Callable[[str], Any], name: str, height: float, bound: str, source: str) -> None:
    """Before: every sample's height was its top storey's elevation as a lower bound (24.0, 27.0, 12.0, 6.0)."""
    found = checked(name).buildings[0].facts["building_height"]
    assert found.value == pytest.approx(height, abs=1e-6) and found.bound == bound
    assert found.evidence[0].source == source
