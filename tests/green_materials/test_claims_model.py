"""Issue 12: waste-based (BJ-GM-008) and low-VOC (BJ-GM-009) materials, and window airtightness (BJ-STAR-030),
read from small IFC4 files built the way authoring tools export them (materials with property sets, window types).

Masonry: fly-ash block wall 6 m³ x 1000 kg/m³ = 6000 kg (WasteBased) + clay brick wall 2 m³ x 1800 = 3600 kg:
6000 / 9600 = 62.5 % >= 50 % -> 3 points; concrete slab 10 m³ x 2400 = 24,000 kg, none waste-based -> 0 %.
Low-VOC targets: 'Interior wall paint' (name: coatings) declares LowVOC, 'Tile adhesive' (name: adhesives) declares
it false -> 1 / 2 = 50 %, a fail; concrete, block and brick are no targets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ifcopenshell
import ifcopenshell.api.material
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.type
import pytest

from checker.api import check_file
from checker.rules.results import BuildingResult, RuleResult
from checker.rules.schema import Ruleset

GENERATED_AT = "2024-01-01T00:00:00Z"
# name: (MaterialKind, MassDensity kg/m³, WasteBased, LowVOC or None = not declared)
MATERIALS: dict[str, tuple[str, float, bool, bool | None]] = {
    "Fly-ash block": ("砌体", 1000.0, True, None),
    "Clay brick": ("砌体", 1800.0, False, None),
    "C30 concrete": ("预拌混凝土", 2400.0, False, None),
    "Interior wall paint": ("涂料", 1300.0, False, True),
    "Tile adhesive": ("胶粘剂", 1500.0, False, False),
}
# (class, name, predefined type, material, NetVolume m³)
ELEMENTS = [
    ("IfcWall", "Block wall", "SOLIDWALL", "Fly-ash block", 6.0),
    ("IfcWall", "Brick wall", "SOLIDWALL", "Clay brick", 2.0),
    ("IfcSlab", "Floor slab", "FLOOR", "C30 concrete", 10.0),
    ("IfcCovering", "Wall paint", "CLADDING", "Interior wall paint", 0.05),
    ("IfcCovering", "Tile bed", "FLOORING", "Tile adhesive", 0.1),
]


def add_material(tiny: Any, name: str, low_voc: bool | None) -> ifcopenshell.entity_instance:
    kind, density, waste, _ = MATERIALS[name]
    f = tiny.file
    material = ifcopenshell.api.material.add_material(f, name=name)
    common = ifcopenshell.api.pset.add_pset(f, product=material, name="Pset_MaterialCommon")
    ifcopenshell.api.pset.edit_pset(
        f, pset=common, properties={"MassDensity": f.create_entity("IfcMassDensityMeasure", density)}
    )
    flags: dict[str, Any] = {"MaterialKind": kind, "WasteBased": waste}
    if low_voc is not None:
        flags["LowVOC"] = low_voc
    green = ifcopenshell.api.pset.add_pset(f, product=material, name="CN_GreenBuilding")
    ifcopenshell.api.pset.edit_pset(f, pset=green, properties=flags)
    return material


def housing(make_model: Callable[..., Any], low_voc: dict[str, bool | None] | None = None) -> Any:
    """A new government-invested residential building with the materials above (metres)."""
    tiny = make_model(schema="IFC4", length_unit="METRE", storeys=[("L1", 0.0), ("L2", 3.0)])
    tiny.pset(
        tiny.building,
        "CN_GreenBuilding",
        {"UseCategory": "residential", "ConstructionType": "New", "GovernmentInvested": True, "TargetStarLevel": 2},
    )
    declared = {name: spec[3] for name, spec in MATERIALS.items()} | (low_voc or {})
    mats = {name: add_material(tiny, name, declared[name]) for name in MATERIALS}
    for ifc_class, name, predefined, material, volume in ELEMENTS:
        element = tiny.element(ifc_class, name, 0, predefined)
        ifcopenshell.api.material.assign_material(tiny.file, products=[element], material=mats[material])
        qto = ifcopenshell.api.pset.add_qto(tiny.file, product=element, name=f"Qto_{ifc_class[3:]}BaseQuantities")
        ifcopenshell.api.pset.edit_qto(
            tiny.file, qto=qto, properties={"NetVolume": tiny.file.createIfcVolumeMeasure(volume)}
        )
    return tiny


def checked(tiny: Any, ruleset: Ruleset) -> BuildingResult:
    run = check_file(tiny.write(), ruleset, generated_at=GENERATED_AT)
    assert len(run.buildings) == 1
    return run.buildings[0]


def results(building: BuildingResult) -> dict[str, RuleResult]:
    return {r.rule_id: r for r in building.results}


def test_waste_based_points_and_low_voc_fail(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    building = checked(housing(make_model), ruleset)
    res = results(building)
    waste = res["BJ-GM-008"]
    assert waste.status == "pass" and waste.bound == "exact" and waste.value == 3.0
    rows = {row[0]: row for row in waste.details["tables"][0]["rows"]}
    assert rows["砌体"][1:5] == [6000.0, 9600.0, pytest.approx(0.625), pytest.approx(0.625)]
    assert rows["预拌混凝土"][3] == 0.0
    assert "6 points: 2 material classes" in waste.details["next_tier"]
    voc = res["BJ-GM-009"]
    assert voc.status == "fail" and voc.value == pytest.approx(0.5) and voc.bound == "exact"
    assert sorted(e.name or "" for e in voc.elements) == ["Interior wall paint", "Tile adhesive"]
    assert {r[0]: r[1] for r in voc.details["tables"][0]["rows"]} == {
        "Interior wall paint": "coatings",
        "Tile adhesive": "adhesives",
    }
    assert voc.details["declared_not_low_voc"] == 1 and voc.details["undeclared"] == 0


def test_undeclared_low_voc_is_unknown_and_listed_to_add(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    building = checked(housing(make_model, {"Tile adhesive": None}), ruleset)
    voc = results(building)["BJ-GM-009"]
    assert voc.status == "unknown" and voc.value is None
    assert any("CN_GreenBuilding.LowVOC of 1 target materials: Tile adhesive" in m for m in voc.missing)
    rows = [d for d in building.data_to_add if d.property == "LowVOC"]
    assert len(rows) == 1 and rows[0].entity == "IfcMaterial" and rows[0].element_count == 1  # not the concrete
    assert "BJ-GM-009" in rows[0].rules


def test_undeclared_waste_flag_leaves_points_open(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Without WasteBased on the clay brick, masonry lies between 6000 / 9600 = 62.5 % (>= 50 %) and 100 %: at least 3
    points whatever it is -> a pass as a lower bound; the concrete could still be a second class (3 .. 6 points)."""
    tiny = housing(make_model)
    for material in tiny.file.by_type("IfcMaterial"):
        if material.Name == "C30 concrete":
            for props in tiny.file.by_type("IfcMaterialProperties"):
                if props.Material == material and props.Name == "CN_GreenBuilding":
                    ifcopenshell.api.pset.edit_pset(tiny.file, pset=props, properties={"WasteBased": None})
    waste = results(checked(tiny, ruleset))["BJ-GM-008"]
    assert waste.status == "pass" and waste.bound == "lower" and waste.value == 3.0
    assert waste.details["points_interval"] == [3.0, 6.0]
    assert any(
        "CN_GreenBuilding.WasteBased of 1 materials of kind 预拌混凝土: C30 concrete" in m for m in waste.missing
    )


