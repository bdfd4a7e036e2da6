"""Issue 8, case 15: Chinese use names are recognised, and a building that declares no use (Chinese Revit exports
carry no OccupancyType) takes its use from its rooms' names only when one use clearly dominates, saying so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checker.api import check_file
from checker.model.keywords import category_matches
from checker.rules.results import CheckRun, RuleResult, Status
from checker.rules.schema import Ruleset

GREEN = {"ConstructionType": "新建", "GovernmentInvested": True, "TargetStarLevel": 3}


def check(model: Any, ruleset: Ruleset) -> CheckRun:
    return check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z")


def result(run: CheckRun, rule_id: str) -> RuleResult:
    return next(r for r in run.buildings[0].results if r.rule_id == rule_id)


def add_rooms(model: Any, rooms: list[tuple[str, int, float | None]]) -> list[Any]:
    """Revit-style IfcSpaces: Name = room number, LongName = room name, NetFloorArea when given (m²)."""
    made = []
    number = 101
    for long_name, count, area in rooms:
        for _ in range(count):
            space = model.ib.add_spatial(model.m, "IfcSpace", str(number), model.storeys[0])
            space.LongName = long_name
            if model.m.ifc2x3:
                space.InteriorOrExteriorSpace = "INTERNAL"
            if area is not None:
                model.qto(space, "Qto_SpaceBaseQuantities", {"NetFloorArea": area})
            made.append(space)
            number += 1
    return made


@pytest.mark.parametrize(
    ("occupancy", "category"),
    [
        ("教学楼", "public"),
        ("写字楼", "public"),
        ("综合楼", "public"),  # 综合 (mixed) lies inside 综合楼 (public): not mixed
        ("科研楼", "public"),
        ("门诊楼", "public"),
        ("中小学", "public"),
        ("托儿所", "public"),
        ("养老院", "public"),
        ("住宅社区", "residential"),  # bare 社区 is no public keyword any more
        ("社区服务中心", "public"),
        ("商业综合体", "mixed"),  # 商业 (public) and 综合体 (mixed) side by side
        ("农宅", "residential"),
    ],
)
def test_chinese_occupancy_types(ruleset: Ruleset, occupancy: str, category: str) -> None:
    table = [(entry.category, entry.keywords) for entry in ruleset.extraction.use_categories]
    found = list(category_matches(occupancy, table))
    assert (found[0] if len(found) == 1 else "mixed") == category


def test_occupancy_type_on_a_revit_cn_model(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """The keyword table end to end: an IFC2X3 Revit-CN model declaring 综合楼 is public, one rule applies as public."""
    model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=[("标高 1", 0.0)], building="")
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "综合楼"})
    model.pset(model.building, "CN_GreenBuilding", GREEN)
    run = check(model, ruleset)
    use = run.buildings[0].facts["use_category"]
    assert use.value == "public" and not use.warnings
    assert use.evidence[0].source == "Pset_BuildingCommon.OccupancyType"
    assert result(run, "BJ-PV-001").status is Status.FAIL  # a new public building without PV


def test_teaching_building_use_inferred_from_room_names(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Revit-CN IFC2X3 teaching building: 8 教室, 4 办公室, 4 卫生间 (no use), no OccupancyType -> public, inferred."""
    model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=[("标高 1", 0.0)], building="")
    model.pset(model.building, "Pset_BuildingCommon", {"NumberOfStoreys": 1})
    model.pset(model.building, "CN_GreenBuilding", GREEN)
    spaces = add_rooms(model, [("教室", 8, None), ("办公室", 4, None), ("卫生间", 4, None)])
    run = check(model, ruleset)
    use = run.buildings[0].facts["use_category"]
    assert use.value == "public"
    (evidence,) = use.evidence
    assert evidence.source == "inferred from 12 IfcSpace names (教室 ×8, 办公 ×4)"
    assert evidence.count == 12 and evidence.global_ids == [s.GlobalId for s in spaces[:12]]
    assert evidence.note == "inferred: 100% by count of 12 classified spaces (public 12 (教室 ×8, 办公 ×4))"
    assert use.warnings == [
        "use category 'public' inferred from IfcSpace names: declare Pset_BuildingCommon.OccupancyType"
    ]
    assert result(run, "BJ-CLS-001").status is Status.PASS
    assert result(run, "BJ-STAR-001").status is Status.PASS  # new public, 3-star declared
    assert result(run, "BJ-PV-001").status is Status.FAIL  # and a new public building needs PV


def test_rooms_of_two_uses_leave_the_use_unknown(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=[("标高 1", 0.0)], building="")
    model.pset(model.building, "CN_GreenBuilding", GREEN)
    add_rooms(model, [("卧室", 4, None), ("办公室", 4, None), ("走廊", 2, None)])
    run = check(model, ruleset)
    use = run.buildings[0].facts["use_category"]
    assert use.value is None
    assert use.missing == (
        "Pset_BuildingCommon.OccupancyType (or CN_GreenBuilding.UseCategory) on the IfcBuilding: IfcSpace names "
        "show no single dominant use (residential 4 (卧室 ×4); public 4 (办公 ×4); none reaches 70% of the 8 "
        "classified spaces)"
    )
    for rule_id in ("BJ-CLS-001", "BJ-STAR-002", "BJ-PV-001"):
        assert result(run, rule_id).status is Status.UNKNOWN, rule_id


def test_area_share_decides_when_the_count_does_not(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """IFC4 (ArchiCAD-like, quantities present): 2 classrooms of 80 m² and 2 bedrooms of 12 m² -> 50 % / 50 % by
    count, 87 % public by area -> public."""
    model = make_model(schema="IFC4", length_unit="METRE")
    model.pset(model.building, "CN_GreenBuilding", GREEN)
    add_rooms(model, [("Classroom", 2, 80.0), ("Bedroom", 2, 12.0)])
    use = check(model, ruleset).buildings[0].facts["use_category"]
    assert use.value == "public"
    assert use.evidence[0].note == (
        "inferred: 50% by count, 87% by area of 4 classified spaces "
        "(public 2 (classroom ×2); residential 2 (bedroom ×2))"
    )


def test_count_and_area_disagreeing_leave_the_use_unknown(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """3 bedrooms (75 % by count) beside a 2,000 m² workshop (98 % by area): which use is it? Unknown."""
    model = make_model(schema="IFC4", length_unit="METRE")
    add_rooms(model, [("卧室", 3, 15.0), ("车间", 1, 2000.0)])
    use = check(model, ruleset).buildings[0].facts["use_category"]
    assert use.value is None and "no single dominant use" in (use.missing or "")


def test_too_few_named_rooms_decide_nothing(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(schema="IFC4", length_unit="METRE")
    add_rooms(model, [("办公室", 2, None), ("卫生间", 1, None)])
    use = check(model, ruleset).buildings[0].facts["use_category"]
    assert use.value is None
    assert use.missing is not None
    assert use.missing.endswith(
        "(only 2 IfcSpace names show a use: public 2 (办公 ×2); at least 3 are needed to infer it)"
    )
