"""Issue 8 plausibility guards for areas and heights: a figure no building has is a unit or modelling error.

Limits are ruleset data (`extraction.plausibility`: 100,000 m² per storey, 1,000 m of height). A storey or roof
area above the limit or negative, or a height above the limit, makes its fact unknown with a warning saying what
looks wrong, never a pass or a fail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checker.api import check_file
from checker.model.config import Plausibility
from checker.model.plausibility import area_problem, height_problem
from checker.rules.results import BuildingResult, Status
from checker.rules.schema import Ruleset

LIMITS = Plausibility()


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (3_600.0, None),
        (100_000.0, None),
        (
            14_000_000.0,
            "14,000,000 m² for one storey: areas look like millimetres (more than the plausible 100,000 m²)",
        ),
        (2.0e11, "200,000,000,000 m² for one storey (more than the plausible 100,000 m²)"),
        (-12.0, "-12 m² for one storey: a negative area (broken quantity or geometry)"),
    ],
)
def test_area_problem(area: float, expected: str | None) -> None:
    assert area_problem(area, "one storey", LIMITS) == expected


@pytest.mark.parametrize(
    ("height", "expected"),
    [
        (63.0, None),
        (63_000.0, "a building height of 63,000 m: lengths look like millimetres (more than the plausible 1,000 m)"),
        (-3.5, "a building height of -3.50 m is negative"),
    ],
)
def test_height_problem(height: float, expected: str | None) -> None:
    assert height_problem(height, LIMITS) == expected


def _check(model: Any, ruleset: Ruleset) -> BuildingResult:
    (building,) = check_file(model.write(), ruleset, generated_at="2024-01-01T00:00:00Z").buildings
    return building


def test_millimetre_areas_in_a_metre_file(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    """An exporter wrote mm² into a metre file: 14,000,000 'm²' per storey makes any public building 'in scope'."""
    model = make_model(length_unit="METRE", storeys=[("L1", 0.0), ("L2", 4.0)])
    model.pset(model.building, "Pset_BuildingCommon", {"OccupancyType": "Office"})
    model.pset(model.building, "CN_GreenBuilding", {"ConstructionType": "New", "GovernmentInvested": False})
    for storey in model.storeys:
        model.qto(storey, "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": 14_000_000.0})
    roof = model.element("IfcSlab", "Roof", 1, "ROOF")
    model.qto(roof, "Qto_SlabBaseQuantities", {"GrossArea": 14_000_000.0})
    building = _check(model, ruleset)
    gfa = building.facts["above_ground_gfa"]
    assert gfa.value is None
    assert gfa.warnings == [
        f"14,000,000 m² for one storey ('{name}'): areas look like millimetres (more than the plausible 100,000 m²)"
        for name in ("L1", "L2")
    ]
    assert gfa.missing == "; ".join(
        f"floor area of storeys {name} ({gfa.warnings[n]})" for n, name in enumerate(("L1", "L2"))
    )
    roof_area = building.facts["roof_area"]
    assert roof_area.value is None
    assert roof_area.warnings == [
        "14,000,000 m² for the roof: areas look like millimetres (more than the plausible 100,000 m²)"
    ]
    assert next(r for r in building.results if r.rule_id == "BJ-PREFAB-001").status is Status.UNKNOWN


def test_negative_slab_area(make_model: Callable[..., Any], ruleset: Ruleset) -> None:
    model = make_model(length_unit="METRE", storeys=[("L1", 0.0)])
    slab = model.element("IfcSlab", "Floor", 0, "FLOOR")
    model.qto(slab, "Qto_SlabBaseQuantities", {"GrossArea": -250.0})
    gfa = _check(model, ruleset).facts["above_ground_gfa"]
    assert gfa.value is None
    # issue 9: a negative quantity is refused where it is read, naming the quantity and the slab (not summed first)
    why = "Qto_SlabBaseQuantities.GrossArea = -250 m²: a negative quantity (broken export)"
    why += f", not used on {slab.GlobalId}"
    assert gfa.missing == f"floor area of storeys L1 ({why})"
