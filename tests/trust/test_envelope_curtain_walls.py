"""Issue 8 case 1: curtain walls are envelope. A transparent IfcCurtainWall is judged with the windows
(GB/T 51350 外窗（含透光幕墙）), an opaque one (CN_GreenBuilding.IsTransparent = false) with the walls (GB 55015
外墙（含非透光幕墙）); its area counts in the facade's window-to-wall ratio as window and as facade area."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import greencheck_trust_envelope_models as em  # loaded by tests/trust/conftest.py
import pytest

from checker.api import check_file, facts_for_file
from checker.rules.results import CheckRun
from checker.rules.schema import Ruleset


def check(model: Any, ruleset: Ruleset) -> CheckRun:
    return check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z")


def glazed_office(make_model: Callable[..., Any], cw_u: float | None = 2.6, shgc: float | None = 0.35) -> Any:
    """ArchiCAD-like IFC4 public office in ULE scope: compliant walls (U 0.25), roof (0.20) and ground slab (0.30),
    two small windows (U 1.0, SHGC 0.5) in the S wall, and a 10 m x 4 m glazed curtain wall on the N facade
    (Pset_CurtainWallCommon.ThermalTransmittance `cw_u`, glazing SHGC `shgc` on its IfcCurtainWallType)."""
    model = em.office(make_model)
    south = em.wall(model, "S", 0.25)
    for side in "EW":
        em.wall(model, side, 0.25)
    em.wall(model, "N", 0.25, length=10.0)
    em.window(model, south, 1.0)
    em.window(model, south, 1.0)
    cw = em.curtain_wall_ifc4(model, "N", cw_u, shgc_on_type=shgc)
    em.roof(model, 0.20)
    em.base_slab(model, 0.30)
    return model, cw


def test_curtain_wall_fails_the_window_u_shgc_level_and_t1_rules(
    make_model: Callable[..., Any], ruleset: Ruleset
) -> None:
    model, cw = glazed_office(make_model)
    path = model.write()
    building = facts_for_file(path, ruleset).buildings[0]
    windows = {r.global_id: r for r in building.elements["envelope_windows"]}
    assert len(windows) == 3 and windows[cw.GlobalId].values["u_declared"] == pytest.approx(2.6)
    assert windows[cw.GlobalId].values["shgc_glazing"] == pytest.approx(0.35)  # from the IfcCurtainWallType
    assert windows[cw.GlobalId].values["area_m2"] == pytest.approx(40.0)  # Qto_CurtainWallQuantities.NetSideArea
    assert windows[cw.GlobalId].values["orientation"] == "N"
    assert windows[cw.GlobalId].sources["u_declared"] == "Pset_CurtainWallCommon.ThermalTransmittance"
    # N: curtain wall 40 m² over wall 40 + curtain wall 40; S: two 2.25 m² windows over 80 m²; E/W: no window
    facts = building.facts
    assert [facts[f"wwr_{s}"].value for s in "NSEW"] == pytest.approx([0.5, 4.5 / 80, 0.0, 0.0])
    assert all(facts[f"wwr_{s}"].bound == "exact" for s in "NESW")

    res = em.results(check_file(path, ruleset, generated_at="2024-01-01T00:00:00Z"))
    # before issue 8: pass on the two windows (U 1.0), SHGC 0.5 pass, level reached, T1 33 % (the floors) pass
    win = res["BJ-ULE-WIN-PUB"]
    assert win.status == "fail" and win.value == pytest.approx(2.6) and win.margin == pytest.approx(-1.1)
    assert [e.global_id for e in win.elements] == [cw.GlobalId]
    shgc = res["BJ-ULE-SHGC"]
    assert shgc.status == "fail" and shgc.value == pytest.approx(0.35)
    level = res["BJ-ULE-LEVEL"]
    assert level.status == "fail" and level.value == -1  # envelope fails: none reached, ultra-low claimed
    # T1, N windows component: (1.9 − 2.6) / 1.9 at WWR 0.5 (band 0.40 < WWR ≤ 0.50) is the lowest
    t1 = res["BJ-STAR-020"]
    assert t1.status == "fail" and t1.value == pytest.approx((1.9 - 2.6) / 1.9)
    assert t1.details["limiting_component"] == "exterior windows (incl. transparent curtain walls) (N)"
    for rule in ("BJ-ULE-WALL-PUB", "BJ-ULE-ROOF-PUB", "BJ-ULE-FLOOR-PUB"):
        assert res[rule].status == "pass", rule


def test_curtain_wall_meeting_the_limits_passes(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model, cw = glazed_office(make_model, cw_u=1.2, shgc=0.48)
    res = em.results(check(model, ruleset))
    assert res["BJ-ULE-WIN-PUB"].status == "pass" and res["BJ-ULE-WIN-PUB"].value == pytest.approx(1.2)
    assert res["BJ-ULE-SHGC"].status == "pass" and res["BJ-ULE-SHGC"].value == pytest.approx(0.48)
    # T1: N windows (1.9 − 1.2) / 1.9 = 36.8 %; the ground slab (0.45 − 0.30) / 0.45 = 33.3 % is the lowest
    assert res["BJ-STAR-020"].status == "pass" and res["BJ-STAR-020"].value == pytest.approx(1 / 3)


def test_curtain_wall_without_u_or_shgc_is_unknown_naming_it(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model, cw = glazed_office(make_model, cw_u=None, shgc=None)
    res = em.results(check(model, ruleset))
    win = res["BJ-ULE-WIN-PUB"]
    assert win.status == "unknown" and win.value == pytest.approx(1.0) and win.bound == "lower"
    assert cw.GlobalId in win.missing[0]
    assert "no Pset_CurtainWallCommon.ThermalTransmittance on the element or its type" in win.missing[0]
    shgc = res["BJ-ULE-SHGC"]
    assert shgc.status == "unknown" and cw.GlobalId in shgc.missing[0]
    assert "Pset_DoorWindowGlazingType.SolarHeatGainTransmittance" in shgc.missing[0]
    assert res["BJ-STAR-020"].status == "unknown" and cw.GlobalId in " ".join(res["BJ-STAR-020"].missing)


def test_opaque_curtain_wall_is_an_exterior_wall(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """CN_GreenBuilding.IsTransparent = false: spandrel panels, judged with the walls (U 0.8 > 0.30), and in the
    WWR as facade area only."""
    model = em.office(make_model)
    for side in "SEW":
        em.wall(model, side, 0.25)
    em.wall(model, "N", 0.25, length=10.0)
    cw = em.curtain_wall_ifc4(model, "N", 0.8, transparent=False)
    em.roof(model, 0.20)
    path = model.write()
    building = facts_for_file(path, ruleset).buildings[0]
    assert cw.GlobalId in {r.global_id for r in building.elements["envelope_walls"]}
    assert cw.GlobalId not in {r.global_id for r in building.elements["envelope_windows"]}
    assert building.facts["wwr_N"].value == pytest.approx(0.0)  # 0 m² of window over 40 + 40 m²
    res = em.results(check_file(path, ruleset, generated_at="2024-01-01T00:00:00Z"))
    wall = res["BJ-ULE-WALL-PUB"]
    assert wall.status == "fail" and wall.value == pytest.approx(0.8)
    assert [e.global_id for e in wall.elements] == [cw.GlobalId]


def test_revit_storefront_aggregate_measured_from_its_parts(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Revit IFC2X3: the curtain wall has no body, no quantities and an identity placement at the origin; its
    area and facing come from the geometry of its 10 glass panels and 11 mullions (10.05 m x 4 m, facing S)."""
    model = em.office(make_model, schema="IFC2X3")
    for side in "EWN":
        em.wall(model, side, 0.25, qto=False)
    em.wall(model, "S", 0.25, qto=False, length=10.0)
    cw = em.curtain_wall_revit(model, (10.0, 0.0), (20.0, 0.0))
    em.roof(model, 0.20)
    building = facts_for_file(model.write(), ruleset).buildings[0]
    (record,) = [r for r in building.elements["envelope_windows"] if r.global_id == cw.GlobalId]
    assert record.values["area_m2"] == pytest.approx(10.05 * 4.0)
    assert record.sources["area_m2"] == "computed from geometry (elevation of the curtain wall and its parts)"
    assert record.values["orientation"] == "S" and record.values["bearing_deg"] == pytest.approx(180.0)
    assert record.sources["orientation"] == "outward normal of the plane of its geometry"
    assert record.values["u_declared"] is None and record.values["exterior"] == "declared"
    # S: 40.2 m² of storefront over the 10 m S wall (40 m², side area from geometry) + 40.2 m²
    assert building.facts["wwr_S"].value == pytest.approx(40.2 / 80.2, abs=1e-4)
    assert building.facts["wwr_E"].value == pytest.approx(0.0)
    res = em.results(check_file(model.write("revit.ifc"), ruleset, generated_at="2024-01-01T00:00:00Z"))
    win = res["BJ-ULE-WIN-PUB"]
    assert win.status == "unknown" and cw.GlobalId in win.missing[0]
    assert "Pset_CurtainWallCommon.ThermalTransmittance" in win.missing[0]


