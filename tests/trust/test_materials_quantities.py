"""Issue 8 case 8: a material kind whose materials carry no density and whose elements no volume is never weighed by
counting elements.

An ArchiCAD-like IFC4 two-star office: the windows' glass (certified) and aluminium frames (not certified) declare no
Pset_MaterialCommon.MassDensity, and the windows have no volume quantity and no body. The old take-off weighed the
window kind by element count (9 certified glazing elements of 10 = 90 % -> qualified) and passed the two-star 20 %
minimum at 2/3 x 45 = 30 %. The kind's certified share is unknown, so the ratio lies in [15 %, 30 %]: unknown, naming
the kind and the missing quantities.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ifcopenshell
import ifcopenshell.api.material
import ifcopenshell.api.pset
import pytest

from checker.api import check_file
from checker.rules.results import BuildingResult, RuleResult
from checker.rules.schema import Ruleset

GENERATED_AT = "2024-01-01T00:00:00Z"
SCORES = {
    "AssessmentStage": "final",
    "ControlItemsMet": True,
    "FullDecoration": True,
    "ScoreSafety": 70.0,
    "ScoreHealth": 70.0,
    "ScoreConvenience": 60.0,
    "ScoreResource": 130.0,
    "ScoreEnvironment": 70.0,
    "ScoreInnovation": 0.0,
    "ScoreGreenMaterials": 4.0,
}


def material(
    tiny: Any, name: str, kind: str, certified: bool, density: float | None, recyclable: bool = False
) -> ifcopenshell.entity_instance:
    """An IfcMaterial with CN_GreenBuilding flags and, when given, Pset_MaterialCommon.MassDensity (IFC4 psets)."""
    f = tiny.file
    made = ifcopenshell.api.material.add_material(f, name=name, category=kind)
    if density is not None:
        common = ifcopenshell.api.pset.add_pset(f, product=made, name="Pset_MaterialCommon")
        ifcopenshell.api.pset.edit_pset(f, pset=common, properties={"MassDensity": density})
    green = ifcopenshell.api.pset.add_pset(f, product=made, name="CN_GreenBuilding")
    flags = {
        "MaterialKind": kind,
        "MaterialCategory": "structure_envelope",
        "GreenCertified": certified,
        "Recyclable": recyclable,
    }
    ifcopenshell.api.pset.edit_pset(f, pset=green, properties=flags)
    return made


def net_volume(tiny: Any, product: ifcopenshell.entity_instance, qto: str, volume_m3: float) -> None:
    made = ifcopenshell.api.pset.add_qto(tiny.file, product=product, name=qto)
    value = tiny.file.createIfcVolumeMeasure(volume_m3 / tiny.m.scale**3)
    ifcopenshell.api.pset.edit_qto(tiny.file, qto=made, properties={"NetVolume": value})


def office(make_model: Callable[..., Any], windows_weighed: bool = False) -> Any:
    """Concrete walls 50 m³ certified + footing 30 m³ not (62.5 %: the concrete kind does not qualify); steel columns
    2 m³ certified and recyclable (the steel kind qualifies); 9 glazed windows with certified glass and 1 window
    with an uncertified aluminium frame, all without volume. `windows_weighed` gives the windows a volume and the
    two window materials a density (the data the rule needs)."""
    tiny = make_model(schema="IFC4", length_unit="MILLIMETRE", storeys=[("EG", 0.0)])
    tiny.pset(tiny.building, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    tiny.pset(tiny.building, "CN_GreenBuilding", {"ConstructionType": "New", "TargetStarLevel": 2, **SCORES})
    c30 = material(tiny, "C30 concrete", "预拌混凝土", True, 2400.0)
    c15 = material(tiny, "C15 concrete", "预拌混凝土", False, 2400.0)
    steel = material(tiny, "S355 steel", "钢结构构件", True, 7850.0, recyclable=True)
    density = 2500.0 if windows_weighed else None
    glass = material(tiny, "Low-E glass", "节能门窗", True, density)
    frame = material(tiny, "Aluminium frame", "节能门窗", False, 2700.0 if windows_weighed else None)
    for cls, name, made, volume, qto in (
        ("IfcWall", "Wall", c30, 50.0, "Qto_WallBaseQuantities"),
        ("IfcFooting", "Footing", c15, 30.0, "Qto_FootingBaseQuantities"),
        ("IfcColumn", "Column", steel, 2.0, "Qto_ColumnBaseQuantities"),
    ):
        element = tiny.element(cls, name)
        ifcopenshell.api.material.assign_material(tiny.file, products=[element], material=made)
        net_volume(tiny, element, qto, volume)
    for index in range(10):
        window = tiny.element("IfcWindow", f"Window {index + 1}")
        ifcopenshell.api.material.assign_material(tiny.file, products=[window], material=glass if index < 9 else frame)
        if windows_weighed:
            net_volume(tiny, window, "Qto_WindowBaseQuantities", 0.05)
    return tiny


def checked(tiny: Any, ruleset: Ruleset) -> tuple[BuildingResult, dict[str, RuleResult]]:
    run = check_file(tiny.write(), ruleset, generated_at=GENERATED_AT)
    building = run.buildings[0]
    return building, {r.rule_id: r for r in building.results}


def test_window_kind_without_quantities_is_undecided(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    building, res = checked(office(make_model), ruleset)
    ratio = res["BJ-GM-002"]
    records = {r.name: r.values for r in ratio.elements}
    assert records["Low-E glass"]["mass_kg"] is None and records["Low-E glass"]["volume_m3"] is None
    assert records["Low-E glass"]["element_count"] == 9
    assert records["C30 concrete"]["mass_kg"] == pytest.approx(50 * 2400)
    # concrete 120,000 / 192,000 kg = 62.5 % -> not qualified; steel qualified; windows undecided:
    # structure 1/3 .. 2/3 of 45 -> ratio in [15 %, 30 %], which does not settle the two-star 20 %
    assert ratio.status == "unknown" and ratio.value is None
    assert ratio.details["ratio_interval"] == [pytest.approx(0.15), pytest.approx(0.30)]
    assert any("节能门窗" in m and "Low-E glass" in m for m in ratio.missing)
    kinds = {row[1]: row for row in ratio.details["tables"][1]["rows"]}
    assert kinds["节能门窗"][6] == "unknown" and "element" not in kinds["节能门窗"][2]
    assert kinds["预拌混凝土"][5] == pytest.approx(0.625) and kinds["预拌混凝土"][6] is False
    points = res["BJ-GM-004"]  # 15 % -> 0 points, 30 % -> 4 points: the 4 required are not settled
    assert points.status == "unknown" and any("between 0 and 4 points" in m for m in points.missing)
    # certified share: glass (certified) and frame (not) lack every basis -> both directions -> unknown
    certified = res["BJ-GM-005"]
    assert certified.status == "unknown" and any("Aluminium frame" in m for m in certified.missing)
    # recyclable: steel 15,700 of 207,700 kg known = 7.6 %; glass and frame (not recyclable) could only add mass
    recyclable = res["BJ-GM-007"]
    assert recyclable.status == "fail" and recyclable.bound == "upper"
    assert recyclable.value == pytest.approx(2 * 7850 / (80 * 2400 + 2 * 7850), abs=1e-6)
    # scorecard: at 15 % -> 0 points, Q 79.6, level 1 (2-star needs 20 %); at 30 % -> 4 points, Q 80.0, level 2:
    # margin -1 .. 0 -> unknown; 7.2.18 points 0 .. 4 against 4 declared -> overclaim -4 .. 0 -> unknown
    assert res["BJ-STAR-010"].status == "unknown"
    assert any("between -1 and 0" in m for m in res["BJ-STAR-010"].missing)
    assert res["BJ-STAR-013"].status == "unknown"
    assert res["BJ-STAR-012"].status == "pass" and res["BJ-STAR-012"].value == pytest.approx(0.6)
    assert res["BJ-STAR-014"].status == "pass"
    assert res["BJ-STAR-011"].status == "not_applicable"  # three-star only


def test_window_kind_with_quantities_is_decided(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """With densities and volumes the window kind is weighed by mass: glass 9 x 0.05 x 2500 = 1,125 kg of
    1,125 + 135 kg = 89.3 % -> qualified; ratio 2/3 x 45 = 30 % exact -> two-star pass, level 2."""
    building, res = checked(office(make_model, windows_weighed=True), ruleset)
    ratio = res["BJ-GM-002"]
    assert ratio.status == "pass" and ratio.bound == "exact" and ratio.value == pytest.approx(0.30)
    kinds = {row[1]: row for row in ratio.details["tables"][1]["rows"]}
    assert kinds["节能门窗"][2] == "mass (kg)" and kinds["节能门窗"][5] == pytest.approx(1125 / 1260, abs=1e-4)
    assert res["BJ-STAR-010"].status == "pass" and res["BJ-STAR-010"].details["level_reached"] == 2
    assert building.facts["elements_without_material"].value == 0
