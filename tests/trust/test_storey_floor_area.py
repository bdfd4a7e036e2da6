"""Issue 8 case 5a: a storey that holds elements but no area data is not 0 m².

The above-ground floor area becomes a lower bound naming the storey, so "at least 20,000 m²" can still be proved,
never disproved. Only a storey that holds nothing (a reference level) is legitimately 0 m². The models are built
like a Chinese Revit frame export (IFC2X3, millimetres, BaseQuantities on slabs, no storey quantities): the ground
storey holds columns, walls and windows but its slab is not modelled.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checker.api import check_file
from checker.model.areas import storey_area, storey_floor_area
from checker.model.index import ModelIndex
from checker.model.scope import BuildingScope
from checker.rules.results import BuildingResult, Status
from checker.rules.schema import Ruleset


def _check(path: Path, ruleset: Ruleset) -> BuildingResult:
    (building,) = check_file(path, ruleset, generated_at="2024-01-01T00:00:00Z").buildings
    return building


def _frame(make_model: Callable[..., Any], slab_m2: float) -> Any:
    """标高 1..9 every 4 m with columns; slabs on 标高 2..9 only; 标高 10 a roof level; an empty level above it."""
    levels = [(f"标高 {n + 1}", 4.0 * n) for n in range(10)] + [("T.O. 女儿墙", 41.0)]
    model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=levels, building="框架楼")
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    model.pset(model.building, "CN_GreenBuilding", {"ConstructionType": "New", "GovernmentInvested": False})
    for n in range(9):
        for k in range(3):
            model.element("IfcColumn", f"混凝土-矩形-柱:600 x 600mm:{n}{k}", n)
        model.element("IfcWindow", f"固定窗:C2418:{n}", n)
        if n == 0:
            model.element("IfcWallStandardCase", "基本墙:常规 - 200mm:1", n)
            continue  # the ground slab is not modelled
        slab = model.element("IfcSlab", f"楼板:常规 - 150mm:{n}", n, "FLOOR")
        model.qto(slab, "Qto_SlabBaseQuantities", {"GrossArea": slab_m2})
    roof = model.element("IfcSlab", "楼板:屋面 - 150mm:10", 9, "FLOOR")
    model.qto(roof, "Qto_SlabBaseQuantities", {"GrossArea": slab_m2})
    model.element("IfcBeam", "混凝土-矩形梁:300 x 600mm:10", 9)
    return model


def test_storey_with_elements_but_no_area_makes_a_lower_bound(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = _frame(make_model, 2_600.0)
    building = _check(model.write(), ruleset)
    gfa = building.facts["above_ground_gfa"]
    # 标高 2..9 = 8 x 2,600 m²; 标高 1 unknown; the roof level and the empty parapet level are not floor area
    assert gfa.value == pytest.approx(20_800.0) and gfa.bound == "lower"
    assert gfa.missing is not None and gfa.missing.startswith("floor area of storeys 标高 1 (holds elements")
    held = [e.GlobalId for rel in model.storeys[0].ContainsElements for e in rel.RelatedElements]
    assert len(held) == 5 and all(gid in gfa.missing for gid in held)  # 3 columns, a window, a wall
    assert (
        gfa.warnings[0]
        == "above-ground floor area 20,800 m² is a lower bound: some storeys' area or elevation is unknown"
    )
    empty = next(e for e in gfa.evidence if e.source.startswith("storeys that hold no elements"))
    assert empty.global_ids == [model.storeys[10].GlobalId]
    # at least 20,800 m² proves the 20,000 m² trigger of a public building: prefabrication applies
    results = {r.rule_id: r for r in building.results}
    assert results["BJ-PREFAB-001"].status is not Status.NOT_APPLICABLE


def test_a_lower_bound_below_the_trigger_never_says_not_applicable(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    """8 x 1,500 = 12,000 m² known plus a storey of unknown area: the 20,000 m² trigger can be neither met nor
    ruled out, so the prefabrication rules are unknown (on main they were 'not applicable' on 13,500 m² 'exact')."""
    building = _check(_frame(make_model, 1_500.0).write(), ruleset)
    gfa = building.facts["above_ground_gfa"]
    assert gfa.value == pytest.approx(12_000.0) and gfa.bound == "lower"
    result = next(r for r in building.results if r.rule_id == "BJ-PREFAB-001")
    assert result.status is Status.UNKNOWN
    assert any("above_ground_gfa" in m and "lower bound" in m for m in result.missing)


def test_storeys_that_hold_nothing_are_zero(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(length_unit="METRE", storeys=[("Grid level", -1.0), ("L1", 0.0), ("Datum +20", 20.0)])
    model.qto(model.storeys[1], "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": 300.0})
    model.element("IfcWall", "Wall", 1)
    gfa = _check(model.write(), ruleset).facts["above_ground_gfa"]
    assert gfa.value == pytest.approx(300.0) and gfa.bound == "exact"
    empty = next(e for e in gfa.evidence if e.source.startswith("storeys that hold no elements"))
    assert empty.global_ids == [model.storeys[2].GlobalId]


def test_chinese_revit_frame_from_the_corpus(corpus_dir: Path, ruleset: Ruleset) -> None:
    """cn/IFC2X3_Revit2017CHS_10-storey-frame.ifc: 标高 1 holds columns, walls and windows but no slab; 标高 10 holds
    beams, an IfcRoof, ROOF slabs and a FLOOR slab (a roof level). Before: 3,329.5 m² 'exact' and height >= 36 m."""
    building = _check(corpus_dir / "cn" / "IFC2X3_Revit2017CHS_10-storey-frame.ifc", ruleset)
    gfa = building.facts["above_ground_gfa"]
    assert gfa.value == pytest.approx(2_959.55, abs=0.05) and gfa.bound == "lower"  # 标高 2..9: 8 x 369.94 m²
    assert gfa.missing is not None and gfa.missing.startswith("floor area of storeys 标高 1 (")
    assert any("storey '标高 10' is a roof level" in w for w in gfa.warnings)
    height = building.facts["building_height"]
    assert height.value == pytest.approx(36.0) and height.bound == "exact"
    assert building.facts["roof_area"].value == pytest.approx(369.94, abs=0.05)


def test_foundation_level_has_no_floor(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Revit's 'T/FDN' level holds footings and foundation walls: no floor, 0 m² (not unknown) in the all-storey
    floor-plan area; a storey with ordinary walls and no area stays unknown."""
    model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=[("T/FDN", -1.25), ("Level 1", 0.0)])
    model.element("IfcFooting", "Footing-Rectangular:1800 x 1200 x 450mm:1", 0)
    model.element("IfcWallStandardCase", "Basic Wall:Foundation - Concrete (417mm):1", 0)
    model.element("IfcWallStandardCase", "Basic Wall:Exterior - Brick on Block:2", 1)
    elements = list(model.file.by_type("IfcBuildingStorey")) + list(model.file.by_type("IfcElement"))
    scope = BuildingScope(ModelIndex(model.file), model.building, elements, ruleset.extraction)
    foundation = storey_floor_area(scope, model.storeys[0])
    assert (foundation.value, foundation.source) == (0.0, "empty")
    level_1 = storey_floor_area(scope, model.storeys[1])
    assert level_1.value is None and level_1.lacking == [model.file.by_type("IfcWallStandardCase")[1].GlobalId]
    assert storey_area(scope, model.storeys[1]) is None  # the tuple form floor_plan_area reads