def test_chinese_revit_storefronts_are_glazing(corpus_dir: Path, ruleset: Ruleset) -> None:
    """IFC2X3_Revit2023CHS_complex_chinese.ifc: glazed only by 3 storefront IfcCurtainWall (IsExternal TRUE, no U,
    no quantities, identity placement). Before issue 8 every facade reported WWR 0.0 'exact'."""
    path = corpus_dir / "IFC2X3_Revit2023CHS_complex_chinese.ifc"
    if not path.is_file():
        pytest.skip("corpus file missing")
    building = facts_for_file(path, ruleset).buildings[0]
    curtain = [r for r in building.elements["envelope_windows"] if r.ifc_class == "IfcCurtainWall"]
    assert len(curtain) == 3 and all(r.values["u_declared"] is None for r in curtain)
    # areas from the panels and mullions; the 36.6 m² one runs diagonally (its placement says 18.3 m²)
    assert sorted(round(float(r.values["area_m2"]), 1) for r in curtain) == [18.2, 35.9, 36.6]
    assert sorted(str(r.values["orientation"]) for r in curtain) == ["N", "S", "W"]
    wwr = {side: building.facts[f"wwr_{side}"] for side in "NESW"}
    assert wwr["N"].value == pytest.approx(18.16 / 97.07, abs=1e-3)
    assert wwr["S"].value == pytest.approx(35.90 / 104.0, abs=1e-3)
    assert wwr["E"].value == pytest.approx(0.0)
    assert wwr["W"].value == pytest.approx(1.0)  # the diagonal storefront is the only element facing W


@pytest.mark.parametrize(("star", "rule_id", "target"), [(2, "BJ-STAR-021", 0.10), (1, "BJ-STAR-022", 0.05)])
def test_two_and_one_star_targets_see_the_curtain_wall_too(
    make_model: Callable[..., Any], ruleset: Ruleset, star: int, rule_id: str, target: float
) -> None:
    """Same glazed office declared two- or one-star: T1 (10 % / 5 %) fails on the curtain wall, −36.8 %."""
    model, _ = glazed_office(make_model)
    model.pset(model.building, "CN_GreenBuilding", {"TargetStarLevel": star})
    res = em.results(check(model, ruleset))
    t1 = res[rule_id]
    assert t1.status == "fail" and t1.value == pytest.approx((1.9 - 2.6) / 1.9)
    assert t1.margin == pytest.approx((1.9 - 2.6) / 1.9 - target)
    assert res["BJ-STAR-020"].status == "not_applicable"
