"""Issue 10 item 1: the "data to add" checklist names material-level data once, on the IfcMaterials that lack it.

A Revit-like IFC2X3 office: classified, quantified materials (IfcExtendedMaterialProperties, as Revit writes them),
plus Revit's 'Default' material on the roof slab (no CN_GreenBuilding, no MassDensity) and a column exported with no
IfcRelAssociatesMaterial. The material rules stay unknown; the checklist says which material lacks which property
(by name and #step id: IfcMaterial has no GlobalId) and which element lacks a material (by GlobalId), and the IDS
states both. An ArchiCAD-like IFC4 export whose layer material carries a category the ruleset does not know lists
that material as lacking a MaterialCategory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ifcopenshell
import ifcopenshell.api.material
import ifcopenshell.api.pset
import pytest

from checker.api import check_file
from checker.report.checklist_view import card_missing
from checker.report.ids import IdsReporter
from checker.rules.results import BuildingResult, CheckRun, MissingData, Status
from checker.rules.schema import Ruleset

GENERATED_AT = "2024-01-01T00:00:00Z"
# name: (MaterialKind, MaterialCategory, MassDensity kg/m³, GreenCertified)
MATERIALS = {
    "C30 concrete": ("预拌混凝土", "structure_envelope", 2400.0, True),
    "Ceramic tile": ("陶瓷", "decoration", 2300.0, True),
}
SCORES = {"ConstructionType": "New", "TargetStarLevel": 3, "ScoreGreenMaterials": 12.0}


def add_material(tiny: Any, name: str, data: tuple[str, str, float, bool] | None) -> ifcopenshell.entity_instance:
    """An IfcMaterial; with `data` its MassDensity and CN_GreenBuilding kind, category and certificate."""
    material = ifcopenshell.api.material.add_material(tiny.file, name=name)
    if data is None:
        return material
    kind, category, density, certified = data
    common = ifcopenshell.api.pset.add_pset(tiny.file, product=material, name="Pset_MaterialCommon")
    density_value = tiny.file.create_entity("IfcMassDensityMeasure", density)
    ifcopenshell.api.pset.edit_pset(tiny.file, pset=common, properties={"MassDensity": density_value})
    green = ifcopenshell.api.pset.add_pset(tiny.file, product=material, name="CN_GreenBuilding")
    flags = {"MaterialKind": kind, "MaterialCategory": category, "GreenCertified": certified}
    ifcopenshell.api.pset.edit_pset(tiny.file, pset=green, properties=flags)
    return material


def with_volume(tiny: Any, element: ifcopenshell.entity_instance, volume_m3: float) -> None:
    """A NetVolume quantity (IFC2X3 exporters call the set BaseQuantities)."""
    name = tiny.m.qto_name(f"Qto_{element.is_a()[3:]}BaseQuantities")
    qto = ifcopenshell.api.pset.add_qto(tiny.file, product=element, name=name)
    volume = tiny.file.createIfcVolumeMeasure(volume_m3 / tiny.m.scale**3)
    ifcopenshell.api.pset.edit_qto(tiny.file, qto=qto, properties={"NetVolume": volume})


def revit_office(make_model: Callable[..., Any]) -> tuple[Any, dict[str, ifcopenshell.entity_instance]]:
    tiny = make_model(schema="IFC2X3", length_unit="METRE", storeys=[("L1", 0.0), ("Roof", 4.0)])
    tiny.pset(tiny.building, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    tiny.pset(tiny.building, "CN_GreenBuilding", SCORES)
    mats = {name: add_material(tiny, name, data) for name, data in MATERIALS.items()}
    mats["Default"] = add_material(tiny, "Default", None)  # Revit's fallback material: nothing declared
    made = {}
    for ifc_class, name, storey, predefined, material, volume in [
        ("IfcSlab", "Floor 200", 0, "FLOOR", "C30 concrete", 200.0),
        ("IfcCovering", "Floor tiles", 0, "FLOORING", "Ceramic tile", 5.0),
        ("IfcSlab", "Roof slab", 1, "ROOF", "Default", 100.0),
        ("IfcColumn", "Column C1", 0, "COLUMN", None, 2.0),  # exported without IfcRelAssociatesMaterial
    ]:
        element = tiny.element(ifc_class, name, storey, predefined)
        if material is not None:
            ifcopenshell.api.material.assign_material(tiny.file, products=[element], material=mats[material])
        with_volume(tiny, element, volume)
        made[name] = element
    made.update(mats)
    return tiny, made


def rows_of(building: BuildingResult) -> dict[str, MissingData]:
    return {row.key: row for row in building.data_to_add}


def checked(tiny: Any, ruleset: Ruleset, name: str = "tiny.ifc") -> CheckRun:
    return check_file(tiny.write(name), ruleset, generated_at=GENERATED_AT)


def test_revit_default_material_and_a_bare_column_are_rows(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    tiny, made = revit_office(make_model)
    run = checked(tiny, ruleset)
    (building,) = run.buildings
    statuses = {r.rule_id: r.status for r in building.results}
    assert [statuses[r] for r in ("BJ-GM-001", "BJ-GM-004", "BJ-STAR-013")] == [Status.UNKNOWN] * 3
    rows = rows_of(building)
    default = f"Default (#{made['Default'].id()})"
    kind = rows["IfcMaterial:CN_GreenBuilding.MaterialKind"]
    assert (kind.entity, kind.value_type, kind.element_count, kind.names, kind.global_ids) == (
        "IfcMaterial",
        "IfcLabel",
        1,
        [default],
        [],
    )
    # 3 stars claimed: BJ-GM-002/003 n.a.; BJ-GM-008 (issue 12) groups the waste-based share by kind
    assert kind.rules == ["BJ-GM-001", "BJ-GM-004", "BJ-GM-008", "BJ-STAR-013"]
    category = rows["IfcMaterial:CN_GreenBuilding.MaterialCategory"]
    assert category.allowed == ["structure_envelope", "decoration", "mep", "outdoor"] and category.enumerated
    assert category.names == [default] and category.rules == ["BJ-GM-001", "BJ-GM-004", "BJ-STAR-013"]
    bare = rows["IfcElement:IfcRelAssociatesMaterial.RelatingMaterial"]
    assert (bare.requirement, bare.element_count, bare.global_ids) == ("material", 1, [made["Column C1"].GlobalId])
    assert bare.rules == ["BJ-GM-001", "BJ-GM-004", "BJ-GM-005", "BJ-GM-008", "BJ-STAR-013"]
    # the Default material's mass is missing from the certified share by mass (it would lower it)
    density = rows["IfcMaterial:Pset_MaterialCommon.MassDensity"]
    assert (density.value_type, density.names) == ("IfcMassDensityMeasure", [default])
    assert density.rules == ["BJ-GM-005", "BJ-GM-008"]
    assert statuses["BJ-GM-005"] is Status.UNKNOWN
    # the two complete materials are never named (but for WasteBased, which no material here declares: BJ-GM-008)
    assert not any("C30" in name for row in building.data_to_add for name in row.names if row.property != "WasteBased")
    gm001 = next(r for r in building.results if r.rule_id == "BJ-GM-001")
    # only the engine's summary of the interval stays as text: the data it needs are the rows
    assert card_missing(gm001, [building]).other == [
        "the data leave the figure between 0.0% and 80.0%, which does not settle the rule"
    ]


def test_ids_states_material_properties_on_the_named_materials(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    """IDS 1.0 property facets apply to materials: the specification selects IFCMATERIAL by Name and requires the
    property; the bare column gets a material facet. The IDS is valid against the IDS 1.0 XSD, and ifctester run on
    the model fails exactly the listed material and element."""
    ifctester_ids = pytest.importorskip("ifctester.ids")
    tiny, made = revit_office(make_model)
    run = checked(tiny, ruleset)
    xml = IdsReporter().render(run).decode("utf-8")
    ifctester_ids.get_schema().validate(xml)
    document = ifctester_ids.from_string(xml)
    document.validate(ifcopenshell.open(str(tiny.written[-1])))
    failed = {spec.name: sorted(e.id() for e in spec.failed_entities) for spec in document.specifications}
    assert failed["CN_GreenBuilding.MaterialKind on IfcMaterial"] == [made["Default"].id()]
    assert failed["IfcRelAssociatesMaterial.RelatingMaterial on IfcElement"] == [made["Column C1"].id()]


def test_archicad_layer_material_with_an_unknown_category(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """ArchiCAD-like IFC4 in millimetres: a wall's layer set whose insulation says 'Dämmung' as its category, a word
    the ruleset does not read: the material is listed as lacking MaterialCategory, not as complete."""
    tiny = make_model(schema="IFC4", length_unit="MILLIMETRE", storeys=[("EG", 0.0)], building="Haus")
    tiny.pset(tiny.building, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    tiny.pset(tiny.building, "CN_GreenBuilding", SCORES)
    concrete = add_material(tiny, "Beton", ("预拌混凝土", "structure_envelope", 2400.0, True))
    insulation = add_material(tiny, "Mineralwolle", ("保温材料", "Dämmung", 30.0, True))
    layers = ifcopenshell.api.material.add_material_set(tiny.file, name="AW 36", set_type="IfcMaterialLayerSet")
    for material, thickness_mm in ((concrete, 200.0), (insulation, 160.0)):
        layer = ifcopenshell.api.material.add_layer(tiny.file, layer_set=layers, material=material)
        layer.LayerThickness = thickness_mm
    wall = tiny.element("IfcWall", "Aussenwand", 0)
    ifcopenshell.api.material.assign_material(tiny.file, products=[wall], material=layers)
    with_volume(tiny, wall, 10.8)
    (building,) = checked(tiny, ruleset, "archicad.ifc").buildings
    rows = rows_of(building)
    category = rows["IfcMaterial:CN_GreenBuilding.MaterialCategory"]
    assert category.names == [f"Mineralwolle (#{insulation.id()})"] and category.element_count == 1
    # the certified insulation of unknown category can only raise the ratio: BJ-GM-001 passes on its lower bound
    # (45 %), BJ-GM-004 at 4 points or more; only the declared 12 points of BJ-STAR-013 wait on the category
    results = {r.rule_id: r for r in building.results}
    assert (results["BJ-GM-001"].status, results["BJ-GM-001"].value, results["BJ-GM-001"].bound) == (
        Status.PASS,
        0.45,
        "lower",
    )
    assert (results["BJ-GM-004"].status, results["BJ-GM-004"].value) == (Status.PASS, 4.0)
    assert category.rules == ["BJ-STAR-013"]
    assert "IfcMaterial:CN_GreenBuilding.MaterialKind" not in rows  # both kinds are declared
    assert "IfcElement:IfcRelAssociatesMaterial.RelatingMaterial" not in rows