def window(tiny: Any, name: str, window_type: Any, own_class: int | None = None) -> ifcopenshell.entity_instance:
    element = tiny.element("IfcWindow", name, 0)
    tiny.pset(element, "Pset_WindowCommon", {"IsExternal": True, "ThermalTransmittance": 1.5})
    ifcopenshell.api.type.assign_type(tiny.file, related_objects=[element], relating_type=window_type)
    if own_class is not None:
        tiny.pset(element, "CN_GreenBuilding", {"AirtightnessClass": own_class})
    return element


def test_window_airtightness_from_type_and_occurrence(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Residential: class 6 needed. The type says 6 (two windows inherit it), one occurrence overrides it with 4:
    one window below -> fail naming it; a window of an undeclared type is listed to add."""
    tiny = housing(make_model)
    typed = ifcopenshell.api.root.create_entity(tiny.file, ifc_class="IfcWindowType", name="W1 casement")
    tiny.pset(typed, "CN_GreenBuilding", {"AirtightnessClass": 6})
    bare = ifcopenshell.api.root.create_entity(tiny.file, ifc_class="IfcWindowType", name="W2 fixed")
    good = [window(tiny, f"W1-{i}", typed) for i in range(2)]
    leaky = window(tiny, "W1-leaky", typed, own_class=4)
    building = checked(tiny, ruleset)
    tight = results(building)["BJ-STAR-030"]
    assert tight.status == "fail" and tight.value == 1.0 and tight.bound == "exact"
    assert [e.global_id for e in tight.elements] == [leaky.GlobalId]
    assert {r[0]: r[2] for r in tight.details["tables"][0]["rows"]} == {
        good[0].GlobalId: 6,
        good[1].GlobalId: 6,
        leaky.GlobalId: 4,
    }
    # a window whose type declares nothing: the known fail stays a fail (1 .. 2 windows below: a lower bound)
    window(tiny, "W2-1", bare)
    tight = results(checked(tiny, ruleset))["BJ-STAR-030"]
    assert tight.status == "fail" and tight.value == 1.0 and tight.bound == "lower"


def test_window_without_class_is_unknown_and_listed(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    tiny = housing(make_model)
    typed = ifcopenshell.api.root.create_entity(tiny.file, ifc_class="IfcWindowType", name="W1 casement")
    tiny.pset(typed, "CN_GreenBuilding", {"AirtightnessClass": "7级"})  # an IfcLabel, as some templates write it
    bare = ifcopenshell.api.root.create_entity(tiny.file, ifc_class="IfcWindowType", name="W2 fixed")
    window(tiny, "W1-1", typed)
    lacking = window(tiny, "W2-1", bare)
    building = checked(tiny, ruleset)
    tight = results(building)["BJ-STAR-030"]
    assert tight.status == "unknown" and tight.value is None
    rows = [d for d in building.data_to_add if d.property == "AirtightnessClass" and d.entity == "IfcWindow"]
    assert len(rows) == 1 and rows[0].global_ids == [lacking.GlobalId] and rows[0].rules == ["BJ-STAR-030"]
