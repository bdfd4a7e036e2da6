"""Issue 8, case 13: PV modelled otherwise. A slab named 光伏板, a solar device of undefined type, panels contained
in the IfcSite: counted where the model says PV, 'possible PV' (BJ-PV-001 unknown, naming them and the fix) where it
only looks like PV, never a silent fail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checker.api import check_file
from checker.rules.results import BuildingResult, CheckRun, RuleResult, Status
from checker.rules.schema import Ruleset

GREEN = {"ConstructionType": "新建", "GovernmentInvested": True, "TargetStarLevel": 3}


def check(model: Any, ruleset: Ruleset) -> CheckRun:
    return check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z")


def result(building: BuildingResult, rule_id: str) -> RuleResult:
    return next(r for r in building.results if r.rule_id == rule_id)


def public_building(model: Any, building: Any = None) -> None:
    target = building if building is not None else model.building
    model.pset(target, "Pset_BuildingCommon", {"OccupancyType": "办公楼"})
    model.pset(target, "CN_GreenBuilding", GREEN)


def revit_cn(make_model: Callable[..., Any]) -> Any:
    model = make_model(schema="IFC2X3", length_unit="MILLIMETRE", storeys=[("标高 1", 0.0), ("屋顶", 12.0)])
    public_building(model)
    return model


def test_slab_named_pv_makes_pv_presence_unknown(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Revit-CN IFC2X3: the PV array drawn as a floor type 光伏板 on the roof level (Revit names Family:Type:Id)."""
    model = revit_cn(make_model)
    slab = model.element("IfcSlab", "楼板:光伏板 50mm:348211", storey=1, predefined_type="FLOOR")
    model.qto(slab, "Qto_SlabBaseQuantities", {"GrossArea": 300.0})
    run = check(model, ruleset)
    (b,) = run.buildings
    count = b.facts["pv_panel_count"]
    assert count.value == 0 and count.bound == "lower"
    pv1 = result(b, "BJ-PV-001")  # was a fail with no hint
    assert pv1.status is Status.UNKNOWN and pv1.value == 0
    assert pv1.missing == [
        f"1 elements look like PV but are not counted: IfcSlab '楼板:光伏板 50mm:348211' ({slab.GlobalId}); "
        "model PV panels as IfcSolarDevice (PredefinedType SOLARPANEL) or set CN_GreenBuilding.IsPhotovoltaic = true "
        "on them (false on elements that are not PV)"
    ]
    assert [(e.global_id, e.values["pv_status"]) for e in pv1.elements] == [(slab.GlobalId, "possible")]
    assert b.facts["pv_panel_area"].value == 0.0 and b.facts["pv_panel_area"].bound == "lower"


