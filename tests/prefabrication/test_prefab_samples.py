"""End to end on the prefabrication samples: ratios, points, P, grade and statuses against hand-computed figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.api import check_file
from checker.rules.loader import load_ruleset
from checker.rules.results import BuildingResult, RuleResult

ROOT = Path(__file__).resolve().parents[2]
RULESET = load_ruleset()


def _building(sample: str) -> BuildingResult:
    run = check_file(ROOT / "sample_models" / sample, RULESET, generated_at="2024-01-01T00:00:00Z")
    return run.buildings[0]


def _results(sample: str) -> dict[str, RuleResult]:
    return {r.rule_id: r for r in _building(sample).results if r.rule_id.startswith("BJ-PREFAB")}


@pytest.fixture(scope="module")
def aa() -> dict[str, RuleResult]:
    return _results("prefab-pass-public-aa.ifc")


def test_pass_public_aa_items(aa: dict[str, RuleResult]) -> None:
    items = aa["BJ-PREFAB-001"].details["items"]
    # q1a = 60 / 80 m3 = 75 % -> 20 + (0.75 - 0.35) / 0.45 * 10 = 28.9
    assert items["q1a"]["ratio"] == pytest.approx(0.75, abs=1e-3)
    assert items["q1a"]["points"] == pytest.approx(28.9, abs=0.05)
    assert items["q1a"]["counted"] == "5 of 7"  # 4 columns by 4 different signals + the custom-flagged shear wall
    # q1b = (3 x 6,000 + 240 balcony + 8,000 precast roof) / (24,000 + 8,000 roof plane) = 82 % -> 20.0
    # (issue 8 case 3: the roof counts in A1b only with the roof plane in A; the sample gained its roof slab)
    assert items["q1b"]["ratio"] == pytest.approx(0.82, abs=1e-3)
    assert items["q1b"]["points"] == pytest.approx(20.0, abs=0.05)
    # q2a = (900 precast + 700 curtain wall) / 2,000 = 80 % -> 5; q2b declared 60 % -> 3.0;
    # q2c 600 / 1,000 -> 5; q2d 50 % -> 2.0
    assert items["q2a"]["ratio"] == pytest.approx(0.80, abs=1e-3) and items["q2a"]["points"] == pytest.approx(5.0)
    assert items["q2b"]["points"] == pytest.approx(3.0, abs=0.05)
    assert items["q2c"]["ratio"] == pytest.approx(0.60, abs=1e-3) and items["q2c"]["points"] == pytest.approx(5.0)
    assert items["q2d"]["points"] == pytest.approx(2.0, abs=0.05)
    # Q3: decoration 6 + dry floors 75 % 6 + bathroom 80 % 4.5 + pipelines 60 % 5.0; kitchen absent -> Q4 = 6
    assert items["q3c"]["points"] == pytest.approx(4.5, abs=0.05)
    assert items["q3d"]["points"] == pytest.approx(5.0, abs=0.05)
    assert items["q3b"]["status"] == "absent"


def test_pass_public_aa_rate_and_grade(aa: dict[str, RuleResult]) -> None:
    rate = aa["BJ-PREFAB-001"]
    details = rate.details
    assert (details["Q1"], details["Q2"], details["Q3"], details["Q4"]) == pytest.approx(
        (48.9, 15.0, 21.5, 6.0), abs=0.05
    )
    assert rate.status.value == "pass"
    assert rate.value == pytest.approx(85.4 / 94, abs=1e-3)  # 90.9 %
    assert details["grade"] == "AA"
    assert aa["BJ-PREFAB-002"].value == pytest.approx(48.9, abs=0.05)
    assert aa["BJ-PREFAB-003"].value == pytest.approx(15.0, abs=0.05)
    assert aa["BJ-PREFAB-004"].status.value == "pass"
    # precast ratio: (60 + 3 x 1,200 + 36 + 1,600 roof) / (80 + 3 x 1,200 + 36 + 3 x 400 + 1,600) = 5,296 / 6,516;
    # it applies because the members' IfcMaterial says concrete (structure_type, issue 8 case 7)
    assert aa["BJ-PREFAB-005"].value == pytest.approx(5296 / 6516, abs=1e-3)
    assert aa["BJ-PREFAB-005"].status.value == "pass"
    assert aa["BJ-PREFAB-006"].status.value == "not_applicable"


def test_signals_named_per_element(aa: dict[str, RuleResult]) -> None:
    sources = {r.name: r.sources["prefabricated"] for r in aa["BJ-PREFAB-001"].elements if r.ifc_class == "IfcColumn"}
    assert sources["C1"].endswith("with AssemblyPlace FACTORY")
    assert sources["C2"] == "Pset_ManufacturerTypeInformation.AssemblyPlace = OFFSITE (on its type)"
    assert sources["C3"] == "Pset_ConcreteElementGeneral.ConstructionMethod = 'Precast'"
    assert sources["C4"] == "Pset_PrecastConcreteElementGeneral present"
    assert sources["C5"].startswith("no prefabrication signal") and sources["C6"].startswith("no prefabrication signal")


def test_fail_government() -> None:
    results = _results("prefab-fail-government.ifc")
    rate = results["BJ-PREFAB-001"]
    items = rate.details["items"]
    # q1a 16 / 40 = 40 % -> 20 + 0.05 / 0.45 * 10 = 21.1; q1b 3,000 / (6,000 + 3,000 cast roof) = 33 % < 70 % -> 0
    assert items["q1a"]["points"] == pytest.approx(21.1, abs=0.05)
    assert items["q1b"]["ratio"] == pytest.approx(1 / 3, abs=1e-3) and items["q1b"]["points"] == 0
    assert items["q2a"]["ratio"] == 0 and items["q2c"]["points"] == pytest.approx(5.0)
    # P = (21.1 + 5 + 6) / (100 - 6) = 34.1 %: 14.9 points short
    assert rate.status.value == "fail"
    assert rate.value == pytest.approx(32.1 / 94, abs=1e-3)
    assert rate.gap == pytest.approx((0.5 - 32.1 / 94) * 94, abs=0.05)
    assert rate.details["grade"] is None
    assert results["BJ-PREFAB-002"].status.value == "pass"
    assert results["BJ-PREFAB-003"].status.value == "fail" and results["BJ-PREFAB-003"].value == pytest.approx(5.0)
    # the cast roof slab (600 m³, added for issue 8 case 3) enters the concrete volume: 616 / (1,240 + 600)
    assert results["BJ-PREFAB-005"].value == pytest.approx(616 / 1840, abs=1e-3)
    assert results["BJ-PREFAB-005"].status.value == "fail"


def test_small_public_not_applicable_with_figures() -> None:
    results = _results("prefab-na-public-small.ifc")
    for rule_id in ("BJ-PREFAB-001", "BJ-PREFAB-002", "BJ-PREFAB-003", "BJ-PREFAB-004", "BJ-PREFAB-005"):
        assert results[rule_id].status.value == "not_applicable"
    assert results["BJ-PREFAB-001"].message.en == (
        "Not applicable: the project's new public above-ground floor area is 12,400 "
        "(rule applies when the project's new public above-ground floor area ≥ 20,000)"
    )


def test_exactly_20000_is_in_scope() -> None:
    building = _building("prefab-public-20000.ifc")
    assert building.facts["above_ground_gfa"].value == pytest.approx(20000.0)
    results = {r.rule_id: r for r in building.results}
    assert results["BJ-PREFAB-001"].status.value == "pass"
    # (2 x 7,500 + 200 balcony + 10,000 precast roof) / (20,000 + 10,000 roof plane) = 84 %
    assert results["BJ-PREFAB-001"].details["items"]["q1b"]["ratio"] == pytest.approx(0.84, abs=1e-3)


def test_industrial_warehouse() -> None:
    results = _results("prefab-industrial-warehouse.ifc")
    rate = results["BJ-PREFAB-001"]
    items = rate.details["items"]
    # q1a 18 / 24 = 75 % -> 28.9; q1b 6,400 precast roof / (8,000 floor + 8,000 roof plane) = 40 % -> 0 (was 80 %
    # with the roof in A1b but not in A: issue 8 case 3); q2a 100 % -> 5; q2b 80 % -> 5;
    # q3d from pipes 60 / 100 m -> 5.0
    assert items["q1a"]["points"] == pytest.approx(28.9, abs=0.05)
    assert items["q1b"]["ratio"] == pytest.approx(0.4, abs=1e-3) and items["q1b"]["points"] == 0
    assert items["q3d"]["ratio"] == pytest.approx(0.6, abs=1e-3) and items["q3d"]["points"] == pytest.approx(
        5.0, abs=0.05
    )
    # Q4 = kitchen 6 + bathroom 6 + partitions 5 + 5 = 22 (all absentable, none shown by the model);
    # P = (28.9 + 10 + 11) / 78 = 64.0 %
    assert rate.details["Q4"] == pytest.approx(22.0)
    assert rate.value == pytest.approx(49.9 / 78, abs=1e-3)
    assert rate.details["grade"] == "A"
    assert results["BJ-PREFAB-003"].status.value == "pass"


def test_geometry_only() -> None:
    building = _building("prefab-geometry-only.ifc")
    results = {r.rule_id: r for r in building.results}
    items = results["BJ-PREFAB-002"].details["items"]
    # columns 4 x 1.0 m3 (3 precast) + shear wall 4.0 m3 cast: 3 / 8 = 37.5 % -> 20.6
    assert items["q1a"]["ratio"] == pytest.approx(0.375, abs=1e-3)
    assert items["q1a"]["points"] == pytest.approx(20.6, abs=0.05)
    # slabs 200 + 100 precast + stair 2 x 5 = 310 of 400 m2 (storey areas from slab geometry) + 200 m2 cast roof
    # (added for issue 8 case 3: the roof plane is in A) -> 51.7 % -> 0
    assert items["q1b"]["ratio"] == pytest.approx(310 / 600, abs=1e-3)
    assert items["q1b"]["points"] == 0
    assert results["BJ-PREFAB-002"].status.value == "pass"
    assert results["BJ-PREFAB-001"].status.value == "unknown"  # wall areas and declared items missing: never a pass
    assert results["BJ-PREFAB-003"].status.value == "unknown"
    # the cast roof slab's geometry tops out at 8.2 m: an exact height, so the <= 60 m rule applies
    height = building.facts["building_height"]
    assert height.value == pytest.approx(8.2) and height.bound == "exact"
    assert height.evidence[0].source == "computed from geometry of 1 elements"
    assert results["BJ-PREFAB-005"].value == pytest.approx(66 / 131, abs=1e-3)  # + the 40 m3 cast roof
    assert results["BJ-PREFAB-005"].status.value == "pass"
