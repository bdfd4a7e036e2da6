"""Metric functions and applicability on hand-built BuildingFacts (no IFC file)."""

from __future__ import annotations

import pytest

from checker.model.facts import BuildingFacts, Fact
from checker.rules.conditions import applicability
from checker.rules.families.prefab_scoring import item_points
from checker.rules.families.prefabrication import prefab_assembly_rate, prefab_main_structure_score
from checker.rules.loader import load_ruleset

RULESET = load_ruleset()
RULES = {r.id: r for r in RULESET.rules}
PARAMS = RULES["BJ-PREFAB-001"].params


def _facts(**values: object) -> BuildingFacts:
    return BuildingFacts(global_id="B", facts={k: Fact(value=v) for k, v in values.items()})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ratio", "expected"), [(0.34, 0.0), (0.35, 20.0), (0.50, 23.3), (0.575, 25.0), (0.80, 30.0), (0.95, 30.0)]
)
def test_vertical_interpolation(ratio: float, expected: float) -> None:
    assert item_points(ratio, [0.35, 0.80], [20, 30]) == pytest.approx(expected, abs=0.05)


def test_fixed_points_row() -> None:
    assert item_points(0.79, [0.80, 0.80], [5, 5]) == 0.0
    assert item_points(0.80, [0.80, 0.80], [5, 5]) == 5.0


COMPLETE = dict(
    prefab_q1a_precast=50.0,
    prefab_q1a_total=100.0,  # 50 % -> 23.3
    prefab_q1b_precast=600.0,
    prefab_q1b_roof_precast=120.0,
    prefab_q1b_total=800.0,
    roof_area=200.0,  # (600 + 120) / (800 + 200) = 72 % -> 12.0
    prefab_q2a_nonmasonry=90.0,
    prefab_q2a_total=100.0,  # 90 % -> 5
    prefab_q2b_ratio=0.65,  # -> 3.5
    prefab_q2c_nonmasonry=40.0,
    prefab_q2c_total=100.0,  # 40 % -> 0
    prefab_q2d_ratio=0.2,  # -> 0
    prefab_full_decoration=True,  # 6
    prefab_q3a_ratio=0.7,  # 6
    prefab_q3b_ratio=0.8,
    prefab_q3c_ratio=0.9,  # 4.5, 6
    prefab_q3d_ratio=0.55,  # 4.5
    prefab_absent_items="",
)


def test_assembly_rate_from_facts() -> None:
    measured = prefab_assembly_rate(_facts(**COMPLETE), PARAMS)
    # Q1 = 23.3 + 12.0 = 35.3; Q2 = 5 + 3.5 = 8.5; Q3 = 6 + 6 + 4.5 + 6 + 4.5 = 27; P = 70.8 / 100
    assert (measured.details["Q1"], measured.details["Q2"], measured.details["Q3"]) == pytest.approx(
        (35.3, 8.5, 27.0), abs=0.05
    )
    assert measured.value == pytest.approx(0.708, abs=1e-3)
    assert measured.details["grade"] is None  # Q2 8.5 < 10: 3.0.3 not met, no grade
    assert measured.denominator == pytest.approx(100.0)


def test_absent_items_go_to_q4() -> None:
    measured = prefab_assembly_rate(_facts(**{**COMPLETE, "prefab_absent_items": "q3b,q3c"}), PARAMS)
    # Q3 = 6 + 6 + 4.5 = 16.5; Q4 = 12; P = (35.3 + 8.5 + 16.5) / 88
    assert measured.details["Q4"] == pytest.approx(12.0)
    assert measured.value == pytest.approx(60.3 / 88, abs=1e-3)


def test_missing_declared_item_is_unknown_not_met() -> None:
    facts = {k: v for k, v in COMPLETE.items() if k != "prefab_q3a_ratio"}
    measured = prefab_assembly_rate(_facts(**facts), PARAMS)
    assert measured.bound == "lower" and measured.value == pytest.approx(measured.details["p_lower_bound"])
    assert any(m.startswith("q3a") for m in measured.missing)
    assert measured.details["items"]["q3a"]["status"] == "unknown"


def test_main_structure_score_only_needs_q1() -> None:
    measured = prefab_main_structure_score(
        _facts(
            prefab_q1a_precast=80.0,
            prefab_q1a_total=100.0,
            prefab_q1b_precast=0.0,
            prefab_q1b_roof_precast=0.0,
            prefab_q1b_total=10.0,
            roof_area=0.0,
            prefab_absent_items="",
        ),
        RULES["BJ-PREFAB-002"].params,
    )
    assert measured.value == pytest.approx(30.0)


@pytest.mark.parametrize(("gfa", "applies"), [(19999.0, False), (20000.0, True), (20000.5, True)])
def test_public_gfa_threshold_inclusive(gfa: float, applies: bool) -> None:
    """The trigger is the project's new public floor area (公共建筑项目), inclusive of 20,000 m²."""
    building = _facts(
        is_new=True,
        use_category="public",
        project_new_public_above_ground_gfa=gfa,
        government_invested=False,
        industrial_land=False,
    )
    result = applicability(RULES["BJ-PREFAB-001"].applies_when, building)
    assert result.applies is applies
    if not applies:
        assert result.reasons[0].en == (
            "the project's new public above-ground floor area is 19,999 (rule applies when the project's new public "
            "above-ground floor area ≥ 20,000)"
        )


def test_government_invested_small_building_in_scope() -> None:
    building = _facts(
        is_new=True, use_category="public", project_new_public_above_ground_gfa=500.0, government_invested=True
    )
    assert applicability(RULES["BJ-PREFAB-001"].applies_when, building).applies is True


def test_warehouse_needs_industrial_land() -> None:
    on_land = _facts(
        is_new=True,
        use_category="warehouse",
        project_new_public_above_ground_gfa=500.0,
        government_invested=False,
        industrial_land=True,
    )
    off_land = _facts(
        is_new=True,
        use_category="warehouse",
        project_new_public_above_ground_gfa=500.0,
        government_invested=False,
        industrial_land=False,
    )
    assert applicability(RULES["BJ-PREFAB-001"].applies_when, on_land).applies is True
    assert applicability(RULES["BJ-PREFAB-001"].applies_when, off_land).applies is False


@pytest.mark.parametrize(("height", "low", "high"), [(60.0, True, False), (60.1, False, True)])
def test_precast_ratio_split_at_60_m(height: float, low: bool, high: bool) -> None:
    building = _facts(
        is_new=True,
        use_category="public",
        project_new_public_above_ground_gfa=30000.0,
        government_invested=False,
        building_height=height,
        structure_type="concrete",
    )
    assert applicability(RULES["BJ-PREFAB-005"].applies_when, building).applies is low
    assert applicability(RULES["BJ-PREFAB-006"].applies_when, building).applies is high
