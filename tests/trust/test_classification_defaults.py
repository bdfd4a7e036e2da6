"""Issue 8, case 10: defaults that hid applicability. Rural is inferred from the use (农宅) or unknown, never false by
default; an extension (扩建) is new floor area, not a retrofit; one EXISTING element does not make a new building a
retrofit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checker.api import check_file
from checker.rules.results import CheckRun, RuleResult, Status
from checker.rules.schema import Ruleset


def check(model: Any, ruleset: Ruleset) -> CheckRun:
    return check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z")


def result(run: CheckRun, rule_id: str) -> RuleResult:
    return next(r for r in run.buildings[0].results if r.rule_id == rule_id)


def revit_cn_house(make_model: Callable[..., Any], occupancy: str, green: dict[str, Any]) -> Any:
    """An IFC2X3 Revit-CN export: millimetres, 标高 storeys, OccupancyType and CN_GreenBuilding on the building."""
    model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=[("标高 1", 0.0), ("标高 2", 3.0)])
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": occupancy})
    model.pset(model.building, "CN_GreenBuilding", green)
    return model


# --- (a) Rural and InAdministrativeOfficeArea ---------------------------------------------------------------------


def test_rural_house_is_inferred_from_its_use(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = revit_cn_house(make_model, "农宅", {"ConstructionType": "新建", "TargetStarLevel": 2})
    run = check(model, ruleset)
    facts = run.buildings[0].facts
    rural = facts["is_rural"]
    assert rural.value is True
    assert rural.evidence[0].source == "Pset_BuildingCommon.OccupancyType"
    assert rural.evidence[0].note == "inferred: '农宅' contains the ruleset's rural keyword 农宅"
    assert rural.warnings == [
        "rural building inferred from Pset_BuildingCommon.OccupancyType '农宅': declare CN_GreenBuilding.Rural"
    ]
    assert facts["use_category"].value == "residential"
    rule = result(run, "BJ-ULE-RURAL")  # was not applicable: Rural defaulted to false
    assert rule.status is Status.FAIL and rule.severity == "warning" and rule.value == 0
    assert result(run, "BJ-ULE-WALL-RES").status is Status.NOT_APPLICABLE  # no target declared: no GB/T 51350 rule


def test_declared_rural_flag_wins_over_the_use_text(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = revit_cn_house(make_model, "农宅", {"ConstructionType": "新建", "Rural": False})
    run = check(model, ruleset)
    assert run.buildings[0].facts["is_rural"].value is False
    assert result(run, "BJ-ULE-RURAL").status is Status.NOT_APPLICABLE


def test_undeclared_flags_are_unknown_not_false(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = revit_cn_house(make_model, "住宅", {"ConstructionType": "新建"})
    run = check(model, ruleset)
    facts = run.buildings[0].facts
    assert facts["is_rural"].value is None
    assert facts["is_rural"].missing == (
        "CN_GreenBuilding.Rural on the IfcBuilding (and no rural keyword in its OccupancyType or UseCategory)"
    )
    assert facts["in_admin_office_area"].value is None
    assert facts["in_admin_office_area"].missing == "CN_GreenBuilding.InAdministrativeOfficeArea on the IfcBuilding"
    for rule_id in ("BJ-ULE-RURAL", "BJ-ULE-DEMO-ADMIN"):
        rule = result(run, rule_id)
        assert rule.status is Status.UNKNOWN and rule.severity == "warning", rule_id
    assert any("CN_GreenBuilding.Rural" in m for m in result(run, "BJ-ULE-RURAL").missing)


# --- (b) extensions -----------------------------------------------------------------------------------------------


def archicad_office(make_model: Callable[..., Any], green: dict[str, Any], method: str | None = None) -> Any:
    """An IFC4 ArchiCAD-like office: metres, Pset_BuildingCommon with OccupancyType (and ConstructionMethod)."""
    model = make_model(schema="IFC4", length_unit="METRE", storeys=[("EG", 0.0), ("OG 1", 3.5)])
    common: dict[str, Any] = {"OccupancyType": "Office"}
    if method is not None:
        common["ConstructionMethod"] = method
    model.pset(model.building, "Pset_BuildingCommon", common)
    model.pset(model.building, "CN_GreenBuilding", green)
    return model


def test_extension_is_new_construction(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = archicad_office(make_model, {"ConstructionType": "扩建", "TargetStarLevel": 2, "GovernmentInvested": True})
    run = check(model, ruleset)
    facts = run.buildings[0].facts
    assert facts["construction_status"].value == "extension"
    assert facts["is_new"].value is True
    assert facts["is_new"].evidence[-1].source == (
        "an extension (扩建) adds new floor area: new construction for the plan's 新建 clauses"
    )
    star = result(run, "BJ-STAR-001")  # was not applicable: 扩建 read as a retrofit
    assert star.status is Status.FAIL and star.value == 2 and star.gap == 1
    assert result(run, "BJ-STAR-003").status is Status.NOT_APPLICABLE
    assert result(run, "BJ-PV-001").status is Status.FAIL


@pytest.mark.parametrize(
    ("declared", "method", "status"),
    [
        ({"ConstructionType": "改造"}, None, "retrofit"),
        ({}, "Renovation", "retrofit"),
        ({}, "New construction", "new"),
        ({"ConstructionType": "Extension"}, "Renovation", "extension"),  # the custom property wins
    ],
)
def test_declared_construction_status(
    make_model: Callable[..., Any], ruleset: Ruleset, declared: dict[str, Any], method: str | None, status: str
) -> None:
    run = check(archicad_office(make_model, declared, method), ruleset)
    assert run.buildings[0].facts["construction_status"].value == status


def test_alteration_and_extension_is_unknown(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """改扩建 is both an alteration and an extension: which rules apply depends on the part modelled."""
    run = check(archicad_office(make_model, {"ConstructionType": "改扩建"}), ruleset)
    status = run.buildings[0].facts["construction_status"]
    assert status.value is None
    assert status.missing is not None and status.missing.endswith(
        "CN_GreenBuilding.ConstructionType '改扩建' reads as extension and retrofit"
    )
    assert result(run, "BJ-STAR-001").status is Status.UNKNOWN


# --- (c) element Status -------------------------------------------------------------------------------------------


def office_with_wall_statuses(make_model: Callable[..., Any], statuses: list[str], green: dict[str, Any]) -> Any:
    model = archicad_office(make_model, green)
    for n, wall_status in enumerate(statuses):
        wall = model.element("IfcWall", f"Wall {n}", storey=0)
        model.pset(wall, "Pset_WallCommon", {"Status": wall_status, "IsExternal": True})
    return model


def test_one_kept_wall_makes_the_status_unknown(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = office_with_wall_statuses(make_model, ["NEW"] * 5 + ["EXISTING"], {"TargetStarLevel": 3})
    run = check(model, ruleset)
    status = run.buildings[0].facts["construction_status"]
    assert status.value is None
    assert status.missing == (
        "CN_GreenBuilding.ConstructionType (新建 / 扩建 / 改造: New / Extension / Retrofit) on the IfcBuilding: its "
        "elements' Pset_*Common.Status are mixed (5 NEW, 1 EXISTING), which may be a retrofit or an extension"
    )
    assert result(run, "BJ-CLS-002").status is Status.UNKNOWN
    assert result(run, "BJ-STAR-001").status is Status.UNKNOWN  # was not applicable: read as a retrofit


@pytest.mark.parametrize(
    ("statuses", "value"),
    [(["NEW", "NEW", "NOTKNOWN"], "new"), (["EXISTING", "DEMOLISH"], "retrofit")],
)
def test_unanimous_element_statuses(
    make_model: Callable[..., Any], ruleset: Ruleset, statuses: list[str], value: str
) -> None:
    run = check(office_with_wall_statuses(make_model, statuses, {}), ruleset)
    status = run.buildings[0].facts["construction_status"]
    assert status.value == value
    assert status.evidence[0].source == "Pset_*Common.Status" and status.evidence[0].count == 2
    assert status.warnings and status.warnings[0].startswith("construction status taken from element Status")


def test_declared_type_is_not_second_guessed_by_element_status(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    model = office_with_wall_statuses(make_model, ["NEW", "EXISTING"], {"ConstructionType": "New"})
    status = check(model, ruleset).buildings[0].facts["construction_status"]
    assert status.value == "new" and status.evidence[0].source == "CN_GreenBuilding.ConstructionType"