def test_flagged_slab_counts(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = revit_cn(make_model)
    slab = model.element("IfcSlab", "楼板:光伏板 50mm:348211", storey=1, predefined_type="FLOOR")
    model.pset(slab, "CN_GreenBuilding", {"IsPhotovoltaic": True, "PeakPower": 45000.0})
    (b,) = check(model, ruleset).buildings
    count = b.facts["pv_panel_count"]
    assert count.value == 1 and count.bound == "exact"
    assert count.evidence[0].source == "CN_GreenBuilding.IsPhotovoltaic = true"
    assert count.evidence[0].global_ids == [slab.GlobalId]
    assert result(b, "BJ-PV-001").status is Status.PASS


def test_solar_device_of_undefined_type(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """IFC4: IfcSolarDevice NOTDEFINED named 光伏组件 counts by name; one named 'Solar device' may be a collector."""
    model = make_model(schema="IFC4", length_unit="METRE", storeys=[("L1", 0.0), ("Roof", 10.0)])
    public_building(model)
    named = model.element("IfcSolarDevice", "光伏组件 01", storey=1, predefined_type="NOTDEFINED")
    run = check(model, ruleset)
    count = run.buildings[0].facts["pv_panel_count"]
    assert count.value == 1 and count.bound == "exact"
    assert count.evidence[0].source == "IfcSolarDevice of undefined type, PV by name"
    assert count.evidence[0].note == "by name (ruleset pv_keywords)"
    assert count.evidence[0].global_ids == [named.GlobalId]
    assert result(run.buildings[0], "BJ-PV-001").status is Status.PASS

    model = make_model(schema="IFC4", length_unit="METRE", storeys=[("L1", 0.0), ("Roof", 10.0)])
    public_building(model)
    vague = model.element("IfcSolarDevice", "Solar device 1", storey=1, predefined_type="NOTDEFINED")
    (b,) = check(model, ruleset).buildings
    pv1 = result(b, "BJ-PV-001")
    assert pv1.status is Status.UNKNOWN
    assert f"IfcSolarDevice 'Solar device 1' ({vague.GlobalId})" in pv1.missing[0]
    assert [e.values["pv_status"] for e in pv1.elements] == ["possible"]
    assert pv1.elements[0].sources["pv_status"] == "IfcSolarDevice of undefined type (PV or solar thermal?)"


def test_solar_collector_and_inverter_are_not_pv(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Solar thermal (SOLARCOLLECTOR) and PV equipment named PV (an inverter proxy) count as nothing: a certain fail."""
    model = make_model(schema="IFC4", length_unit="METRE")
    public_building(model)
    model.element("IfcSolarDevice", "太阳能集热器", predefined_type="SOLARCOLLECTOR")
    model.element("IfcBuildingElementProxy", "PV inverter 20 kW")
    model.element("IfcBuildingElementProxy", "光伏逆变器")
    (b,) = check(model, ruleset).buildings
    assert b.facts["pv_panel_count"].value == 0 and b.facts["pv_panel_count"].bound == "exact"
    pv1 = result(b, "BJ-PV-001")
    assert pv1.status is Status.FAIL and pv1.gap == 1


def test_site_panels_with_one_building_are_attributed(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(schema="IFC4", length_unit="METRE")
    public_building(model)
    panels = [
        model.ib.add_element(model.m, "IfcSolarDevice", f"PV carport {n}", model.site, "SOLARPANEL") for n in range(2)
    ]
    run = check(model, ruleset)
    (b,) = run.buildings
    count = b.facts["pv_panel_count"]
    assert count.value == 2 and count.bound == "exact"
    assert count.warnings == [
        "2 PV elements sit in the IfcSite, not in the building: attributed to its only building "
        f"(IfcSolarDevice 'PV carport 0' ({panels[0].GlobalId}), IfcSolarDevice 'PV carport 1' ({panels[1].GlobalId}))"
    ]
    assert result(b, "BJ-PV-001").status is Status.PASS
    assert any("attributed to its only building" in w for w in run.model.warnings)


def test_site_panels_with_several_buildings_are_not_attributed(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    model = make_model(schema="IFC4", length_unit="METRE", building="Hall A")
    public_building(model)
    hall_b = model.add_building("Hall B")
    public_building(model, hall_b)
    storey_b = model.ib.add_spatial(model.m, "IfcBuildingStorey", "B L1", hall_b)
    own = model.ib.add_element(model.m, "IfcSolarDevice", "PV B-1", storey_b, "SOLARPANEL")
    site = model.ib.add_element(model.m, "IfcSolarDevice", "PV array", model.site, "SOLARPANEL")
    run = check(model, ruleset)
    a, b = (next(x for x in run.buildings if x.name == name) for name in ("Hall A", "Hall B"))
    pv_a = result(a, "BJ-PV-001")
    assert pv_a.status is Status.UNKNOWN and a.facts["pv_panel_count"].value == 0
    assert pv_a.missing == [
        "1 PV elements are contained in the IfcSite, not in a building, and the file has several buildings, so they "
        f"cannot be attributed: IfcSolarDevice 'PV array' ({site.GlobalId}); contain them in their building's storey "
        "(IfcRelContainedInSpatialStructure)"
    ]
    assert [(e.global_id, e.values["pv_status"]) for e in pv_a.elements] == [(site.GlobalId, "in the IfcSite")]
    count_b = b.facts["pv_panel_count"]
    assert count_b.value == 1 and count_b.bound == "lower"  # the site array may be B's too
    assert count_b.evidence[0].global_ids == [own.GlobalId]
    assert result(b, "BJ-PV-001").status is Status.PASS


def test_user_defined_solar_device_counts_by_its_object_type(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """IFC4 USERDEFINED with ObjectType '光伏组件 400W' (how exporters write a custom type) is a panel by name."""
    model = make_model(schema="IFC4", length_unit="METRE")
    public_building(model)
    device = model.element("IfcSolarDevice", "Solar 1", predefined_type="USERDEFINED")
    device.ObjectType = "光伏组件 400W"
    (b,) = check(model, ruleset).buildings
    count = b.facts["pv_panel_count"]
    assert count.value == 1 and count.bound == "exact"
    assert count.evidence[0].source == "IfcSolarDevice of undefined type, PV by name"
    assert result(b, "BJ-PV-001").status is Status.PASS
