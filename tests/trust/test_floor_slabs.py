"""Issue 8 case 5c: slabs that are no floor (pad footings, outdoor paving, the roof level) are not floor area.

The model is built the way a Chinese Revit export of a 4-storey teaching building comes out (IFC2X3, millimetres,
quantities in `BaseQuantities`, no storey quantities): 28 BASESLAB pad footings and two outdoor FLOOR slabs on the
ground floor, and a roof level holding a FLOOR slab, parapets and railings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checker.api import check_file
from checker.rules.results import BuildingResult, Status
from checker.rules.schema import Ruleset

FLOOR_M2 = 4_900.0
STOREYS = [("1F", 0.0), ("2F", 3.9), ("3F", 7.8), ("4F", 11.7), ("屋面", 15.6)]


def _check(model: Any, ruleset: Ruleset) -> BuildingResult:
    run = check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z")
    (building,) = run.buildings
    return building


def _slab(model: Any, storey: int, name: str, kind: str, area: float) -> Any:
    """A Revit-style slab: 'Family:Type:ElementId' name, 'Family:Type' ObjectType, BaseQuantities.GrossArea."""
    slab = model.element("IfcSlab", f"{name}:{400_000 + len(model.file.by_type('IfcSlab'))}", storey, kind)
    slab.ObjectType = name
    model.qto(slab, "Qto_SlabBaseQuantities", {"GrossArea": area})
    return slab


def _teaching_building(make_model: Callable[..., Any]) -> tuple[Any, dict[str, list[Any]]]:
    model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=STOREYS, building="教学楼")
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "学校"})
    model.pset(model.building, "CN_GreenBuilding", {"ConstructionType": "新建", "GovernmentInvested": False})
    made: dict[str, list[Any]] = {"floors": [], "pads": [], "outdoor": []}
    for n in range(4):
        made["floors"].append(_slab(model, n, "楼板:现浇混凝土楼板 120mm", "FLOOR", FLOOR_M2))
        for k in range(4):
            model.element("IfcColumn", f"混凝土-矩形-柱:500 x 500mm:{n}{k}", n)
        model.element("IfcWallStandardCase", f"基本墙:外墙-240mm:{n}", n)
        model.element("IfcWindow", f"塑钢窗:C1518:{n}", n)
        model.element("IfcDoor", f"单扇平开门:M1021:{n}", n)
    made["pads"] = [_slab(model, 0, "基础底板:DJ-1 2000x2000", "BASESLAB", 4.0) for _ in range(28)]
    made["outdoor"] = [
        _slab(model, 0, "楼板:室外地坪 C15 100mm", "FLOOR", 60.0),
        _slab(model, 0, "楼板:散水 600mm", "FLOOR", 42.0),
    ]
    made["roof"] = [_slab(model, 4, "楼板:屋面板 120mm", "FLOOR", FLOOR_M2)]
    model.element("IfcWallStandardCase", "基本墙:女儿墙 240mm:1", 4)
    model.element("IfcRailing", "栏杆扶手:900mm 圆管:1", 4)
    return model, made


def test_teaching_building_floor_area(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model, made = _teaching_building(make_model)
    building = _check(model, ruleset)
    gfa = building.facts["above_ground_gfa"]
    # 4 x 4,900 m²; before: + 112 m² pads + 102 m² outdoor slabs + 4,900 m² roof level = 24,714 m² (in scope)
    assert gfa.value == pytest.approx(4 * FLOOR_M2) and gfa.bound == "exact"
    assert [e.count for e in gfa.evidence if e.source == "BaseQuantities.GrossArea"] == [4]
    left_out = {e.source: e for e in gfa.evidence if e.source.startswith("left out")}
    pads = left_out["left out of the floor area of storey '1F': a foundation by its name or type"]
    assert pads.count == 28 and set(pads.global_ids) == {s.GlobalId for s in made["pads"]}
    outdoor = left_out["left out of the floor area of storey '1F': outdoor paving by its name or type"]
    assert set(outdoor.global_ids) == {s.GlobalId for s in made["outdoor"]}
    roof_level = next(e for e in gfa.evidence if e.source.startswith("roof levels"))
    assert roof_level.global_ids == [model.storeys[4].GlobalId]
    assert any(w.startswith("28 slabs on storey '1F' are not floor area, a foundation") for w in gfa.warnings)
    assert any("storey '屋面' is a roof level" in w for w in gfa.warnings)
    # the roof level's slab is the roof, and its elevation is the roof surface
    assert building.facts["roof_area"].value == pytest.approx(FLOOR_M2)
    assert building.facts["roof_area"].evidence[0].global_ids == [made["roof"][0].GlobalId]
    height = building.facts["building_height"]
    assert height.value == pytest.approx(15.6) and height.bound == "exact"
    assert "roof level '屋面'" in height.evidence[0].source


def test_teaching_building_is_outside_the_prefabrication_scope(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    """19,600 m² of a public, not government-invested building: below 20,000 m², prefabrication does not apply."""
    model, _ = _teaching_building(make_model)
    results = {r.rule_id: r for r in _check(model, ruleset).results}
    prefab = results["BJ-PREFAB-001"]
    assert prefab.status is Status.NOT_APPLICABLE
    assert "19,600" in prefab.message.en


def test_baseslab_is_a_floor_only_without_a_floor_slab(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """A slab on grade (BASESLAB, plain name) is the ground floor; under a FLOOR slab the same slab is a foundation."""
    model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=[("Level 1", 0.0), ("Level 2", 3.5)])
    on_grade = _slab(model, 0, "Floor:Generic 300mm", "BASESLAB", 800.0)
    model.element("IfcColumn", "Column:1", 0)
    upper = _slab(model, 1, "Floor:Generic 200mm", "FLOOR", 800.0)
    under = _slab(model, 1, "Floor:Generic 300mm", "BASESLAB", 50.0)
    model.element("IfcColumn", "Column:2", 1)
    gfa = _check(model, ruleset).facts["above_ground_gfa"]
    assert gfa.value == pytest.approx(1600.0) and gfa.bound == "exact"
    counted = next(e for e in gfa.evidence if e.source == "BaseQuantities.GrossArea")
    assert set(counted.global_ids) == {on_grade.GlobalId, upper.GlobalId}
    left = next(e for e in gfa.evidence if e.source.startswith("left out"))
    assert left.source.endswith("a BASESLAB under a storey that has a floor slab: a foundation")
    assert left.global_ids == [under.GlobalId]
