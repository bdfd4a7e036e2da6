"""Issue 8 case 5b: storeys without an Elevation whose names say basement are below ground.

Precedence: CN_GreenBuilding.AboveGround > Elevation > Pset_BuildingStoreyCommon.AboveGround > a basement name
(ruleset `extraction.storeys.basement_name_patterns`) > placement z, and the placement counts only when the file
places its storeys apart. The models are exported the way some tools do: IfcBuildingStorey.Elevation left empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checker.api import check_file
from checker.model.facts import Fact
from checker.rules.results import BuildingResult, Status
from checker.rules.schema import Ruleset

STOREY_M2 = 6_000.0


def _check(model: Any, ruleset: Ruleset) -> BuildingResult:
    (building,) = check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z").buildings
    return building


def _public(make_model: Callable[..., Any], storeys: list[tuple[str, float]], elevation: bool = False) -> Any:
    """A public building (not government-invested), each storey 6,000 m² with a wall; no Elevation unless asked."""
    model = make_model(schema="IFC4", length_unit="MILLIMETRE", storeys=storeys)
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    model.pset(model.building, "CN_GreenBuilding", {"ConstructionType": "New", "GovernmentInvested": False})
    for n, storey in enumerate(model.storeys):
        model.qto(storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": STOREY_M2})
        model.element("IfcWall", f"Wall {n}", n)
        if not elevation:
            storey.Elevation = None
    return model


@pytest.mark.parametrize("name", ["地下一层", "负一层", "B1", "-1F", "Basement", "1. UG", "Keller"])
def test_basement_names_without_elevation(make_model: Callable[..., Any], ruleset: Ruleset, name: str) -> None:
    """Storeys placed apart, the basement placed at z 0 like the ground floor (no Elevation): the name decides.
    On main the basement counted: 24,000 m² put a 18,000 m² public building inside the prefabrication scope."""
    model = _public(make_model, [(name, 0.0), ("1F", 0.0), ("2F", 4.0), ("3F", 8.0)])
    building = _check(model, ruleset)
    gfa = building.facts["above_ground_gfa"]
    assert gfa.value == pytest.approx(3 * STOREY_M2) and gfa.bound == "exact"
    assert any(f"storey '{name}' is named like a basement but placed at 0 m" in w for w in gfa.warnings)
    prefab = next(r for r in building.results if r.rule_id == "BJ-PREFAB-001")
    assert prefab.status is Status.NOT_APPLICABLE


def test_storeys_all_at_zero_have_no_elevation(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """Every storey at z 0 and no Elevation: only the basement name tells anything; the others are unknown, not 0."""
    model = _public(make_model, [("地下一层", 0.0), ("一层", 0.0), ("二层", 0.0), ("三层", 0.0), ("四层", 0.0)])
    building = _check(model, ruleset)
    gfa = building.facts["above_ground_gfa"]
    assert gfa.value is None
    assert (
        gfa.missing == "elevation of storeys 一层, 二层, 三层, 四层 (no Elevation, no basement name, not placed apart)"
    )
    height = building.facts["building_height"]
    assert height.value is None and "no elevation above ±0.000" in (height.missing or "")
    prefab = next(r for r in building.results if r.rule_id == "BJ-PREFAB-001")
    assert prefab.status is Status.UNKNOWN  # four storeys of 6,000 m² could be above ground: never not applicable


def test_elevation_wins_over_a_name_and_warns(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = _public(make_model, [("B1", 0.0), ("L1", 4.0), ("L2", 8.0)], elevation=True)
    gfa = _check(model, ruleset).facts["above_ground_gfa"]
    assert gfa.value == pytest.approx(3 * STOREY_M2)
    assert "storey 'B1': its name 'B1' says basement, but its Elevation 0 m puts it above ground" in gfa.warnings[0]


def test_declarations(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """CN_GreenBuilding.AboveGround beats everything; Pset_BuildingStoreyCommon.AboveGround (written TRUE on every
    storey by some exporters, foundations included) yields to the Elevation attribute, with a warning."""
    model = _public(make_model, [("-01 Foundation", -0.8), ("00 Ground", 0.0), ("Semi-basement", -1.5)], True)
    for storey in model.storeys:
        model.pset(storey, "Pset_BuildingStoreyCommon", {"AboveGround": model.file.create_entity("IfcLogical", True)})
    model.pset(model.storeys[2], "CN_GreenBuilding", {"AboveGround": True})
    gfa: Fact = _check(model, ruleset).facts["above_ground_gfa"]
    assert gfa.value == pytest.approx(2 * STOREY_M2)  # 00 Ground + the declared semi-basement
    assert gfa.warnings == [
        "storey '-01 Foundation': Pset_BuildingStoreyCommon.AboveGround = True, but its Elevation -0.8 m puts it "
        "below ground: the Elevation is used"
    ]


def test_placement_counts_when_storeys_are_placed_apart(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = _public(make_model, [("Parking", -3.5), ("Lobby", 0.0), ("Office", 4.0)])
    gfa = _check(model, ruleset).facts["above_ground_gfa"]
    assert gfa.value == pytest.approx(2 * STOREY_M2) and gfa.bound == "exact"
