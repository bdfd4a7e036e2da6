"""Negative or absurd areas and volumes are never silent figures (issue 9: a negative roof area was accepted).

Each model is built the way an exporter writes it (Revit-like IFC2X3 BaseQuantities, ArchiCAD-like IFC4 Qto sets,
CN_GreenBuilding declarations); a negative quantity or size property is refused where it is read, the fact needing
it is unknown with a warning naming the value and the element, and the model warning counts every refused value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checker.api import check_file
from checker.rules.results import CheckRun, Status
from checker.rules.schema import Ruleset

PUBLIC_NEW = {"ConstructionType": "新建", "GovernmentInvested": True}


def _office(make_model: Callable[..., Any], schema: str = "IFC4", **declared: Any) -> Any:
    model = make_model(schema, length_unit="MILLIMETRE")
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "办公"})
    model.pset(model.building, "CN_GreenBuilding", {**PUBLIC_NEW, **declared})
    return model


def _roof(model: Any, areas: dict[str, float]) -> Any:
    roof = model.element("IfcRoof", "Roof", predefined_type="FLAT_ROOF")
    model.qto(roof, "Qto_RoofBaseQuantities", areas)
    return roof


def _check(model: Any, ruleset: Ruleset) -> CheckRun:
    return check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z")


def _status(run: CheckRun, rule_id: str) -> Status:
    return next(r for r in run.buildings[0].results if r.rule_id == rule_id).status


@pytest.mark.parametrize("schema", ["IFC2X3", "IFC4"])
def test_negative_roof_area_is_unknown_with_a_warning(
    make_model: Callable[..., Any], ruleset: Ruleset, schema: str
) -> None:
    model = _office(make_model, schema)
    roof = _roof(model, {"ProjectedArea": -300.0})
    run = _check(model, ruleset)
    facts = run.buildings[0].facts
    qto = "BaseQuantities" if schema == "IFC2X3" else "Qto_RoofBaseQuantities"
    why = f"{qto}.ProjectedArea = -300 m²: a negative quantity (broken export), not used"
    assert facts["roof_area"].value is None
    assert facts["roof_area"].missing == f"roof area: {why} on {roof.GlobalId}"
    assert facts["roof_area"].warnings == [facts["roof_area"].missing]
    assert facts["usable_roof_area"].value is None
    assert _status(run, "BJ-PV-002") is Status.UNKNOWN
    assert f"1 values in the file were not used as figures: {why} (on {roof.GlobalId})" in run.model.warnings


def test_roof_exclusion_larger_than_the_roof_is_unknown(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = _office(make_model, RoofExclusionArea=1500.0)
    _roof(model, {"ProjectedArea": 1000.0})
    run = _check(model, ruleset)
    facts = run.buildings[0].facts
    gid = model.building.GlobalId
    why = (
        f"CN_GreenBuilding.RoofExclusionArea = 1,500.0 m² is more than the roof area of 1,000.0 m² on {gid}: "
        "the exclusions or the roof are wrong"
    )
    assert facts["roof_area"].value == pytest.approx(1000.0)
    assert facts["usable_roof_area"].value is None
    assert facts["usable_roof_area"].missing == why and facts["usable_roof_area"].warnings == [why]
    assert _status(run, "BJ-PV-002") is Status.UNKNOWN


def test_exclusion_within_the_roof_is_subtracted(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = _office(make_model, RoofExclusionArea=400.0)
    _roof(model, {"ProjectedArea": 1000.0})
    facts = _check(model, ruleset).buildings[0].facts
    assert facts["usable_roof_area"].value == pytest.approx(600.0)


@pytest.mark.parametrize(
    ("declared", "why"),
    [
        (-200.0, "CN_GreenBuilding.UsableRoofArea = -200 m²: a negative size (broken export), not used on {gid}"),
        (
            1200.0,
            "CN_GreenBuilding.UsableRoofArea = 1,200.0 m² is more than the roof area of 1,000.0 m² (exactly) on {gid}: "
            "the declaration or the roof is wrong",
        ),
    ],
)
def test_declared_usable_roof_area_that_cannot_be_is_unknown(
    make_model: Callable[..., Any], ruleset: Ruleset, declared: float, why: str
) -> None:
    model = _office(make_model, UsableRoofArea=declared)
    _roof(model, {"ProjectedArea": 1000.0})
    run = _check(model, ruleset)
    usable = run.buildings[0].facts["usable_roof_area"]
    expected = why.format(gid=model.building.GlobalId)
    assert usable.value is None and usable.missing == expected and usable.warnings == [expected]
    assert _status(run, "BJ-PV-002") is Status.UNKNOWN


def test_negative_storey_gross_floor_area_is_not_replaced_by_slabs(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    """A Revit-like storey quantity of -500 m² with a 800 m² floor slab: the slab must not silently stand in."""
    model = _office(make_model, "IFC2X3")
    model.qto(model.storeys[0], "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": -500.0})
    slab = model.element("IfcSlab", "Floor", 0, "FLOOR")
    model.qto(slab, "Qto_SlabBaseQuantities", {"GrossArea": 800.0})
    run = _check(model, ruleset)
    gfa = run.buildings[0].facts["above_ground_gfa"]
    why = "BaseQuantities.GrossFloorArea = -500 m²: a negative quantity (broken export), not used"
    assert gfa.value is None
    assert gfa.missing == f"floor area of storeys L1 ({why} on {model.storeys[0].GlobalId})"
    assert any(why in w for w in run.model.warnings)


def test_negative_precast_volume_is_not_a_figure(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """A precast column of NetVolume -5 m³ (no geometry) among cast columns: the precast volume is not summed."""
    model = _office(make_model, "IFC2X3")
    model.qto(model.storeys[0], "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": 1000.0})
    precast = model.element("IfcColumn", "Precast column", 0)
    model.pset(precast, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "Precast"})
    model.ib.add_quantities(model.m, precast, "Qto_ColumnBaseQuantities", volumes={"NetVolume": -5.0})
    cast = model.element("IfcColumn", "Cast column", 0)
    model.ib.add_quantities(model.m, cast, "Qto_ColumnBaseQuantities", volumes={"NetVolume": 5.0})
    run = _check(model, ruleset)
    facts = run.buildings[0].facts
    why = "BaseQuantities.NetVolume = -5 m³: a negative quantity (broken export), not used"
    assert any(f"{why} (on {precast.GlobalId})" in w for w in run.model.warnings)
    q1a = facts["prefab_q1a_precast"]
    assert q1a.value is None
    assert q1a.missing == (
        f"vertical-member volume of 1 elements ({precast.GlobalId}): no usable quantity (a refused one is named in "
        "the model warnings) and no usable geometry"
    )
    assert _status(run, "BJ-PREFAB-002") is Status.UNKNOWN


def test_negative_declared_project_area_is_refused(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = _office(make_model)
    project = model.file.by_type("IfcProject")[0]
    model.pset(project, "CN_GreenBuilding", {"ProjectNewAboveGroundArea": -1000.0})
    model.qto(model.storeys[0], "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": 1000.0})
    run = _check(model, ruleset)
    area = run.project.facts["project_new_public_above_ground_gfa"]
    why = (
        "CN_GreenBuilding.ProjectNewAboveGroundArea = -1,000 m²: a negative size (broken export), not used (the "
        "project total is unknown; this file's new public buildings are a lower bound)"
    )
    assert area.value == pytest.approx(1000.0) and area.bound == "lower"
    assert area.missing == why and area.warnings == [why]
    assert any("ProjectNewAboveGroundArea = -1,000 m²: a negative size" in w for w in run.model.warnings)
