"""Issue 8 case 2: the prefabrication trigger is the PROJECT's floor area
(新建地上建筑面积2万平方米（含）以上的公共建筑项目).

Models are built as Revit exports a multi-building project: one IfcProject > IfcSite > several IfcBuilding, storey
GrossFloorArea in IFC2X3 'BaseQuantities', no height; a project split across two files declares its total on the
IfcProject (CN_GreenBuilding.ProjectNewAboveGroundArea).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checker.api import check_file
from checker.rules.results import CheckRun, Status
from checker.rules.schema import Ruleset

PREFAB_RULES = ("BJ-PREFAB-001", "BJ-PREFAB-002", "BJ-PREFAB-003", "BJ-PREFAB-004")
NEW_PUBLIC = {"ConstructionType": "新建", "GovernmentInvested": False}


def _hall(model: Any, name: str, storey_areas: list[float], occupancy: str = "展览馆", first: bool = False) -> Any:
    """A building with storeys 0 / 5 / 10 m holding the given GrossFloorArea (m²)."""
    building = model.building if first else model.add_building(name)
    if first:
        building.Name = name
    model.pset(building, "Pset_BuildingCommon", {"OccupancyType": occupancy})
    model.pset(building, "CN_GreenBuilding", NEW_PUBLIC)
    storeys = model.storeys if first else []
    for n, area in enumerate(storey_areas):
        storey = (
            storeys[n]
            if n < len(storeys)
            else model.ib.add_spatial(model.m, "IfcBuildingStorey", f"F{n + 1}", building, z=5.0 * n)
        )
        model.qto(storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": area})
    return building


def _two_halls(make_model: Callable[..., Any], second: list[float] | None = None) -> Any:
    model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=[("F1", 0.0), ("F2", 5.0)])
    _hall(model, "Hall A", [6000.0, 6000.0], first=True)
    _hall(model, "Hall B", second if second is not None else [6000.0, 6000.0])
    return model


def _check(model: Any, ruleset: Ruleset, name: str = "project.ifc") -> CheckRun:
    return check_file(model.write(name), ruleset, generated_at="2024-01-01T00:00:00Z")


def _status(run: CheckRun, building: str, rule_id: str) -> Status:
    found = next(b for b in run.buildings if b.name == building)
    return next(r.status for r in found.results if r.rule_id == rule_id)


def test_two_halls_of_one_project_are_in_scope_together(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    run = _check(_two_halls(make_model), ruleset)
    area = run.project.facts["project_new_public_above_ground_gfa"]
    assert area.value == pytest.approx(24_000.0) and area.bound == "exact"
    assert sorted(b.facts["above_ground_gfa"].value for b in run.buildings) == [12_000.0, 12_000.0]
    assert area.evidence[0].count == 2
    for hall in ("Hall A", "Hall B"):
        for rule_id in PREFAB_RULES:
            assert _status(run, hall, rule_id) is not Status.NOT_APPLICABLE, (hall, rule_id)
    (project_rule,) = run.project.results
    assert project_rule.rule_id == "BJ-PRJ-001" and project_rule.status is Status.PASS


def test_one_hall_alone_is_below_the_project_threshold(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=[("F1", 0.0), ("F2", 5.0)])
    _hall(model, "Hall A", [6000.0, 6000.0], first=True)
    run = _check(model, ruleset)
    result = next(r for r in run.buildings[0].results if r.rule_id == "BJ-PREFAB-001")
    assert result.status is Status.NOT_APPLICABLE
    assert "the project's new public above-ground floor area is 12,000" in result.message.en


def test_residential_building_of_the_project_does_not_count(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = _two_halls(make_model, second=[9000.0, 9000.0])
    next(b for b in model.file.by_type("IfcBuilding") if b.Name == "Hall B").Name = "Tower"
    for rel in model.file.by_type("IfcRelDefinesByProperties"):
        definition = rel.RelatingPropertyDefinition
        if definition.Name == "Pset_BuildingCommon" and rel.RelatedObjects[0].Name == "Tower":
            definition.HasProperties[0].NominalValue.wrappedValue = "住宅"
    run = _check(model, ruleset)
    assert run.project.facts["project_new_public_above_ground_gfa"].value == pytest.approx(12_000.0)
    assert _status(run, "Hall A", "BJ-PREFAB-001") is Status.NOT_APPLICABLE


def test_a_hall_of_unknown_use_leaves_the_scope_open(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """12,000 m² known plus 12,000 m² whose use is undeclared: at least 12,000 m², so the scope is unknown, not N/A."""
    model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=[("F1", 0.0), ("F2", 5.0)])
    _hall(model, "Hall A", [6000.0, 6000.0], first=True)
    hall_b = model.add_building("Hall B")
    model.pset(hall_b, "CN_GreenBuilding", NEW_PUBLIC)
    storey = model.ib.add_spatial(model.m, "IfcBuildingStorey", "F1", hall_b, z=0.0)
    model.qto(storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": 12_000.0})
    run = _check(model, ruleset)
    area = run.project.facts["project_new_public_above_ground_gfa"]
    assert area.value == pytest.approx(12_000.0) and area.bound == "lower"
    assert "Hall B" in (area.missing or "")
    result = next(
        r for r in next(b for b in run.buildings if b.name == "Hall A").results if r.rule_id == "BJ-PREFAB-001"
    )
    assert result.status is Status.UNKNOWN and "lower bound" in result.missing[0]
    assert run.project.results[0].status is Status.UNKNOWN


def test_project_split_across_files_declares_its_total(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Hall A and Hall B in two files of one project: each file alone holds 12,000 m²; the declared total decides."""
    runs = []
    for hall in ("Hall A", "Hall B"):
        model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=[("F1", 0.0), ("F2", 5.0)])
        _hall(model, hall, [6000.0, 6000.0], first=True)
        model.pset(model.m.project, "CN_GreenBuilding", {"ProjectNewAboveGroundArea": 24_000.0})
        runs.append(_check(model, ruleset, f"{hall}.ifc"))
    for run in runs:
        area = run.project.facts["project_new_public_above_ground_gfa"]
        assert area.value == pytest.approx(24_000.0) and area.bound == "exact"
        assert area.evidence[0].source == "CN_GreenBuilding.ProjectNewAboveGroundArea"
        assert "12,000 m²" in (area.evidence[0].note or "")
        assert all(r.status is not Status.NOT_APPLICABLE for r in run.buildings[0].results if r.rule_id in PREFAB_RULES)


def test_declared_total_below_what_the_file_shows_is_ignored(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = _two_halls(make_model)
    model.pset(model.m.project, "CN_GreenBuilding", {"ProjectNewAboveGroundArea": 15_000.0})
    area = _check(model, ruleset).project.facts["project_new_public_above_ground_gfa"]
    assert area.value == pytest.approx(24_000.0)
    assert any("declaration is ignored" in w for w in area.warnings)


def test_report_shows_the_project_first(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    import lxml.html

    from checker.report import render

    run = _check(_two_halls(make_model), ruleset)
    for lang, heading in (("en", "Project facts"), ("zh", "项目基本数据")):
        page = lxml.html.fromstring(render(run, "html", lang))
        sections = page.xpath("//main/section[@class='project' or @class='building']/@class")
        assert sections == ["project", "building", "building"]
        (project,) = page.xpath("//section[@class='project']")
        assert project.xpath(".//h3/text()")[0] == heading
        assert project.xpath(".//tr[@data-fact='project_new_public_above_ground_gfa']/td[2]")[0].text_content() == (
            "24,000 m²"
        )
        assert project.xpath(".//article/@data-rule-id") == ["BJ-PRJ-001"]
