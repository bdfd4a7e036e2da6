"""Issue 8 case 3: q1b's numerator and denominator agree about the roof, and no Table 4.0.1 ratio exceeds 1.

Revit-like IFC2X3 exports in millimetres with BaseQuantities: storeys carry GrossFloorArea, slabs GrossArea and
NetVolume, the roof is a ROOF slab on a 'Roof' level. One ruleset switch (q1b_roof_in_denominator, RECALLED low)
decides whether the roof plane belongs to A; precast roof members count in A1b exactly when it does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ifcopenshell.api.root
import ifcopenshell.guid
import pytest

from checker.api import check_file
from checker.rules.loader import load_ruleset
from checker.rules.results import RuleResult
from checker.rules.schema import Ruleset

GENERATED_AT = "2024-01-01T00:00:00Z"
AREA = 1000.0  # m² per storey
RATIOS = {
    "ExteriorWallIntegratedRatio": 0.8,
    "PartitionIntegratedRatio": 0.5,
    "DryFloorRatio": 0.7,
    "IntegratedBathroomRatio": 0.9,
    "PipelineSeparationRatio": 0.6,
}


def _slab(tm: Any, name: str, storey: int, kind: str, method: str, on_type: bool = False) -> None:
    """A 200 mm slab of 1,000 m² with Pset_ConcreteElementGeneral.ConstructionMethod (on its type if asked)."""
    slab = tm.element("IfcSlab", name, storey, kind)
    tm.ib.add_quantities(tm.m, slab, "Qto_SlabBaseQuantities", {"GrossArea": AREA}, {"NetVolume": AREA * 0.2})
    if on_type:
        slab_type = ifcopenshell.api.root.create_entity(tm.file, ifc_class="IfcSlabType", name=name)
        tm.pset(slab_type, "Pset_ConcreteElementGeneral", {"ConstructionMethod": method})
        history = tm.building.OwnerHistory
        tm.file.createIfcRelDefinesByType(ifcopenshell.guid.new(), history, None, None, [slab], slab_type)
    else:
        tm.pset(slab, "Pset_ConcreteElementGeneral", {"ConstructionMethod": method})


def _pavilion(make_model: Callable[..., Any], floors: int = 1) -> Any:
    """Cast columns and cast floors (slab on grade + upper floors), a precast roof slab on the 'Roof' level;
    precast facade panels, lightweight partitions, declared items (Q2 = 17, Q3 = 23, kitchen absent: Q4 = 6)."""
    levels = [(f"Level {n + 1}", 4.5 * n) for n in range(floors)] + [("Roof", 4.5 * floors)]
    tm = make_model("IFC2X3", "MILLIMETRE", storeys=levels)
    for n in range(floors):
        tm.qto(tm.storeys[n], "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": AREA})
        _slab(tm, f"Floor {n + 1}", n, "FLOOR", "In-Situ")
        for c in range(4):
            column = tm.element("IfcColumn", f"Column {n + 1}-{c + 1}", n)
            tm.ib.add_quantities(tm.m, column, "Qto_ColumnBaseQuantities", volumes={"NetVolume": 2.0})
            tm.pset(column, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "In-Situ"})
        for name, external, area in (("precast facade panel", True, 400.0), ("lightweight board", False, 200.0)):
            wall = tm.element("IfcWall", f"{name} {n + 1}", n)
            tm.ib.add_quantities(tm.m, wall, "Qto_WallBaseQuantities", {"NetSideArea": area}, {"NetVolume": area * 0.1})
            tm.pset(wall, "Pset_WallCommon", {"IsExternal": external, "LoadBearing": False})
            tm.pset(wall, "CN_GreenBuilding", {"NonMasonry": True})
    _slab(tm, "Roof slab (precast)", floors, "ROOF", "Precast")
    ratios = {k: tm.file.create_entity("IfcRatioMeasure", v) for k, v in RATIOS.items()}
    declared = {"ConstructionType": "New", "GovernmentInvested": True, "FullDecoration": True}
    tm.pset(tm.building, "CN_GreenBuilding", {**declared, "PrefabAbsentItems": "厨房", **ratios})
    return tm


def _results(path: Path, ruleset: Ruleset) -> dict[str, RuleResult]:
    run = check_file(path, ruleset, generated_at=GENERATED_AT)
    return {r.rule_id: r for r in run.buildings[0].results if r.rule_id.startswith("BJ-PREFAB")}


def _roof_excluded_ruleset(tmp_path: Path) -> Ruleset:
    path = tmp_path / "roof-excluded.toml"
    path.write_text(
        'id = "test-roof-excluded"\nversion = "1"\ntitle = { zh = "测试", en = "test" }\n'
        'extends = "beijing-subcenter-2024"\n\n'
        "[param_sets.gbt51129_table_4_0_1]\nq1b_roof_in_denominator = false\n",
        encoding="utf-8",
    )
    return load_ruleset(path)


def test_precast_roof_over_cast_floors_no_longer_passes(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Before: A1b 1,000 (roof) / A 1,000 (Level 1) = 100 % -> 20 points, Q1 20 pass, P 63.8 % pass."""
    results = _results(_pavilion(make_model).write("pavilion.ifc"), ruleset)
    rate = results["BJ-PREFAB-001"]
    q1b = rate.details["items"]["q1b"]
    # A = Level 1 1,000 + roof plane 1,000; A1b = precast roof 1,000 -> 50 % < 70 % -> 0
    assert q1b["ratio"] == pytest.approx(0.5) and q1b["points"] == 0
    assert results["BJ-PREFAB-002"].status.value == "fail" and results["BJ-PREFAB-002"].value == 0
    # Q2 = 5 + 5 + 5 + 2 = 17; Q3 = 6 + 6 + 6 + 5 = 23; P = (0 + 17 + 23) / 94 = 42.6 %
    assert (rate.details["Q1"], rate.details["Q2"], rate.details["Q3"]) == pytest.approx((0.0, 17.0, 23.0))
    assert rate.status.value == "fail" and rate.value == pytest.approx(40.0 / 94.0)


