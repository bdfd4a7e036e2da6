"""Issue 8, case 11: the administrative office area is a demonstration area. An ordinary office there is not failed
at error severity against GB/T 51350; BJ-ULE-DEMO-ADMIN (warning) asks it to declare a target. A building that does
declare a target must back the claim (error)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checker.api import check_file
from checker.rules.results import CheckRun, RuleResult, Status, exit_status
from checker.rules.schema import Ruleset

TECHNICAL = ("BJ-ULE-WALL-PUB", "BJ-ULE-WIN-PUB", "BJ-ULE-N50-PUB", "BJ-ULE-SAVE-UL", "BJ-ULE-LEVEL")


def check(model: Any, ruleset: Ruleset) -> CheckRun:
    return check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z")


def result(run: CheckRun, rule_id: str) -> RuleResult:
    return next(r for r in run.buildings[0].results if r.rule_id == rule_id)


def admin_office(make_model: Callable[..., Any], green: dict[str, Any]) -> Any:
    """IFC4 (ArchiCAD-like) office in the administrative office area, one exterior wall of U 0.8."""
    model = make_model(schema="IFC4", length_unit="METRE")
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "办公"})
    base = {"ConstructionType": "新建", "InAdministrativeOfficeArea": True, "Rural": False}
    model.pset(model.building, "CN_GreenBuilding", base | green)
    wall = model.element("IfcWall", "Exterior wall", predefined_type="STANDARD")
    model.pset(wall, "Pset_WallCommon", {"IsExternal": True, "ThermalTransmittance": 0.8})
    model.qto(wall, "Qto_WallBaseQuantities", {"NetSideArea": 120.0, "GrossSideArea": 120.0})
    return model


def test_ordinary_office_in_the_area_gets_a_warning_not_errors(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    run = check(admin_office(make_model, {}), ruleset)
    assert run.buildings[0].facts["energy_target"].value == "none"
    demo = result(run, "BJ-ULE-DEMO-ADMIN")
    assert demo.status is Status.FAIL and demo.severity == "warning"
    assert demo.value == 0 and demo.gap == 1
    assert demo.citation.clause == "三(二)" and demo.citation.status == "primary"
    assert demo.remedy is not None and "CN_GreenBuilding.EnergyTarget" in demo.remedy.en
    for rule_id in TECHNICAL:  # were errors (a wall of U 0.8 failed BJ-ULE-WALL-PUB)
        assert result(run, rule_id).status is Status.NOT_APPLICABLE, rule_id
    assert not any(
        r.family == "ultra_low_energy" and r.severity == "error" and not r.rule_id.startswith(("BJ-E55-", "BJ-ES-"))
        for r in run.buildings[0].results
        if r.status in (Status.FAIL, Status.UNKNOWN)
    )
    # no gas heating (plan 六(十五)) binds every new building, ULE target or not: no heating shown, so unknown
    assert result(run, "BJ-ES-GAS-HEAT").status is Status.UNKNOWN
    # the baseline code still judges every new building (issue 12): U 0.8 misses GB 55015 whatever the shape factor
    baseline = result(run, "BJ-E55-WALL-PUB")
    assert baseline.status is Status.FAIL and baseline.value == 0.8 / 0.5 and baseline.bound == "lower"
    assert result(run, "BJ-ULE-RURAL").status is Status.NOT_APPLICABLE  # declared not rural


def test_a_declared_target_must_be_backed(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    run = check(admin_office(make_model, {"EnergyTarget": "超低能耗"}), ruleset)
    assert result(run, "BJ-ULE-DEMO-ADMIN").status is Status.PASS
    wall = result(run, "BJ-ULE-WALL-PUB")
    assert wall.status is Status.FAIL and wall.severity == "error"
    assert wall.value == 0.8 and wall.gap is not None and abs(wall.gap - 0.5) < 1e-9
    assert exit_status(run) == 1


def test_unknown_area_flag_is_unknown_at_warning_severity(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(schema="IFC4", length_unit="METRE")
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "办公"})
    model.pset(model.building, "CN_GreenBuilding", {"ConstructionType": "新建"})
    run = check(model, ruleset)
    demo = result(run, "BJ-ULE-DEMO-ADMIN")
    assert demo.status is Status.UNKNOWN and demo.severity == "warning"
    assert demo.missing == ["CN_GreenBuilding.InAdministrativeOfficeArea on the IfcBuilding"]
