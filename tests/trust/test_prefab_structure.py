"""Issue 8 case 7: steel and timber structures are not cast-in-place concrete.

Models built the way Tekla (IFC2X3, BaseQuantities, IfcMaterial grades such as 'Q355B'), Revit (IFC4, material
profile sets on the column type) and a timber tool (glulam, CLT) export them. Steel and timber members count as
prefabricated, metal-deck slabs count in q1b, `structure_type` is read from the vertical members' materials (or
declared), and the Beijing precast-concrete ratio (BJ-PREFAB-005/006) applies only to concrete structures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ifcopenshell
import ifcopenshell.api.material
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.type
import ifcopenshell.guid
import pytest

from checker.api import check_file
from checker.rules.results import BuildingResult, RuleResult
from checker.rules.schema import Ruleset

GENERATED_AT = "2024-01-01T00:00:00Z"
STOREY_AREA = 1000.0  # m², 25 x 40 m
DECLARED = {
    "ConstructionType": "New",
    "GovernmentInvested": True,
    "FullDecoration": True,
    "PrefabAbsentItems": "kitchen",
}
RATIOS = {
    "ExteriorWallIntegratedRatio": 0.8,
    "PartitionIntegratedRatio": 0.5,
    "DryFloorRatio": 0.7,
    "IntegratedBathroomRatio": 0.9,
    "PipelineSeparationRatio": 0.7,
}


def _material(tm: Any, name: str, category: str | None = None) -> ifcopenshell.entity_instance:
    """One IfcMaterial per name (IFC2X3 materials have no Category)."""
    found = tm.m.materials.get(name)
    if found is None:
        found = ifcopenshell.api.material.add_material(tm.file, name=name, category=None if tm.m.ifc2x3 else category)
        tm.m.materials[name] = found
    return found


def _member(
    tm: Any,
    ifc_class: str,
    name: str,
    storey: int,
    material: str | None,
    volume: float,
    kind: str | None = None,
    area: float | None = None,
) -> ifcopenshell.entity_instance:
    """A contained member with its IfcMaterial and a base quantity set (NetVolume, slab GrossArea)."""
    element = tm.element(ifc_class, name, storey, kind)
    if material is not None:
        ifcopenshell.api.material.assign_material(
            tm.file, products=[element], type="IfcMaterial", material=_material(tm, material)
        )
    qto = {"IfcColumn": "Qto_ColumnBaseQuantities", "IfcBeam": "Qto_BeamBaseQuantities"}.get(ifc_class, "")
    if ifc_class == "IfcSlab":
        tm.ib.add_quantities(tm.m, element, "Qto_SlabBaseQuantities", {"GrossArea": area}, {"NetVolume": volume})
    elif ifc_class == "IfcWall":
        tm.ib.add_quantities(tm.m, element, "Qto_WallBaseQuantities", {"NetSideArea": area}, {"NetVolume": volume})
    else:
        tm.ib.add_quantities(tm.m, element, qto, volumes={"NetVolume": volume})
    return element


def _deck_slab(tm: Any, name: str, storey: int, kind: str, area: float) -> ifcopenshell.entity_instance:
    """A composite slab on a profiled steel deck: layer set 压型钢板 (1 mm) + C30 混凝土 topping (120 mm)."""
    slab = tm.element("IfcSlab", name, storey, kind)
    layers = ifcopenshell.api.material.add_material_set(tm.file, name="组合楼板", set_type="IfcMaterialLayerSet")
    for material, thickness in (("压型钢板 YX51-250-750", 1.0), ("C30 混凝土", 120.0)):
        layer = ifcopenshell.api.material.add_layer(tm.file, layer_set=layers, material=_material(tm, material))
        layer.LayerThickness = thickness / (1000.0 * tm.m.scale)
    ifcopenshell.api.material.assign_material(
        tm.file, products=[slab], type="IfcMaterialLayerSetUsage", material=layers
    )
    tm.ib.add_quantities(tm.m, slab, "Qto_SlabBaseQuantities", {"GrossArea": area}, {"NetVolume": area * 0.121})
    return slab


def _walls_and_declarations(tm: Any, storeys: list[int], extra: dict[str, Any] | None = None) -> None:
    """Precast facade panels, lightweight partitions and the declared Table 4.0.1 ratios (Q2 = 17, Q3 = 23)."""
    for n in storeys:
        facade = _member(tm, "IfcWall", f"EW{n} precast facade panel", n, None, 60.0, area=400.0)
        tm.pset(facade, "Pset_WallCommon", {"IsExternal": True, "LoadBearing": False})
        tm.pset(facade, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "Precast"})
        board = _member(tm, "IfcWall", f"IW{n} lightweight board", n, None, 10.0, area=200.0)
        tm.pset(board, "Pset_WallCommon", {"IsExternal": False, "LoadBearing": False})
        tm.pset(board, "CN_GreenBuilding", {"NonMasonry": True})
    ratios = {k: tm.file.create_entity("IfcRatioMeasure", v) for k, v in RATIOS.items()}
    tm.pset(tm.building, "CN_GreenBuilding", {**DECLARED, **ratios, **(extra or {})})


def _storeys(tm: Any, count: int) -> None:
    """Storey GrossFloorArea on the first `count` storeys and the building's Height (the top storey's elevation)."""
    for storey in tm.storeys[:count]:
        tm.qto(storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": STOREY_AREA})
    qto = ifcopenshell.api.pset.add_qto(tm.file, product=tm.building, name=tm.m.qto_name("Qto_BuildingBaseQuantities"))
    height = tm.storeys[-1].Elevation
    ifcopenshell.api.pset.edit_qto(tm.file, qto=qto, properties={"Height": tm.file.createIfcLengthMeasure(height)})


def _check(tm: Any, ruleset: Ruleset, name: str) -> BuildingResult:
    run = check_file(tm.write(name), ruleset, generated_at=GENERATED_AT)
    return run.buildings[0]


def _results(building: BuildingResult) -> dict[str, RuleResult]:
    return {r.rule_id: r for r in building.results if r.rule_id.startswith("BJ-PREFAB")}


LEVELS = [("Level 1", 0.0), ("Level 2", 4.0), ("Level 3", 8.0), ("Roof", 12.0)]


def _tekla_steel_frame(make_model: Callable[..., Any], grade: str = "Q355B") -> Any:
    """IFC2X3 Tekla-like steel frame: 3 storeys of 1,000 m², 8 steel columns per storey, 4 steel beams (0.25 x 40 m,
    with geometry) under levels 2 and 3, composite deck slabs (960 m² between the beams; 1,000 m² on the roof),
    a cast slab on grade."""
    tm = make_model("IFC2X3", "MILLIMETRE", storeys=LEVELS)
    _storeys(tm, 3)
    for n in range(3):
        for c in range(8):
            _member(tm, "IfcColumn", f"COLUMN {n + 1}-{c + 1:02d}", n, f"STEEL/{grade}", 0.12)
    for n in (1, 2):
        for b in range(4):
            beam = _member(tm, "IfcBeam", f"BEAM {n + 1}-{b + 1}", n, grade, 0.3)
            tm.box(beam, (b * 6.0, 0.0, 4.0 * n - 0.4), (0.25, 40.0, 0.4))
    _member(tm, "IfcSlab", "Slab on grade", 0, "C30 混凝土", 150.0, kind="FLOOR", area=STOREY_AREA)
    for n, kind in ((1, "FLOOR"), (2, "FLOOR"), (3, "ROOF")):
        name = "Roof deck slab" if kind == "ROOF" else f"Level {n + 1} deck slab"
        _deck_slab(tm, name, n, kind, STOREY_AREA if kind == "ROOF" else STOREY_AREA - 40.0)
    _walls_and_declarations(tm, [0, 1, 2])
    return tm


def test_tekla_steel_frame_scores_as_prefabricated(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    building = _check(_tekla_steel_frame(make_model), ruleset, "tekla-steel.ifc")
    structure = building.facts["structure_type"]
    assert structure.value == "steel"
    assert structure.evidence[0].count == 24 and structure.evidence[0].note == "steel 100.0%, unnamed or unplaced 0.0%"
    results = _results(building)
    items = results["BJ-PREFAB-001"].details["items"]
    # q1a: 24 steel columns, 2.88 m³ of 2.88 m³ -> 100 % -> 30 (was 0: read as cast-in-place concrete)
    assert items["q1a"]["ratio"] == pytest.approx(1.0) and items["q1a"]["points"] == pytest.approx(30.0)
    # q1b: decks 2 x 960 + 1,000 m² + beams 8 x 10 m² = 3,000 m² of A = 3 x 1,000 + roof 1,000 -> 75 % -> 15
    # (the cast slab on grade is in A and not in A1b; before: 0, neither decks nor steel beams counted)
    assert items["q1b"]["ratio"] == pytest.approx(0.75) and items["q1b"]["points"] == pytest.approx(15.0)
    assert results["BJ-PREFAB-002"].status.value == "pass" and results["BJ-PREFAB-002"].value == pytest.approx(45.0)
    # Q2 = 5 + 5 + 5 + 2 = 17; Q3 = 6 + 6 + 6 + 6 = 24 (kitchen absent, Q4 6); P = (45 + 17 + 24) / 94 = 91.5 % AAA
    assert results["BJ-PREFAB-001"].value == pytest.approx(86.0 / 94.0)
    assert results["BJ-PREFAB-001"].details["grade"] == "AAA"
    # the Beijing precast-concrete ratio does not address a steel structure
    for rule_id in ("BJ-PREFAB-005", "BJ-PREFAB-006"):
        assert results[rule_id].status.value == "not_applicable"
    assert results["BJ-PREFAB-005"].message.en == (
        "Not applicable: structure type is steel (rule applies when structure type is concrete)"
    )
    sources = {r.name: r.sources["prefabricated"] for r in results["BJ-PREFAB-002"].elements}
    assert sources["COLUMN 1-01"] == (
        "steel member (IfcMaterial 'STEEL/Q355B': steel): counts as prefabricated "
        "(GB/T 51129-2017 4.0.2 / 4.0.5: steel members are factory-made, RECALLED (med))"
    )
    assert sources["Level 2 deck slab"].startswith(
        "metal-deck slab: formwork-free, counts as prefabricated (GB/T 51129"
    )
    assert sources["Slab on grade"] == "no prefabrication signal: cast in place"


def test_european_grade_names_read_as_steel(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    building = _check(_tekla_steel_frame(make_model, grade="S355J2"), ruleset, "s355.ifc")
    assert building.facts["structure_type"].value == "steel"


def test_revit_profile_sets_and_type_materials(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """IFC4 Revit: the steel grade sits in an IfcMaterialProfileSet of the IfcColumnType (its usage on the columns);
    two more columns get their material from their type only."""
    tm = make_model("IFC4", "MILLIMETRE", storeys=LEVELS[:2] + [("Roof", 8.0)])
    _storeys(tm, 2)
    column_type = ifcopenshell.api.root.create_entity(tm.file, ifc_class="IfcColumnType", name="HW300x300x10x15")
    profiles = ifcopenshell.api.material.add_material_set(tm.file, name="HW300", set_type="IfcMaterialProfileSet")
    section = tm.file.createIfcIShapeProfileDef("AREA", "HW300x300", None, 300.0, 300.0, 10.0, 15.0)
    ifcopenshell.api.material.add_profile(
        tm.file, profile_set=profiles, material=_material(tm, "Q355B", "钢"), profile=section
    )
    ifcopenshell.api.material.assign_material(
        tm.file, products=[column_type], type="IfcMaterialProfileSet", material=profiles
    )
    columns = [_member(tm, "IfcColumn", f"钢柱 {n + 1}", n // 6, None, 0.5) for n in range(12)]
    ifcopenshell.api.type.assign_type(tm.file, related_objects=columns, relating_type=column_type)
    pipe_type = ifcopenshell.api.root.create_entity(tm.file, ifc_class="IfcColumnType", name="P219x8")
    tm.file.createIfcRelAssociatesMaterial(
        ifcopenshell.guid.new(), None, None, None, [pipe_type], _material(tm, "Q235B", "钢")
    )  # on the type only, as some exporters write it
    pipes = [_member(tm, "IfcColumn", f"钢管柱 {n + 1}", 0, None, 0.1) for n in range(2)]
    tm.file.createIfcRelDefinesByType(ifcopenshell.guid.new(), None, None, None, pipes, pipe_type)
    for n, kind in ((1, "FLOOR"), (2, "ROOF")):
        _deck_slab(tm, f"楼承板 {n}", n, kind, STOREY_AREA)
    _member(tm, "IfcSlab", "地面", 0, "混凝土 - 现场浇注", 150.0, kind="FLOOR", area=STOREY_AREA)
    tm.pset(tm.building, "CN_GreenBuilding", DECLARED)
    building = _check(tm, ruleset, "revit-steel.ifc")
    assert building.facts["structure_type"].value == "steel"
    records = {r.name: r for r in _results(building)["BJ-PREFAB-002"].elements}
    assert records["钢柱 1"].sources["material"] == "IfcMaterial 'Q355B': steel"  # the usage assign_type copied
    assert records["钢管柱 1"].sources["material"] == "IfcMaterial 'Q235B' (on its type): steel"
    items = _results(building)["BJ-PREFAB-002"].details["items"]
    assert items["q1a"]["ratio"] == pytest.approx(1.0)
    assert items["q1b"]["ratio"] == pytest.approx(2000.0 / 3000.0)  # L2 deck + roof deck over L1, L2 + roof plane


def test_glulam_and_clt_timber_structure(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    tm = make_model("IFC4", "METRE", storeys=LEVELS)
    _storeys(tm, 3)
    for n in range(3):
        for c in range(6):
            _member(tm, "IfcColumn", f"GL column {n + 1}-{c + 1}", n, "Glulam GL28h", 0.4)
    _member(tm, "IfcSlab", "Slab on grade", 0, "C25 concrete", 150.0, kind="FLOOR", area=STOREY_AREA)
    for n, kind in ((1, "FLOOR"), (2, "FLOOR"), (3, "ROOF")):
        _member(tm, "IfcSlab", f"CLT panel {n}", n, "CLT 5-layer spruce", 160.0, kind=kind, area=STOREY_AREA)
    _walls_and_declarations(tm, [0, 1, 2])
    building = _check(tm, ruleset, "timber.ifc")
    assert building.facts["structure_type"].value == "timber"
    results = _results(building)
    items = results["BJ-PREFAB-001"].details["items"]
    assert items["q1a"]["points"] == pytest.approx(30.0)
    assert items["q1b"]["ratio"] == pytest.approx(0.75)  # 3 CLT planes of 4 (slab on grade cast)
    assert results["BJ-PREFAB-005"].status.value == "not_applicable"


def test_steel_columns_around_a_concrete_core_are_hybrid(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """24 steel columns (2.88 m³) and 6 cast concrete core walls (60 m³): q1a by volume, structure hybrid by count."""
    tm = _tekla_steel_frame(make_model)
    for n in range(6):
        core = _member(tm, "IfcWall", f"Core wall {n + 1}", n // 2, "C40 混凝土", 10.0, area=50.0)
        tm.pset(core, "Pset_WallCommon", {"IsExternal": False, "LoadBearing": True})
        tm.pset(core, "Pset_ConcreteElementGeneral", {"ConstructionMethod": "In-Situ"})
    building = _check(tm, ruleset, "hybrid.ifc")
    assert building.facts["structure_type"].value == "hybrid"
    assert building.facts["structure_type"].evidence[0].note == "steel 80.0%, concrete 20.0%, unnamed or unplaced 0.0%"
    results = _results(building)
    assert results["BJ-PREFAB-001"].details["items"]["q1a"]["ratio"] == pytest.approx(2.88 / 62.88)
    assert results["BJ-PREFAB-005"].status.value == "not_applicable"


def test_members_without_material_leave_the_structure_unknown(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    tm = make_model("IFC2X3", "MILLIMETRE", storeys=LEVELS)
    _storeys(tm, 3)
    for n in range(3):
        for c in range(4):
            _member(tm, "IfcColumn", f"C{n + 1}-{c + 1}", n, None, 1.0)
    _walls_and_declarations(tm, [0])
    results = _results(_check(tm, ruleset, "no-material.ifc"))
    assert results["BJ-PREFAB-005"].status.value == "unknown"
    assert (
        "CN_GreenBuilding.StructureType on the IfcBuilding, or a recognised IfcMaterial"
        in results["BJ-PREFAB-005"].message.en
    )
    # an unnamed material keeps the old reading: cast-in-place concrete, no points
    assert results["BJ-PREFAB-002"].details["items"]["q1a"]["ratio"] == 0


def test_declared_structure_type_wins_and_contradiction_is_warned(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    tm = _tekla_steel_frame(make_model)
    green = next(
        r.RelatingPropertyDefinition
        for r in tm.building.IsDefinedBy
        if r.RelatingPropertyDefinition.Name == "CN_GreenBuilding"
    )
    ifcopenshell.api.pset.edit_pset(tm.file, pset=green, properties={"StructureType": "钢筋混凝土框架结构"})
    building = _check(tm, ruleset, "declared.ifc")
    fact = building.facts["structure_type"]
    assert fact.value == "concrete"
    assert fact.evidence[0].source == "CN_GreenBuilding.StructureType"
    assert fact.warnings == [
        "declared structure type concrete, but the vertical members' materials say steel "
        "(steel 100.0%, unnamed or unplaced 0.0%)"
    ]
    assert _results(building)["BJ-PREFAB-005"].status.value != "not_applicable"