def test_upper_floors_and_roof_share_one_denominator(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Three cast floors, precast roof: 1,000 / (3,000 + 1,000) = 25 % (the roof level itself adds no storey)."""
    results = _results(_pavilion(make_model, floors=3).write("three.ifc"), ruleset)
    assert results["BJ-PREFAB-002"].details["items"]["q1b"]["ratio"] == pytest.approx(0.25)


def test_roof_left_out_of_both_when_the_switch_is_off(
    make_model: Callable[..., Any], tmp_path: Path, ruleset: Ruleset
) -> None:
    path = _pavilion(make_model).write("pavilion.ifc")
    results = _results(path, _roof_excluded_ruleset(tmp_path))
    q1b = results["BJ-PREFAB-002"].details["items"]["q1b"]
    assert q1b["ratio"] == 0 and q1b["points"] == 0  # 0 precast floor area / 1,000: the precast roof is not counted
    assert results["BJ-PREFAB-002"].status.value == "fail"


def test_double_modelled_slabs_make_q1b_unknown_not_points(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """叠合板 modelled twice (the precast panel and its topping, the topping typed 'Precast'): 125 % is refused."""
    tm = _pavilion(make_model, floors=3)
    for n in (1, 2):
        _slab(tm, f"叠合板 {n} 预制底板", n, "FLOOR", "Precast")
        _slab(tm, f"叠合板 {n} 现浇叠合层", n, "FLOOR", "Precast", on_type=True)
    results = _results(tm.write("double.ifc"), ruleset)
    item = results["BJ-PREFAB-001"].details["items"]["q1b"]
    # A1b = 4 x 1,000 + precast roof 1,000 = 5,000 m² over A = 3 x 1,000 + roof plane 1,000 = 4,000 m²
    text = "horizontal precast area 5,000 m² exceeds the floor-plan area 4,000 m²: areas double counted?"
    assert item["status"] == "unknown" and item["ratio"] is None and item["points"] is None
    assert item["warnings"] == [text]
    q1 = results["BJ-PREFAB-002"]
    assert q1.status.value == "unknown"
    assert any(text in w for w in q1.details["warnings"])
    # q1b scores nothing and P = (0 + 17 + 23) / 94 = 42.6 % is only a lower bound: unknown, never a verdict
    assert results["BJ-PREFAB-001"].status.value == "unknown"
    assert results["BJ-PREFAB-001"].value == pytest.approx(40.0 / 94.0)


def test_roof_level_floor_slab_is_the_roof_in_both_parts(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Revit exports the roof as a FLOOR slab on the roof level: it is the roof plane of A and a roof member of A1b,
    so a precast one gives 1,000 / (1,000 + 1,000) = 50 %, as a ROOF slab would, never 1,000 / 1,000."""
    tm = _pavilion(make_model)
    roof = next(e for e in tm.file.by_type("IfcSlab") if e.Name == "Roof slab (precast)")
    roof.PredefinedType = "FLOOR"
    results = _results(tm.write("floor-typed-roof.ifc"), ruleset)
    q1b = results["BJ-PREFAB-002"].details["items"]["q1b"]
    assert q1b["ratio"] == pytest.approx(0.5)


def test_slab_beside_the_roof_on_the_roof_level_is_in_neither_part(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    """A precast FLOOR slab on the roof level next to the ROOF slab (a plant deck) is neither floor nor roof area:
    counting it in A1b alone would lift q1b to (1,000 + 1,000) / 2,000 = 100 %."""
    tm = _pavilion(make_model)
    _slab(tm, "Plant deck (precast)", 1, "FLOOR", "Precast")
    results = _results(tm.write("plant-deck.ifc"), ruleset)
    q1b = results["BJ-PREFAB-002"].details["items"]["q1b"]
    assert q1b["ratio"] == pytest.approx(0.5)
    (deck,) = [e for e in results["BJ-PREFAB-002"].elements if e.name == "Plant deck (precast)"]
    assert deck.values["rated"] is False and "beside its roof" in deck.sources["rated"]
